"""Chinese text never drawn as boxes: when no installed font draws hanzi, the app registers the
OFL-licensed subset shipped in resources/fonts (Noto Sans CJK SC, cut down) as the fallback."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QRawFont

FONTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
FONT_FILE = "GradtraceCJK-Regular.otf"
#: characters a font must draw to count as a Chinese one: both scripts' standard terms
SAMPLE = "计算图叶子节点梯度反向传播計算圖葉節點傳播"

_registered: list[str] = []


def fonts_dir() -> Path:
    """Where the bundled font is (the package's resources, else the source tree's)."""
    try:
        from importlib.resources import files
        path = Path(str(files("gradtrace.resources") / "fonts"))
        if path.is_dir():
            return path
    except Exception:  # noqa: BLE001 - running from a source tree
        pass
    return FONTS_DIR


def draws_chinese(family: str) -> bool:
    """Whether `family` itself (no fallback) has a glyph for every character of SAMPLE."""
    raw = QRawFont.fromFont(QFont(family), QFontDatabase.WritingSystem.SimplifiedChinese)
    return raw.isValid() and all(raw.supportsCharacter(ord(c)) for c in SAMPLE)


def system_chinese_families() -> list[str]:
    """The installed families Qt lists for Simplified or Traditional Chinese."""
    ws = QFontDatabase.WritingSystem
    found = QFontDatabase.families(ws.SimplifiedChinese) + QFontDatabase.families(
        ws.TraditionalChinese)
    return [f for f in dict.fromkeys(found) if f not in _registered]


def ensure_chinese_font(families: Iterable[str] | None = None) -> str | None:
    """Register the bundled font as the fallback for Han text when none of `families` (the
    system's Chinese families) draws Chinese; returns its family, or None when the system
    has one (nothing to do). Call once a QGuiApplication exists."""
    candidates = system_chinese_families() if families is None else list(families)
    if any(draws_chinese(f) for f in candidates):
        return None
    if _registered:
        return _registered[0]
    font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / FONT_FILE))
    if font_id < 0:
        raise FileNotFoundError(f"the bundled Chinese font {FONT_FILE} could not be loaded "
                                f"from {fonts_dir()}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    _registered.append(family)
    # a fallback after each family the app draws with, for the characters they lack
    app_font = QGuiApplication.font()
    for base in dict.fromkeys([app_font.family(), QFont().defaultFamily(), "Sans Serif",
                               "monospace", "DejaVu Sans", "DejaVu Sans Mono"]):
        QFont.insertSubstitution(base, family)
    app_font.setFamilies([*app_font.families(), family])
    QGuiApplication.setFont(app_font)
    return family
