"""benchmarks/gui.py's write_results: a run rewrites what it measured in RESULTS.md's GUI
section and keeps the rest (the table without --models, the F5 paragraph with --no-f5, the
notes written by hand)."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SECTION = """# Benchmark results

## GUI

`benchmarks/gui.py`: a 1440×880 viewer window, an old intro.
Second line of it.

| graph | nodes |
| --- | ---: |
| mlp | 5004 |

F5 to drawn, a 20005-node script (`SCRIPT_20K`): 1486 ms, an old F5 paragraph.

A note written by hand about the run above.

Before lane speed's work (the batched drawing as it was; an old copy of BEFORE).

## Engines

The next section, untouched.
"""


@pytest.fixture(scope="module")
def bench(qapp):
    spec = importlib.util.spec_from_file_location("gui_bench", ROOT / "benchmarks" / "gui.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row():
    t = {"first_paint": 0.2, "scene": 0.18, "paint": 0.02, "built": 1.0, "gap": 0.05,
         "memory": 100.0}
    pans = {0.0: (0.001, (1.0, 2.0, 3.0), (1.0, 2.0, 3.0))}
    return ("mlp", 20004, 20003, t, pans, (1.0, 2.0, 3.0), 0.1, (10.0, 14.0, 16.0))


F5 = (20005, 1.5, 0.06, 1.3, 0.04, (30.0, 40.0, 50.0), 3)


def test_no_f5_keeps_the_f5_paragraph_and_the_notes(bench, tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(SECTION)
    bench.write_results([_row()], None, path)
    text = path.read_text()
    assert "F5 to drawn, a 20005-node script (`SCRIPT_20K`): 1486 ms, an old F5" in text
    assert "| mlp | 20004 | 20003 | 200 ms" in text and "| mlp | 5004 |" not in text
    assert "A note written by hand about the run above." in text
    assert text.count("Before lane speed's work") == 1 and "an old copy" not in text
    assert text.endswith("## Engines\n\nThe next section, untouched.\n")


def test_f5_alone_keeps_the_table_and_replaces_the_f5_paragraph(bench, tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(SECTION)
    bench.write_results([], F5, path)
    text = path.read_text()
    assert "| mlp | 5004 |" in text and "an old F5 paragraph" not in text
    assert "F5 to drawn, a 20005-node script" in text and ": 1500 ms, of which" in text
    assert "A note written by hand about the run above." in text
    # in their order: intro, table, F5, notes, the lanes' history
    order = [text.index(k) for k in ("`benchmarks/gui.py`: a 1440", "| mlp | 5004 |",
                                     "F5 to drawn", "A note written", "Before lane speed")]
    assert order == sorted(order)
