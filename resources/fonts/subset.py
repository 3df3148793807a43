"""Make resources/fonts/GradtraceCJK-Regular.otf: Noto Sans CJK SC (OFL 1.1) cut down to the hanzi
gradtrace's Chinese texts use plus the common ones (GB2312 level 1, Big5 level 1), renamed.
Run with fontTools installed: python resources/fonts/subset.py [NotoSansCJK-Regular.ttc]."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"   # Debian: fonts-noto-cjk
FAMILY = "Gradtrace CJK Subset"
OUT = HERE / "GradtraceCJK-Regular.otf"


def common_hanzi() -> set[str]:
    """GB2312 level 1 (3,755 most common Simplified) and Big5 level 1 (5,401 Traditional)."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for code in range(0xA440, 0xC67F):
        try:
            chars.add(code.to_bytes(2, "big").decode("big5"))
        except UnicodeDecodeError:
            pass
    return chars


def used() -> set[str]:
    """Every non-ASCII character of the translations and the Chinese help pages."""
    text = ""
    for path in [*(ROOT / "resources" / "translations").glob("*.ts"),
                 *(ROOT / "resources" / "help").rglob("*.html"), *(ROOT / "gui").rglob("*.py")]:
        text += path.read_text(encoding="utf-8")
    return {c for c in text if ord(c) > 0x7F}


def main(source: str = SOURCE) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    chars = used() | common_hanzi() | set("，。、；：？！（）「」『』“”‘’…—·《》〈〉【】～")
    options = subset.Options()
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # copyright, names, license
    options.layout_features = ["*"]
    options.hinting = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in sorted(chars)])
    sub.subset(font)
    for record in font["name"].names:   # a Modified Version under its own name (OFL 1.1)
        text = record.toUnicode()
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "GradtraceCJKSubset-Regular"
        elif record.nameID == 3:
            record.string = re.sub(r"Noto\S*", "GradtraceCJKSubset", text)
    font.save(OUT)
    print(f"{OUT.name}: {len(chars)} characters, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(*sys.argv[1:])
