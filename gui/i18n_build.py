"""`make translations`: pyside6-lupdate reads every translatable text of gui/ into
resources/translations/*.ts, pyside6-lrelease compiles them into the .qm files the app loads."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
#: gradtrace_en.ts holds only the English plural forms ("1 node", "2 nodes")
LANGUAGES = ("en", "zh_CN", "zh_TW")
#: QT_TRANSLATE_NOOP is imported as N where many texts are marked at once (gui/menus.py);
#: RunControl._run_tr is its tr() (gui/run_control.py says why)
LUPDATE_OPTIONS = ("-locations", "none", "-no-obsolete", "-source-language", "en",
                   "-tr-function-alias", "QT_TRANSLATE_NOOP+=N,tr+=_run_tr")


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease beside this Python (the venv's), else on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (it ships with PySide6-Essentials)")
    return found


def sources(root: Path = ROOT) -> list[str]:
    """The Python files whose texts are translated: gui/ and gui/model/, sorted."""
    return sorted(str(p.relative_to(root)) for p in (root / "gui").rglob("*.py"))


def ts_path(language: str, folder: Path = TS_DIR) -> Path:
    return folder / f"gradtrace_{language}.ts"


def update(folder: Path = TS_DIR, root: Path = ROOT) -> None:
    """Refresh the .ts files in `folder` from the code (kept translations stay)."""
    for language in LANGUAGES:
        extra = ("-pluralonly",) if language == "en" else ()
        subprocess.run([tool("pyside6-lupdate"), *LUPDATE_OPTIONS, *extra,
                        "-target-language", language, *sources(root),
                        "-ts", str(ts_path(language, folder))],
                       cwd=root, check=True, capture_output=True, text=True)


def release(folder: Path = TS_DIR) -> None:
    """Compile each .ts in `folder` into its .qm."""
    for language in LANGUAGES:
        ts = ts_path(language, folder)
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm",
                        str(ts.with_suffix(".qm"))], check=True, capture_output=True, text=True)


def fill(pairs_file: str | Path, folder: Path = TS_DIR) -> dict[str, int]:
    """Write translations from a JSON file into the .ts files (then `update` and `release`
    normalise and compile them): ``{"Context": {"English source": {"zh_CN": "...",
    "zh_TW": "..."}}}``; a numerus source takes a list of forms (and an ``"en"`` entry, its
    English singular and plural for gradtrace_en.ts). Fills every message it names,
    finished or not; returns how many it filled per language. For work on a branch: keep your
    new texts' translations in such a file, and after taking main's .ts files in a rebase,
    `python -m gradtrace.gui.i18n_build fill FILE` puts them back."""
    import json
    import xml.etree.ElementTree as ET

    pairs = json.loads(Path(pairs_file).read_text(encoding="utf-8"))
    filled = {}
    for language in LANGUAGES:
        path = ts_path(language, folder)
        tree = ET.parse(path)
        count = 0
        for context in tree.getroot().iter("context"):
            wanted = pairs.get(context.findtext("name"), {})
            for message in context.iter("message"):
                entry = wanted.get(message.findtext("source"))
                if not entry or language not in entry:
                    continue
                translation = message.find("translation")
                translation.attrib.pop("type", None)
                text = entry[language]
                if message.get("numerus") == "yes":
                    for form in list(translation):
                        translation.remove(form)
                    for value in ([text] if isinstance(text, str) else text):
                        ET.SubElement(translation, "numerusform").text = value
                    translation.text = None
                else:
                    translation.text = text
                count += 1
        tree.write(path, encoding="utf-8", xml_declaration=True)
        filled[language] = count
    return filled


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fill":
        update()
        print(fill(sys.argv[2]))
    elif len(sys.argv) > 1:
        sys.exit("usage: python -m gradtrace.gui.i18n_build [fill PAIRS.json]")
    update()
    release()
