"""The shape and indexing rules: views (view, permute, select, slice, ...), indexing and
``index_put``, cat/stack/split, the in-place-on-a-view node (``CopySlices``), tril/triu, flip,
roll, repeat, and the ops that pick elements (sort, topk, gather, scatter_add).
"""
import numpy as np

from .arrays import ArrayMath, _xp, array_math, scatter_add_array
from .registry import OPS, defop

# ---------------------------------------------------------------- views
for _name, _node in (("view", "ViewBackward0"), ("unsafe_view", "UnsafeViewBackward0"),
                     ("reshape_alias", "ReshapeAliasBackward0")):
    defop(_name, _node, lambda a, shape, in_shape: a.reshape(shape),
          (lambda m, g, shape, in_shape: m.reshape(g, in_shape),))
# squeeze's gradient is unsqueezed back, one dim at a time, and unsqueeze's squeezed, as
# PyTorch's rules do (so a double backward records UnsqueezeBackward0 / SqueezeBackward1)
for _name, _node in (("squeeze", "SqueezeBackward0"), ("squeeze_dim", "SqueezeBackward1"),
                     ("squeeze_dims", "SqueezeBackward2"), ("squeeze4", "SqueezeBackward4")):
    defop(_name, _node, lambda a, shape, in_shape: a.reshape(shape),
          (lambda m, g, shape, in_shape: _unsqueeze_back(m, g, shape, in_shape),))
defop("unsqueeze", "UnsqueezeBackward0", lambda a, shape, in_shape: a.reshape(shape),
      (lambda m, g, shape, in_shape: _squeeze_back(m, g, shape, in_shape),))
defop("permute", "PermuteBackward0", lambda a, dims: a.transpose(dims),
      (lambda m, g, dims: m.permute(g, tuple(np.argsort(dims))),))
defop("transpose", "TransposeBackward0", lambda a, dim0, dim1: a.swapaxes(dim0, dim1),
      (lambda m, g, dim0, dim1: m.swapaxes(g, dim0, dim1),))
defop("t", "TBackward0", lambda a: a.T, (lambda m, g: m.permute(g, tuple(range(g.ndim))[::-1]),))
defop("expand", "ExpandBackward0", lambda a, shape: _xp(a).broadcast_to(a, shape),
      (lambda m, g, shape: g,))  # the engine's sum_to undoes the broadcast
