"""gui/model/script_text.py: script files are read as Python reads them (PEP 263: BOM, coding
line, else UTF-8); a file that does not decode is a clear error in the CLI and the window."""
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui.app import MainWindow
from gradtrace.gui.model.script_text import (
    ScriptDecodeError,
    declared_encoding,
    decode_script,
    encode_script,
    read_script,
)

LATIN1_DECLARED = "# -*- coding: latin-1 -*-\nimport torch\n# café\nx = torch.ones(2)\n"
LATIN1_UNDECLARED = "import torch\n# café\nx = torch.ones(2)\n".encode("latin-1")


def test_coding_line_is_honoured(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes(LATIN1_DECLARED.encode("latin-1"))
    assert read_script(path) == LATIN1_DECLARED
    # the second line may carry it too, after a shebang; and a UTF-8 BOM is dropped
    assert decode_script(b"#!/usr/bin/env python\n# coding=cp1252\nx = '\x80'\n") == \
        "#!/usr/bin/env python\n# coding=cp1252\nx = '\u20ac'\n"
    assert decode_script(b"\xef\xbb\xbfx = 1\n") == "x = 1\n"
    # a coding comment after code on line 1 is no declaration (as in CPython)
    assert declared_encoding("x = 1  # coding: latin-1\n") is None


def test_undeclared_non_utf8_names_the_file_byte_and_line(tmp_path):
    path = tmp_path / "cafe.py"
    path.write_bytes(LATIN1_UNDECLARED)
    with pytest.raises(ScriptDecodeError) as info:
        read_script(path)
    text = str(info.value)
    assert str(path) in text
    assert "byte 18 (line 2)" in text and LATIN1_UNDECLARED[18] == 0xe9
    assert "0xe9" in text and "coding" in text
    # on the first line too (where tokenize gives up with a bare "invalid or missing ...")
    with pytest.raises(ScriptDecodeError, match=r"byte 5 \(line 1\) is not UTF-8"):
        decode_script(b"# caf\xe9\n", "first.py")


def test_bad_declarations_are_clear_errors():
    with pytest.raises(ScriptDecodeError, match="unknown encoding.*nosuch"):
        decode_script(b"# coding: nosuch\nx = 1\n", "a.py")
    with pytest.raises(ScriptDecodeError, match=r"a.py: byte 18 \(line 2\) is not valid ascii"):
        decode_script(b"# coding: ascii\n# \xff\n", "a.py")


def test_saving_keeps_the_declared_encoding():
    assert encode_script(LATIN1_DECLARED) == LATIN1_DECLARED.encode("latin-1")
    assert encode_script("# caf\u00e9\n") == "# caf\u00e9\n".encode("utf-8")
    with pytest.raises(ScriptDecodeError, match="line 2 holds '\u20ac'"):
        encode_script("# coding: latin-1\nx = '\u20ac'\n", "b.py")


def _render(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "gradtrace.gui", "render", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env)


def test_render_reads_pep263_and_reports_undecodable_files(tmp_path):
    good = tmp_path / "declared.py"
    good.write_bytes(LATIN1_DECLARED.encode("latin-1"))
    proc = _render(good, "-o", tmp_path / "declared.dot")
    assert proc.returncode == 0, proc.stderr
    assert '"x"' in (tmp_path / "declared.dot").read_text()
    bad = tmp_path / "undeclared.py"
    bad.write_bytes(LATIN1_UNDECLARED)
    proc = _render(bad, "-o", tmp_path / "undeclared.dot")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "UnicodeDecodeError" not in proc.stderr
    assert f"{bad}: byte 18 (line 2) is not UTF-8" in proc.stderr


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.ask_save_changes = lambda: None
    return w


def test_open_dialog_reports_an_undecodable_file_and_keeps_the_text(window, tmp_path,
                                                                    monkeypatch):
    from gradtrace.gui import script_files
    bad = tmp_path / "undeclared.py"
    bad.write_bytes(LATIN1_UNDECLARED)
    monkeypatch.setattr(script_files.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(bad), "")))
    shown = []
    window.show_open_failure = shown.append
    before = window.script_panel.text()
    window.open_script_dialog()                      # no exception out of the dialog
    assert len(shown) == 1 and "byte 18 (line 2) is not UTF-8" in shown[0]
    assert window.script_panel.text() == before
    assert str(bad) not in window.settings.recent_files


def test_a_latin1_file_opens_and_saves_back_as_latin1(window, tmp_path):
    path = tmp_path / "latin.py"
    data = LATIN1_DECLARED.encode("latin-1")
    path.write_bytes(data)
    assert window.open_script_file(str(path))
    assert "# café" in window.script_panel.text()
    assert window.write_script(str(path))
    assert path.read_bytes() == data
