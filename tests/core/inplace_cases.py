"""In-place changes, views and saved tensors: programs run on gradtrace and on torch alike
(``T`` is the framework); each returns plain values, or its error is caught as a tuple."""


def _name(node):
    return None if node is None else type(node).__name__


def through_transpose(T):
    x = T.ones(2, 2, requires_grad=True)
    a = x * 1
    a.t().mul_(2)
    a.sum().backward()
    return x.grad.tolist(), _name(a.grad_fn)


def through_slice(T):
    x = T.ones(3, requires_grad=True)
    a = x * 1
    a[1:].mul_(3)
    a.sum().backward()
    return x.grad.tolist(), _name(a.grad_fn)


def through_element(T):
    x = T.ones(3, requires_grad=True)
    a = x * 1
    v = a[0]
    v.mul_(5)
    (a * 1).sum().backward()
    return x.grad.tolist(), _name(a.grad_fn), _name(v.grad_fn), a.tolist()


def zero_through_view_of_view(T):
    x = T.ones(2, 3, requires_grad=True)
    a = x * 1
    a.t()[0].zero_()
    a.sum().backward()
    return x.grad.tolist(), _name(a.grad_fn)


def nested_views_share_the_base(T):
    x = T.ones(3, requires_grad=True)
    a = x * 1
    b = a[:2]
    c = b[1:]
    c.mul_(4)
    a.sum().backward()
    return x.grad.tolist(), c._base is a, b._is_view(), a._is_view()


def write_into_a_view(T):
    x = T.ones(4, requires_grad=True)
    a = x * 1
    v = a[1:3]
    v[0] = 7.0
    a.sum().backward()
    return x.grad.tolist(), a.tolist()


def augmented_assignment_on_a_view(T):
    x = T.ones(4, requires_grad=True)
    a = x * 1
    v = a.view(2, 2)
    v += 1
    (a * a).sum().backward()
    return x.grad.tolist()


def base_changed_after_the_view(T):
    x = T.ones(3, requires_grad=True)
    a = x * 1
    s = a[1:]
    a.mul_(2)
    (s * 1).sum().backward()
    return x.grad.tolist(), s.tolist(), _name(s.grad_fn)


def graph_value_into_a_constant_buffer(T):
    buf = T.zeros(3)
    x = T.ones(2, requires_grad=True)
    buf[1:].add_(x * 2)
    buf.sum().backward()
    return x.grad.tolist(), _name(buf.grad_fn), buf.tolist()


def relu_on_a_transposed_slice(T):
    x = T.ones(2, 3, requires_grad=True)
    a = x * 1
    a.transpose(0, 1)[1:].relu_()
    a.sum().backward()
    return x.grad.tolist()


def view_of_a_leaf(T):
    w = T.ones(3, requires_grad=True)
    w[0].mul_(2)


def view_of_a_leaf_without_grad(T):
    w = T.ones(3, requires_grad=True)
    with T.no_grad():
        w[0].mul_(2)
    return w.tolist()


def expanded_tensor(T):
    T.ones(2, 1).expand(2, 3).add_(1)


