"""The op table the engine is tested on: each case runs the same lambda on gradtrace.core and,
when installed, on torch. ``shapes`` are the float inputs (all require grad)."""
import numpy as np

POS = "pos"  # marks an input that must be positive (log, sqrt, pow base)

# (name, fn(T, *xs), shapes, kind)   kind: None, or POS for positive inputs
CASES = [
    ("add", lambda T, a, b: a + b, [(2, 3), (2, 3)], None),
    ("add_bcast", lambda T, a, b: a + b, [(2, 3), (3,)], None),
    ("add_bcast2", lambda T, a, b: a + b, [(4, 1, 3), (2, 1)], None),
    ("add_scalar", lambda T, a: a + 2, [(2, 3)], None),
    ("radd", lambda T, a: 2.5 + a, [(3,)], None),
    ("add_0d", lambda T, a, b: a + b, [(), (2, 2)], None),
    ("add_alpha", lambda T, a, b: T.add(a, b, alpha=2), [(3,), (3,)], None),
    ("sub", lambda T, a, b: a - b, [(2, 3), (1, 3)], None),
    ("rsub", lambda T, a: 2 - a, [(2, 3)], None),
    ("mul", lambda T, a, b: a * b, [(2, 3), (2, 1)], None),
    ("mul_self", lambda T, a: a * a * 3, [(2, 2)], None),
    ("div", lambda T, a, b: a / b, [(2, 3), (3,)], POS),
    ("rdiv", lambda T, a: 2 / a, [(2, 3)], POS),
    ("pow2", lambda T, a: a ** 2, [(2, 3)], None),
    ("pow_frac", lambda T, a: a ** 1.5, [(2, 3)], POS),
    ("pow_tensor", lambda T, a, b: a ** b, [(2, 3), (2, 3)], POS),
    ("rpow", lambda T, a: 2 ** a, [(2, 3)], None),
    ("neg", lambda T, a: -a, [(2, 3)], None),
    ("exp", lambda T, a: a.exp(), [(2, 3)], None),
    ("log", lambda T, a: T.log(a), [(2, 3)], POS),
    ("sqrt", lambda T, a: a.sqrt(), [(4,)], POS),
    ("abs", lambda T, a: a.abs(), [(2, 3)], None),
    ("sin", lambda T, a: T.sin(a), [(2, 3)], None),
    ("cos", lambda T, a: a.cos(), [(2, 3)], None),
    ("tanh", lambda T, a: T.tanh(a), [(2, 3)], None),
    ("sigmoid", lambda T, a: a.sigmoid(), [(2, 3)], None),
    ("relu", lambda T, a: T.relu(a), [(2, 3)], None),
    ("clamp", lambda T, a: a.clamp(-0.5, 0.5), [(3, 4)], None),
    ("clamp_min", lambda T, a: T.clamp(a, min=0.1), [(3, 4)], None),
    ("clamp_tensor", lambda T, a, b: a.clamp(min=b), [(3, 4), (4,)], None),
    ("maximum", lambda T, a, b: T.maximum(a, b), [(2, 3), (3,)], None),
    ("minimum", lambda T, a, b: T.minimum(a, b), [(2, 3), (2, 3)], None),
    ("where", lambda T, a, b: T.where(a > 0, a, b), [(2, 3), (2, 3)], None),
    ("where_scalar", lambda T, a: T.where(a > 0, a, 0.0), [(2, 3)], None),
    ("sum", lambda T, a: a.sum(), [(2, 3)], None),
    ("sum_dim", lambda T, a: a.sum(1), [(2, 3)], None),
    ("sum_dims_keep", lambda T, a: a.sum((0, 2), keepdim=True), [(2, 3, 4)], None),
    ("sum_neg", lambda T, a: T.sum(a, dim=-1), [(2, 3)], None),
    ("mean", lambda T, a: a.mean(), [(2, 3)], None),
    ("mean_dim", lambda T, a: a.mean(0), [(2, 3)], None),
    ("mean_keep", lambda T, a: a.mean(-1, keepdim=True), [(2, 3)], None),
    ("max", lambda T, a: a.max(), [(2, 3)], None),
    ("min", lambda T, a: T.min(a), [(2, 3)], None),
    ("max_dim", lambda T, a: a.max(1)[0], [(2, 3)], None),
    ("max_dim_keep", lambda T, a: a.max(dim=0, keepdim=True).values, [(2, 3)], None),
    ("min_dim", lambda T, a: a.min(0).values, [(3, 3)], None),
    ("amax", lambda T, a: a.amax(1), [(2, 3)], None),
    ("amax_all", lambda T, a: T.amax(a), [(2, 3)], None),
    ("var", lambda T, a: a.var(), [(2, 3)], None),
    ("var_dim", lambda T, a: a.var(1), [(2, 3)], None),
    ("var_unbiased_false", lambda T, a: a.var(0, unbiased=False), [(3, 2)], None),
    ("std", lambda T, a: a.std(), [(2, 3)], None),
    ("std_dim_keep", lambda T, a: a.std(0, keepdim=True), [(3, 2)], None),
    ("softmax", lambda T, a: a.softmax(1), [(2, 3)], None),
    ("softmax0", lambda T, a: T.softmax(a, dim=0), [(2, 3)], None),
    ("log_softmax", lambda T, a: a.log_softmax(-1), [(2, 3)], None),
    ("logsumexp", lambda T, a: a.logsumexp(1), [(2, 3)], None),
    ("logsumexp_keep", lambda T, a: T.logsumexp(a, 0, keepdim=True), [(2, 3)], None),
    ("reshape", lambda T, a: a.reshape(3, 2), [(2, 3)], None),
    ("reshape_infer", lambda T, a: a.reshape(-1), [(2, 3)], None),
    ("reshape_T", lambda T, a: a.T.reshape(6), [(2, 3)], None),
    ("view", lambda T, a: a.view(6, 1), [(2, 3)], None),
    ("flatten", lambda T, a: a.flatten(), [(2, 3, 2)], None),
    ("flatten1", lambda T, a: a.flatten(1), [(2, 3, 2)], None),
    ("transpose", lambda T, a: a.transpose(0, 2), [(2, 3, 4)], None),
    ("permute", lambda T, a: a.permute(2, 0, 1), [(2, 3, 4)], None),
    ("t", lambda T, a: a.t(), [(2, 3)], None),
    ("T", lambda T, a: a.T, [(2, 3)], None),
    ("mT", lambda T, a: a.mT, [(4, 2, 3)], None),
    ("squeeze", lambda T, a: a.squeeze(), [(2, 1, 3)], None),
    ("squeeze_dim", lambda T, a: a.squeeze(1), [(2, 1, 3)], None),
    ("unsqueeze", lambda T, a: a.unsqueeze(1), [(2, 3)], None),
    ("unsqueeze_neg", lambda T, a: a.unsqueeze(-1), [(2, 3)], None),
    ("expand", lambda T, a: a.expand(4, 3), [(3,)], None),
    ("expand_keep", lambda T, a: a.expand(2, -1, 3), [(2, 1)], None),
    ("cat", lambda T, a, b: T.cat([a, b]), [(2, 3), (1, 3)], None),
    ("cat1", lambda T, a, b: T.cat((a, b), dim=1), [(2, 3), (2, 2)], None),
    ("stack", lambda T, a, b: T.stack([a, b], 1), [(2, 3), (2, 3)], None),
    ("idx_int", lambda T, a: a[1], [(3, 4)], None),
    ("idx_neg", lambda T, a: a[-1], [(3, 4)], None),
    ("idx_slice", lambda T, a: a[:, 1:3], [(3, 4)], None),
    ("idx_step", lambda T, a: a[::2], [(5, 2)], None),
    ("idx_full", lambda T, a: a[:], [(3, 4)], None),
    ("idx_mixed", lambda T, a: a[0, 1:], [(3, 4)], None),
    ("idx_two_ints", lambda T, a: a[1, 2], [(3, 4)], None),
    ("idx_ellipsis", lambda T, a: a[..., 0], [(2, 3, 4)], None),
    ("idx_none", lambda T, a: a[None, :, 1], [(3, 4)], None),
    ("idx_list", lambda T, a: a[[0, 2, 0]], [(3, 4)], None),
    ("idx_list_dim1", lambda T, a: a[:, [0, 3]], [(3, 4)], None),
    ("idx_int_list", lambda T, a: a[0, [1, 2]], [(3, 4)], None),
    ("idx_mask", lambda T, a: a[a > 0], [(3, 4)], None),
    ("idx_tensor", lambda T, a: a[T.tensor([2, 0])], [(3, 4)], None),
    ("matmul_mm", lambda T, a, b: a @ b, [(2, 3), (3, 4)], None),
    ("matmul_mv", lambda T, a, b: a @ b, [(2, 3), (3,)], None),
    ("matmul_vm", lambda T, a, b: a @ b, [(3,), (3, 4)], None),
    ("matmul_dot", lambda T, a, b: T.matmul(a, b), [(3,), (3,)], None),
    ("matmul_bmm", lambda T, a, b: a @ b, [(4, 2, 3), (4, 3, 2)], None),
    ("matmul_b_bcast", lambda T, a, b: a @ b, [(4, 2, 3), (3, 2)], None),
    ("matmul_b_v", lambda T, a, b: a @ b, [(4, 2, 3), (3,)], None),
    ("matmul_m_b", lambda T, a, b: a @ b, [(2, 3), (4, 3, 2)], None),
    ("matmul_v_b", lambda T, a, b: a @ b, [(3,), (4, 3, 2)], None),
    ("matmul_bcast_batch", lambda T, a, b: a @ b, [(2, 1, 2, 3), (3, 3, 2)], None),
    ("mm", lambda T, a, b: T.mm(a, b), [(2, 3), (3, 2)], None),
    ("linear", lambda T, x, w, b: T.nn.functional.linear(x, w, b), [(4, 3), (2, 3), (2,)], None),
    ("linear_nobias", lambda T, x, w: T.nn.functional.linear(x, w), [(4, 3), (2, 3)], None),
    ("linear_1d", lambda T, x, w, b: T.nn.functional.linear(x, w, b), [(3,), (2, 3), (2,)], None),
    ("linear_3d", lambda T, x, w, b: T.nn.functional.linear(x, w, b), [(5, 4, 3), (2, 3), (2,)], None),
    ("mse", lambda T, a, b: T.nn.functional.mse_loss(a, b), [(3, 2), (3, 2)], None),
    ("mse_sum", lambda T, a, b: T.nn.functional.mse_loss(a, b, reduction="sum"), [(3, 2), (3, 2)], None),
    ("cross_entropy", lambda T, a: T.nn.functional.cross_entropy(a, T.tensor([0, 2, 1])), [(3, 4)], None),
    ("cross_entropy_sum", lambda T, a: T.nn.functional.cross_entropy(a, T.tensor([3, 0]), reduction="sum"), [(2, 4)], None),
    ("F.softmax", lambda T, a: T.nn.functional.softmax(a, dim=-1), [(2, 3)], None),
    ("F.log_softmax", lambda T, a: T.nn.functional.log_softmax(a, dim=1), [(2, 3)], None),
    ("F.relu", lambda T, a: T.nn.functional.relu(a), [(2, 3)], None),
    ("F.sigmoid", lambda T, a: T.nn.functional.sigmoid(a), [(2, 3)], None),
    ("F.tanh", lambda T, a: T.nn.functional.tanh(a), [(2, 3)], None),
    ("clone", lambda T, a: a.clone(), [(2, 3)], None),
    ("norm", lambda T, a: a.norm(), [(2, 3)], None),
    ("norm_dim", lambda T, a: a.norm(dim=1), [(2, 3)], None),
    ("norm_p1", lambda T, a: a.norm(p=1), [(2, 3)], None),
    ("norm_p3_keep", lambda T, a: a.norm(3, dim=0, keepdim=True), [(2, 3)], None),
    ("linear_weight_grad", lambda T, x, w: (x @ w.t()).relu().sum(0), [(5, 3), (4, 3)], None),
    ("double", lambda T, a: a.double() * 2, [(2, 3)], None),
    ("zero_dim", lambda T, a: (a * 3).exp(), [()], None),
    ("chain", lambda T, a, b: ((a @ b).relu().sum(0) ** 2).mean(), [(3, 4), (4, 5)], None),
]


def make_inputs(shapes, kind, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    out = []
    for s in shapes:
        a = np.asarray(rng.standard_normal(s))
        if kind == POS:
            a = np.abs(a) + 0.5
        else:
            a = a + 0.05 * np.sign(a)  # keep away from kinks (relu, abs, clamp, ties)
        out.append(np.asarray(a, dtype=dtype))
    return out


def grad_fn_names(fn):
    """grad_fn names, depth first (None for constants), to compare graph structure."""
    out, stack = [], [fn]
    while stack:
        f = stack.pop()
        out.append(None if f is None else type(f).__name__)
        if f is not None:
            stack.extend(n for n, _ in reversed(f.next_functions))
    return out
