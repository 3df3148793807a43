"""A RunResult-shaped record of a script, made without the sandboxed runner, so the graph and
playback tests exercise their models alone (the runner has its own tests)."""
import ast
from types import SimpleNamespace

import gradtrace.core as gt
from gradtrace.core.autograd import iter_backward


def run_script(source, torch=gt):
    """A RunResult-shaped record of ``source`` run one statement at a time (no runner needed).

    ``backward()`` is recorded through ``iter_backward`` as the runner does.
    """
    ns, statements, calls, current = {"torch": torch}, [], [], [0]
    original = torch.Tensor.backward

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        steps = list(iter_backward([self], None if gradient is None else [gradient],
                                   retain_graph, create_graph, inputs))
        calls.append(SimpleNamespace(statement_index=current[0], steps=steps))

    torch.Tensor.backward = backward
    try:
        for i, node in enumerate(ast.parse(source).body):
            current[0], before = i, dict(ns)
            exec(compile(ast.Module([node], []), "<script>", "exec"), ns)
            tensors = {k: v for k, v in ns.items()
                       if isinstance(v, torch.Tensor) and before.get(k) is not v}
            statements.append(SimpleNamespace(
                index=i, lineno=node.lineno, end_lineno=node.end_lineno, output="", error=None,
                source=ast.get_source_segment(source, node), tensors=tensors))
    finally:
        torch.Tensor.backward = original
    final = {k: v for k, v in ns.items() if isinstance(v, torch.Tensor)}
    return SimpleNamespace(statements=statements, tensors=final, backward_calls=calls,
                           labels={}, ok=True, error=None, output="")
