"""The app's languages: English, Simplified and Traditional Chinese, chosen by the system locale,
the settings or --lang; gradtrace's and Qt's own translations (QTranslator) installed live."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .model import i18n as model_i18n

#: the languages offered (View > Language, --lang), each in its own script
LANGUAGES = {"en": "English", "zh_CN": "简体中文", "zh_TW": "繁體中文"}

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"

_installed: list[QTranslator] = []
_current: list[str] = []


# Texts of the file dialog Qt draws itself (where the desktop offers none) that Qt's own
# qtbase_zh_*.qm leaves in English; gradtrace's .qm has them, and Qt asks it after qtbase's.
QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "File"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Unknown"),
)

def translations_dir() -> Path:
    """Where gradtrace_*.qm are (the package's resources, else the source tree's)."""
    try:
        from importlib.resources import files
        path = Path(str(files("gradtrace.resources") / "translations"))
        if path.is_dir():
            return path
    except Exception:  # noqa: BLE001 - running from a source tree
        pass
    return TRANSLATIONS_DIR


def system_language(locale: QLocale | None = None) -> str:
    """The offered language closest to `locale` (the system's): zh_TW for Traditional
    Chinese (Taiwan, Hong Kong, Macau or the Hant script), zh_CN for other Chinese, else en.

    >>> system_language(QLocale("zh_HK")), system_language(QLocale("zh_SG")), \
    system_language(QLocale("de_DE"))
    ('zh_TW', 'zh_CN', 'en')
    """
    locale = locale if locale is not None else QLocale.system()
    if locale.language() != QLocale.Language.Chinese:
        return "en"
    if locale.script() == QLocale.Script.TraditionalChineseScript or locale.territory() in (
            QLocale.Country.Taiwan, QLocale.Country.HongKong, QLocale.Country.Macao):
        return "zh_TW"
    return "zh_CN"


def resolve(choice: str | None) -> str:
    """A language code from a setting or `--lang`: "system" (or empty) follows the locale;
    raises ValueError for a language gradtrace has no translation for."""
    if not choice or choice == "system":
        return system_language()
    if choice not in LANGUAGES:
        raise ValueError(f"unknown language {choice!r}: use one of {', '.join(LANGUAGES)}")
    return choice


def current() -> str | None:
    """The language installed last (None before `install`)."""
    return _current[-1] if _current else None


def install(language: str | None) -> str:
    """Translate the app into `language` (see `resolve`) from now on: gradtrace's .qm (for
    English its plural forms), Qt's own qtbase_*.qm for the standard dialogs, the model's
    texts through the same QCoreApplication.translate. Every widget gets LanguageChange
    and re-translates itself. Returns the language code."""
    language = resolve(language)
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install(): create the QApplication first")
    while _installed:
        app.removeTranslator(_installed.pop())
    wanted = [(f"gradtrace_{language}", str(translations_dir()))]
    if language != "en":
        wanted.append((f"qtbase_{language}",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    for name, folder in wanted:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        elif name.startswith("gradtrace_"):
            raise FileNotFoundError(f"{name}.qm is missing in {folder}: run `make translations`")
    QLocale.setDefault(QLocale(language))
    model_i18n.set_hook(QCoreApplication.translate)
    _current[:] = [language]
    return language


def ensure_installed(choice: str | None = None) -> str:
    """`install(choice)` unless a language is installed already; returns the language."""
    return current() or install(choice)
