<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ArrayView</name>
    <message>
        <source>{ndim}-d tensor of shape {shape}: the heat map shows its {slices} slices flattened into {rows} rows of {width}</source>
        <extracomment>the fill of a heat map whose finite values are all equal: no colour says &quot;large&quot;</extracomment>
        <translation>形状为 {shape} 的 {ndim} 维张量：热力图把它的 {slices} 个切片展平成 {rows} 行，每行 {width} 个元素</translation>
    </message>
    <message>
        <source>{ndim}-d tensor of shape {shape}: too many slices to draw, statistics only</source>
        <translation>形状为 {shape} 的 {ndim} 维张量：切片太多，无法绘制，只显示统计量</translation>
    </message>
    <message>
        <source>constant: every finite element is {value} (drawn neutral, no colour scale)</source>
        <translation>常量：每个有限元素都是 {value}（以中性色绘制，没有颜色刻度）</translation>
    </message>
    <message>
        <source>heat map: blue &lt; 0 &lt; red, white at 0; full colour at the largest |value| (scale below)</source>
        <translation>热力图：蓝色 &lt; 0 &lt; 红色，0 为白色；|值| 最大处颜色最深（刻度见下方）</translation>
    </message>
</context>
<context>
    <name>Child</name>
    <message>
        <source>the script ran out of memory (limit {cap}; Run &gt; Limits… sets it)</source>
        <extracomment>seconds past the time budget before the parent kills a command: the in-process check of the budget reports first (with a partial result) when it can how often the waiting parent looks at cancel, the deadline and a device run&apos;s memory the most seconds a child may take to start (import its engine) before its first command</extracomment>
        <translation>脚本耗尽了内存（上限 {cap}；可在 运行 &gt; 限制… 中设置）</translation>
    </message>
    <message>
        <source>the script ran out of memory ({what})</source>
        <translation>脚本耗尽了内存（{what}）</translation>
    </message>
    <message>
        <source>the run took longer than its time budget of {budget} s (the script, its graph and recording together) and was stopped; Run &gt; Limits… sets the budget</source>
        <translation>本次运行超出了 {budget} 秒的时间预算（脚本、计算图与录制合计），已被停止；可在 运行 &gt; 限制… 中设置时间预算</translation>
    </message>
    <message>
        <source>deep recursion in a C function, or a fault in a native library</source>
        <translation>C 函数中的深度递归，或本地库中的故障</translation>
    </message>
    <message>
        <source>a fault in a native library</source>
        <translation>本地库中的故障</translation>
    </message>
    <message>
        <source>the process aborted (os.abort(), or a failed check in a native library)</source>
        <translation>进程中止（os.abort()，或本地库中的检查失败）</translation>
    </message>
    <message>
        <source>the script&apos;s process was killed by the system, most likely for using too much memory (limit {cap}; Run &gt; Limits… sets it)</source>
        <translation>脚本的进程被系统终止，很可能是因为占用内存过多（上限 {cap}；可在 运行 &gt; 限制… 中设置）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the script used up the CPU time its process may use</source>
        <translation>脚本用完了其进程可用的 CPU 时间</translation>
    </message>
    <message>
        <source>the script crashed the Python interpreter: {reason}</source>
        <translation>脚本使 Python 解释器崩溃：{reason}</translation>
    </message>
    <message>
        <source>the script&apos;s process died of {signal}</source>
        <translation>脚本的进程因 {signal} 而终止</translation>
    </message>
    <message>
        <source>the script&apos;s process ended without an answer (exit code {code})</source>
        <translation>脚本的进程未给出结果就结束了（退出码 {code}）</translation>
    </message>
    <message>
        <source>the run&apos;s process has ended: run the script again (F5)</source>
        <extracomment>True when the process boundary stopped the command (crash, kill at a limit): the recording then holds no run, only the error</extracomment>
        <translation>运行的进程已结束：请再次运行脚本（F5）</translation>
    </message>
    <message>
        <source>the run&apos;s process did not start within {seconds} s</source>
        <translation>运行的进程未能在 {seconds} 秒内启动</translation>
    </message>
    <message>
        <source>the run&apos;s process sent something that is not a result ({error}); it was stopped</source>
        <translation>运行的进程发送了不是结果的内容（{error}），已被停止</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>the engine the script runs on: gradtrace (sandboxed, the default) or torch (real PyTorch, not sandboxed: it runs as `python SCRIPT` would)</source>
        <translation>运行脚本的引擎：gradtrace（在沙箱中，默认）或 torch（真正的 PyTorch，不在沙箱中：像 `python SCRIPT` 一样运行）</translation>
    </message>
    <message>
        <source>the language (default: the one chosen in View &gt; Language, else the system&apos;s)</source>
        <translation>界面语言（默认：“视图 &gt; 语言”中选择的语言，否则跟随系统）</translation>
    </message>
    <message>
        <source>playback step K (0-based) or &apos;end&apos;; K past the end gives the end</source>
        <translation>回放步数 K（从 0 开始）或 &apos;end&apos;；K 超过末尾时取末尾</translation>
    </message>
    <message>
        <source>use the dark theme</source>
        <translation>使用深色主题</translation>
    </message>
    <message>
        <source>A visual debugger for automatic differentiation.</source>
        <translation>自动微分的可视化调试器。</translation>
    </message>
    <message>
        <source>gradtrace render: the PyTorch engine cannot run: {reason}</source>
        <translation>gradtrace render：无法使用 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>gradtrace render: cannot read {script}: {reason}</source>
        <translation>gradtrace render：无法读取 {script}：{reason}</translation>
    </message>
    <message>
        <source>gradtrace render: cannot read {reason}</source>
        <translation>gradtrace render：无法读取 {reason}</translation>
    </message>
    <message>
        <source>gradtrace render: --step wants a number or &apos;end&apos;, not {step}</source>
        <translation>gradtrace render：--step 需要一个数字或 &apos;end&apos;，而不是 {step}</translation>
    </message>
    <message>
        <source>gradtrace render: could not write {output}: {reason}</source>
        <translation>gradtrace render：无法写入 {output}：{reason}</translation>
    </message>
    <message>
        <source>the engine the script runs on, selected in the toolbar: gradtrace (sandboxed) or torch (real PyTorch, not sandboxed: it runs as `python SCRIPT` would); without it, the engine chosen last time</source>
        <translation>运行脚本的引擎，在工具栏中选中：gradtrace（在沙箱中）或 torch（真正的 PyTorch，不在沙箱中：像 `python SCRIPT` 一样运行）；不给出时用上次选择的引擎</translation>
    </message>
    <message>
        <source>gradtrace [--engine gradtrace|torch] [--lang en|zh_CN|zh_TW] [SCRIPT]
                                   open the visual debugger (the tutorial when no SCRIPT)
gradtrace X.gtrace                 open a saved recording (read-only)
gradtrace render SCRIPT -o FILE    write the graph as PNG, SVG, DOT or JSON (by FILE&apos;s suffix),
                                   or the run&apos;s recording (FILE.gtrace)
gradtrace render X.gtrace -o FILE  draw a saved recording&apos;s graph
              [--step K|end]       ... as it is after K playback steps (default: the whole run)
              [--direction TB|LR]  ... laid out top-to-bottom or left-to-right
              [--engine torch]     ... run on real PyTorch (not sandboxed) instead
              [--lang en|zh_CN|zh_TW]  ... its legend in that language
gradtrace compare SCRIPT           run SCRIPT on both engines, report where they differ</source>
        <translation>gradtrace [--engine gradtrace|torch] [--lang en|zh_CN|zh_TW] [SCRIPT]
                                   打开可视化调试器（未给出 SCRIPT 时打开教程）
gradtrace X.gtrace                 打开已保存的记录（只读）
gradtrace render SCRIPT -o FILE    把计算图写成 PNG、SVG、DOT 或 JSON（按 FILE 的后缀），
                                   或写出这次运行的记录（FILE.gtrace）
gradtrace render X.gtrace -o FILE  画出已保存记录的计算图
              [--step K|end]       ……回放 K 步之后的样子（默认：整个运行）
              [--direction TB|LR]  ……从上到下或从左到右布局
              [--engine torch]     ……改在真正的 PyTorch 上运行（不在沙箱中）
              [--lang en|zh_CN|zh_TW]  ……图例使用该语言
gradtrace compare SCRIPT           在两个引擎上运行 SCRIPT，报告它们的不同之处</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>Run SCRIPT (or read a .gtrace recording) headless and write its graph or its recording.</source>
        <translation>在无界面模式下运行 SCRIPT（或读取 .gtrace 记录），写出它的计算图或它的记录。</translation>
    </message>
    <message>
        <source>the Python script to run, or a .gtrace recording</source>
        <translation>要运行的 Python 脚本，或一个 .gtrace 记录</translation>
    </message>
    <message>
        <source>output file: .png, .svg, .dot, .json, or .gtrace (the run&apos;s recording)</source>
        <translation>输出文件：.png、.svg、.dot、.json，或 .gtrace（这次运行的记录）</translation>
    </message>
    <message>
        <source>top to bottom (the default) or left to right</source>
        <translation>从上到下（默认）或从左到右</translation>
    </message>
    <message>
        <source>a Python script or a .gtrace recording to open</source>
        <translation>要打开的 Python 脚本或 .gtrace 记录</translation>
    </message>
    <message>
        <source>gradtrace render: unknown output format {suffix} (use .png, .svg, .dot, .json or .gtrace)</source>
        <translation>gradtrace render：未知的输出格式 {suffix}（请使用 .png、.svg、.dot、.json 或 .gtrace）</translation>
    </message>
    <message>
        <source>gradtrace render: the input is already a recording; write a .png, .svg, .dot or .json from it</source>
        <translation>gradtrace render：输入已经是一个记录；请从它写出 .png、.svg、.dot 或 .json</translation>
    </message>
    <message>
        <source>Run SCRIPT on gradtrace&apos;s engine and on PyTorch and report, node by node, where names, values and gradients differ, with a float64 finite-difference check of the leaves&apos; gradients on each engine. PyTorch runs the script unsandboxed.</source>
        <translation>在 gradtrace 的引擎和 PyTorch 上运行 SCRIPT，逐个节点报告名称、数值和梯度的差异，并在每个引擎上用 float64 有限差分检查叶子张量的梯度。PyTorch 运行脚本时不在沙箱中。</translation>
    </message>
    <message>
        <source>the Python script to run</source>
        <translation>要运行的 Python 脚本</translation>
    </message>
    <message>
        <source>skip the finite-difference check (it reruns the script per entry)</source>
        <translation>跳过有限差分检查（每个检查的元素都要重新运行脚本）</translation>
    </message>
    <message>
        <source>entries of each leaf checked by finite differences (default 3)</source>
        <translation>每个叶子张量用有限差分检查的元素个数（默认 3）</translation>
    </message>
    <message>
        <source>keep gradtrace&apos;s own random leaves instead of PyTorch&apos;s values</source>
        <translation>保留 gradtrace 自己的随机叶子张量，而不用 PyTorch 的值</translation>
    </message>
    <message>
        <source>print the report as JSON (for the app&apos;s differences view)</source>
        <translation>以 JSON 打印报告（供应用的差异视图使用）</translation>
    </message>
    <message>
        <source>gradtrace compare: the PyTorch engine cannot run: {reason}</source>
        <translation>gradtrace compare：无法运行 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>gradtrace compare: cannot read {script}: {reason}</source>
        <translation>gradtrace compare：无法读取 {script}：{reason}</translation>
    </message>
    <message>
        <source>gradtrace compare: cannot read {reason}</source>
        <translation>gradtrace compare：无法读取 {reason}</translation>
    </message>
    <message>
        <source>no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it under a virtual screen with `xvfb-run -a gradtrace`, or write the graph to a file with `gradtrace render SCRIPT -o graph.png`.</source>
        <translation>没有可以打开窗口的显示器（DISPLAY 和 WAYLAND_DISPLAY 都未设置）。请用 `xvfb-run -a gradtrace` 在虚拟屏幕下运行，或用 `gradtrace render SCRIPT -o graph.png` 把计算图写入文件。</translation>
    </message>
    <message>
        <source>Qt&apos;s X11 plugin needs system libraries that are not installed: {command}</source>
        <translation>Qt 的 X11 插件需要尚未安装的系统库：{command}</translation>
    </message>
    <message>
        <source>gradtrace: the PyTorch engine cannot run: {reason}</source>
        <translation>gradtrace：无法使用 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>gradtrace: cannot open {script}: {reason}</source>
        <translation>gradtrace：无法打开 {script}：{reason}</translation>
    </message>
    <message>
        <source>gradtrace: cannot open {reason}</source>
        <translation>gradtrace：无法打开 {reason}</translation>
    </message>
