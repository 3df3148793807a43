"""The app in English, Simplified and Traditional Chinese: complete translations with the standard
terms and PyTorch's names untouched, the language switched live, remembered, and --lang."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from gradtrace.gui import i18n, i18n_build
from gradtrace.gui.app import MainWindow
from gradtrace.gui.model.i18n import retranslate, translate
from gradtrace.gui.settings import AppSettings

CHINESE = ("zh_CN", "zh_TW")


def messages(language: str):
    """(context, source, [translations], numerus, unfinished) of each message of a .ts file."""
    root = ET.parse(i18n_build.ts_path(language)).getroot()
    for context in root.iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            tr = m.find("translation")
            forms = [f.text or "" for f in tr.iter("numerusform")] if m.get("numerus") else \
                [tr.text or ""]
            yield name, m.findtext("source"), forms, m.get("numerus") == "yes", \
                tr.get("type") in ("unfinished", "vanished", "obsolete")


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    """Every test here leaves the app in English, as the rest of the suite expects it."""
    yield
    i18n.install("en")


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    return w


# ---------------------------------------------------------------------- the .ts files
@pytest.mark.parametrize("language", CHINESE)
def test_every_text_is_translated(language):
    unfinished = [(c, s) for c, s, forms, _, todo in messages(language)
                  if todo or not all(f.strip() for f in forms)]
    assert unfinished == [], f"{len(unfinished)} texts not translated into {language}"


@pytest.mark.parametrize("language", (*CHINESE, "en"))
def test_translations_keep_fields_keys_and_pytorch_names(language):
    """Each translation has its source's {fields}, %n, menu mnemonic (&X) and PyTorch/Python
    identifiers (grad_fn, .grad, retain_grad(), backward(), NaN/inf, F5...) unchanged."""
    code = re.compile(r"\{\w*\}|%n|\.grad\b|\b\w+\(\)|\b[a-z]+_[a-z_]+\b|"
                      r"\b[A-Z][a-z]+Backward\d\b|AccumulateGrad|NaN|inf\b|\bF\d+\b|Ctrl\+\w|"
                      r"\*\.py|\bCuPy\b|\bCUDA\b")
    wrong = []
    for context, source, forms, _, _ in messages(language):
        for form in forms:
            missing = sorted(set(code.findall(source)) - set(code.findall(form)))
            if missing or ("&" in source.replace("&&", "")) != ("&" in form.replace("&&", "")):
                wrong.append((context, source, form, missing))
    assert wrong == []


#: characters only one of the two scripts writes (a Traditional text with 计 is a Simplified one)
SIMPLIFIED_ONLY = set("计图节点叶树传导数设显开关运时间张选择错误输释实现单击这将为该过")
TRADITIONAL_ONLY = set("計圖節點葉樹傳導數設顯開關運時間張選擇錯誤輸釋實現單擊這將為該過")


def test_each_script_is_written_in_its_own_characters():
    for language, foreign in (("zh_CN", TRADITIONAL_ONLY), ("zh_TW", SIMPLIFIED_ONLY)):
        mixed = [(s, f) for _, s, forms, _, _ in messages(language) for f in forms
                 if set(f) & foreign]
        assert mixed == [], f"{language} texts in the other script: {mixed[:5]}"


#: the learner's standard terms: an English word in a source, its term in each script
TERMS = {"gradient": ("梯度", "梯度"), "leaf": ("叶子", "葉"),
         "backward pass": ("反向传播", "反向傳播"), "node": ("节点", "節點"),
         "tensor": ("张量", "張量")}


@pytest.mark.parametrize("word", TERMS)
def test_the_standard_terms_are_used_everywhere(word):
    for language, term in zip(CHINESE, TERMS[word]):
        off = [(s, f) for _, s, forms, _, _ in messages(language) for f in forms
               if re.search(rf"\b{word}", re.sub(r"\{\w*\}", "", s), re.I) and
               "non-leaf" not in s and term not in f]
        assert off == [], f"{language}: {word!r} not as {term}: {off[:5]}"


# ---------------------------------------------------------------------- choosing the language
def test_the_system_locale_picks_the_script():
    assert i18n.system_language(QLocale("zh_CN")) == "zh_CN"
    assert i18n.system_language(QLocale("zh_TW")) == "zh_TW"
    assert i18n.system_language(QLocale(QLocale.Language.Chinese,
                                        QLocale.Script.TraditionalChineseScript,
                                        QLocale.Country.Singapore)) == "zh_TW"
    assert i18n.system_language(QLocale("en_GB")) == "en"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.resolve("fr")


def test_install_translates_qt_and_the_model(qapp):
    assert i18n.install("zh_CN") == "zh_CN"
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"   # Qt's own
    label = translate("Timeline", "line {line}: {text}").format(line=3, text="y = x * 2")
    assert label == "第 3 行：y = x * 2"
    i18n.install("zh_TW")
    assert retranslate(label) == "第 3 行：y = x * 2"
    assert QCoreApplication.translate("MainWindow", "&File") == "檔案(&F)"
    i18n.install("en")
    assert retranslate(label) == "line 3: y = x * 2"


# ---------------------------------------------------------------------- the live switch
def _menu_titles(w):
    return [a.text() for a in w.menuBar().actions()]


def test_view_language_switches_every_text_at_once(window, qtbot):
    w = window
    assert _menu_titles(w)[0] == "&File"
    langs = w.actions_.languages
    assert [a.text() for a in langs.values()] == ["English", "简体中文", "繁體中文"]
    langs["zh_CN"].trigger()
    qtbot.waitUntil(lambda: _menu_titles(w)[0] == "文件(&F)")
    assert _menu_titles(w) == ["文件(&F)", "编辑(&E)", "运行(&R)", "回放(&P)", "视图(&V)",
                               "帮助(&H)"]
    assert w.actions_.run.toolTip() == "运行整个脚本 (F5)"
    assert w.script_dock.windowTitle() == "脚本"
    assert w.inspector.title.text() == "在计算图中选择一个节点"
    assert w.player_widget.nan_box.text() == "遇到 NaN/inf 时中断"
    assert w.player_widget.readout.full_text() == "尚未运行"
    assert w.graph_view.legend.title() == "图例 ▾"
    assert w.console.placeholderText() == "脚本打印的内容显示在这里。"
    assert w.bottom_tabs.tabText(1) == "时间线"
    assert w.graph_view.placeholder.startswith("按 F5 运行脚本")
    assert w.settings.language == "zh_CN"
    assert langs["zh_CN"].isChecked()

    langs["zh_TW"].trigger()
    qtbot.waitUntil(lambda: _menu_titles(w)[0] == "檔案(&F)")
    assert w.inspector.title.text() == "在計算圖中選擇一個節點"
    assert w.actions_.step.toolTip().startswith("單步跳過")
    langs["en"].trigger()
    qtbot.waitUntil(lambda: _menu_titles(w)[0] == "&File")
    assert w.inspector.title.text() == "Select a node in the graph"
    assert w.settings.language == "en"


def test_a_run_shown_in_one_language_is_shown_again_in_the_other(window, qtbot):
    """The timeline, the player's readout and the status after a run follow the switch."""
    w = window
    w.script_panel.set_text("import torch\nx = torch.ones(2, requires_grad=True)\n"
                            "y = (x * 3).sum()\ny.backward()\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    assert w.timeline_list.row_text(1).strip().startswith("2  line 2: x = torch.ones")
    assert w.statusBar().currentMessage().startswith("Ran 4 statements: ")
    w.set_language("zh_CN")
    qtbot.waitUntil(lambda: "第 2 行：x = torch.ones" in w.timeline_list.row_text(1))
    # the status bar's message, still shown, is made again in the new language
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith("运行了 4 条语句："))
    w.player_widget.to_end()
    assert "反向传播第" in w.player_widget.readout.full_text()
    assert w._run_summary(w.document).startswith("运行了 4 条语句：")
    w.set_language("en")
    qtbot.waitUntil(lambda: "line 2" in w.timeline_list.row_text(1))
    assert w._run_summary(w.document).startswith("Ran 4 statements: ")
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith("Ran 4 statements: "))
    w.statusBar().showMessage("something else")   # not ours: left as it is
    w.set_language("zh_CN")
    qtbot.waitUntil(lambda: w.menuBar().actions()[0].text() == "文件(&F)")
    assert w.statusBar().currentMessage() == "something else"
    w.set_language("en")


