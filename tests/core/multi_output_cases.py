"""Ops with several outputs (``split``, ``chunk``, ``unbind``): one node shared by the pieces,
as in PyTorch; programs run on gradtrace and torch alike (``T`` is the framework)."""


def _name(node):
    return None if node is None else type(node).__name__


def _names(node):
    return [_name(n) for n, _ in node.next_functions]


def one_node_for_all_pieces(T):
    y = T.ones(4, 3, requires_grad=True) * 1
    a, b = y.split(2)
    return (_name(a.grad_fn), a.grad_fn is b.grad_fn, a.output_nr, b.output_nr, a._is_view(),
            a._base is y, _names(a.grad_fn))


def node_names(T):
    y = T.ones(4, 3, requires_grad=True) * 1
    return (_name(y.split([1, 3])[1].grad_fn), _name(y.chunk(2)[0].grad_fn),
            _name(y.unbind()[2].grad_fn), y.unbind()[2].output_nr, _name(y.unbind(1)[1].grad_fn))


def gradient_of_some_pieces(T):
    x = T.ones(5, 2, requires_grad=True)
    a, b, c = (x * 1).split([1, 3, 1])
    (a.sum() * 2 + c.sum() * 3).backward()
    return x.grad.tolist()


def unbind_gradient(T):
    z = T.arange(6.0).reshape(3, 2).requires_grad_()
    u = z.unbind(1)
    (u[0] * 2 + u[1].exp()).sum().backward()
    return [[round(v, 4) for v in row] for row in z.grad.tolist()]


def chunk_qkv(T):
    x = T.arange(12.0).reshape(2, 6).requires_grad_()
    q, k, v = x.chunk(3, dim=1)
    out = (q @ k.t()).softmax(-1) @ v
    out.sum().backward()
    return [[round(v, 4) for v in row] for row in x.grad.tolist()], _names(out.grad_fn)


def hooks_and_retain_grad_per_piece(T):
    w = T.ones(5, requires_grad=True)
    p, q = (w * 1).split([2, 3])
    q.register_hook(lambda g: g * 10)
    p.retain_grad()
    (p.sum() + q.sum() * 2).backward()
    return w.grad.tolist(), p.grad.tolist(), q.retains_grad


def grad_of_a_piece_after_backward(T):
    x = T.ones(4, 3, requires_grad=True)
    y = x * 1
    e, f = y.split(2)
    (e.sum() * 2).backward()
    e2, f2 = y.split(2)
    return T.autograd.grad((f2 * 3).sum(), f2)[0].tolist(), x.grad.sum().item()


def piece_in_place_refused(T):
    a, b = (T.ones(4, requires_grad=True) * 1).split(2)
    a.mul_(2)


def view_of_piece_in_place_refused(T):
    pieces = (T.ones(5, requires_grad=True) * 1).chunk(2)
    pieces[0][0] = 3.0


def piece_in_place_without_a_graph(T):
    c, d = T.ones(4).split(2)
    c.mul_(2)
    x = T.ones(4, requires_grad=True)
    e, f = (x * 1).split(2)
    with T.no_grad():
        e.mul_(3)
    return c.tolist(), e.tolist()


def pieces_share_the_input_memory(T):
    y = T.zeros(4)
    a, b = y.split(2)
    y.add_(1)
    return a.tolist(), a._version, b._version


def backward_steps_of_split(T):
    x = T.ones(4, requires_grad=True)
    a, b = (x * 2).split(2)
    loss = (a * b).sum()
    return [_name(n) for n in _walk(loss.grad_fn)]


def _walk(node, seen=None):
    seen = set() if seen is None else seen
    out = []
    if node is None or id(node) in seen:
        return out
    seen.add(id(node))
    out.append(node)
    for n, _ in node.next_functions:
        out.extend(_walk(n, seen))
    return out


CASES = [one_node_for_all_pieces, node_names, gradient_of_some_pieces, unbind_gradient,
         chunk_qkv, hooks_and_retain_grad_per_piece, grad_of_a_piece_after_backward,
         piece_in_place_refused, view_of_piece_in_place_refused, piece_in_place_without_a_graph,
         pieces_share_the_input_memory, backward_steps_of_split]
