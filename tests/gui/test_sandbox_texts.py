"""The messages gradtrace itself writes from the sandbox, the budgets and the runner (refusals,
budget exceeded, limits) in the user's language, chosen when the error is shown (a language
switch shows it again translated); Python's and PyTorch's own texts stay as they wrote them."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gradtrace.gui.model import i18n as model_i18n
from gradtrace.gui.model.runner import ScriptRunner
from tests.gui.test_i18n_strings import _words

MODEL = Path(__file__).resolve().parents[2] / "gui" / "model"
FILES = sorted([*MODEL.glob("sandbox*.py"), MODEL / "limits.py", MODEL / "runner.py"])
#: calls whose text argument becomes a script's error message
RAISERS = {"exceeded", "_refused", "refusal", "error", "_refuse", "AccessRefused",
           "BudgetExceeded", "TypeError", "ValueError", "RuntimeError", "EOFError",
           "AttributeError", "ScriptError"}
#: Python's own messages, as Python writes them (a script's `except` may test for them)
PYTHONS = {"cannot pickle 'module' object", "data must be a Tensor, not ",
           "EOF when reading a line (scripts have no console input)", "super(): no arguments",
           "module '' has no attribute ''", "type object '' has no attribute ''",
           "'' object has no attribute ''", "(): attribute name must be string, not ''",
           "too many dimensions", "SyntaxError: from __future__ imports must occur at the "
           "beginning of the file", "SyntaxError: future feature  is not defined",
           "SyntaxError: ",
           # RestrictedPython's wording, as its other refusals of private names read (the
           # policy's error() translates it as theirs: gui/model/sandbox_restricted.py)
           '"" is an invalid attribute name because it starts with "_".'}


def _untranslated_raises(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in RAISERS:
            continue
        for arg in node.args[:1] if name == "ScriptError" else node.args:
            for text in _words(arg):
                plain = text if isinstance(arg, ast.Constant) else "".join(
                    v.value for v in arg.values if isinstance(v, ast.Constant)) \
                    if isinstance(arg, ast.JoinedStr) else text
                if plain not in PYTHONS:
                    found.append(f"{path.name}:{node.lineno}: {text!r}")
    return found


def test_every_message_the_sandbox_writes_is_translatable():
    found = [hit for path in FILES for hit in _untranslated_raises(path)]
    assert found == [], "wrap these in translate(context, text):\n" + "\n".join(found)


def test_the_scan_finds_an_unwrapped_message(tmp_path):
    path = tmp_path / "x.py"
    path.write_text('raise TypeError(f"{name}() is not available in scripts")\n'
                    'raise self.exceeded("too big")\n'
                    'raise refusal(TypeError, translate("Sandbox", "fine"))\n'
                    'raise TypeError("cannot pickle \'module\' object")\n')
    assert [hit.split(": ", 1)[0] for hit in _untranslated_raises(path)] == ["x.py:1", "x.py:2"]


SCRIPTS = {
    "budget": ("while True:\n    pass\n",
               {"en": "time budget of 1 s exceeded", "zh_CN": "超出了 1 秒的时间预算",
                "zh_TW": "超出了 1 秒的時間預算"}),
    "elements": ("import torch\nx = torch.ones(100, 100)\n",
                 {"en": "ones(...) would hold 10,000 elements, more than the limit of 1,000",
                  "zh_CN": "ones(...) 将含有 10,000 个元素，超过了 1,000 个的上限",
                  "zh_TW": "ones(...) 將含有 10,000 個元素，超過了 1,000 個的上限"}),
    "noun": ("x = [0] * 2000\n",
             {"en": "a repeated sequence would hold 2,000 elements",
              "zh_CN": "重复得到的序列 将含有 2,000 个元素", "zh_TW": "重複得到的序列 將含有 2,000 個元素"}),
    "memory": ("x = [str(i) * 100 for i in range(300_000)]\n",
               {"en": "memory limit of 16 MB for a run exceeded", "zh_CN": "超出了每次运行 16 MB 的内存上限",
                "zh_TW": "超出了每次執行 16 MB 的記憶體上限"}),
    "import": ("import os\n", {"en": "import of 'os' is not allowed",
                               "zh_CN": "不允许导入 'os'", "zh_TW": "不允許匯入 'os'"}),
    "attribute": ("import torch\nx = torch.ones(1)\ny = x._version\n",
                  {"en": "attribute '_version' of Tensor objects is not available",
                   "zh_CN": "不能使用 Tensor 对象的属性 '_version'",
                   "zh_TW": "不能使用 Tensor 物件的屬性 '_version'"}),
    # RestrictedPython's own refusals, their names kept (gui/model/sandbox_restricted.py)
    "dunder": ("x = (1).__class__\n",
               {"en": '"__class__" is an invalid attribute name because it starts with "_".',
                "zh_CN": '"__class__" 是无效的属性名，因为它以 "_" 开头。',
                "zh_TW": '"__class__" 是無效的屬性名稱，因為它以 "_" 開頭。'}),
    "reserved": ("printed = 2\n", {"en": '"printed" is a reserved name.',
                                  "zh_CN": '"printed" 是保留名称。', "zh_TW": '"printed" 是保留名稱。'}),
    "star": ("from math import *\n", {"en": '"*" imports are not allowed.',
                                     "zh_CN": '不允许 "*" 导入。', "zh_TW": '不允許 "*" 匯入。'}),
    "inspect": ("x = [1]\ny = x.gi_frame\n",
                {"en": '"gi_frame" is a restricted name, that is forbidden to access in '
                       "RestrictedPython.",
                 "zh_CN": '"gi_frame" 是受限名称，RestrictedPython 禁止访问它。',
                 "zh_TW": '"gi_frame" 是受限名稱，RestrictedPython 禁止存取它。'}),
    "trystar": ("try:\n    pass\nexcept* ValueError:\n    pass\n",
                {"en": "TryStar statements are not allowed.", "zh_CN": "不允许 TryStar 语句。",
                 "zh_TW": "不允許 TryStar 語句。"}),
    "metaclass": ("class A(metaclass=type):\n    pass\n",
                  {"en": 'The keyword argument "metaclass" is not allowed.',
                   "zh_CN": '不允许关键字参数 "metaclass"。', "zh_TW": '不允許關鍵字引數 "metaclass"。'}),
    "numpy": ("import numpy as np\nx = np.array(['a', 'b'])\n",
              {"en": "TypeError: numpy.array(): arrays of strings are not available in scripts",
               "zh_CN": "TypeError: numpy.array()：脚本中不能使用字符串数组",
               "zh_TW": "TypeError: numpy.array()：腳本中不能使用字串陣列"}),
}


def _run(source):
    return ScriptRunner(time_budget=1.0, max_elements=1000, max_memory=16 << 20).run(source)


@pytest.fixture
def zh(qapp):
    from gradtrace.gui import i18n
    yield i18n.install
    i18n.install("en")


@pytest.mark.parametrize("case", sorted(SCRIPTS))
def test_a_scripts_error_is_shown_in_the_language_in_use(case, zh):
    source, expected = SCRIPTS[case]
    zh("zh_CN")
    error = _run(source).error
    assert error is not None and error.lineno is not None
    assert expected["zh_CN"] in str(error), str(error)
    assert str(error).startswith(f"第 {error.lineno} 行")   # the runner's own prefix, too
    for language in ("zh_TW", "en", "zh_CN"):              # switched after the run: live
        zh(language)
        assert expected[language] in str(error), (language, str(error))


def _restricted_pythons_messages() -> set[str]:
    """Every message RestrictedPython's transformer refuses with (``self.error(node, ...)``),
    its quoted names as ``{}``."""
    import RestrictedPython.transformer as transformer
    found = set()
    tree = ast.parse(Path(transformer.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and
                node.func.attr == "error" and len(node.args) == 2):
            continue
        arg = node.args[1]
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):   # '...'.format
            arg = arg.func.value
        if isinstance(arg, ast.BinOp):   # '...%s...' % name
            arg = arg.left
        if isinstance(arg, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in arg.values)
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            text = arg.value
        else:
            continue   # the info passed on (error(self, node, info) itself)
        found.add(re.sub(r"\{\w*\}|%s", "{}", text))
    return found


def test_every_restricted_python_message_is_translatable():
    """The catalogue knows each of RestrictedPython's messages (a new version's new ones fail
    here), and each reads back into its translated text with the names it quotes."""
    from gradtrace.gui.model.i18n import Text
    from gradtrace.gui.model.sandbox_restricted import restricted_text, restricted_texts
    theirs = _restricted_pythons_messages()
    ours = {re.sub(r"\{\w*\}", "{}", t.source) for t in restricted_texts()}
    assert len(theirs) >= 15 and theirs == ours
    for source in ours:
        message = source.replace("{}", "_secret")
        text = restricted_text(message)
        assert isinstance(text, Text) and text == message, message


def test_pytorchs_and_pythons_own_texts_stay_english(zh):
    zh("zh_CN")
    error = _run("import torch\nx = torch.ones(2) @ torch.ones(3)\n").error
    assert "RuntimeError: " in str(error) and "脚本" not in error.message
    error = _run("x = {}['k']\n").error
    assert error.message == "KeyError: 'k'"


def test_a_script_catching_a_refusal_reads_a_plain_string(zh):
    zh("zh_CN")
    result = _run("import torch\ntry:\n    v = torch.ones(1)._version\n"
                  "except AttributeError as exc:\n    m = str(exc)\n"
                  "    print(type(m).__name__, m.startswith('不能使用'), type(exc.args[0]) is str)\n")
    assert result.ok and result.output == "str True True\n", (result.error, result.output)


def test_the_window_shows_the_sandbox_message_in_chinese(qtbot, tmp_path, zh):
    from PySide6.QtCore import QSettings

    from gradtrace.gui.app import MainWindow
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.set_language("zh_CN")
    w.script_panel.set_text("import torch\nimport os\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    banner = w.script_panel.error_banner
    assert "第 2 行" in banner.text() and "不允许导入 'os'" in banner.text()
    w.set_language("zh_TW")
    qtbot.waitUntil(lambda: "不允許匯入 'os'" in banner.text())
    w.set_language("en")
    qtbot.waitUntil(lambda: "import of 'os' is not allowed" in banner.text())
    assert model_i18n.translate("Sandbox", "import of '{name}' is not allowed") == \
        "import of '{name}' is not allowed"