def test_a_run_that_ran_no_statement_reads_in_the_language(window, qtbot):
    """A refused script has no statement: its one timeline entry follows the switch too."""
    w = window
    w.script_panel.set_text("y = (1).__class__\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    assert "forward: the whole graph" in w.player_widget.readout.full_text()
    w.set_language("zh_CN")
    qtbot.waitUntil(lambda: "前向：整个计算图" in w.player_widget.readout.full_text())


def test_plural_forms_in_english(window):
    i18n.install("en")
    assert window.tr(" %n matches", "", 1) == " 1 match"
    assert window.tr(" %n matches", "", 2) == " 2 matches"


def test_every_plural_text_has_its_english_forms_and_one_chinese():
    """Each numerus text (tr or Context.tr with %n) has a singular and a plural form in
    gradtrace_en.ts and one form in each Chinese file."""
    plural = {(c, s) for c, s, _, numerus, _ in messages("zh_CN") if numerus}
    english = {(c, s): forms for c, s, forms, numerus, _ in messages("en") if numerus}
    assert plural and set(english) == plural
    assert all("%n" in s for _, s in plural)
    assert [k for k, forms in english.items() if len(forms) != 2 or not all(forms)] == []
    for language in CHINESE:
        forms = {(c, s): f for c, s, f, numerus, _ in messages(language) if numerus}
        assert [k for k, f in forms.items() if len(f) != 1] == []


@pytest.mark.parametrize(("language", "one", "three"), [
    ("en", "collapsed: 1 node", "collapsed: 3 nodes"),
    ("zh_CN", "已折叠：1 个节点", "已折叠：3 个节点"),
    ("zh_TW", "已摺疊：1 個節點", "已摺疊：3 個節點")])
def test_counts_in_the_graph_take_their_plural_form(qapp, language, one, three):
    """A collapsed group's box and tooltip, the layout progress, a repeated block's title and a
    module's second call in each language (plain Python through model/i18n.Context)."""
    from gradtrace.gui.graph_items import node_texts, node_tooltip
    from gradtrace.gui.model.hierarchy import alike_label
    from gradtrace.gui.pipeline import Pipeline
    i18n.install(language)
    group = {"kind": "group", "label": "net"}
    assert node_texts({**group, "members": ["a"]})[1] == one
    assert node_texts({**group, "members": ["a", "b", "c"]})[1] == three
    assert {"en": "collapsed group of 1 node: double-click", "zh_CN": "已折叠的分组，含 1 个节点",
            "zh_TW": "已摺疊的群組，含 1 個節點"}[language] in node_tooltip({**group, "members": ["a"]})
    assert Pipeline.tr("laying out %n nodes", "", 1) == {
        "en": "laying out 1 node", "zh_CN": "正在布局 1 个节点",
        "zh_TW": "正在佈局 1 個節點"}[language]
    assert (alike_label("layers.3", 12), alike_label("net (call 2)", 1),
            alike_label("net (call 2)", 3)) == {
        "en": ("layers.3 (×12 alike)", "net (call 2)", "net (call 2, ×3 alike)"),
        "zh_CN": ("layers.3（×12 个同构）", "net（第 2 次调用）", "net（第 2 次调用，×3 个同构）"),
        "zh_TW": ("layers.3（×12 個同構）", "net（第 2 次呼叫）",
                  "net（第 2 次呼叫，×3 個同構）")}[language]


def test_the_view_menus_depth_entries_count_in_the_language(window, qtbot):
    """View > Collapse to depth: "Depth 0 (1 group)" in English, one form in Chinese."""
    w = window
    w.script_panel.set_text("import torch\nimport torch.nn as nn\nnet = nn.Linear(2, 1)\n"
                            "y = net(torch.ones(1, 2)).sum()\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    i18n.install("en")
    w.fill_depth_menu()
    assert [a.text() for a in w.depth_menu.actions()] == ["Depth 0 (1 group)"]
    i18n.install("zh_CN")
    w.fill_depth_menu()
    assert [a.text() for a in w.depth_menu.actions()] == ["深度 0（1 个分组）"]


def test_the_graph_and_the_inspector_switch_language_live(window, qtbot):
    """The boxes' words ("scalar", "(all)"), the inspector's step lines and gradient summary
    follow View > Language without a new run."""
    w = window
    w.script_panel.set_text("import torch\nx = torch.ones(2, requires_grad=True)\n"
                            "out = (x * 3).sum()\nout.backward()\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    w.player_widget.to_end()
    scene = w.graph_view.graph_scene
    out = next(n for n, a in w.document.graph.nodes(data=True) if a.get("label") == "out")
    assert scene.nodes[out].subtitle == "scalar float32"
    assert scene.nodes["x"].grad_text == "grad: 3.0 (all)"
    w.select_node("x")   # at the last step, AccumulateGrad's
    assert ".grad before: None" in w.inspector.step_label.text()
    assert "∇ arrived from AccumulateGrad (x): shape 2, ‖·‖" in w.inspector.grad_text() + \
        "\n".join(label.text() for label in w.inspector.findChildren(type(w.inspector.step_label)))
    w.player_widget.step_back()   # SumBackward0's step: a scalar gradient on its edge
    w.player_widget.step_forward()
    for language, scalar, all_, before, shape, step in (
            ("zh_CN", "标量 float32", "3.0（全部）", "之前的 .grad：None", "形状 2，", "反向传播第 3/3 步"),
            ("zh_TW", "純量 float32", "3.0（全部）", "之前的 .grad：None", "形狀 2，", "反向傳播第 3/3 步"),
            ("en", "scalar float32", "3.0 (all)", ".grad before: None", "shape 2, ",
             "backward step 3/3")):
        w.set_language(language)
        qtbot.waitUntil(lambda s=scalar: scene.nodes[out].subtitle == s)
        assert scene.nodes["x"].grad_text == "grad: " + all_
        assert before in w.inspector.step_label.text()
        assert w.inspector.step_label.text().startswith(step)
        # the edge labels of the step shown, at once (not at the next step)
        word = scalar.split()[0]
        assert f"∇ {word} ‖1.0‖" in {e.label_text() for e in scene.edges.values()}
        labels = "\n".join(label.text() for label in
                           w.inspector.findChildren(type(w.inspector.step_label)))
        assert shape in labels


def test_examples_edges_and_module_calls_are_named_in_the_language(window, qtbot):
    """File > Examples has translated titles (every example has one), an edge's tooltip says
    what it carries in words, and a module's later call is named so in the inspector and the
    graph's menu."""
    from gradtrace.gui.script_files import EXAMPLE_TITLES, examples_dir
    w = window
    assert sorted(EXAMPLE_TITLES) == sorted(p.stem for p in examples_dir().glob("*.py")
                                            if not p.name.startswith("_"))
    w.set_language("zh_CN")
    qtbot.waitUntil(lambda: "autograd 教程" in [a.text() for a in w.examples_menu.actions()])
    w.script_panel.set_text("import torch\nimport torch.nn as nn\nnet = nn.Linear(2, 2)\n"
                            "x = torch.ones(1, 2)\nloss = (net(x) + net(x * 2)).sum()\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    scene = w.graph_view.graph_scene
    node = next(n for n, a in w.document.graph.nodes(data=True)
                if a.get("group") == "net (call 2)")
    w.select_node(node)
    assert "net（第 2 次调用）" in w.inspector.kind_label.text()
    menu = w.graph_view.node_menu(scene.nodes[node])
    texts = [a.text() for a in menu.actions()]
    menu.deleteLater()
    assert "折叠分组“net（第 2 次调用）”" in texts
    edge = next(e for e in scene.edges.values() if e.attrs.get("kind") == "data")
    assert "\n数据 " in scene.edge_tip(edge)
    w.set_language("en")
    qtbot.waitUntil(lambda: "The autograd tutorial" in
                    [a.text() for a in w.examples_menu.actions()])
    assert "\ndata " in scene.edge_tip(edge)


def test_the_language_is_remembered(tmp_path, qapp):
    s = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert s.language == "system"
    s.language = "zh_TW"
    s.sync()
    again = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.language == "zh_TW"
    again.store.setValue("view/language", "klingon")
    assert again.language == "system"


def test_render_with_lang_writes_the_translated_legend_as_text(tmp_path):
    from gradtrace.gui.__main__ import main
    script = tmp_path / "s.py"
    script.write_text("import torch\nx = torch.ones(2, requires_grad=True)\n"
                      "y = (x * 2).sum()\ny.backward()\n", encoding="utf-8")
    for lang, term in (("zh_CN", "叶子张量"), ("zh_TW", "葉張量"), ("en", "leaf tensor")):
        out = tmp_path / f"g_{lang}.svg"
        assert main(["render", str(script), "-o", str(out), "--lang", lang]) == 0
        svg = out.read_text(encoding="utf-8")
        assert f">{term}<" in svg, lang   # real text in the SVG, not paths


# ---------------------------------------------------------------------- help pages, glossary
def test_help_pages_exist_in_both_scripts_with_the_same_links_and_fields():
    from gradtrace.gui.help import PAGES, help_dir
    for language in CHINESE:
        for name in PAGES:
            english = (help_dir() / name).read_text(encoding="utf-8")
            page = (help_dir() / language / name).read_text(encoding="utf-8")
            for pattern in (r'href="([^"]+)"', r'<a name="([^"]+)"', r"\$(\w+)"):
                assert sorted(set(re.findall(pattern, page))) == \
                    sorted(set(re.findall(pattern, english))), (language, name, pattern)
            assert len(re.findall(r"[\u4e00-\u9fff]", page)) > 20, (language, name)


def test_the_help_follows_the_language(qapp):
    from gradtrace.gui.help import render_page
    from gradtrace.gui.theme import LIGHT
    i18n.install("zh_CN")
    page = render_page("glossary.html", LIGHT)
    assert "<td>叶子节点</td><td>葉節點</td><td><tt>leaf tensor (is_leaf)</tt></td>" in page
    assert "由你直接创建" in page and "$" not in page
    assert "如何阅读计算图" in render_page("index.html", LIGHT)
    i18n.install("zh_TW")
    assert "如何閱讀計算圖" in render_page("index.html", LIGHT)
    assert "由你直接建立" in render_page("glossary.html", LIGHT)
    i18n.install("en")
    assert "How to read the graph" in render_page("index.html", LIGHT)


def test_help_glossary_opens_from_the_menu(window, qtbot):
    window.actions_.help_glossary.trigger()
    dialog = window._help_dialog
    qtbot.waitUntil(lambda: dialog.page() == "glossary.html")
    assert "叶子节点" in dialog.browser.toPlainText()
    window.set_language("zh_TW")
    qtbot.waitUntil(lambda: "術語表" in dialog.browser.toPlainText())
    assert dialog.windowTitle() == "gradtrace 說明"


# ---------------------------------------------------------------------- error explanations
TWICE = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
         "y.backward()\ny.backward()\n")


def test_a_common_autograd_error_is_explained_under_pytorchs_text(window, qtbot):
    w = window
    w.script_panel.set_text(TWICE)
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    banner, help_ = w.script_panel.error_banner, w.script_panel.error_help
    assert "Trying to backward through the graph a second time" in banner.text()
    assert help_.isVisibleTo(w.script_panel) and "retain_graph=True" in help_.text()
    w.set_language("zh_CN")
    qtbot.waitUntil(lambda: "计算图" in help_.text())
    assert "Trying to backward through the graph a second time" in banner.text()   # as PyTorch
    assert "retain_graph=True" in help_.text()
    w.set_language("zh_TW")
    qtbot.waitUntil(lambda: "計算圖" in help_.text())
    w.script_panel.clear_error()
    assert not help_.isVisibleTo(w.script_panel)


@pytest.mark.parametrize("message", [
    "RuntimeError: one of the variables needed for gradient computation has been modified by "
    "an inplace operation: [torch.FloatTensor [2]] is at version 1; expected version 0 instead.",
    "RuntimeError: you can only change requires_grad flags of leaf variables.",
    "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.",
    "RuntimeError: grad can be implicitly created only for scalar outputs",
    "RuntimeError: Expected all tensors to be on the same device, but found at least two "
    "devices, cuda:0 and cpu!",
    "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
    "RuntimeError: Torch not compiled with CUDA enabled",
])
def test_each_common_error_has_its_explanation(message, qapp):
    from gradtrace.gui.error_help import EXPLANATIONS, explain
    i18n.install("zh_CN")
    shown = explain(message)
    assert shown and re.search(r"[\u4e00-\u9fff]", shown)
    assert sum(bool(re.search(p, message)) for p, _ in EXPLANATIONS) == 1


def test_lang_on_the_command_line(qapp, tmp_path):
    from gradtrace.gui.__main__ import _lang_in, _open_parser, _render_parser
    assert _lang_in(["s.py", "--lang", "zh_TW"]) == "zh_TW"
    assert _lang_in(["--lang=zh_CN", "s.py"]) == "zh_CN"
    assert _lang_in(["s.py"]) is None
    assert _open_parser().parse_args(["--lang", "zh_CN", "s.py"]).lang == "zh_CN"
    with pytest.raises(SystemExit):
        _render_parser().parse_args(["s.py", "-o", "g.svg", "--lang", "fr"])
    i18n.install("zh_CN")   # the parsers' help texts follow the language installed
    assert "要运行的 Python 脚本" in _render_parser().format_help()


@pytest.mark.parametrize(("argv", "words"), [
    (["--lang", "zh_CN", "--help"], ("用法：gradtrace", "自动微分的可视化调试器", "位置参数",
                                     "选项", "显示此帮助信息并退出")),
    (["render", "--lang", "zh_TW", "--help"], ("用法：gradtrace render", "位置引數",
                                               "顯示此說明訊息並結束", "從上到下"))])
def test_the_command_lines_help_is_in_the_language(qapp, capsys, argv, words):
    """`gradtrace --help` and `gradtrace render --help`, argparse's own words included."""
    from gradtrace.gui.__main__ import main
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert all(w in out for w in words), out
    assert "show this help" not in out and "usage:" not in out


@pytest.mark.parametrize("language", CHINESE)
def test_qts_own_file_dialog_has_no_english_label(qtbot, language, tmp_path):
    """The file dialog Qt draws itself: the labels qtbase_zh_*.qm leaves in English ("Look
    in:", "Files of type:") come from gradtrace's .qm (gui/i18n.QT_GAPS)."""
    from PySide6.QtWidgets import QFileDialog, QLabel
    i18n.install(language)
    dialog = QFileDialog(None, "", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert len(labels) >= 3 and not [t for t in labels if re.search(r"[A-Za-z]{2,}", t)], labels


def test_a_model_text_made_in_one_language_is_shown_in_another(qapp):
    i18n.install("zh_TW")
    part = translate("Timeline", "iteration {index}").format(index=2)
    label = translate("Timeline", "line {line}: {text} ({part})").format(
        line=5, text="for i in range(3):", part=part)
    assert label == "第 5 行：for i in range(3):（第 2 次迭代）"
    i18n.install("en")
    assert retranslate(label) == "line 5: for i in range(3): (iteration 2)"
    assert retranslate("plain") == "plain"