</context>
<context>
    <name>Compare</name>
    <message>
        <source>printed line {line}</source>
        <extracomment>the report&apos;s texts with a count (Qt&apos;s plural forms; lupdate reads ``Compare.tr``)</extracomment>
        <translation>打印的第 {line} 行</translation>
    </message>
    <message>
        <source>line {line}: {code}</source>
        <translation>第 {line} 行：{code}</translation>
    </message>
    <message>
        <source>the graph</source>
        <translation>计算图</translation>
    </message>
    <message>
        <source>the run</source>
        <translation>整次运行</translation>
    </message>
    <message>
        <source>call {call} ({place})</source>
        <translation>第 {call} 次调用（{place}）</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s):</source>
        <translation>
            <numerusform>%n 处不同：</numerusform>
        </translation>
    </message>
    <message>
        <source>[{kind}] {place}: {text}</source>
        <translation>[{kind}] {place}：{text}</translation>
    </message>
    <message>
        <source>no differences: names, values and gradients agree</source>
        <translation>没有不同：名称、值和梯度都一致</translation>
    </message>
    <message>
        <source>finite differences (float64, central):</source>
        <translation>有限差分（float64，中心差分）：</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>WRONG</source>
        <translation>错误</translation>
    </message>
    <message numerus="yes">
        <source>{engine} {leaf} ({dtype}): %n entries, max error {error}: {verdict}</source>
        <translation>
            <numerusform>{engine} {leaf}（{dtype}）：%n 个元素，最大误差 {error}：{verdict}</numerusform>
        </translation>
    </message>
    <message>
        <source>skipped: {why}</source>
        <translation>已跳过：{why}</translation>
    </message>
    <message>
        <source>shape {a} vs {b}</source>
        <translation>形状 {a} 对 {b}</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>max |diff| {diff}</source>
        <translation>最大 |差| {diff}</translation>
    </message>
    <message>
        <source>gradtrace records {a} where PyTorch records {b}</source>
        <translation>gradtrace 记录了 {a}，PyTorch 在同一处记录了 {b}</translation>
    </message>
    <message>
        <source>shape {a} on gradtrace, {b} on PyTorch</source>
        <translation>形状在 gradtrace 上为 {a}，在 PyTorch 上为 {b}</translation>
    </message>
    <message>
        <source>dtype {a} on gradtrace, {b} on PyTorch</source>
        <translation>dtype 在 gradtrace 上为 {a}，在 PyTorch 上为 {b}</translation>
    </message>
    <message>
        <source> (made by the script, not synced: the engines&apos; random generators differ, and so do values updated from gradients that differ)</source>
        <translation>（由脚本创建，未同步：两个引擎的随机数生成器不同，由不同梯度更新的值也不同）</translation>
    </message>
    <message numerus="yes">
        <source>; %n tensor(s) computed from it differ too</source>
        <translation>
            <numerusform>；由它计算出的 %n 个张量也不同</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backward call(s) on gradtrace, {b} on PyTorch</source>
        <translation>
            <numerusform>gradtrace 上有 %n 次 backward 调用，PyTorch 上有 {b} 次</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>steps differ from step {step}: gradtrace {a}, PyTorch {b} ({na} vs %n steps)</source>
        <translation>
            <numerusform>从第 {step} 步起步骤不同：gradtrace {a}，PyTorch {b}（{na} 步对 %n 步）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) received different gradients</source>
        <translation>
            <numerusform>%n 个节点收到了不同的梯度</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{engine}: %n more leaves not checked</source>
        <translation>
            <numerusform>{engine}：另有 %n 个叶子节点未检查</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>gradtrace (sandboxed) against PyTorch {version}: {a} and %n statement(s) ran</source>
        <translation>
            <numerusform>gradtrace（在沙箱中）对比 PyTorch {version}：分别运行了 {a} 和 %n 条语句</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform>，另有 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>input {index}: </source>
        <translation>输入 {index}：</translation>
    </message>
    <message>
        <source>None on one engine</source>
        <translation>在一个引擎上为 None</translation>
    </message>
    <message>
        <source>{op} received the same gradient on both engines and sent different ones ({where}): </source>
        <translation>{op} 在两个引擎上收到相同的梯度，却发出了不同的梯度（{where}）：</translation>
    </message>
    <message>
        <source>.grad is None on gradtrace, set on PyTorch</source>
        <translation>.grad 在 gradtrace 上为 None，在 PyTorch 上有值</translation>
    </message>
    <message>
        <source>.grad is set on gradtrace, None on PyTorch</source>
        <translation>.grad 在 gradtrace 上有值，在 PyTorch 上为 None</translation>
    </message>
    <message>
        <source>{engine}: no top-level backward() of a tensor named before it</source>
        <translation>{engine}：没有对之前命名的张量调用顶层 backward()</translation>
    </message>
    <message>
        <source>{engine}: {root} could not be read</source>
        <translation>{engine}：无法读取 {root}</translation>
    </message>
    <message>
        <source>leaves given PyTorch&apos;s values on the gradtrace run: {names}</source>
        <translation>gradtrace 运行中取 PyTorch 的值的叶子节点：{names}</translation>
    </message>
    <message>
        <source>gradtrace {a}, PyTorch {b}</source>
        <translation>gradtrace {a}，PyTorch {b}</translation>
    </message>
</context>
<context>
    <name>ConsoleView</name>
    <message>
        <source>What the script prints appears here.</source>
        <translation>脚本打印的内容显示在这里。</translation>
    </message>
</context>
<context>
    <name>DifferencesPanel</name>
    <message>
        <source>Error</source>
        <extracomment>the report&apos;s kinds (gui/model/compare.py&apos;s Difference.kind, &quot;finite&quot; for a check&apos;s row)</extracomment>
        <translation>错误</translation>
    </message>
    <message>
        <source>Printed output</source>
        <translation>打印输出</translation>
    </message>
    <message>
        <source>Op names</source>
        <translation>运算名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Step order</source>
        <translation>步骤顺序</translation>
    </message>
    <message>
        <source>Backward</source>
        <translation>反向传播</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Finite differences</source>
        <translation>有限差分</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>exit status {code}</source>
        <translation>退出状态 {code}</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>WRONG</source>
        <translation>有误</translation>
    </message>
    <message numerus="yes">
        <source>{engine}, {dtype}: %n entries checked, max error {error}: {verdict}</source>
        <translation>
            <numerusform>{engine}，{dtype}：检查了 %n 个元素，最大误差 {error}：{verdict}</numerusform>
        </translation>
    </message>
    <message>
        <source>What</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Comparing: the script runs on gradtrace&apos;s engine and on PyTorch (not sandboxed), then the finite-difference check…</source>
        <translation>正在比较：脚本在 gradtrace 引擎和 PyTorch（不在沙箱中）上运行，然后进行有限差分检查…</translation>
    </message>
    <message>
        <source>The comparison could not run: {reason}</source>
        <translation>无法进行比较：{reason}</translation>
    </message>
    <message>
        <source>The engines agree: names, values and gradients are the same, and every finite-difference check passes.</source>
        <translation>两个引擎一致：名称、值和梯度都相同，每项有限差分检查都通过。</translation>
    </message>
    <message numerus="yes">
        <source>%n differences between the engines</source>
        <translation>
            <numerusform>两个引擎之间有 %n 处差异</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n finite-difference checks failed</source>
        <translation>
            <numerusform>；%n 项有限差分检查未通过</numerusform>
        </translation>
    </message>
    <message>
        <source>. Click a row to select its node in the graph.</source>
        <translation>。点击一行可在计算图中选中它的节点。</translation>
    </message>
    <message>
        <source>Run &gt; Compare engines… runs the script on both engines and lists here where names, values and gradients differ.</source>
        <translation>运行 &gt; 比较引擎… 会在两个引擎上运行脚本，并在这里列出名称、值和梯度不同的地方。</translation>
    </message>
</context>
<context>
    <name>EngineControl</name>
    <message>
        <source>Run scripts on gradtrace&apos;s own engine, sandboxed (the default)</source>
        <translation>在 gradtrace 自己的引擎上运行脚本，在沙箱中（默认）</translation>
    </message>
    <message>
        <source>Run scripts on real PyTorch: not sandboxed, a script runs as `python script.py` would</source>
        <translation>在真正的 PyTorch 上运行脚本：不在沙箱中，脚本像 `python script.py` 一样运行</translation>
    </message>
    <message>
        <source>Engine: PyTorch (not sandboxed)</source>
        <translation>引擎：PyTorch（不在沙箱中）</translation>
    </message>
    <message>
        <source>Engine: gradtrace (sandboxed)</source>
        <translation>引擎：gradtrace（在沙箱中）</translation>
    </message>
    <message>
        <source>Not run: the PyTorch engine was not allowed for this script</source>
        <translation>未运行：没有允许这个脚本使用 PyTorch 引擎</translation>
    </message>
    <message>
        <source>Run on PyTorch, not sandboxed?</source>
        <translation>在 PyTorch 上运行（不在沙箱中）？</translation>
    </message>
    <message>
        <source>{name} will run on real PyTorch, not sandboxed: it runs as `python {name}` would, and can open, change and delete files, import any module and use the network.</source>
        <translation>{name} 将在真正的 PyTorch 上运行，不在沙箱中：它像 `python {name}` 一样运行，可以打开、修改和删除文件，导入任何模块，访问网络。</translation>
    </message>
    <message>
        <source>The gradtrace engine runs scripts sandboxed. Your answer is remembered for this file.</source>
        <translation>gradtrace 引擎在沙箱中运行脚本。你的回答会为这个文件记住。</translation>
    </message>
    <message>
        <source>The gradtrace engine runs scripts sandboxed. Your answer is remembered for this unsaved script until gradtrace closes.</source>
        <translation>gradtrace 引擎在沙箱中运行脚本。你的回答会为这个未保存的脚本记住，直到 gradtrace 关闭。</translation>
    </message>
    <message>
        <source>Run on PyTorch</source>
        <translation>在 PyTorch 上运行</translation>
    </message>
</context>
<context>
    <name>ErrorHelp</name>
    <message>
        <source>backward() frees the tensors the graph saved for it once it has run, so a second backward() through the same graph finds them gone. Pass retain_graph=True to the first backward() if you need both, or run the forward computation again before the second one.</source>
        <extracomment>(a pattern of PyTorch&apos;s message, what it means and what to do: the source marked for lupdate)</extracomment>
        <translation>backward() 运行完后会释放计算图为它保存的张量，所以第二次通过同一个计算图调用 backward() 时，这些张量已经不在了。如果两次都需要，请在第一次 backward() 时传入 retain_graph=True，或者在第二次之前重新运行前向计算。</translation>
    </message>
    <message>
        <source>A tensor that backward needs (one an operation saved in the forward pass) was changed in place afterwards (x += 1, x.add_(), x[0] = ...), so its version no longer matches the one saved. Write the change out of place (x = x + 1), or clone() the tensor before changing it.</source>
        <translation>反向传播需要的某个张量（某个运算在前向传播时保存的张量）后来被原地修改了（x += 1、x.add_()、x[0] = ...），它的版本号和保存时不再一致。请改用非原地的写法（x = x + 1），或者在修改之前先 clone() 这个张量。</translation>
    </message>
    <message>
        <source>requires_grad can only be set on a leaf node: a tensor made by an operation takes it from its inputs. For a new leaf from this value, use y.detach().requires_grad_().</source>
        <translation>只能在叶子节点上设置 requires_grad：由运算得到的张量会从它的输入继承这个属性。如果想用这个值得到一个新的叶子节点，请用 y.detach().requires_grad_()。</translation>
    </message>
    <message>
        <source>A leaf node that requires grad cannot be changed in place: autograd needs its value as it was. Change it inside with torch.no_grad(): (as an optimizer step does), or work on a clone().</source>
        <translation>需要梯度（requires_grad）的叶子节点不能被原地修改：autograd 需要它原来的值。请在 with torch.no_grad(): 里修改它（优化器更新参数时就是这样做的），或者在 clone() 得到的副本上操作。</translation>
    </message>
    <message>
        <source>backward() without an argument only works on a scalar (a loss). For a tensor with more elements, pass the gradient of the output with the same shape, y.backward(torch.ones_like(y)), or reduce it first: y.sum().backward().</source>
        <translation>不带参数的 backward() 只能用于标量（例如损失）。对于有多个元素的张量，请传入与输出形状相同的梯度：y.backward(torch.ones_like(y))，或者先把它归约成标量：y.sum().backward()。</translation>
    </message>
    <message>
        <source>The tensors of one operation must be on one device (all on the CPU, or all on the same GPU). Move them together with .to(device), .cuda() or .cpu().</source>
        <translation>同一个运算中的张量必须在同一个设备上（都在 CPU 上，或都在同一块 GPU 上）。请用 .to(device)、.cuda() 或 .cpu() 把它们放到一起。</translation>
    </message>
    <message>
        <source>This machine has no GPU that the engine can use (for gradtrace: CuPy and an NVIDIA GPU), so a tensor cannot be made on or moved to &quot;cuda&quot;. Leave the tensors on the CPU, or choose the device in one place: device = &quot;cuda&quot; if torch.cuda.is_available() else &quot;cpu&quot;.</source>
        <translation>这台机器没有引擎能用的 GPU（gradtrace 需要 CuPy 和 NVIDIA GPU），所以不能在 &quot;cuda&quot; 上创建张量，也不能把张量移过去。请让张量留在 CPU 上，或者在一处选定设备：device = &quot;cuda&quot; if torch.cuda.is_available() else &quot;cpu&quot;。</translation>
    </message>
    <message>
        <source>backward() was called on a tensor that needs no gradient: nothing it was computed from has requires_grad=True (or it was computed under torch.no_grad()). Create the inputs with requires_grad=True.</source>
        <translation>在一个不需要梯度的张量上调用了 backward()：算出它的张量都没有 requires_grad=True（或者它是在 torch.no_grad() 中算出的）。请在创建输入时加上 requires_grad=True。</translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>The autograd tutorial</source>
        <extracomment>File &gt; Examples: each example&apos;s title (translated, context &quot;Examples&quot;); an example not named here goes by its file&apos;s name</extracomment>
        <translation>autograd 教程</translation>
    </message>
    <message>
        <source>An MLP training step</source>
        <translation>MLP 的一步训练</translation>
    </message>
    <message>
        <source>Softmax and cross-entropy</source>
        <translation>softmax 与交叉熵</translation>
    </message>
    <message>
        <source>An unrolled RNN</source>
        <translation>展开的 RNN</translation>
    </message>
    <message>
        <source>A leaf used twice</source>
        <translation>用了两次的叶子节点</translation>
    </message>
    <message>
        <source>An nn.Sequential training loop</source>
        <translation>nn.Sequential 训练循环</translation>
    </message>
    <message>
        <source>Causal self-attention</source>
        <translation>因果自注意力</translation>
    </message>
    <message>
        <source>The 60-minute blitz&apos;s CNN, a few SGD steps</source>
        <translation>60 分钟入门教程的 CNN，几步 SGD</translation>
    </message>
    <message>
        <source>A custom autograd.Function with a double backward</source>
        <translation>自定义 autograd.Function 与二阶反向传播</translation>
    </message>
    <message>
        <source>A DataLoader training loop</source>
        <translation>DataLoader 训练循环</translation>
    </message>
    <message>
        <source>A small CNN with batch norm</source>
        <translation>带批归一化的小型 CNN</translation>
    </message>
    <message>
        <source>Two pre-norm transformer blocks</source>
        <translation>两个 pre-norm Transformer 块</translation>
    </message>
