"""Helpers for the sandbox's language and module tests: run a dedented script through the
runner, and the same script under plain Python, to compare what each prints."""
import contextlib
import io
import textwrap

from gradtrace.gui.model.runner import ScriptRunner


def run(source, **kwargs):
    """``source`` (indented as a test writes it) through the sandboxed runner."""
    return ScriptRunner(**kwargs).run(textwrap.dedent(source))


def python_output(source):
    """What ``source`` prints when plain Python runs it as a main module."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(textwrap.dedent(source), "<plain>", "exec"), {"__name__": "__main__"})
    return out.getvalue()
