"""``torch.autograd.grad_mode``: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``; defined in ``gradtrace.core.grad_mode``, below the graph that reads them.
"""
from ..grad_mode import (
                         enable_grad,
                         inference_mode,
                         is_grad_enabled,
                         is_inference_mode_enabled,
                         no_grad,
                         set_grad_enabled,
)

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled"]