defop("select", "SelectBackward0", lambda a, idx, in_shape: a[_as_view_index(idx)],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("slice", "SliceBackward0", lambda a, idx, in_shape: a[idx],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("index", "IndexBackward0", lambda a, idx, in_shape: a[idx],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("index_grad", "IndexBackwardBackward0", lambda g, shape, idx: _index_grad_fwd(g, shape, idx),
      (lambda m, gg, shape, idx: m.index(gg, idx),))
# the view's node the same way)
defop("as_strided", "AsStridedBackward0", lambda a, idx, in_shape: a[idx],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))

# ---------------------------------------------------------------- joining and splitting
defop("cat", "CatBackward0", lambda *arrays, dim, sizes: _xp(arrays[0]).concatenate(arrays, axis=dim),
      lambda m, g, i, dim, sizes: m.index(
          g, (slice(None),) * dim + (slice(sum(sizes[:i]), sum(sizes[:i + 1])),)))
defop("stack", "StackBackward0", lambda *arrays, dim: _xp(arrays[0]).stack(arrays, axis=dim),
      lambda m, g, i, dim: m.index(g, (slice(None),) * dim + (i,)))
# several outputs (see _graph.apply_multi; never run through apply): the pieces' gradients
# joined back, zeros for pieces that got none
for _name, _node in (("split", "SplitBackward0"), ("split_with_sizes", "SplitWithSizesBackward0"),
                     ("unbind", "UnbindBackward0")):
    defop(_name, _node, None,
          (lambda m, grads, dim, sections, shape, outputs: _join_grads(m, grads, dim, sections,
                                                                       shape),))

# ---------------------------------------------------------------- writes through indices and views
defop("index_put", "IndexPutBackward0", lambda a, v, idx, mask: _index_put(a, v, idx),
      (lambda m, g, idx, mask: m.where(m.const(mask), 0.0, g),
       lambda m, g, idx, mask: m.index(g, idx)))
# An in-place op on a view, recorded on the base (made by _indexing._inplace_on_view, never
# run forward): edge 0 is the base's old node, the others the inner op's other inputs.
defop("copy_slices", "CopySlices", None,
      lambda m, g, i, idx, mask, inner: _copy_slices_grad(m, g, i, idx, mask, inner))

# ---------------------------------------------------------------- triangles, flips, repeats
defop("tril", "TrilBackward0", lambda a, diagonal: _xp(a).tril(a, diagonal),
      (lambda m, g, diagonal: m.tril(g, diagonal),))
defop("triu", "TriuBackward0", lambda a, diagonal: _xp(a).triu(a, diagonal),
      (lambda m, g, diagonal: m.triu(g, diagonal),))
defop("flip", "FlipBackward0", lambda a, dims: _xp(a).flip(a, dims),
      (lambda m, g, dims: m.flip(g, dims),))
defop("roll", "RollBackward0", lambda a, shifts, dims: _xp(a).roll(a, shifts, dims),
      (lambda m, g, shifts, dims: m.roll(g, _negate(shifts), dims),))
defop("repeat", "RepeatBackward0", lambda a, repeats: _xp(a).tile(a, repeats),
      (lambda m, g, repeats: _repeat_grad(m, g, repeats),))

# ---------------------------------------------------------------- picking elements
# sorting picks elements: its gradient goes back to where they came from, as gather's does
defop("sort", "SortBackward0", lambda a, dim, index, shape: _xp(a).take_along_axis(a, index, dim),
      (lambda m, g, dim, index, shape: m.scatter_add(g, index, dim, shape),))
defop("topk", "TopkBackward0", lambda a, dim, index, shape: _xp(a).take_along_axis(a, index, dim),
      (lambda m, g, dim, index, shape: m.scatter_add(g, index, dim, shape),))
defop("gather", "GatherBackward0",
      lambda a, dim, index, shape: _xp(a).take_along_axis(a, index, dim),
      (lambda m, g, dim, index, shape: m.scatter_add(g, index, dim, shape),))
defop("scatter_add", "ScatterAddBackward0",
      lambda g, index, dim, shape: scatter_add_array(g, index, dim, shape),
      (lambda m, gg, index, dim, shape: m.gather(gg, index, dim),))


# ---------------------------------------------------------------- helpers for the table
def _join_grads(m, grads, dim, sections, shape):
    """The input's gradient from its pieces' (``sections`` along ``dim``, or for ``unbind``
    (None) one slice per index): concatenated (stacked), zeros where a piece got none."""
    like = next(g for g in grads if g is not None)
    parts = []
    for i, g in enumerate(grads):
        if g is None:
            n = 1 if sections is None else sections[i]
            piece = tuple(shape[:dim]) + ((n,) if sections is not None else ()) + tuple(shape[dim + 1:])
            g = m.zeros(piece, like)
        parts.append(g)
    return m.stack(parts, dim) if sections is None else m.cat(parts, dim)


def _index_put(a, v, idx):
    out = a.copy()
    out[idx] = v
    return out


def _copy_slices_grad(m, g, i, idx, mask, inner):
    """PyTorch's ``CopySlices``: the inner node (the in-place op on the view) runs on the view's
    region of the gradient; the base gets the gradient with that region replaced by what the
    inner node gives the view, every other input what the inner node gives it."""
    create_graph = not isinstance(m, ArrayMath)
    # the inner node unpacks (and checks) its own saved values; PyTorch's error once freed
    saved = inner._saved_values(create_graph)
    rule = inner._op.vjp(i)
    region = m.index(g, idx)
    gi = rule(m, region, *saved, **inner._kw) if inner._kw else rule(m, region, *saved)
    if i:
        return gi
    kept = m.where(m.const(mask), 0.0, g)
    if gi is None:
        return kept
    if tuple(gi.shape) != tuple(inner._shapes[0]):
        gi = m.sum_to(gi, inner._shapes[0])
    return kept + m.index_grad(gi, g.shape, idx)


def _as_view_index(idx):
    """``idx`` with a trailing ``...``: numpy then returns a 0-d view where a bare integer
    index would give a scalar copy (``a[0]`` of a vector must stay a view of ``a``)."""
    return (idx + (Ellipsis,)) if isinstance(idx, tuple) else (idx, Ellipsis)


def _index_grad_fwd(g, shape, idx):
    return array_math(g).index_grad(g, shape, idx)


def _negate(shifts):
    return tuple(-s for s in shifts) if isinstance(shifts, tuple) else -shifts


def _removed_dims(longer, shorter):
    """The dims of ``longer`` (sizes 1) that are not in ``shorter``, ascending."""
    removed, j = [], 0
    for i, n in enumerate(longer):
        if j < len(shorter) and shorter[j] == n:
            j += 1
        else:   # a squeezed dim (where either of two equal 1s could be, the result is the same)
            removed.append(i)
    return removed


def _unsqueeze_back(m, g, shape, in_shape):
    """A squeeze's gradient (of ``shape``) back to ``in_shape``: one ``unsqueeze`` per removed
    dim, ascending (PyTorch's ``unsqueeze_to`` / ``unsqueeze_multiple``)."""
    cur = tuple(shape)
    for d in _removed_dims(tuple(in_shape), cur):
        nxt = cur[:d] + (1,) + cur[d:]
        g = m.op("unsqueeze", (g,), {"shape": nxt, "in_shape": cur})
        cur = nxt
    return g


def _squeeze_back(m, g, shape, in_shape):
    """An unsqueeze's gradient (of ``shape``) back to ``in_shape``: ``squeeze(dim)``, as PyTorch
    records it (``SqueezeBackward1``)."""
    if len(shape) != len(in_shape) + 1:
        return m.reshape(g, in_shape)
    return m.op("squeeze_dim", (g,), {"shape": tuple(in_shape), "in_shape": tuple(shape)})


def _repeat_grad(m, g, repeats):
    """Sum the tiled copies back: view ``g`` as (r0, s0, r1, s1, ...) and sum over the r's
    (dimensions ``repeat`` added in front come back as size 1; the engine sums them away)."""
    split = []
    for n, r in zip(tuple(g.shape), repeats):
        split += [r, n // r]
    return m.sum(m.reshape(g, tuple(split)), tuple(range(0, 2 * len(repeats), 2)))


# in-place forms of the view ops (x.t_(), x.unsqueeze_(0), x.squeeze_(), ...): the same
# rules under PyTorch's node names for them (not view ops: the tensor itself becomes the view)
for _name, _src, _node in (("t1", "t", "TBackward1"), ("transpose1", "transpose", "TransposeBackward1"),
                           ("unsqueeze1", "unsqueeze", "UnsqueezeBackward1"),
                           ("squeeze3", "squeeze", "SqueezeBackward3"),
                           ("squeeze4_", "squeeze_dim", "SqueezeBackward4"),
                           ("squeeze5", "squeeze_dims", "SqueezeBackward5")):
    defop(_name, _node, OPS[_src].forward, OPS[_src].vjps)