</context>
<context>
    <name>Explain</name>
    <message>
        <source>arrived (grad_output)</source>
        <extracomment>the translation context of the prose (QCoreApplication.translate(CONTEXT, text)) elements up to which a value prints as numbers (else its shape and norm)</extracomment>
        <translation>传入的梯度（grad_output）</translation>
    </message>
    <message>
        <source>saved for backward</source>
        <translation>为反向传播保存</translation>
    </message>
    <message>
        <source>sent to input {slot}</source>
        <translation>发送给第 {slot} 个输入</translation>
    </message>
    <message>
        <source>the leaf&apos;s .grad before this step</source>
        <translation>这一步之前叶子节点的 .grad</translation>
    </message>
    <message>
        <source>not saved: no input that reads it needs a gradient</source>
        <translation>未保存：读取它的输入都不需要梯度</translation>
    </message>
    <message>
        <source>summed over the broadcast dimensions to the input&apos;s shape {shape}</source>
        <translation>在广播出来的维度上求和，回到输入的形状 {shape}</translation>
    </message>
    <message>
        <source>shape {shape}, ‖·‖ {norm}</source>
        <translation>形状 {shape}，‖·‖ {norm}</translation>
    </message>
    <message>
        <source>Addition passes the gradient on unchanged to both inputs.</source>
        <translation>加法把梯度原样传给两个输入。</translation>
    </message>
    <message>
        <source>Subtraction passes the gradient to self and its negative to other.</source>
        <translation>减法把梯度传给 self，把梯度的相反数传给 other。</translation>
    </message>
    <message>
        <source>The product rule: each input&apos;s gradient is the incoming gradient times the other input.</source>
        <translation>乘积法则：每个输入的梯度等于传入的梯度乘以另一个输入。</translation>
    </message>
    <message>
        <source>The quotient rule: self gets grad / other, other gets -grad · self / other².</source>
        <translation>商法则：self 得到 grad / other，other 得到 -grad · self / other²。</translation>
    </message>
    <message>
        <source>The power rule: d(self^p)/d(self) = p · self^(p-1), here p = {p}.</source>
        <translation>幂法则：d(self^p)/d(self) = p · self^(p-1)，这里 p = {p}。</translation>
    </message>
    <message>
        <source>The mean of n = {n} elements: every element gets the gradient divided by n.</source>
        <translation>n = {n} 个元素的平均值：每个元素得到梯度除以 n。</translation>
    </message>
    <message>
        <source>A sum: every element gets the gradient, copied to the input&apos;s shape {shape}.</source>
        <translation>求和：每个元素都得到这个梯度，复制成输入的形状 {shape}。</translation>
    </message>
    <message>
        <source>A matrix product: self gets grad @ otherᵀ, other gets selfᵀ @ grad.</source>
        <translation>矩阵乘法：self 得到 grad @ otherᵀ，other 得到 selfᵀ @ grad。</translation>
    </message>
    <message>
        <source>bias + mat1 @ mat2: the bias gets the gradient (summed over the rows it was added to), mat1 gets grad @ mat2ᵀ, mat2 gets mat1ᵀ @ grad.</source>
        <translation>bias + mat1 @ mat2：bias 得到梯度（在它被加到的各行上求和），mat1 得到 grad @ mat2ᵀ，mat2 得到 mat1ᵀ @ grad。</translation>
    </message>
    <message>
        <source>ReLU lets the gradient through where its output was positive and stops it (0) elsewhere.</source>
        <translation>ReLU 在输出为正的地方让梯度通过，在其他地方把它挡住（为 0）。</translation>
    </message>
    <message>
        <source>The sigmoid&apos;s derivative is σ(x) · (1 - σ(x)), read from its saved output.</source>
        <translation>sigmoid 的导数是 σ(x) · (1 - σ(x))，由它保存的输出算出。</translation>
    </message>
    <message>
        <source>The tanh&apos;s derivative is 1 - tanh(x)², read from its saved output.</source>
        <translation>tanh 的导数是 1 - tanh(x)²，由它保存的输出算出。</translation>
    </message>
    <message>
        <source>exp is its own derivative: the gradient times the saved output.</source>
        <translation>exp 的导数就是它自己：梯度乘以保存的输出。</translation>
    </message>
    <message>
        <source>The derivative of log(x) is 1/x: the gradient divided by the saved input.</source>
        <translation>log(x) 的导数是 1/x：梯度除以保存的输入。</translation>
    </message>
    <message>
        <source>A transpose: the gradient is transposed back.</source>
        <translation>转置：把梯度转置回去。</translation>
    </message>
    <message>
        <source>A view changes no numbers: the gradient is reshaped back to the input&apos;s shape {shape}.</source>
        <translation>视图不改变任何数值：梯度被变形回输入的形状 {shape}。</translation>
    </message>
    <message>
        <source>Mean squared error ({reduction}): the gradient of (self - target)² is 2(self - target), divided by n = {n} for the mean.</source>
        <translation>均方误差（{reduction}）：(self - target)² 的梯度是 2(self - target)，取平均时再除以 n = {n}。</translation>
    </message>
    <message>
        <source>The negative log-likelihood picks each row&apos;s target class: that entry gets -grad ({reduction}: divided by n = {n}), every other entry 0.</source>
        <translation>负对数似然取出每一行目标类别的那一项：该项得到 -grad（{reduction}：除以 n = {n}），其他各项为 0。</translation>
    </message>
    <message>
        <source>log_softmax (the first half of cross_entropy): grad - softmax · sum(grad) along dim {dim}.</source>
        <translation>log_softmax（cross_entropy 的前半部分）：沿维度 {dim} 计算 grad - softmax · sum(grad)。</translation>
    </message>
    <message>
        <source>The leaf had no .grad yet: it becomes the gradient that arrived.</source>
        <translation>这个叶子节点还没有 .grad：传来的梯度直接成为它的 .grad。</translation>
    </message>
    <message>
        <source>Gradient accumulation: the gradient that arrived is added to the leaf&apos;s .grad (zero_grad() sets it back).</source>
        <translation>梯度累加：传来的梯度被加到叶子节点的 .grad 上（zero_grad() 会把它清零）。</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>the graph of grad_fn nodes that backward() walks from the output to the leaves</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads the glossary page&apos;s table: the standard terms of the Chinese interface (Simplified, Traditional), PyTorch&apos;s English name, and what it means (translated with the page)</extracomment>
        <translation>由 grad_fn 节点组成的图，backward() 从输出沿着它走到叶子节点</translation>
    </message>
    <message>
        <source>an array of numbers whose operations autograd can record</source>
        <translation>一个数值数组，autograd 可以记录对它的运算</translation>
    </message>
    <message>
        <source>a tensor made by you, not by an operation; backward() fills its .grad</source>
        <translation>由你直接创建、而不是由运算得到的张量；backward() 会填写它的 .grad</translation>
    </message>
    <message>
        <source>a tensor made by an operation; it keeps no .grad unless retain_grad()</source>
        <translation>由运算得到的张量；除非调用 retain_grad()，否则它不保留 .grad</translation>
    </message>
    <message>
        <source>the derivative of the output with respect to a tensor, of the tensor&apos;s shape</source>
        <translation>输出对某个张量的导数，形状与该张量相同</translation>
    </message>
    <message>
        <source>working the gradients out from the output back to the leaves by the chain rule</source>
        <translation>按链式法则从输出往回一直算到叶子节点，求出各个梯度</translation>
    </message>
    <message>
        <source>running the operations, which records the graph</source>
        <translation>执行各个运算，同时记录下计算图</translation>
    </message>
    <message>
        <source>each backward() adds into .grad; zero_grad() sets it back</source>
        <translation>每次 backward() 都把梯度加到 .grad 上；zero_grad() 把它清零</translation>
    </message>
    <message>
        <source>the node that works out an operation&apos;s gradients, e.g. MulBackward0</source>
        <translation>计算某个运算的梯度的节点，例如 MulBackward0</translation>
    </message>
    <message>
        <source>whether autograd records the operations on a tensor</source>
        <translation>autograd 是否记录对这个张量的运算</translation>
    </message>
    <message>
        <source>values an operation keeps for its backward, freed once it has run</source>
        <translation>运算为它的反向传播保存的值，反向传播运行后即被释放</translation>
    </message>
    <message>
        <source>keep the saved tensors, for a second backward() through the same graph</source>
        <translation>保留保存的张量，以便通过同一个计算图再次调用 backward()</translation>
    </message>
    <message>
        <source>changes a tensor&apos;s values instead of making a new tensor</source>
        <translation>直接修改张量的值，而不是创建一个新张量</translation>
    </message>
    <message>
        <source>a tensor of one element; backward() needs no argument on it</source>
        <translation>只有一个元素的张量；对它调用 backward() 不需要参数</translation>
    </message>
    <message>
        <source>what backward(gradient) works out for an output that is not a scalar</source>
        <translation>对非标量输出调用 backward(gradient)（传入输出的梯度）时计算的量</translation>
    </message>
    <message>
        <source>the derivative of a composition is the product of the local derivatives</source>
        <translation>复合函数的导数等于各个局部导数的乘积</translation>
    </message>
    <message>
        <source>the same values as a new tensor cut from the graph</source>
        <translation>值相同、但与计算图断开的新张量</translation>
    </message>
    <message>
        <source>a block in which no graph is recorded</source>
        <translation>其中不记录计算图的代码块</translation>
    </message>
    <message>
        <source>where a tensor&apos;s values are; the tensors of one operation must share it</source>
        <translation>张量的值所在的地方；同一个运算的张量必须在同一个设备上</translation>
    </message>
    <message>
        <source>a leaf tensor of a module, which the optimizer updates</source>
        <translation>模块中的叶子张量，由优化器更新</translation>
    </message>
    <message>
        <source>updates the parameters from their .grad</source>
        <translation>根据参数的 .grad 更新参数</translation>
    </message>
    <message>
        <source>the scalar that training makes small</source>
        <translation>训练要让它变小的那个标量</translation>
    </message>
