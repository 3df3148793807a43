"""``torch.profiler``: ``profile(activities=[ProfilerActivity.CPU])``, ``record_function`` and
``ProfilerActivity``, over ``torch.autograd.profiler`` (CPU time of the engine's ops)."""
import enum

from .autograd import profiler as _autograd_profiler
from .autograd.profiler import record_function

__all__ = ["profile", "record_function", "ProfilerActivity"]


class ProfilerActivity(enum.Enum):
    CPU = 0
    CUDA = 2


class profile(_autograd_profiler.profile):
    """``torch.profiler.profile``: the same recording (``activities`` and ``schedule`` are
    accepted; every activity is timed on the CPU)."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None,
                 record_shapes=False, profile_memory=False, with_stack=False, with_flops=False,
                 with_modules=False, experimental_config=None, execution_trace_observer=None,
                 acc_events=False, use_cuda=None, custom_trace_id_callback=None):
        super().__init__(record_shapes=record_shapes)

    def step(self):
        pass
