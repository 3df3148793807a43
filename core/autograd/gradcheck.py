"""``torch.autograd.gradcheck`` and ``gradgradcheck``: finite-difference Jacobians against the
engine's backward, with PyTorch's warnings, errors and mismatch report.
"""
import warnings

import numpy as np

from .. import _dtype, grad_mode
from .._creation import zeros_like
from .._device import array_module, to_numpy
from .._engine import grad
from .._random import _rng
from .._tensor import Size, Tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]

FAILED_NONDET_MSG = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


class GradcheckError(RuntimeError):
    """Error raised by ``gradcheck`` and ``gradgradcheck``."""


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _is_float(t):
    return isinstance(t, Tensor) and t.dtype.is_floating_point


def _check_inputs(inputs):
    any_grad = False
    for idx, inp in enumerate(inputs):
        if isinstance(inp, Tensor) and inp.requires_grad:
            if inp.dtype is not _dtype.float64:
                warnings.warn(
                    f"Input #{idx} requires gradient and is not a double precision floating "
                    "point or complex. This check will likely fail if all the inputs are not of "
                    "double precision floating point or complex. ", stacklevel=4)
            d = inp._data
            if not all(st > 0 or sz <= 1 for st, sz in zip(d.strides, d.shape)):
                raise RuntimeError(
                    f"The {idx}th input has a dimension with stride 0. gradcheck only supports "
                    "inputs that are non-overlapping to be able to compute the numerical "
                    "gradients correctly. You should call .contiguous on the input before "
                    "passing it to gradcheck.")
            any_grad = True
    if not any_grad:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")


def _outputs_as_arrays(func, inputs):
    """``func(*inputs)`` as copies of its outputs' arrays (``None`` for non-float outputs)."""
    return tuple(o._data.copy() if _is_float(o) else None for o in _as_tuple(func(*inputs)))


def _check_same(a, b, eps, idx):
    if a.shape != b.shape:
        raise AssertionError(
            f"Expected `func` to return outputs with the same shape when inputs are perturbed "
            f"on index {idx} by {eps}, but got: shapes {_size(a.shape)} and {_size(b.shape)}.")
    if a.dtype != b.dtype:
        raise AssertionError(
            f"Expected `func` to return outputs with the same dtype when inputs are perturbed "
            f"on index {idx} by {eps}, but got: dtypes {_dtype.from_numpy_dtype(a.dtype)} and "
            f"{_dtype.from_numpy_dtype(b.dtype)}.")


def _size(shape):
    return Size(shape)


def _numerical_jacobians(func, inputs, func_out, eps):
    """``[input][output]`` Jacobians (input numel x output numel, the output's dtype) by central
    differences, perturbing each input element in place."""
    outs = _as_tuple(func_out)
    result = []
    for inp in inputs:
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            continue
        data = inp._data
        n = data.size
        cols = [None if not _is_float(o) else
                array_module(o._data).zeros((n, o._data.size), dtype=o._data.dtype)
                for o in outs]
        for k, idx in enumerate(np.ndindex(*data.shape)):
            orig = data[idx].copy()
            data[idx] = orig - eps
            outa = _outputs_as_arrays(func, inputs)
            data[idx] = orig + eps
            outb = _outputs_as_arrays(func, inputs)
            data[idx] = orig
            for j, (a, b) in enumerate(zip(outa, outb)):
                if cols[j] is None:
                    continue
                _check_same(a, b, eps, idx)
                cols[j][k] = ((b - a) / (2 * eps)).reshape(-1)
        result.append(cols)
    return result


def _analytical_jacobian(diff_inputs, output):
    """Rows ``grad(output, inputs, e_j)`` stacked into one Jacobian per input (input numel x
    output numel, the input's dtype); also whether sizes and dtypes were right."""
    jacs = [array_module(t._data).zeros((t._data.size, output._data.size), dtype=t._data.dtype)
            for t in diff_inputs]
    sizes_ok = types_ok = True
    flat = array_module(output._data).zeros(output._data.size, dtype=output._data.dtype)
    for j in range(flat.size):
        flat[:] = 0
        flat[j] = 1
        g_out = Tensor._wrap(flat.reshape(output._data.shape).copy())
        grads = grad(output, diff_inputs, g_out, retain_graph=True, allow_unused=True)
        for i, (d, t) in enumerate(zip(grads, diff_inputs)):
            if d is None:
                continue
            if d.shape != t.shape:
                sizes_ok = False
                continue
            if d.dtype is not t.dtype:
                types_ok = False
            jacs[i][:, j] = d._data.reshape(-1)
    return jacs, sizes_ok, types_ok


def _allclose(a, n, rtol, atol):
    dt = np.promote_types(a.dtype, n.dtype)
    return bool(np.allclose(to_numpy(a).astype(dt), to_numpy(n).astype(dt), rtol=rtol, atol=atol))