</context>
<context>
    <name>GraphItems</name>
    <message>
        <source>freed now</source>
        <translation>此步已释放</translation>
    </message>
    <message>
        <source>backward function {op} (a grad_fn node)</source>
        <translation>反向函数 {op}（一个 grad_fn 节点）</translation>
    </message>
    <message>
        <source>: records {op} done in place</source>
        <translation>：记录了原地执行的 {op}</translation>
    </message>
    <message>
        <source>a constant</source>
        <translation>一个常量</translation>
    </message>
    <message>
        <source>inputs (next_functions): {names}</source>
        <translation>输入（next_functions）：{names}</translation>
    </message>
    <message>
        <source>saved: {tensors}</source>
        <translation>保存的张量：{tensors}</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the leaf</source>
        <translation>该叶子节点</translation>
    </message>
    <message>
        <source>AccumulateGrad: adds the gradient into {leaf}.grad ({shape} {dtype})</source>
        <translation>AccumulateGrad：把梯度累加到 {leaf}.grad（{shape} {dtype}）</translation>
    </message>
    <message numerus="yes">
        <source>collapsed: %n nodes</source>
        <translation>
            <numerusform>已折叠：%n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>saved for backward: {shape} {dtype}</source>
        <translation>为反向传播保存：{shape} {dtype}</translation>
    </message>
    <message>
        <source>scalar</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads how strongly what is off the selected node&apos;s path fades below this zoom (device pixels per scene unit) text is not drawn, only shapes below this zoom edges drop labels, arrowheads and pulses</extracomment>
        <translation>标量</translation>
    </message>
    <message>
        <source>leaf tensor</source>
        <extracomment>what a tensor node&apos;s tooltip calls it, by role (sources marked for lupdate)</extracomment>
        <translation>叶子张量</translation>
    </message>
    <message>
        <source>output tensor</source>
        <translation>输出张量</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常量</translation>
    </message>
    <message>
        <source>intermediate tensor</source>
        <translation>中间张量</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message numerus="yes">
        <source>collapsed group of %n nodes: double-click to expand</source>
        <translation>
            <numerusform>已折叠的分组，含 %n 个节点：双击展开</numerusform>
        </translation>
    </message>
    <message>
        <source>collapsed</source>
        <translation>已折叠</translation>
    </message>
</context>
<context>
    <name>GraphOverview</name>
    <message>
        <source>Overview: drag the rectangle (or click) to move the view</source>
        <translation>缩略图：拖动矩形（或单击）来移动视图</translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>{value} (all)</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads</extracomment>
        <translation>{value}（全部）</translation>
    </message>
    <message>
        <source>data {shape}</source>
        <extracomment>what an edge carries forward, by its kind (the tooltip&apos;s second line)</extracomment>
        <translation>数据 {shape}</translation>
    </message>
    <message>
        <source>saved for backward {shape}</source>
        <translation>为反向传播保存 {shape}</translation>
    </message>
    <message>
        <source>cut: no gradient flows back (detach or no_grad) {shape}</source>
        <translation>切断：梯度不会传回（detach 或 no_grad）{shape}</translation>
    </message>
    <message>
        <source>no gradient on this edge at this step</source>
        <translation>这一步这条边上没有梯度</translation>
    </message>
    <message>
        <source>gradient {shape}</source>
        <translation>梯度 {shape}</translation>
    </message>
    <message>
        <source>norm ‖∇‖ = {norm}</source>
        <translation>范数 ‖∇‖ = {norm}</translation>
    </message>
    <message>
        <source>min {low}, max {high}</source>
        <translation>最小值 {low}，最大值 {high}</translation>
    </message>
</context>
<context>
    <name>GraphView</name>
    <message>
        <source>Up / Down</source>
        <extracomment>the graph view&apos;s own keys (when it has the focus), for the shortcut reference (the texts marked for lupdate in context &quot;GraphView&quot;; the help page translates them)</extracomment>
        <translation>上 / 下</translation>
    </message>
    <message>
        <source>select an input / an output of the selected node (left to right: Left / Right)</source>
        <translation>选择所选节点的一个输入 / 一个输出（从左到右布局时：左 / 右）</translation>
    </message>
    <message>
        <source>Left / Right</source>
        <translation>左 / 右</translation>
    </message>
    <message>
        <source>select the node beside it in its layer (left to right: Up / Down)</source>
        <translation>选择同一层中相邻的节点（从左到右布局时：上 / 下）</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>open the selected node in the inspector</source>
        <translation>在检查器中打开所选节点</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>clear the selection and its highlighted path</source>
        <translation>清除选择及其高亮的路径</translation>
    </message>
    <message>
        <source>Break here</source>
        <translation>在此处中断</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Run backward from here</source>
        <translation>从这里运行反向传播</translation>
    </message>
    <message>
        <source>Append this tensor&apos;s backward pass to the timeline</source>
        <translation>把这个张量的反向传播追加到时间线</translation>
    </message>
    <message>
        <source>Wait until the run in progress ends</source>
        <translation>请等待正在进行的运行结束</translation>
    </message>
    <message>
        <source>Expand group &apos;{group}&apos;</source>
        <translation>展开分组“{group}”</translation>
    </message>
    <message>
        <source>Collapse group &apos;{group}&apos;</source>
        <translation>折叠分组“{group}”</translation>
    </message>
    <message numerus="yes">
        <source>Expand all %n alike</source>
        <translation>
            <numerusform>展开全部 %n 个同构分组</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Collapse all %n alike</source>
        <translation>
            <numerusform>折叠全部 %n 个同构分组</numerusform>
        </translation>
    </message>
    <message>
        <source>The groups with the same structure as &apos;%1&apos;</source>
        <translation>与“%1”结构相同的分组</translation>
    </message>
    <message>
        <source>Collapse to depth</source>
        <translation>折叠到深度</translation>
    </message>
    <message numerus="yes">
        <source>Depth %1 (%n groups)</source>
        <translation>
            <numerusform>深度 %1（%n 个分组）</numerusform>
        </translation>
    </message>
    <message>
        <source>Expand all groups</source>
        <translation>展开所有分组</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>In the graph (when it has the focus)</source>
        <translation>在计算图中（计算图获得焦点时）</translation>
    </message>
    <message>
        <source>gradtrace help</source>
        <translation>gradtrace 帮助</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
</context>
<context>
    <name>Hierarchy</name>
    <message numerus="yes">
        <source>{name} (×%n alike)</source>
        <translation>
            <numerusform>{name}（×%n 个同构）</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (call {call})</source>
        <translation>{name}（第 {call} 次调用）</translation>
    </message>
    <message numerus="yes">
        <source>{name} (call {call}, ×%n alike)</source>
        <translation>
            <numerusform>{name}（第 {call} 次调用，×%n 个同构）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>leaf</source>
        <extracomment>a node&apos;s role, as the inspector names it under the title</extracomment>
        <translation>叶子节点</translation>
    </message>
    <message>
        <source>intermediate</source>
        <translation>中间结果</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常量</translation>
    </message>
    <message>
        <source>function</source>
        <translation>反向函数</translation>
    </message>
    <message>
        <source>accumulate</source>
        <translation>梯度累加</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>保存的张量</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Backward rule at this step</source>
        <translation>这一步的反向传播规则</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Active backward step</source>
        <translation>当前的反向传播步骤</translation>
    </message>
    <message>
        <source>Select a node in the graph</source>
        <translation>在计算图中选择一个节点</translation>
    </message>
    <message>
        <source>Click a box to see its value, gradient and saved tensors.</source>
        <translation>单击一个方框，查看它的值、梯度和保存的张量。</translation>
    </message>
    <message>
        <source> · made on line {line}</source>
        <translation> · 由第 {line} 行创建</translation>
    </message>
    <message>
        <source> · freed by this backward step</source>
        <translation> · 已被这一步反向传播释放</translation>
    </message>
    <message>
        <source> · freed by the backward call (a copy from before it is shown)</source>
        <translation> · 已被这次 backward() 调用释放（显示的是释放前的副本）</translation>
    </message>
    <message>
        <source> · records {op} done in place on a view</source>
        <translation> · 记录了在视图上原地执行的 {op}</translation>
    </message>
    <message>
        <source> · not made yet at this step</source>
        <translation> · 这一步时尚未创建</translation>
    </message>
    <message>
        <source>(value not recorded)</source>
        <translation>（未记录值）</translation>
    </message>
    <message>
        <source>Gradient (.grad at this step)</source>
        <translation>梯度（这一步的 .grad）</translation>
    </message>
    <message>
        <source>None (no gradient has arrived yet)</source>
        <translation>None（还没有梯度传到这里）</translation>
    </message>
    <message>
        <source>Gradients at this step</source>
        <translation>这一步的梯度</translation>
    </message>
    <message>
        <source>arrived (grad_output):</source>
        <translation>传入的梯度（grad_output）：</translation>
    </message>
    <message>
        <source>arrived at output 0 of {count}:</source>
        <translation>传到第 0 个输出（共 {count} 个）：</translation>
    </message>
    <message>
        <source>arrived at output {k}: {grad}</source>
        <translation>传到第 {k} 个输出：{grad}</translation>
    </message>
    <message>
        <source> (input {k})</source>
        <translation>（第 {k} 个输入）</translation>
    </message>
    <message>
        <source>sent to {node}{slot}: {grad}</source>
        <translation>发送给 {node}{slot}：{grad}</translation>
    </message>
    <message>
        <source>.grad after: {grad}</source>
        <translation>之后的 .grad：{grad}</translation>
    </message>
    <message>
        <source>nothing yet: backward has not reached it (it waits for its gradient)</source>
        <translation>还没有：反向传播尚未到达这里（它在等待自己的梯度）</translation>
    </message>
    <message>
        <source>nothing yet: no backward call has run at this step</source>
        <translation>还没有：这一步时还没有运行过 backward()</translation>
    </message>
    <message>
        <source>not run in this backward call</source>
        <translation>在这次 backward() 调用中没有运行</translation>
    </message>
    <message>
        <source>the gradient that reached it so far (a non-leaf keeps no .grad unless retain_grad()):</source>
        <translation>到目前为止传到它的梯度（非叶子节点不保留 .grad，除非调用 retain_grad()）：</translation>
    </message>
    <message>
        <source>∇ arrived from {node}: {grad}</source>
        <translation>∇ 来自 {node}：{grad}</translation>
    </message>
    <message>
        <source>∇ sent to {node}: {grad}</source>
        <translation>∇ 发送给 {node}：{grad}</translation>
    </message>
    <message>
        <source>shape {shape}, ‖·‖ {norm}</source>
        <translation>形状 {shape}，‖·‖ {norm}</translation>
    </message>
    <message numerus="yes">
        <source>collapsed group of %n nodes · double-click or right-click to expand</source>
        <translation>
            <numerusform>已折叠的分组，含 %n 个节点 · 双击或右键单击展开</numerusform>
        </translation>
    </message>
    <message>
        <source>members: {names}</source>
        <translation>成员：{names}</translation>
    </message>
    <message>
        <source>in from {source} → {target}: {shape}{grad}</source>
        <translation>流入 {source} → {target}：{shape}{grad}</translation>
    </message>
    <message>
        <source>out {source} → {target}: {shape}{grad}</source>
        <translation>流出 {source} → {target}：{shape}{grad}</translation>
    </message>
    <message>
        <source>Saved tensors</source>
        <translation>保存的张量</translation>
    </message>
    <message>
        <source>Saved by</source>
        <translation>保存者</translation>
    </message>
    <message>
        <source>{node} (for its backward), as {name}</source>
        <translation>{node}（供其反向传播使用），名为 {name}</translation>
    </message>
    <message>
        <source> (freed by this backward step)</source>
        <translation>（已被这一步反向传播释放）</translation>
    </message>
    <message>
        <source> (freed by backward)</source>
        <translation>（已被反向传播释放）</translation>
    </message>
    <message>
        <source>grad in [{i}]:  {grad}</source>
        <translation>传入的梯度 [{i}]：{grad}</translation>
    </message>
    <message>
        <source>grad out [{i}]: {grad}</source>
        <translation>发出的梯度 [{i}]：{grad}</translation>
    </message>
    <message>
        <source>.grad before: {grad}</source>
        <translation>之前的 .grad：{grad}</translation>
    </message>
    <message>
        <source>.grad after:  {grad}</source>
        <translation>之后的 .grad：{grad}</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <source>leaf tensor</source>
        <extracomment>the graph roles drawn with their own colour, in legend order their legend titles, English sources marked for lupdate (`legend_text` translates them); AccumulateGrad is PyTorch&apos;s name and stays as PyTorch prints it</extracomment>
        <translation>叶子张量</translation>
    </message>
    <message>
        <source>intermediate tensor</source>
        <translation>中间张量</translation>
    </message>
    <message>
        <source>output tensor</source>
        <translation>输出张量</translation>
    </message>
    <message>
        <source>backward function</source>
        <translation>反向函数</translation>
    </message>
    <message>
        <source>saved tensor</source>
        <translation>保存的张量</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常量</translation>
    </message>
    <message>
        <source>running now</source>
        <extracomment>backward-pass states, as the legend explains them</extracomment>
        <translation>正在运行</translation>
    </message>
    <message>
        <source>waits for its gradient</source>
        <translation>等待梯度</translation>
    </message>
    <message>
        <source>done (border: |grad|)</source>
        <translation>已完成（边框：|grad|）</translation>
    </message>
    <message>
        <source>|grad| (log scale)</source>
        <translation>|grad|（对数刻度）</translation>
    </message>
