"""benchmarks/RESULTS.md, one "## Heading" section per benchmark script: read one section's
body, or replace (or add) one section and keep the others as they are."""
from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _split(text: str, heading: str) -> tuple[str, str | None, str]:
    """(text before the section, its body or None when absent, text after it)."""
    head, sep, rest = text.partition(heading + "\n")
    if not sep:
        return text, None, ""
    nxt = rest.find("\n## ")
    return (head, rest[:nxt + 1], rest[nxt + 1:]) if nxt >= 0 else (head, rest, "")


def read_section(heading: str, path: Path = RESULTS) -> str:
    """The body of section ``heading`` ("" when the file or the section is missing)."""
    if not path.exists():
        return ""
    return _split(path.read_text(), heading)[1] or ""


def replace_section(heading: str, section: str, path: Path = RESULTS) -> None:
    """Write ``section`` (which starts with ``heading``) in place of that section, or append it."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    head, body, tail = _split(text, heading)
    if body is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        text = head + section + ("\n" + tail if tail else "")
    path.write_text(text)