def _mismatch(analytical, numerical, out_idx, in_idx):
    return (f"Jacobian mismatch for output {out_idx:d} with respect to input {in_idx:d},\n"
            f"numerical:{Tensor._wrap(numerical)}\nanalytical:{Tensor._wrap(analytical)}\n")


def _check_backward_mul_by_grad_output(outputs, diff_inputs):
    grads = grad(outputs, diff_inputs, [zeros_like(o) for o in outputs], allow_unused=True)
    for gi, di in zip(grads, diff_inputs):
        if gi is None:
            continue
        if bool((gi._data != 0).any()):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype is not di.dtype:
            raise GradcheckError("grad is incorrect type")
        if gi.device != di.device:
            raise GradcheckError("grad is incorrect device")
        if gi.shape != di.shape:
            raise GradcheckError("grad is incorrect size")


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes):
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    func_out = func(*inputs)
    outputs = tuple(o for o in _as_tuple(func_out) if o.requires_grad)
    numerical = _numerical_jacobians(func, inputs, func_out, eps)
    if not outputs:
        for per_input in numerical:
            for jac in per_input:
                if jac is not None and bool((jac != 0).any()):
                    raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    diff_out_idx = [k for k, o in enumerate(_as_tuple(func_out)) if o.requires_grad]
    for i, (o, k) in enumerate(zip(outputs, diff_out_idx)):
        jacs, sizes_ok, types_ok = _analytical_jacobian(diff_inputs, o)
        again, _, _ = _analytical_jacobian(diff_inputs, o)
        if not types_ok and check_grad_dtypes:
            raise GradcheckError("Gradient has dtype mismatch")
        if not sizes_ok:
            raise GradcheckError("Analytical gradient has incorrect size")
        for a, b in zip(jacs, again):
            if a.size and float(abs(a - b).max()) > nondet_tol:
                raise GradcheckError(
                    "Backward is not reentrant, i.e., running backward with same input and "
                    "grad_output multiple times gives different values, although analytical "
                    "gradient matches numerical gradient.The tolerance for nondeterminism was "
                    f"{nondet_tol}." + FAILED_NONDET_MSG)
        for j, a in enumerate(jacs):
            n = numerical[j][k]
            if not _allclose(a, n, rtol, atol):
                raise GradcheckError(_mismatch(a, n, i, j))
    _check_backward_mul_by_grad_output(outputs, diff_inputs)
    return True


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """Check ``func``'s backward against finite differences (PyTorch's slow mode).

    Each input that requires grad is perturbed by ``±eps`` element by element; the numerical
    Jacobian must match the engine's, row by row from ``autograd.grad``, within
    ``allclose(analytical, numerical, rtol, atol)``. Use float64 inputs.

    Parameters
    ----------
    func : callable
        Takes the ``inputs`` and returns a Tensor or a tuple of Tensors.
    inputs : Tensor or tuple
        The arguments of ``func``.
    eps, atol, rtol : float
        Perturbation and tolerances.
    raise_exception : bool
        Raise ``GradcheckError`` on failure (else return ``False``).

    Returns
    -------
    bool
        ``True`` when every Jacobian matches.

    Examples
    --------
    >>> x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    >>> gradcheck(lambda t: (t * t).sin(), (x,))
    True
    """
    if check_forward_ad or check_batched_grad or check_batched_forward_grad:
        raise NotImplementedError("gradtrace: gradcheck has no forward-mode or batched checks")
    if not check_backward_ad:
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad "
                             "to be True")
    try:
        return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """Check second derivatives: ``gradcheck`` of ``autograd.grad(func(*inputs), inputs,
    grad_outputs, create_graph=True)`` with respect to the inputs and the ``grad_outputs``.

    ``grad_outputs`` default to random values in ``[-1, 1)`` (float64 for non-float outputs)
    that require grad, drawn from gradtrace's generator.

    Returns
    -------
    bool
        ``True`` when every Jacobian matches.
    """
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
        grad_outputs = tuple(   # drawn on the host, placed on each output's device
            Tensor._wrap(_rng[0].uniform(-1, 1, tuple(o.shape)).astype(
                o._data.dtype if o.dtype.is_floating_point else np.float64)).to(
                o.device).requires_grad_()
            for o in outs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    diff_idx = {i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad}

    def new_func(*args):
        input_args = args[:-n_out] if n_out else args
        outputs = tuple(o for o in _as_tuple(func(*input_args)) if o.requires_grad)
        diff_inputs = tuple(x for i, x in enumerate(input_args) if i in diff_idx)
        with grad_mode.enable_grad():
            grads = grad(outputs, diff_inputs, args[-n_out:] if n_out else None,
                         create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(new_func, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_grad_dtypes=check_grad_dtypes, check_backward_ad=check_rev_over_rev)