def fill_number(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    y.fill_(1)
    name = _name(y.grad_fn)
    y.sum().backward()
    return name, x.grad.tolist(), y.requires_grad


def fill_tensor(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    v = T.tensor(5.0, requires_grad=True)
    y.fill_(v)
    names = [_name(n) for n, _ in y.grad_fn.next_functions]
    y.sum().backward()
    return names, v.grad.item()


def fill_constant_with_a_graph_value(T):
    y = T.ones(3)
    y.fill_(T.tensor(2.0, requires_grad=True))
    return _name(y.grad_fn)


def zero(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    y.zero_()
    return _name(y.grad_fn), [_name(n) for n, _ in y.grad_fn.next_functions]


def copy(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    z = T.ones(3, requires_grad=True)
    y.copy_(z * 3)
    name = _name(y.grad_fn)
    y.sum().backward()
    return name, x.grad.tolist(), z.grad.tolist()


def copy_broadcast_and_cast(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    w = T.ones(1, dtype=T.float64, requires_grad=True)
    y.copy_(w)
    y.sum().backward()
    return w.grad.tolist(), str(w.grad.dtype)


# saved tensors: what a node keeps decides which in-place changes are errors
def change_input_of_mul_by_number(T):
    x = T.ones(2, requires_grad=True)
    y = x * 1
    z = y * 2
    saved = (z.grad_fn._saved_self, z.grad_fn._saved_other.item())
    y.add_(1)
    z.sum().backward()
    return x.grad.tolist(), saved


def change_graph_input_of_mul_by_constant(T):
    x = T.ones(2, requires_grad=True)
    y = x * 1
    z = y * T.ones(2)
    y.add_(1)
    z.sum().backward()
    return x.grad.tolist()


def change_constant_of_mul(T):
    x = T.ones(2, requires_grad=True)
    y = x * 1
    c = T.ones(2)
    z = c * y
    c.add_(1)
    z.sum().backward()


def change_weight_after_forward(T):
    x = T.ones(2, 3, requires_grad=True)
    w = T.ones(4, 3, requires_grad=True)
    y = x @ w.t()
    with T.no_grad():
        w.add_(1)
    y.sum().backward()


def change_weight_of_linear_after_forward(T):
    x = T.ones(2, 3, requires_grad=True)
    w = T.ones(4, 3, requires_grad=True)
    y = T.nn.functional.linear(x, w, T.zeros(4))
    with T.no_grad():
        w.add_(1)
    y.sum().backward()


def change_weight_when_only_the_weight_needs_grad(T):
    x = T.ones(2, 3)
    w = T.ones(4, 3, requires_grad=True)
    y = T.nn.functional.linear(x, w, T.zeros(4))
    with T.no_grad():
        w.add_(1)
    y.sum().backward()
    return w.grad.sum().item()


def change_base_of_a_saved_view(T):
    x = T.ones(2, 2, requires_grad=True)
    a = x * 1
    b = a.t()
    c = b * b
    a.add_(1)
    c.sum().backward()


def change_through_detach(T):
    x = T.ones(3, requires_grad=True)
    y = x.exp()
    y.detach().zero_()
    y.sum().backward()


def change_through_data(T):
    x = T.ones(3, requires_grad=True)
    y = x.exp()
    y.data.zero_()
    y.sum().backward()
    return x.grad.tolist()


def change_saved_result_through_a_view(T):
    x = T.ones(3, requires_grad=True)
    y = x.sigmoid()
    y.unsqueeze(0).mul_(2)
    y.sum().backward()


CASES = [through_transpose, through_slice, through_element, zero_through_view_of_view,
         nested_views_share_the_base, write_into_a_view, augmented_assignment_on_a_view,
         base_changed_after_the_view, graph_value_into_a_constant_buffer,
         relu_on_a_transposed_slice, view_of_a_leaf, view_of_a_leaf_without_grad,
         expanded_tensor, fill_number, fill_tensor, fill_constant_with_a_graph_value, zero,
         copy, copy_broadcast_and_cast, change_input_of_mul_by_number,
         change_graph_input_of_mul_by_constant, change_constant_of_mul,
         change_weight_after_forward, change_weight_of_linear_after_forward,
         change_weight_when_only_the_weight_needs_grad, change_base_of_a_saved_view,
         change_through_detach, change_through_data, change_saved_result_through_a_view]


def outcome(case, T):
    """What ``case`` gives on framework ``T``: its value, or ("error", type, message)."""
    try:
        return case(T)
    except Exception as exc:  # noqa: BLE001 - the error is the outcome being compared
        return ("error", type(exc).__name__, str(exc))


def random_program(seed):
    """A random mix of ops, views and in-place changes on tensors grown from ``x`` (for
    differential tests against torch): source text to run with ``T`` and ``X`` bound."""
    import random
    rnd = random.Random(seed)

    def pick():
        return f"ts[{rnd.randrange(1000)} % len(ts)]"
    lines = ["x = T.tensor(X, requires_grad=True)", "ts = [x * 1]"]
    for _ in range(rnd.randint(3, 9)):
        t = pick()
        lines.append(rnd.choice([
            f"ts.append({t} * {rnd.choice([2.0, -1.5, 0.5])})",
            f"ts.append({t}.exp())",
            f"ts.append({t}.sin())",
            f"ts.append({t}.t() if {t}.dim() == 2 else {t})",
            f"ts.append({t}[1:] if {t}.dim() and {t}.shape[0] > 1 else {t})",
            f"ts.append({t}[0] if {t}.dim() else {t})",
            f"ts.append({t}.unsqueeze(0))",
            f"{t}.mul_({rnd.choice([2.0, 3.0])})",
            f"{t}.add_({pick()}.sum())",
            f"{t}.zero_() if {t}.dim() else None",
            f"_t = {t}\nif _t.dim():\n    _t[0] = 7.0",
            f"_t = {t}\nif _t.dim() and _t.shape[0] > 1:\n    _t[T.tensor([0])] = {pick()}.sum()",
            f"ts.extend({t}.split(1) if {t}.dim() else [{t}])",
            f"ts.extend({t}.chunk(2, dim=-1) if {t}.dim() else [{t}])",
            f"ts.extend({t}.unbind() if {t}.dim() else [{t}])",
        ]))
    lines += ["loss = sum((t * (j + 1)).sum() for j, t in enumerate(ts))", "loss.backward()"]
    return "\n".join(lines)


def run_program(T, source, X):
    """``("ok", x.grad rounded)`` or ``("error", type, first line)``."""
    env = {"T": T, "X": X}
    try:
        exec(source, env)
    except Exception as exc:  # noqa: BLE001 - the error is the outcome being compared
        return ("error", type(exc).__name__, str(exc).split("\n")[0])
    return ("ok", [[round(float(v), 3) for v in row] for row in env["x"].grad.tolist()])
