"""``torch.autograd``: ``backward``, ``grad``, and gradtrace's ``iter_backward``/``iter_grad``
(the same passes as generators of ``BackwardStep`` records), with PyTorch's submodules:
``graph`` (``Node``, hook handles), ``function`` (``Function``), ``gradcheck``, ``grad_mode``,
``anomaly_mode``. The engine itself is ``gradtrace.core._engine``.
"""
from .._engine import BackwardStep, backward, grad, iter_backward, iter_grad
from .._graph import Node, RemovableHandle
from . import anomaly_mode, forward_ad, function, functional, grad_mode, graph, profiler  # noqa: F401  (torch.autograd.graph, ...)
from .anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function, FunctionCtx, once_differentiable
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .variable import Variable

__all__ = ["iter_backward", "iter_grad", "BackwardStep", "backward", "grad", "RemovableHandle", "Node",
           "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "Function",
           "FunctionCtx", "once_differentiable", "gradcheck", "gradgradcheck", "GradcheckError",
           "Variable"]