</context>
<context>
    <name>LegendOverlay</name>
    <message>
        <source>Legend ▾</source>
        <translation>图例 ▾</translation>
    </message>
    <message>
        <source>Legend ▸</source>
        <translation>图例 ▸</translation>
    </message>
    <message>
        <source>Click to show the legend</source>
        <translation>单击显示图例</translation>
    </message>
    <message>
        <source>Click to fold the legend away</source>
        <translation>单击收起图例</translation>
    </message>
</context>
<context>
    <name>Limits</name>
    <message>
        <source>a tensor</source>
        <extracomment>what a size check names, in English where it is made (hot paths), translated when it fails</extracomment>
        <translation>一个张量</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>a repeated sequence</source>
        <translation>重复得到的序列</translation>
    </message>
    <message>
        <source>a joined sequence</source>
        <translation>拼接得到的序列</translation>
    </message>
    <message>
        <source>a formatted value</source>
        <translation>格式化得到的值</translation>
    </message>
    <message>
        <source>unpacking</source>
        <translation>解包</translation>
    </message>
    <message>
        <source>an iterator</source>
        <translation>一个迭代器</translation>
    </message>
    <message>
        <source>script code cannot run outside the script&apos;s run</source>
        <translation>脚本的代码不能在脚本运行之外执行</translation>
    </message>
    <message>
        <source>time budget of {seconds} s exceeded</source>
        <translation>超出了 {seconds} 秒的时间预算</translation>
    </message>
    <message>
        <source>{what} would need {need} MB, past the memory limit of {cap} MB for a run ({used} MB in use)</source>
        <translation>{what} 需要 {need} MB，超出了每次运行 {cap} MB 的内存上限（已用 {used} MB）</translation>
    </message>
    <message>
        <source>memory limit of {cap} MB for a run exceeded ({used} MB in use)</source>
        <translation>超出了每次运行 {cap} MB 的内存上限（已用 {used} MB）</translation>
    </message>
    <message>
        <source>{what} would hold {count} elements, more than the limit of {limit}</source>
        <translation>{what} 将含有 {count} 个元素，超过了 {limit} 个的上限</translation>
    </message>
    <message>
        <source>a parameter of {module}(...)</source>
        <translation>{module}(...) 的一个参数</translation>
    </message>
    <message>
        <source>{name}(...)&apos;s weight</source>
        <translation>{name}(...) 的权重</translation>
    </message>
    <message>
        <source>an integer matmul of shapes {a} and {b} would take longer than a script may run uninterrupted</source>
        <translation>形状 {a} 与 {b} 的整数矩阵乘法所需时间超过脚本可以不被打断地运行的时长</translation>
    </message>
    <message>
        <source>math.{name} argument too large for a script</source>
        <translation>math.{name} 的参数对脚本来说太大</translation>
    </message>
    <message>
        <source>integer result too large for a script</source>
        <translation>整数结果对脚本来说太大</translation>
    </message>
    <message>
        <source>&apos;{op}&apos; of shapes {a} and {b}</source>
        <translation>形状 {a} 与 {b} 的 &apos;{op}&apos;</translation>
    </message>
    <message>
        <source>the text of this {type} would hold more than {limit} characters</source>
        <translation>这个 {type} 的文本将超过 {limit} 个字符</translation>
    </message>
    <message>
        <source>random.{name}(...) of more than {count} items</source>
        <translation>超过 {count} 项的 random.{name}(...)</translation>
    </message>
    <message>
        <source>random.getrandbits(...) of more than 1,000,000 bits</source>
        <translation>超过 1,000,000 位的 random.getrandbits(...)</translation>
    </message>
    <message>
        <source>namedtuple(...) with more than 1,000 fields</source>
        <translation>超过 1,000 个字段的 namedtuple(...)</translation>
    </message>
    <message>
        <source>statistics.{name}(...) of more than 1,000,000 values</source>
        <translation>超过 1,000,000 个值的 statistics.{name}(...)</translation>
    </message>
    <message>
        <source>numpy.linalg.{name}(...) of shape {shape} would take longer than a script may run uninterrupted</source>
        <translation>形状为 {shape} 的 numpy.linalg.{name}(...) 所需时间超过脚本可以不被打断地运行的时长</translation>
    </message>
