"""Chinese text is drawn, never as boxes: the bundled font (resources/fonts) covers every
character of the translations and help pages, and on a machine without a Chinese font (simulated:
fontconfig sees only DejaVu) the app registers it, so two different hanzi draw differently."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont

from gradtrace.gui import fonts

ROOT = Path(__file__).resolve().parents[2]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def test_the_bundled_font_draws_every_chinese_character_the_app_shows(qapp):
    raw = QRawFont(str(fonts.fonts_dir() / fonts.FONT_FILE), 16)
    assert raw.isValid()
    text = "".join(p.read_text(encoding="utf-8") for p in [
        *(ROOT / "resources" / "translations").glob("gradtrace_zh_*.ts"),
        *(ROOT / "resources" / "help" / "zh_CN").glob("*.html"),
        *(ROOT / "resources" / "help" / "zh_TW").glob("*.html")])
    hanzi = sorted(set(re.findall(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]", text)))
    assert len(hanzi) > 500
    missing = [c for c in hanzi if not raw.supportsCharacter(ord(c))]
    assert missing == [], f"not in {fonts.FONT_FILE}: {''.join(missing)}"


def test_the_license_ships_with_the_font():
    folder = fonts.fonts_dir()
    assert "SIL Open Font License" in (folder / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in (folder / "README.md").read_text(encoding="utf-8")


PROBE = r'''
import json, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
from gradtrace.gui import fonts, i18n

def drawn(text):
    label = QLabel(text)
    label.setStyleSheet("QLabel { background: white; color: black; font-size: 20px; }")
    label.resize(160, 40)
    image = label.grab().toImage()
    return bytes(image.constBits())

def differ():
    return drawn("梯度") != drawn("节点") and drawn("葉節點") != drawn("計算圖")

result = {"system": [f for f in fonts.system_chinese_families() if fonts.draws_chinese(f)],
          "before": differ()}
result["family"] = fonts.ensure_chinese_font()
result["after"] = differ()
i18n.install("zh_CN")
from gradtrace.gui.app import MainWindow
w = MainWindow(QSettings(sys.argv[1] + "/s.ini", QSettings.Format.IniFormat))
w.resize(1200, 760)
w.show()
app.processEvents()
w.grab().save(sys.argv[1] + "/zh_CN_no_system_font.png")
title = w.inspector.title
result["ui"] = title.text()
print(json.dumps(result))
'''


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs fonts-dejavu-core for the simulation")
def test_without_a_system_chinese_font_the_bundled_one_draws_the_ui(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path}/fc</cachedir>"
                    f"</fontconfig>\n", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], env=env, text=True,
                         capture_output=True, timeout=240, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["system"] == []          # the simulation: no Chinese font on this "machine"
    assert result["before"] is False       # every hanzi the same missing-glyph box
    assert result["family"] == "Gradtrace CJK Subset"
    assert result["after"] is True         # now drawn, each its own glyph
    assert result["ui"] == "在计算图中选择一个节点"
    assert (tmp_path / "zh_CN_no_system_font.png").stat().st_size > 10_000


def test_with_a_system_chinese_font_nothing_is_registered(qapp):
    if not any(fonts.draws_chinese(f) for f in fonts.system_chinese_families()):
        pytest.skip("this machine has no Chinese font")
    assert fonts.ensure_chinese_font() is None
