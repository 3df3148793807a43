"""The one table of derivative rules, as PyTorch's ``derivatives.yaml``: the registry
(``registry``: ``OpDef``, ``defop``, ``OPS``) and its tables, split by meaning.

``pointwise``, ``reductions``, ``shape`` (shape and indexing), ``linalg``, ``nn`` and ``conv``
(convolution, pooling, batch norm) each
register their ops on import; ``arrays`` holds ``ArrayMath``, the math the rules use over plain arrays. This
layer sits on the array backend (``_device``, ``_dtype``) only: it never imports the graph.
"""
from . import conv, linalg, matrix, nn, pointwise, reductions, shape, trig  # noqa: F401  (they fill OPS)
from .arrays import ArrayMath, array_math
from .linalg import mat2_kw
from .registry import MULTI_OUTPUT_OPS, OPS, VIEW_OPS, OpDef, defop

__all__ = ["OpDef", "OPS", "defop", "ArrayMath", "array_math", "mat2_kw", "VIEW_OPS",
           "MULTI_OUTPUT_OPS"]