</context>
<context>
    <name>LimitsDialog</name>
    <message>
        <source>Run limits</source>
        <translation>运行限制</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>default: half the RAM ({size})</source>
        <translation>默认：内存的一半（{size}）</translation>
    </message>
    <message>
        <source>Time budget of a run:</source>
        <translation>每次运行的时间预算：</translation>
    </message>
    <message>
        <source>Memory cap of a run:</source>
        <translation>每次运行的内存上限：</translation>
    </message>
    <message>
        <source>Each run, step and backward from a node runs in a process of its own. The time budget covers everything done for it (the script, its graph and recording); the memory cap is what the process may add, enforced by the operating system. A script stopped by either says which, at its line.</source>
        <translation>每次运行、单步执行和从节点开始的反向传播都在各自的进程中进行。时间预算涵盖为其所做的一切（脚本、计算图与录制）；内存上限是该进程可增加的内存，由操作系统强制执行。被其中任一限制停止的脚本会在出错的行说明是哪一个。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Script</source>
        <translation>脚本</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Press F5 to run the script, F10 to step through it (F11 steps into a loop).</source>
        <translation>按 F5 运行脚本，按 F10 单步执行（F11 单步进入循环）。</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Nothing to draw yet: no tensor was made.</source>
        <translation>还没有可绘制的内容：没有创建任何张量。</translation>
    </message>
    <message>
        <source>Playback finished</source>
        <translation>回放结束</translation>
    </message>
    <message>
        <source>working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>Failed: {message}</source>
        <translation>失败：{message}</translation>
    </message>
    <message>
        <source>Internal error: {message}</source>
        <translation>内部错误：{message}</translation>
    </message>
    <message>
        <source>Stopped at a breakpoint</source>
        <translation>在断点处停止</translation>
    </message>
    <message>
        <source>Stopped: {message}</source>
        <translation>已停止：{message}</translation>
    </message>
    <message>
        <source> Break on {nodes}, which uses it.</source>
        <translation> 请在使用它的 {nodes} 上设置断点。</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>No breakpoint on the constant {label}: it gets no gradient, so backward never stops there.</source>
        <translation>不能在常量 {label} 上设置断点：它不会得到梯度，所以反向传播从不在那里停下。</translation>
    </message>
    <message>
        <source>No breakpoint on the saved tensor {label}: it gets no gradient, so backward never stops there.</source>
        <translation>不能在保存的张量 {label} 上设置断点：它不会得到梯度，所以反向传播从不在那里停下。</translation>
    </message>
    <message>
        <source> no match</source>
        <translation> 无匹配</translation>
    </message>
    <message>
        <source> {index} of {count}</source>
        <translation> 第 {index} 个，共 {count} 个</translation>
    </message>
    <message numerus="yes">
        <source> %n matches</source>
        <translation>
            <numerusform> %n 个匹配</numerusform>
        </translation>
    </message>
    <message>
        <source>An opened recording shows the saved tensors it recorded; the setting applies to the next run</source>
        <translation>打开的记录显示它记录下的已保存张量；此设置在下一次运行时生效</translation>
    </message>
    <message>
        <source>Export graph as {fmt}</source>
        <translation>将计算图导出为 {fmt}</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>About gradtrace</source>
        <translation>关于 gradtrace</translation>
    </message>
    <message>
        <source>A visual debugger for automatic differentiation: PyTorch-style code, its grad_fn graph, backpropagation step by step.</source>
        <translation>自动微分的可视化调试器：PyTorch 风格的代码、它的 grad_fn 计算图、一步一步的反向传播。</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save &amp;recording…</source>
        <translation>保存记录(&amp;R)…</translation>
    </message>
    <message>
        <source>Save the run (graph, statements, every backward step&apos;s gradients) as a .gtrace file to open later or send to someone</source>
        <translation>把这次运行（计算图、语句、每个反向步骤的梯度）保存为 .gtrace 文件，以后打开或发给别人</translation>
    </message>
    <message>
        <source>Export graph as {fmt}…</source>
        <translation>将计算图导出为 {fmt}…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find in graph…</source>
        <translation>在计算图中查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the whole script</source>
        <translation>运行整个脚本</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>单步(&amp;S)</translation>
    </message>
    <message>
        <source>Step over: run the next statement (a whole loop); the graph grows with it</source>
        <translation>单步跳过：运行下一条语句（整个循环）；计算图随之增长</translation>
    </message>
    <message>
        <source>Step &amp;into</source>
        <translation>单步进入(&amp;I)</translation>
    </message>
    <message>
        <source>Step into: run one iteration of the loop at the next statement</source>
        <translation>单步进入：运行下一条语句处循环的一次迭代</translation>
    </message>
    <message>
        <source>Step o&amp;ut</source>
        <translation>单步跳出(&amp;U)</translation>
    </message>
    <message>
        <source>Step out: run the rest of the loop stepped into, else to the end</source>
        <translation>单步跳出：运行已进入的循环的剩余部分，否则运行到末尾</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Stop the run or layout in progress</source>
        <translation>停止正在进行的运行或布局</translation>
    </message>
    <message>
        <source>&amp;Limits…</source>
        <translation>限制(&amp;L)…</translation>
    </message>
    <message>
        <source>The time budget and the memory cap of each run</source>
        <translation>每次运行的时间预算与内存上限</translation>
    </message>
    <message>
        <source>&amp;Compare engines…</source>
        <translation>比较引擎(&amp;C)…</translation>
    </message>
    <message>
        <source>Run the script on gradtrace&apos;s engine and on PyTorch and list where names, values and gradients differ, node by node, with a finite-difference check</source>
        <translation>在 gradtrace 引擎和 PyTorch 上运行脚本，逐个节点列出名称、值和梯度不同的地方，并做有限差分检查</translation>
    </message>
    <message>
        <source>&amp;Fit graph to view</source>
        <translation>计算图适应视图(&amp;F)</translation>
    </message>
    <message>
        <source>The whole graph when its labels stay readable, else readable around the active node or the output</source>
        <translation>标签清晰时显示整个计算图，否则以可读的大小显示当前节点或输出附近</translation>
    </message>
    <message>
        <source>Fit &amp;all</source>
        <translation>显示全部(&amp;A)</translation>
    </message>
    <message>
        <source>The whole graph in view, however small</source>
        <translation>在视图中显示整个计算图，无论多小</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Left to right</source>
        <translation>从左到右</translation>
    </message>
    <message>
        <source>Lay the graph out left to right instead of top to bottom</source>
        <translation>把计算图从左到右布局，而不是从上到下</translation>
    </message>
    <message>
        <source>Show saved tensors</source>
        <translation>显示保存的张量</translation>
    </message>
    <message>
        <source>Draw the tensors each backward function saved</source>
        <translation>绘制每个反向函数保存的张量</translation>
    </message>
    <message>
        <source>Show legend</source>
        <translation>显示图例</translation>
    </message>
    <message>
        <source>Hide constants and no-grad nodes</source>
        <translation>隐藏常量和无需梯度的节点</translation>
    </message>
    <message>
        <source>Leave out the constants and the tensors and functions that need no gradient (exports still write every node)</source>
        <translation>不显示常量以及不需要梯度的张量和函数（导出仍写入所有节点）</translation>
    </message>
    <message>
        <source>&amp;Expand all groups</source>
        <translation>展开所有分组(&amp;E)</translation>
    </message>
    <message>
        <source>Draw every collapsed group&apos;s nodes again</source>
        <translation>重新显示每个已折叠分组的节点</translation>
    </message>
    <message>
        <source>Show overview</source>
        <translation>显示缩略图</translation>
    </message>
    <message>
        <source>The whole graph in miniature in the view&apos;s corner: drag its rectangle to move the view</source>
        <translation>在视图一角显示整个计算图的缩略图：拖动其中的矩形来移动视图</translation>
    </message>
    <message>
        <source>Follow system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Break on NaN/inf</source>
        <translation>遇到 NaN/inf 时中断</translation>
    </message>
    <message>
        <source>Stop playback where a gradient becomes NaN or inf</source>
        <translation>在梯度变成 NaN 或 inf 的地方停止回放</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Run the script on the GPU</source>
        <translation>在 GPU 上运行脚本</translation>
    </message>
    <message>
        <source>gradtrace</source>
        <translation>gradtrace</translation>
    </message>
    <message>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <source>gradtrace &amp;help</source>
        <translation>gradtrace 帮助(&amp;H)</translation>
    </message>
    <message>
        <source>The user guide, after the README&apos;s sections</source>
        <translation>用户指南，按 README 的章节编排</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Every shortcut, read from the menus</source>
        <translation>所有快捷键，从菜单中读取</translation>
    </message>
    <message>
        <source>How to &amp;read the graph</source>
        <translation>如何阅读计算图(&amp;R)</translation>
    </message>
    <message>
        <source>What each colour, border, edge label and pulse means</source>
        <translation>每种颜色、边框、边标签和脉冲的含义</translation>
    </message>
    <message>
        <source>&amp;Glossary</source>
        <translation>术语表(&amp;G)</translation>
    </message>
    <message>
        <source>The Chinese terms with PyTorch&apos;s English names</source>
        <translation>中文术语与 PyTorch 英文名称的对照</translation>
    </message>
    <message>
        <source>&amp;Tour</source>
        <translation>导览(&amp;T)</translation>
    </message>
    <message>
        <source>A guided walk through PyTorch&apos;s autograd tutorial, in the app</source>
        <translation>在应用里一步步走完 PyTorch 的 autograd 教程</translation>
    </message>
    <message>
        <source>&amp;About gradtrace</source>
        <translation>关于 gradtrace(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>示例(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Export graph</source>
        <translation>导出计算图(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation>引擎(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>回放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Collapse to depth</source>
        <translation>折叠到深度(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Find node (Ctrl+F)</source>
        <translation>查找节点 (Ctrl+F)</translation>
    </message>
    <message>
        <source> Engine: </source>
        <translation> 引擎：</translation>
    </message>
    <message>
        <source> Device: </source>
        <translation> 设备：</translation>
    </message>
    <message>
        <source>Ran the else of the loop at line {line}</source>
        <translation>运行了第 {line} 行循环的 else 部分</translation>
    </message>
    <message>
        <source>Ran the rest of the loop at line {line}</source>
        <translation>运行了第 {line} 行循环的剩余部分</translation>
    </message>
    <message>
        <source>Ran iterations {first} to {last} of the loop at line {line}</source>
        <translation>运行了第 {line} 行循环的第 {first} 到第 {last} 次迭代</translation>
    </message>
    <message>
        <source>Ran iteration {index} of the loop at line {line}</source>
        <translation>运行了第 {line} 行循环的第 {index} 次迭代</translation>
    </message>
    <message>
        <source>Ran {part} of the loop at line {line}</source>
        <translation>运行了第 {line} 行循环的{part}</translation>
    </message>
    <message>
        <source>Ran 1 statement (line {line})</source>
        <translation>运行了 1 条语句（第 {line} 行）</translation>
    </message>
    <message>
        <source>No groups to collapse</source>
        <translation>没有可折叠的分组</translation>
    </message>
</context>
<context>
    <name>Pipeline</name>
    <message>
        <source>CuPy is not installed</source>
        <translation>未安装 CuPy</translation>
    </message>
    <message>
        <source>Run the script on the GPU (CuPy)</source>
        <translation>在 GPU 上运行脚本（CuPy）</translation>
    </message>
    <message>
        <source>GPU check failed: {error}</source>
        <translation>GPU 检查失败：{error}</translation>
    </message>
    <message>
        <source>No CUDA GPU was found</source>
        <translation>没有找到 CUDA GPU</translation>
    </message>
    <message>
        <source>PyTorch is not installed: pip install gradtrace[torch] (or pip install torch)</source>
        <translation>未安装 PyTorch：pip install gradtrace[torch]（或 pip install torch）</translation>
    </message>
    <message>
        <source>Run the script on real PyTorch (not sandboxed)</source>
        <translation>在真正的 PyTorch 上运行脚本（不在沙箱中）</translation>
    </message>
    <message>
        <source>the PyTorch engine cannot run: {reason}</source>
        <translation>无法使用 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>building the graph</source>
        <translation>正在构建计算图</translation>
    </message>
    <message>
        <source>recording the run</source>
        <translation>正在记录这次运行</translation>
    </message>
    <message numerus="yes">
        <source>laying out %n nodes</source>
        <translation>
            <numerusform>正在布局 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>recording the timeline</source>
        <translation>正在记录时间线</translation>
    </message>
    <message>
        <source>reading the recording</source>
        <translation>正在读取记录</translation>
    </message>
    <message>
        <source>running the script</source>
        <translation>正在运行脚本</translation>
    </message>
    <message>
        <source>running the next statement</source>
        <translation>正在运行下一条语句</translation>
    </message>
    <message>
        <source>running</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <source>the graph of the tensors passed to show()</source>
        <translation>传给 show() 的张量的计算图</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <source>To start</source>
        <translation>到开头</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>后退一步</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Step forward</source>
        <translation>前进一步</translation>
    </message>
    <message>
        <source>To end</source>
        <translation>到末尾</translation>
    </message>
    <message>
        <source>no run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Scrub through the timeline: forward statements, then backward steps</source>
        <translation>拖动浏览时间线：先是前向的语句，然后是反向传播的步骤</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <source>Break on NaN/inf</source>
        <translation>遇到 NaN/inf 时中断</translation>
    </message>
    <message>
        <source>Stop playback at the first step whose gradient is NaN or inf</source>
        <translation>在第一个梯度为 NaN 或 inf 的步骤停止回放</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <extracomment>the languages offered (View &gt; Language, --lang), each in its own script</extracomment>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>Recording</name>
    <message>
        <source>value not recorded: {count} elements (cap {cap})</source>
        <translation>值未记录：{count} 个元素（上限 {cap}）</translation>
    </message>
</context>
<context>
    <name>RecordingFiles</name>
    <message>
        <source>Nothing to save: no script has run yet, so there is no recording (run it first, F5)</source>
        <translation>没有可保存的内容：还没有运行过脚本，所以没有记录（请先运行，F5）</translation>
    </message>
    <message>
        <source>Save recording</source>
        <translation>保存记录</translation>
    </message>
    <message>
        <source>gradtrace recordings (*.gtrace)</source>
        <translation>gradtrace 记录 (*.gtrace)</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>Could not save the recording {path}: {reason}</source>
        <translation>无法保存记录 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved the recording {path}</source>
        <translation>已保存记录 {path}</translation>
    </message>
</context>
<context>
    <name>Render</name>
    <message>
        <source>could not write {path}</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads</extracomment>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <source>gradtrace graph</source>
        <translation>gradtrace 计算图</translation>
    </message>
    <message>
        <source>The grad_fn graph drawn by gradtrace</source>
        <translation>由 gradtrace 绘制的 grad_fn 计算图</translation>
    </message>
    <message>
        <source>nothing to export to {name}: no script has run yet, so there is no graph (run it first, F5)</source>
        <translation>没有可导出到 {name} 的内容：还没有运行过脚本，所以没有计算图（请先按 F5 运行）</translation>
    </message>
    <message>
        <source>unknown export format {suffix}: use .png, .svg, .dot or .json</source>
        <translation>未知的导出格式 {suffix}：请使用 .png、.svg、.dot 或 .json</translation>
    </message>
</context>
<context>
    <name>RestrictedPython</name>
    <message>
        <source>&quot;{name}&quot; is an invalid variable name because it starts with &quot;_&quot;</source>
        <translation>&quot;{name}&quot; 是无效的变量名，因为它以 &quot;_&quot; 开头</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is an invalid variable name because it ends with &quot;__roles__&quot;.</source>
        <translation>&quot;{name}&quot; 是无效的变量名，因为它以 &quot;__roles__&quot; 结尾。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is a reserved name.</source>
        <translation>&quot;{name}&quot; 是保留名称。</translation>
    </message>
    <message>
        <source>Lazy import statements are not allowed.</source>
        <translation>不允许惰性导入语句。</translation>
    </message>
    <message>
        <source>&quot;*&quot; imports are not allowed.</source>
        <translation>不允许 &quot;*&quot; 导入。</translation>
    </message>
    <message>
        <source>{node} statements are not allowed.</source>
        <translation>不允许 {node} 语句。</translation>
    </message>
    <message>
        <source>Exec calls are not allowed.</source>
        <translation>不允许调用 exec。</translation>
    </message>
    <message>
        <source>Eval calls are not allowed.</source>
        <translation>不允许调用 eval。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is an invalid attribute name because it starts with &quot;_&quot;.</source>
        <translation>&quot;{name}&quot; 是无效的属性名，因为它以 &quot;_&quot; 开头。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is an invalid attribute name because it ends with &quot;__roles__&quot;.</source>
        <translation>&quot;{name}&quot; 是无效的属性名，因为它以 &quot;__roles__&quot; 结尾。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is a restricted name, that is forbidden to access in RestrictedPython.</source>
        <translation>&quot;{name}&quot; 是受限名称，RestrictedPython 禁止访问它。</translation>
    </message>
    <message>
        <source>Unpacking in comprehensions is not allowed.</source>
        <translation>推导式中不允许解包。</translation>
    </message>
    <message>
        <source>Augmented assignment of attributes is not allowed.</source>
        <translation>不允许对属性做增强赋值。</translation>
    </message>
    <message>
        <source>Augmented assignment of object items and slices is not allowed.</source>
        <translation>不允许对对象的元素和切片做增强赋值。</translation>
    </message>
    <message>
        <source>The keyword argument &quot;metaclass&quot; is not allowed.</source>
        <translation>不允许关键字参数 &quot;metaclass&quot;。</translation>
    </message>
    <message>
        <source>Assignment expressions are only allowed for simple targets</source>
        <translation>赋值表达式只允许用于简单目标</translation>
    </message>
</context>
<context>
    <name>RunControl</name>
    <message>
        <source>Cancelled</source>
        <extracomment>the engine scripts run on: &quot;gradtrace&quot; (sandboxed) or &quot;torch&quot; (`gradtrace --engine torch`) scripts run in a child process (gui/model/child.py): the app survives what they do; False runs them in this process (tests that look at the engine&apos;s own objects)</extracomment>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Backward from {label}: wait until the run in progress ends (or Stop it).</source>
        <translation>从 {label} 反向传播：请等待正在进行的运行结束（或停止它）。</translation>
    </message>
    <message>
        <source>Backward from {label}: {message}</source>
        <translation>从 {label} 反向传播：{message}</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格键</translation>
    </message>
    <message numerus="yes">
        <source>Backward from {label}: %n steps added. Press {keys} to play them.</source>
        <translation>
            <numerusform>从 {label} 反向传播：添加了 %n 步。按 {keys} 播放。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ran %n statements: </source>
        <translation>
            <numerusform>运行了 %n 条语句：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n nodes, </source>
        <translation>
            <numerusform>%n 个节点，</numerusform>
        </translation>
    </message>
    <message>
        <source>A recording has no live run to run backward in: run its script (F5) to make one</source>
        <translation>记录没有可以在其中运行反向传播的活动运行：运行它的脚本（F5）来产生一个</translation>
    </message>
    <message>
        <source>Opened the recording {name}: </source>
        <translation>已打开记录 {name}：</translation>
    </message>
    <message numerus="yes">
        <source>%n statements, </source>
        <translation>
            <numerusform>%n 条语句，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backward calls</source>
        <translation>
            <numerusform>%n 次 backward() 调用</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing left to run: the script has finished. F5 runs it again.</source>
        <translation>没有剩下要运行的内容：脚本已经结束。按 F5 重新运行。</translation>
    </message>
    <message numerus="yes">
        <source>Ran %n statements</source>
        <translation>
            <numerusform>运行了 %n 条语句</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>. Press Space to play the %n backward steps</source>
        <translation>
            <numerusform>。按空格键播放这 %n 步反向传播</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>. Press {keys} to play the %n backward steps</source>
        <translation>
            <numerusform>。按 {keys} 播放这 %n 步反向传播</numerusform>
        </translation>
    </message>
    <message>
        <source>. The script has finished</source>
        <translation>。脚本已经结束</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Scripts run on the CPU; the GPU is unavailable: {reason}</source>
        <translation>脚本在 CPU 上运行；GPU 不可用：{reason}</translation>
    </message>
    <message>
        <source>Scripts run on the GPU (CuPy): click to run on the CPU (re-runs the script)</source>
        <translation>脚本在 GPU 上运行（CuPy）：单击改为在 CPU 上运行（会重新运行脚本）</translation>
    </message>
    <message>
        <source>Scripts run on the CPU: click to run on the GPU (re-runs the script)</source>
        <translation>脚本在 CPU 上运行：单击改为在 GPU 上运行（会重新运行脚本）</translation>
    </message>
    <message>
        <source>Device: {device}</source>
        <translation>设备：{device}</translation>
    </message>
</context>
<context>
    <name>Sandbox</name>
    <message>
        <source>object, string, void and datetime arrays are not available in scripts</source>
        <translation>脚本中不能使用对象、字符串、void 和 datetime 数组</translation>
    </message>
    <message>
        <source>{name}(): cannot convert a {type} object in scripts; pass a list, a tuple, a tensor or an array</source>
        <translation>{name}()：脚本中不能转换 {type} 对象；请传入列表、元组、张量或数组</translation>
    </message>
    <message>
        <source>unsupported operand type(s) for {op} in scripts: numpy arrays do not combine with your own objects</source>
        <translation>脚本中 {op} 不支持的操作数类型：numpy 数组不能与你自己的对象运算</translation>
    </message>
    <message>
        <source>cannot assign to module &apos;{name}&apos;</source>
        <translation>不能给模块 &apos;{name}&apos; 赋值</translation>
    </message>
    <message>
        <source>cannot assign to class &apos;{name}&apos;</source>
        <translation>不能给类 &apos;{name}&apos; 赋值</translation>
    </message>
    <message>
        <source>cannot pickle class &apos;{name}&apos; in scripts</source>
        <translation>脚本中不能 pickle 类 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>cannot assign attribute &apos;{name}&apos; of {type}</source>
        <translation>不能给 {type} 的属性 &apos;{name}&apos; 赋值</translation>
    </message>
    <message>
        <source>cannot delete items of {type}</source>
        <translation>不能删除 {type} 的元素</translation>
    </message>
    <message>
        <source>print(file=...) is not allowed</source>
        <translation>不允许使用 print(file=...)</translation>
    </message>
    <message>
        <source>relative imports are not allowed</source>
        <translation>不允许相对导入</translation>
    </message>
    <message>
        <source>import of &apos;{name}&apos; is not allowed (scripts may import {allowed} and their submodules)</source>
        <translation>不允许导入 &apos;{name}&apos;（脚本可以导入 {allowed} 及其子模块）</translation>
    </message>
    <message>
        <source>import of &apos;{name}&apos; is not allowed</source>
        <translation>不允许导入 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>module &apos;{module}&apos; has no submodule &apos;{name}&apos;</source>
        <translation>模块 &apos;{module}&apos; 没有子模块 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not available in scripts: {why}</source>
        <translation>脚本中不能使用 &apos;{name}&apos;：{why}</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is a module; not available in scripts</source>
        <translation>&apos;{name}&apos; 是一个模块；脚本中不能使用</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; of {type} objects is not available</source>
        <translation>不能使用 {type} 对象的属性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>{object} cannot be indexed in scripts</source>
        <translation>脚本中不能对 {object} 取下标</translation>
    </message>
    <message>
        <source>cannot assign to attributes or items of {type} objects</source>
        <translation>不能给 {type} 对象的属性或元素赋值</translation>
    </message>
    <message>
        <source>cannot assign attribute &apos;{name}&apos; of the ctx</source>
        <translation>不能给 ctx 的属性 &apos;{name}&apos; 赋值</translation>
    </message>
    <message>
        <source>cannot delete attribute &apos;{name}&apos; of the ctx</source>
        <translation>不能删除 ctx 的属性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>the ctx does not support item assignment</source>
        <translation>ctx 不支持元素赋值</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not available in scripts</source>
        <translation>脚本中不能使用 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; of {type} objects is not available in scripts</source>
        <translation>脚本中不能使用 {type} 对象的属性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>cannot create &apos;{name}&apos; objects in scripts</source>
        <translation>脚本中不能创建 &apos;{name}&apos; 对象</translation>
    </message>
    <message>
        <source>class {name}: class keywords ({keywords}) are not allowed in scripts</source>
        <translation>类 {name}：脚本中不允许使用类关键字（{keywords}）</translation>
    </message>
    <message>
        <source>class {name}: defining &apos;{key}&apos; is not allowed in scripts (it would change how Python treats the object)</source>
        <translation>类 {name}：脚本中不允许定义 &apos;{key}&apos;（它会改变 Python 对待该对象的方式）</translation>
    </message>
    <message>
        <source>class {name}: &apos;{key}&apos; is the engine&apos;s own name in this class</source>
        <translation>类 {name}：&apos;{key}&apos; 是引擎在这个类中自己使用的名字</translation>
    </message>
    <message>
        <source>class {name}: metaclass {meta} is not allowed</source>
        <translation>类 {name}：不允许使用元类 {meta}</translation>
    </message>
    <message>
        <source>class {name}: {base} cannot be a base class in scripts (bases may be your own classes, object, exceptions, nn.Module, autograd.Function and torch.utils.data classes)</source>
        <translation>类 {name}：脚本中 {base} 不能作为基类（基类可以是你自己的类、object、异常、nn.Module、autograd.Function 和 torch.utils.data 中的类）</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; of {type} objects is the engine&apos;s own</source>
        <translation>{type} 对象的属性 &apos;{name}&apos; 是引擎自己使用的</translation>
    </message>
    <message>
        <source>cannot assign attribute &apos;{name}&apos; of {type} objects</source>
        <translation>不能给 {type} 对象的属性 &apos;{name}&apos; 赋值</translation>
    </message>
    <message>
        <source>super() is only available inside your own classes</source>
        <translation>super() 只能在你自己的类中使用</translation>
    </message>
    <message>
        <source>super() in scripts takes a class and an object</source>
        <translation>脚本中的 super() 需要一个类和一个对象</translation>
    </message>
    <message>
        <source>super() is only available for your own classes</source>
        <translation>super() 只能用于你自己的类</translation>
    </message>
    <message>
        <source>type() with 3 arguments (making a class) is not available in scripts; use a class statement</source>
        <translation>脚本中不能使用 3 个参数的 type()（创建类）；请使用 class 语句</translation>
    </message>
    <message>
        <source>{func}() with the name &apos;{name}&apos; is not available in scripts (names starting with &apos;_&apos; are refused)</source>
        <translation>脚本中不能以名字 &apos;{name}&apos; 调用 {func}()（以 &apos;_&apos; 开头的名字会被拒绝）</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; is not available in str.format</source>
        <translation>str.format 中不能使用属性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>namedtuple(module=...) is not available in scripts</source>
        <translation>脚本中不能使用 namedtuple(module=...)</translation>
    </message>
    <message>
        <source>dataclass() applies to your own classes in scripts</source>
        <translation>脚本中 dataclass() 只能用于你自己的类</translation>
    </message>
    <message>
        <source>cannot create &apos;{name}&apos; objects in scripts; use numpy.array</source>
        <translation>脚本中不能创建 &apos;{name}&apos; 对象；请使用 numpy.array</translation>
    </message>
    <message>
        <source>numpy.{name}(): object, string, void and datetime dtypes are not available in scripts</source>
        <translation>numpy.{name}()：脚本中不能使用对象、字符串、void 和 datetime 数据类型</translation>
    </message>
    <message>
        <source>numpy.{name}(): cannot take a {type} object in scripts; pass arrays, tensors, numbers or lists</source>
        <translation>numpy.{name}()：脚本中不能接受 {type} 对象；请传入数组、张量、数字或列表</translation>
    </message>
    <message>
        <source>numpy.{name}(): arrays of strings are not available in scripts</source>
        <translation>numpy.{name}()：脚本中不能使用字符串数组</translation>
    </message>
    <message>
        <source>numpy.{name}(): object, string, void and datetime arrays are not available in scripts</source>
        <translation>numpy.{name}()：脚本中不能使用对象、字符串、void 和 datetime 数组</translation>
    </message>
    <message>
        <source>async code is not allowed</source>
        <translation>不允许使用异步代码</translation>
    </message>
    <message>
        <source>&apos;yield&apos; in a lambda is not allowed</source>
        <translation>不允许在 lambda 中使用 &apos;yield&apos;</translation>
    </message>
    <message>
        <source>class keywords are not allowed (only base classes)</source>
        <translation>不允许使用类关键字（只能写基类）</translation>
    </message>
    <message>
        <source>defining &apos;{name}&apos; is not allowed in scripts: it changes how Python looks up, creates, copies or deletes objects (a class may define __init__, __call__, __len__, __getitem__, __iter__, __next__, __repr__, __str__, __enter__, __exit__, comparisons and operators)</source>
        <translation>脚本中不允许定义 &apos;{name}&apos;：它会改变 Python 查找、创建、复制或删除对象的方式（类可以定义 __init__、__call__、__len__、__getitem__、__iter__、__next__、__repr__、__str__、__enter__、__exit__、比较和运算符）</translation>
    </message>
</context>
<context>
    <name>ScriptError</name>
    <message>
        <source>line {line}: </source>
        <translation>第 {line} 行：</translation>
    </message>
    <message>
        <source>{code}: </source>
        <translation>{code}：</translation>
    </message>
    <message>
        <source>statement is too deeply nested</source>
        <translation>语句嵌套太深</translation>
    </message>
    <message>
        <source>cannot compile this statement: {error}</source>
        <translation>无法编译这条语句：{error}</translation>
    </message>
    <message>
        <source>{kind}: {message}</source>
        <translation>{kind}: {message}</translation>
    </message>
    <message>
        <source>device {device} is not available: {error}</source>
        <translation>设备 {device} 不可用：{error}</translation>
    </message>
</context>
<context>
    <name>ScriptFiles</name>
    <message>
        <source>Could not open {path}: {reason}</source>
        <translation>无法打开 {path}：{reason}</translation>
    </message>
    <message>
        <source>Open failed</source>
        <translation>打开失败</translation>
    </message>
    <message>
        <source>Example {name} loaded: press F5 to run</source>
        <translation>已加载示例 {name}：按 F5 运行</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>{name} has unsaved changes. Save them before they are replaced?</source>
        <translation>{name} 有未保存的更改。在它们被替换之前保存吗？</translation>
    </message>
    <message>
        <source>Open script</source>
        <translation>打开脚本</translation>
    </message>
    <message>
        <source>Scripts and recordings (*.py *.gtrace);;Python scripts (*.py);;gradtrace recordings (*.gtrace);;All files (*)</source>
        <translation>脚本和记录 (*.py *.gtrace);;Python 脚本 (*.py);;gradtrace 记录 (*.gtrace);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save script</source>
        <translation>保存脚本</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>无法保存 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>File not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <source>{path} no longer exists.</source>
        <translation>{path} 已不存在。</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>iterations {first} to {last}</source>
        <translation>第 {first} 到第 {last} 次迭代</translation>
    </message>
    <message>
        <source>iteration {index}</source>
        <translation>第 {index} 次迭代</translation>
    </message>
    <message>
        <source>the rest of the loop</source>
        <translation>循环的剩余部分</translation>
    </message>
    <message>
        <source>the loop&apos;s else</source>
        <translation>循环的 else 部分</translation>
    </message>
    <message>
        <source>line {line}: {text} ({part})</source>
        <translation>第 {line} 行：{text}（{part}）</translation>
    </message>
    <message>
        <source>statement {index}: {text} ({part})</source>
        <translation>语句 {index}：{text}（{part}）</translation>
    </message>
    <message>
        <source>line {line}: {text}</source>
        <translation>第 {line} 行：{text}</translation>
    </message>
    <message>
        <source>statement {index}: {text}</source>
        <translation>语句 {index}：{text}</translation>
    </message>
    <message>
        <source>forward: the whole graph</source>
        <translation>前向：整个计算图</translation>
    </message>
    <message>
        <source>backward step {step}/{total}: {op} (call {call})</source>
        <translation>反向传播第 {step}/{total} 步：{op}（第 {call} 次调用）</translation>
    </message>
    <message>
        <source>backward step {step}/{total}: {op}</source>
        <translation>反向传播第 {step}/{total} 步：{op}</translation>
    </message>
    <message>
        <source>{node} of {leaf}</source>
        <translation>{leaf} 的 {node}</translation>
    </message>
    <message>
        <source>{node} (line {line})</source>
        <translation>{node}（第 {line} 行）</translation>
    </message>
    <message>
        <source>NaN/inf gradient first made by {node} at {step}</source>
        <translation>NaN/inf 梯度最早由 {node} 在 {step} 产生</translation>
    </message>
    <message>
        <source>breakpoint on {node} at {step}</source>
        <translation>{node} 上的断点，位于 {step}</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <source>Leaves: requires_grad=True</source>
        <extracomment>the translation context of every tour text (QCoreApplication.translate(CONTEXT, text))</extracomment>
        <translation>叶子节点：requires_grad=True</translation>
    </message>
    <message>
        <source>A tensor made with `requires_grad=True` is a leaf of the computation graph: autograd records every operation done with it, and `backward()` will put its gradient in `x.grad`.

The script on the left has run. The graph shows the one leaf `x`; it is selected, and the inspector shows `requires_grad True`, `is_leaf True` and `grad_fn None`: no operation made it.</source>
        <translation>用 `requires_grad=True` 创建的张量是计算图的叶子节点：autograd 会记录对它做的每一个运算，`backward()` 会把它的梯度放进 `x.grad`。

左边的脚本已经运行。计算图里只有一个叶子节点 `x`，它已被选中，检查器显示 `requires_grad True`、`is_leaf True` 和 `grad_fn None`：它不是由任何运算产生的。</translation>
    </message>
    <message>
        <source>An operation makes grad_fn: AddBackward0</source>
        <translation>运算产生 grad_fn：AddBackward0</translation>
    </message>
    <message>
        <source>`y = x + 2` is computed from a leaf, so autograd records how: `y.grad_fn` is an `AddBackward0` node, the function that will send the gradient from `y` back to `x`. The console shows it as PyTorch prints it.

In the graph, `AddBackward0` leads to `AccumulateGrad`, the node that will write `x.grad`. `y` is selected: it is not a leaf, and its `grad_fn` is that node.</source>
        <translation>`y = x + 2` 是从叶子节点算出来的，所以 autograd 记下了它的来历：`y.grad_fn` 是一个 `AddBackward0` 节点，也就是之后把梯度从 `y` 传回 `x` 的函数。控制台按 PyTorch 的打印方式显示它。

在计算图里，`AddBackward0` 连到 `AccumulateGrad`，这个节点之后会写入 `x.grad`。`y` 已被选中：它不是叶子节点，它的 `grad_fn` 就是那个节点。</translation>
    </message>
    <message>
        <source>z.mean(): a single number at the end</source>
        <translation>z.mean()：最后得到一个数</translation>
    </message>
    <message>
        <source>`z = y * y * 3` adds two `MulBackward0` nodes, and `out = z.mean()` a `MeanBackward0`. `out` is a scalar, one number: the kind of output that `backward()` can start from with nothing more said.

`out` is selected. No backward has run yet, so no node has a gradient.</source>
        <translation>`z = y * y * 3` 添加了两个 `MulBackward0` 节点，`out = z.mean()` 添加了一个 `MeanBackward0`。`out` 是标量，只有一个数：`backward()` 无需任何额外参数就能从这种输出开始。

`out` 已被选中。反向传播还没有运行，所以还没有节点得到梯度。</translation>
    </message>
    <message>
        <source>out.backward(), step by step</source>
        <translation>逐步执行 out.backward()</translation>
    </message>
    <message>
        <source>`out.backward()` runs the graph backwards, from `out` to the leaves, and the player is playing it: one node per step (Shift+Left and Shift+Right step back and forward). Each node applies its own local derivative and passes the result on:

`MeanBackward0`: 1 / 4 = 0.25 for each element. `MulBackward0` (× 3): 0.25 · 3 = 0.75. `MulBackward0` (y · y): 0.75 · y = 2.25 to each of its two inputs, both `y`, so `y` receives 4.5. `AddBackward0` passes 4.5 on, and `AccumulateGrad` stores it in `x.grad`.

That is d(out)/dx = 3(x+2)/2 = 4.5, as the tutorial says: `x` is selected, and its `.grad` is 4.5 everywhere.</source>
        <translation>`out.backward()` 从 `out` 到叶子节点反向走过计算图，播放器正在播放这次反向传播：每一步一个节点（Shift+Left 和 Shift+Right 后退、前进一步）。每个节点应用自己的局部导数，再把结果传下去：

`MeanBackward0`：每个元素得到 1 / 4 = 0.25。`MulBackward0`（× 3）：0.25 · 3 = 0.75。`MulBackward0`（y · y）：0.75 · y = 2.25，发给两个输入，两个都是 `y`，所以 `y` 收到 4.5。`AddBackward0` 把 4.5 传下去，`AccumulateGrad` 把它存进 `x.grad`。

这就是教程里的 d(out)/dx = 3(x+2)/2 = 4.5：`x` 已被选中，它的 `.grad` 处处是 4.5。</translation>
    </message>
    <message>
        <source>Each node&apos;s rule, with its numbers</source>
        <translation>每个节点的规则和它的数值</translation>
    </message>
    <message>
        <source>The player is at backward step 3, where the `MulBackward0` of `y * y` ran; it is selected. The inspector&apos;s &quot;Backward rule at this step&quot; shows the rule it applied, the product rule grad_self = grad · other, grad_other = grad · self, with what it saved (`self` and `other`, both `y`, 3 everywhere) and what it sent: 0.75 · 3 = 2.25 to each input.

Select any other backward node, at any step, to read its rule the same way.</source>
        <translation>播放器停在反向传播第 3 步，也就是 `y * y` 的 `MulBackward0` 运行的那一步；它已被选中。检查器的“这一步的反向传播规则”显示它应用的规则，即乘积法则 grad_self = grad · other、grad_other = grad · self，以及它保存的张量（`self` 和 `other`，都是 `y`，处处为 3）和它发出的数值：给每个输入 0.75 · 3 = 2.25。

在任意一步选中任意其他反向节点，都能这样读到它的规则。</translation>
    </message>
    <message>
        <source>backward(gradient) for an output that is not a scalar</source>
        <translation>输出不是标量时：用 backward(gradient) 给出梯度</translation>
    </message>
    <message>
        <source>`y = x * 2` is a vector, not one number, so `y.backward()` alone would stop with PyTorch&apos;s &quot;grad can be implicitly created only for scalar outputs&quot;. Give it the vector to multiply the Jacobian with instead: `y.backward(v)` computes vᵀ · J, here `x.grad` = 2 · v = [0.2, 2, 0.0002].</source>
        <translation>`y = x * 2` 是向量，不是一个数，所以单独调用 `y.backward()` 会停在 PyTorch 的 &quot;grad can be implicitly created only for scalar outputs&quot;。改为给它一个与雅可比矩阵相乘的向量：`y.backward(v)` 计算 vᵀ · J，这里 `x.grad` = 2 · v = [0.2, 2, 0.0002]。</translation>
    </message>
    <message>
        <source>A second backward adds to .grad</source>
        <translation>第二次反向传播累加到 .grad</translation>
    </message>
    <message>
        <source>Backward runs a second time, on a fresh graph, and `x.grad` is not replaced but added to: 3 + 3 = 6. This is gradient accumulation; the selected `AccumulateGrad` of the second call shows it as `.grad + grad`.

That is why a training loop calls `optimizer.zero_grad()` (or sets `x.grad = None`) before each backward: otherwise every step&apos;s gradients pile up.</source>
        <translation>在新建的计算图上第二次运行反向传播，`x.grad` 不会被替换，而是累加：3 + 3 = 6。这就是梯度累加；选中的第二次调用的 `AccumulateGrad` 把它显示为 `.grad + grad`。

所以训练循环在每次反向传播前都要调用 `optimizer.zero_grad()`（或设 `x.grad = None`）：否则每一步的梯度会越堆越多。</translation>
    </message>
    <message>
        <source>detach() and torch.no_grad() cut the graph</source>
        <translation>detach() 和 torch.no_grad() 切断计算图</translation>
    </message>
    <message>
        <source>`d = y.detach()` has the numbers of `y` but no history: a new leaf that needs no gradient. Inside `with torch.no_grad():` nothing is recorded at all, so `n` has no `grad_fn` either. The graph draws both cuts as dashed edges.

So `out = (y * d).sum()` is differentiated through `y` only: `d` counts as the constant 2, and `x.grad` = 2 · d = 4.</source>
        <translation>`d = y.detach()` 的数值和 `y` 相同，但没有来历：它是一个不需要梯度的新叶子节点。在 `with torch.no_grad():` 里面什么都不记录，所以 `n` 也没有 `grad_fn`。计算图把这两处切断画成虚线边。

因此 `out = (y * d).sum()` 只通过 `y` 求导：`d` 当作常数 2，`x.grad` = 2 · d = 4。</translation>
    </message>
    <message>
        <source>requires_grad_() switches tracking on</source>
        <translation>requires_grad_() 打开追踪</translation>
    </message>
    <message>
        <source>A tensor made without `requires_grad` records nothing. `a.requires_grad_(True)` switches it on in place, as in the tutorial: from then on `a` is a leaf that autograd tracks, so `b = (a * a).sum()` gets a `grad_fn` (`SumBackward0`), and backward gives `a.grad` = 2a. `a` is selected.</source>
        <translation>没有 `requires_grad` 的张量什么都不记录。`a.requires_grad_(True)` 就地把它打开，和教程里一样：从此 `a` 是 autograd 追踪的叶子节点，所以 `b = (a * a).sum()` 得到一个 `grad_fn`（`SumBackward0`），反向传播给出 `a.grad` = 2a。`a` 已被选中。</translation>
    </message>
    <message>
        <source>An error: backward through the graph a second time</source>
        <translation>错误：第二次对计算图做反向传播</translation>
    </message>
    <message>
        <source>Backward frees what each node saved (here the `self` and `other` of `MulBackward0`) once it has used it, to save memory. The second `y.backward()` finds them gone, and PyTorch stops with &quot;Trying to backward through the graph a second time&quot;. The error shows under the editor at its line; the node whose saved tensors are gone is selected.

Pass `retain_graph=True` to the first call if you really need a second one, or build the graph again.</source>
        <translation>为了节省内存，反向传播用完每个节点保存的张量（这里是 `MulBackward0` 的 `self` 和 `other`）后就释放它们。第二次 `y.backward()` 发现它们已经不在了，PyTorch 于是停在 &quot;Trying to backward through the graph a second time&quot;。错误显示在编辑器下方它所在的行；保存的张量已被释放的那个节点已被选中。

如果确实需要第二次，第一次调用时传入 `retain_graph=True`，或者重新构建计算图。</translation>
    </message>
    <message>
        <source>An error: a saved tensor changed in place</source>
        <translation>错误：保存的张量被就地修改</translation>
    </message>
    <message>
        <source>`ExpBackward0` saves its result, since the derivative of eˣ is eˣ. `y.add_(1)` then changes that very tensor in place, so at backward PyTorch finds the saved value at a newer version and refuses: &quot;one of the variables needed for gradient computation has been modified by an inplace operation&quot;. The node that saved it is selected.

Write `y = y + 1` instead: it makes a new tensor and leaves the saved one alone.</source>
        <translation>`ExpBackward0` 保存它的结果，因为 eˣ 的导数就是 eˣ。随后 `y.add_(1)` 就地修改了这个张量，所以反向传播时 PyTorch 发现保存的值版本变新了，于是拒绝计算梯度：&quot;one of the variables needed for gradient computation has been modified by an inplace operation&quot;。保存它的节点已被选中。

改写成 `y = y + 1`：它生成一个新张量，不动保存的那个。</translation>
    </message>
    <message>
        <source>Devices: CPU and GPU</source>
        <translation>设备：CPU 和 GPU</translation>
    </message>
    <message>
        <source>Every tensor lives on a device: `x.device` is `cpu` here. With a GPU (CuPy for gradtrace; the toolbar&apos;s device button), `.to(&quot;cuda&quot;)` moves a tensor there and autograd works the same. One operation needs all its tensors on one device: mixing them stops with PyTorch&apos;s &quot;Expected all tensors to be on the same device&quot;, and on a machine without a GPU asking for one says &quot;Torch not compiled with CUDA enabled&quot;. The script ends with that mistake, so you see whichever error this machine gives.</source>
        <translation>每个张量都在某个设备上：这里 `x.device` 是 `cpu`。有 GPU 时（gradtrace 用 CuPy；工具栏的设备按钮），`.to(&quot;cuda&quot;)` 把张量移过去，autograd 的工作方式不变。一个运算要求它的所有张量在同一个设备上：混用会停在 PyTorch 的 &quot;Expected all tensors to be on the same device&quot;；在没有 GPU 的机器上请求 GPU 会得到 &quot;Torch not compiled with CUDA enabled&quot;。脚本最后故意犯了这个错误，你会看到这台机器给出的那一个。</translation>
    </message>
    <message>
        <source>Stage {n} of {total}: {title}</source>
        <translation>第 {n} 站（共 {total} 站）：{title}</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一站</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>Run this stage&apos;s script again from the start</source>
        <translation>从头重新运行这一站的脚本</translation>
    </message>
    <message>
        <source>Leave the tour and get your script back</source>
        <translation>离开导览，取回你自己的脚本</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Skip ▶</source>
        <translation>跳过 ▶</translation>
    </message>
    <message>
        <source>Go on to the next stage</source>
        <translation>进入下一站</translation>
    </message>
    <message>
        <source>Leave tour</source>
        <translation>离开导览</translation>
    </message>
    <message>
        <source>Tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <source>New to autograd? Take the guided tour of PyTorch&apos;s autograd tutorial, here in the app (Help &gt; Tour).</source>
        <translation>初学 autograd？在应用里跟着导览走一遍 PyTorch 的 autograd 教程（帮助 &gt; 导览）。</translation>
    </message>
    <message>
        <source>Start the tour</source>
        <translation>开始导览</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>Don&apos;t show again</source>
        <translation>不再显示</translation>
    </message>
</context>
</TS>
