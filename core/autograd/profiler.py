"""``torch.autograd.profiler``: ``profile`` (a context manager recording every op the engine runs
forward, as ``aten::<op>``, with its CPU time), ``record_function`` (a named range around user
code), and ``key_averages().table()`` in PyTorch's layout.

>>> import gradtrace.core as torch
>>> with profile() as prof:
...     y = (torch.ones(2) * 3).sum()
>>> [e.key for e in prof.key_averages()]
['aten::mul', 'aten::sum']
"""
import time

from ..derivatives import OPS

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]

# the engine's op names that differ from ATen's
_ATEN = {"div_scalar": "div", "pow_tensor": "pow", "rpow": "pow", "sum_dim": "sum",
         "mean_dim": "mean", "prod_dim": "prod", "max_dim": "max", "min_dim": "min",
         "squeeze_dim": "squeeze", "squeeze_dims": "squeeze", "squeeze4": "squeeze",
         "norm": "linalg_vector_norm", "unsafe_view": "_unsafe_view",
         "reshape_alias": "_reshape_alias", "log_softmax": "_log_softmax", "softmax": "_softmax",
         "batch_norm": "native_batch_norm", "layer_norm": "native_layer_norm",
         "max_pool2d": "max_pool2d_with_indices", "nll_loss": "nll_loss_forward",
         "bce_with_logits": "binary_cross_entropy_with_logits", "clamp_tensor": "clamp",
         "linalg_inv": "linalg_inv_ex", "linalg_solve": "linalg_solve_ex",
         "to_device": "_to_copy", "to_copy": "_to_copy", "index": "index",
         "copy": "copy_", "fill": "fill_", "fill_tensor": "fill_", "zero": "zero_",
         "unique": "_unique2", "diag_embed": "diag_embed", "diag_copy": "diagonal",
         "round_decimals": "round", "split_with_sizes": "split_with_sizes"}

_active: list = []   # the profiles recording now (innermost last)


class FunctionEvent:
    """One recorded op or range: ``name``, start and end (µs), the events inside it."""

    def __init__(self, name, start_us, parent=None):
        self.name, self.key = name, name
        self.start_us, self.end_us = start_us, start_us
        self.cpu_parent, self.cpu_children = parent, []

    @property
    def cpu_time_total(self):
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self):
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    count = 1


class FunctionEventAvg:
    """The events of one name together: ``count``, total and self CPU time (µs)."""

    def __init__(self, key):
        self.key, self.count = key, 0
        self.cpu_time_total = self.self_cpu_time_total = 0.0

    def add(self, event):
        self.count += 1
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self):
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={_time(self.self_cpu_time_total)}"
                f" cpu_time={_time(self.cpu_time)} input_shapes=>")


class EventList(list):
    """A list of events with PyTorch's ``table()`` and ``key_averages()``."""

    def key_averages(self):
        out = {}
        for e in self:
            out.setdefault(e.key, FunctionEventAvg(e.key)).add(e)
        return EventList(out.values())

    @property
    def self_cpu_time_total(self):
        return sum(e.self_cpu_time_total for e in self)

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75,
              max_name_column_width=55, max_shapes_column_width=80, header=None,
              top_level_events_only=False, time_unit=None):
        """The events as PyTorch prints them: name, self CPU %, self CPU, CPU total %, CPU
        total, CPU time avg, # of calls; ``sort_by`` an attribute such as
        ``"self_cpu_time_total"`` or ``"cpu_time_total"``."""
        events = list(self)
        if sort_by is not None:
            events.sort(key=lambda e: getattr(e, sort_by), reverse=True)
        if not events:
            return ""
        width = min(max(len(e.key) for e in events) + 4, max_name_column_width)
        widths = [width] + [12] * 6
        fmt = "".join("{: >" + str(w) + "}  " for w in widths)
        sep = "".join("-" * w + "  " for w in widths)
        total = sum(e.self_cpu_time_total for e in self)
        lines = [sep, fmt.format("Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total",
                                 "CPU time avg", "# of Calls"), sep]
        for e in events[:row_limit] if row_limit > 0 else events:
            name = e.key if len(e.key) < width - 3 else e.key[:width - 3] + "..."
            lines.append(fmt.format(name, _share(e.self_cpu_time_total, total),
                                    _time(e.self_cpu_time_total),
                                    _share(e.cpu_time_total, total), _time(e.cpu_time_total),
                                    _time(e.cpu_time_total / max(e.count, 1)), e.count))
        lines.append(sep)
        lines.append(f"Self CPU time total: {_time(total)}")
        return "\n".join(lines) + "\n"

    def __str__(self):
        return self.table()


def _time(us):
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _share(us, total):
    return "NaN" if total == 0 else f"{us * 100.0 / total:.2f}%"


def _now_us():
    return time.perf_counter() * 1e6


def _timed(op_name, forward):
    name = "aten::" + _ATEN.get(op_name, op_name)

    def run(*args, **kw):
        prof = _active[-1] if _active else None
        if prof is None:
            return forward(*args, **kw)
        event = prof._begin(name)
        try:
            return forward(*args, **kw)
        finally:
            prof._end(event)
    run.__wrapped__ = forward
    return run


class profile:
    """Record the ops run inside ``with profile() as prof:`` (forward computations, by their
    ATen names, and ``record_function`` ranges), for ``prof.key_averages().table()``.

    CPU time only: ``use_cuda``/``use_device`` are accepted and record nothing more.
    """

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False,
                 with_flops=False, profile_memory=False, with_stack=False, with_modules=False,
                 use_kineto=True, use_cpu=True, experimental_config=None, acc_events=False,
                 custom_trace_id_callback=None):
        self.enabled = enabled
        self.record_shapes = record_shapes
        self._events, self._stack, self._saved = EventList(), [], None
        self.function_events = None

    def __enter__(self):
        if not self.enabled:
            return self
        if not _active:   # the first profile wraps every op's forward
            self._saved = {name: op.forward for name, op in OPS.items()}
            for name, op in OPS.items():
                if op.forward is not None:
                    op.forward = _timed(name, op.forward)
        _active.append(self)
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return False
        _active.remove(self)
        if self._saved is not None:
            for name, forward in self._saved.items():
                OPS[name].forward = forward
            self._saved = None
        self.function_events = self._events
        return False

    def _begin(self, name):
        parent = self._stack[-1] if self._stack else None
        event = FunctionEvent(name, _now_us(), parent)
        if parent is not None:
            parent.cpu_children.append(event)
        self._events.append(event)
        self._stack.append(event)
        return event

    def _end(self, event):
        event.end_us = _now_us()
        if self._stack and self._stack[-1] is event:
            self._stack.pop()

    def events(self):
        return self._events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0):
        return self._events.key_averages()

    def table(self, *args, **kwargs):
        return self._events.table(*args, **kwargs)

    @property
    def self_cpu_time_total(self):
        return self._events.self_cpu_time_total

    def __str__(self):
        return self.table()


class record_function:
    """A named range in the profile: ``with record_function("my_block"): ...``."""

    def __init__(self, name, args=None):
        self.name = name
        self._event = None

    def __enter__(self):
        if _active:
            self._event = _active[-1]._begin(self.name)
        return self

    def __exit__(self, *exc):
        if self._event is not None:
            _active[-1]._end(self._event) if _active else None
            self._event = None
        return False
