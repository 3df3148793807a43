<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW" sourcelanguage="en">
<context>
    <name>ArrayView</name>
    <message>
        <source>{ndim}-d tensor of shape {shape}: the heat map shows its {slices} slices flattened into {rows} rows of {width}</source>
        <extracomment>the fill of a heat map whose finite values are all equal: no colour says &quot;large&quot;</extracomment>
        <translation>形狀為 {shape} 的 {ndim} 維張量：熱力圖把它的 {slices} 個切片展平成 {rows} 行，每行 {width} 個元素</translation>
    </message>
    <message>
        <source>{ndim}-d tensor of shape {shape}: too many slices to draw, statistics only</source>
        <translation>形狀為 {shape} 的 {ndim} 維張量：切片太多，無法繪製，只顯示統計量</translation>
    </message>
    <message>
        <source>constant: every finite element is {value} (drawn neutral, no colour scale)</source>
        <translation>常數：每個有限元素都是 {value}（以中性色繪製，沒有顏色刻度）</translation>
    </message>
    <message>
        <source>heat map: blue &lt; 0 &lt; red, white at 0; full colour at the largest |value| (scale below)</source>
        <translation>熱力圖：藍色 &lt; 0 &lt; 紅色，0 為白色；|值| 最大處顏色最深（刻度見下方）</translation>
    </message>
</context>
<context>
    <name>Child</name>
    <message>
        <source>the script ran out of memory (limit {cap}; Run &gt; Limits… sets it)</source>
        <extracomment>seconds past the time budget before the parent kills a command: the in-process check of the budget reports first (with a partial result) when it can how often the waiting parent looks at cancel, the deadline and a device run&apos;s memory the most seconds a child may take to start (import its engine) before its first command</extracomment>
        <translation>指令碼耗盡了記憶體（上限 {cap}；可在 執行 &gt; 限制… 中設定）</translation>
    </message>
    <message>
        <source>the script ran out of memory ({what})</source>
        <translation>指令碼耗盡了記憶體（{what}）</translation>
    </message>
    <message>
        <source>the run took longer than its time budget of {budget} s (the script, its graph and recording together) and was stopped; Run &gt; Limits… sets the budget</source>
        <translation>本次執行超出了 {budget} 秒的時間預算（指令碼、計算圖與錄製合計），已被停止；可在 執行 &gt; 限制… 中設定時間預算</translation>
    </message>
    <message>
        <source>deep recursion in a C function, or a fault in a native library</source>
        <translation>C 函式中的深度遞迴，或原生程式庫中的故障</translation>
    </message>
    <message>
        <source>a fault in a native library</source>
        <translation>原生程式庫中的故障</translation>
    </message>
    <message>
        <source>the process aborted (os.abort(), or a failed check in a native library)</source>
        <translation>行程中止（os.abort()，或原生程式庫中的檢查失敗）</translation>
    </message>
    <message>
        <source>the script&apos;s process was killed by the system, most likely for using too much memory (limit {cap}; Run &gt; Limits… sets it)</source>
        <translation>指令碼的行程被系統終止，很可能是因為佔用記憶體過多（上限 {cap}；可在 執行 &gt; 限制… 中設定）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <source>the script used up the CPU time its process may use</source>
        <translation>指令碼用完了其行程可用的 CPU 時間</translation>
    </message>
    <message>
        <source>the script crashed the Python interpreter: {reason}</source>
        <translation>指令碼使 Python 直譯器當機：{reason}</translation>
    </message>
    <message>
        <source>the script&apos;s process died of {signal}</source>
        <translation>指令碼的行程因 {signal} 而終止</translation>
    </message>
    <message>
        <source>the script&apos;s process ended without an answer (exit code {code})</source>
        <translation>指令碼的行程未給出結果就結束了（結束代碼 {code}）</translation>
    </message>
    <message>
        <source>the run&apos;s process has ended: run the script again (F5)</source>
        <extracomment>True when the process boundary stopped the command (crash, kill at a limit): the recording then holds no run, only the error</extracomment>
        <translation>執行的行程已結束：請再次執行指令碼（F5）</translation>
    </message>
    <message>
        <source>the run&apos;s process did not start within {seconds} s</source>
        <translation>執行的行程未能在 {seconds} 秒內啟動</translation>
    </message>
    <message>
        <source>the run&apos;s process sent something that is not a result ({error}); it was stopped</source>
        <translation>執行的行程傳送了不是結果的內容（{error}），已被停止</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>the engine the script runs on: gradtrace (sandboxed, the default) or torch (real PyTorch, not sandboxed: it runs as `python SCRIPT` would)</source>
        <translation>執行腳本的引擎：gradtrace（在沙箱中，預設）或 torch（真正的 PyTorch，不在沙箱中：像 `python SCRIPT` 一樣執行）</translation>
    </message>
    <message>
        <source>the language (default: the one chosen in View &gt; Language, else the system&apos;s)</source>
        <translation>介面語言（預設：「檢視 &gt; 語言」中選擇的語言，否則跟隨系統）</translation>
    </message>
    <message>
        <source>playback step K (0-based) or &apos;end&apos;; K past the end gives the end</source>
        <translation>播放步數 K（從 0 開始）或 &apos;end&apos;；K 超過末尾時取末尾</translation>
    </message>
    <message>
        <source>use the dark theme</source>
        <translation>使用深色主題</translation>
    </message>
    <message>
        <source>A visual debugger for automatic differentiation.</source>
        <translation>自動微分的視覺化除錯器。</translation>
    </message>
    <message>
        <source>gradtrace render: the PyTorch engine cannot run: {reason}</source>
        <translation>gradtrace render：無法使用 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>gradtrace render: cannot read {script}: {reason}</source>
        <translation>gradtrace render：無法讀取 {script}：{reason}</translation>
    </message>
    <message>
        <source>gradtrace render: cannot read {reason}</source>
        <translation>gradtrace render：無法讀取 {reason}</translation>
    </message>
    <message>
        <source>gradtrace render: --step wants a number or &apos;end&apos;, not {step}</source>
        <translation>gradtrace render：--step 需要一個數字或 &apos;end&apos;，而不是 {step}</translation>
    </message>
    <message>
        <source>gradtrace render: could not write {output}: {reason}</source>
        <translation>gradtrace render：無法寫入 {output}：{reason}</translation>
    </message>
    <message>
        <source>the engine the script runs on, selected in the toolbar: gradtrace (sandboxed) or torch (real PyTorch, not sandboxed: it runs as `python SCRIPT` would); without it, the engine chosen last time</source>
        <translation>執行腳本的引擎，在工具列中選取：gradtrace（在沙箱中）或 torch（真正的 PyTorch，不在沙箱中：像 `python SCRIPT` 一樣執行）；未指定時用上次選擇的引擎</translation>
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
                                   開啟視覺化除錯器（未給出 SCRIPT 時開啟教學）
gradtrace X.gtrace                 開啟已儲存的記錄（唯讀）
gradtrace render SCRIPT -o FILE    把計算圖寫成 PNG、SVG、DOT 或 JSON（按 FILE 的副檔名），
                                   或寫出這次執行的記錄（FILE.gtrace）
gradtrace render X.gtrace -o FILE  畫出已儲存記錄的計算圖
              [--step K|end]       ……播放 K 步之後的樣子（預設：整個執行）
              [--direction TB|LR]  ……從上到下或從左到右佈局
              [--engine torch]     ……改在真正的 PyTorch 上執行（不在沙箱中）
              [--lang en|zh_CN|zh_TW]  ……圖例使用該語言
gradtrace compare SCRIPT           在兩個引擎上執行 SCRIPT，回報它們的不同之處</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置引數</translation>
    </message>
    <message>
        <source>options</source>
        <translation>選項</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>顯示此說明訊息並結束</translation>
    </message>
    <message>
        <source>Run SCRIPT (or read a .gtrace recording) headless and write its graph or its recording.</source>
        <translation>在無介面模式下執行 SCRIPT（或讀取 .gtrace 記錄），寫出它的計算圖或它的記錄。</translation>
    </message>
    <message>
        <source>the Python script to run, or a .gtrace recording</source>
        <translation>要執行的 Python 腳本，或一個 .gtrace 記錄</translation>
    </message>
    <message>
        <source>output file: .png, .svg, .dot, .json, or .gtrace (the run&apos;s recording)</source>
        <translation>輸出檔案：.png、.svg、.dot、.json，或 .gtrace（這次執行的記錄）</translation>
    </message>
    <message>
        <source>top to bottom (the default) or left to right</source>
        <translation>從上到下（預設）或從左到右</translation>
    </message>
    <message>
        <source>a Python script or a .gtrace recording to open</source>
        <translation>要開啟的 Python 腳本或 .gtrace 記錄</translation>
    </message>
    <message>
        <source>gradtrace render: unknown output format {suffix} (use .png, .svg, .dot, .json or .gtrace)</source>
        <translation>gradtrace render：未知的輸出格式 {suffix}（請使用 .png、.svg、.dot、.json 或 .gtrace）</translation>
    </message>
    <message>
        <source>gradtrace render: the input is already a recording; write a .png, .svg, .dot or .json from it</source>
        <translation>gradtrace render：輸入已經是一個記錄；請從它寫出 .png、.svg、.dot 或 .json</translation>
    </message>
    <message>
        <source>Run SCRIPT on gradtrace&apos;s engine and on PyTorch and report, node by node, where names, values and gradients differ, with a float64 finite-difference check of the leaves&apos; gradients on each engine. PyTorch runs the script unsandboxed.</source>
        <translation>在 gradtrace 的引擎和 PyTorch 上執行 SCRIPT，逐個節點報告名稱、數值和梯度的差異，並在每個引擎上用 float64 有限差分檢查葉張量的梯度。PyTorch 執行腳本時不在沙箱中。</translation>
    </message>
    <message>
        <source>the Python script to run</source>
        <translation>要執行的 Python 腳本</translation>
    </message>
    <message>
        <source>skip the finite-difference check (it reruns the script per entry)</source>
        <translation>略過有限差分檢查（每個檢查的元素都要重新執行腳本）</translation>
    </message>
    <message>
        <source>entries of each leaf checked by finite differences (default 3)</source>
        <translation>每個葉張量用有限差分檢查的元素個數（預設 3）</translation>
    </message>
    <message>
        <source>keep gradtrace&apos;s own random leaves instead of PyTorch&apos;s values</source>
        <translation>保留 gradtrace 自己的隨機葉張量，而不用 PyTorch 的值</translation>
    </message>
    <message>
        <source>print the report as JSON (for the app&apos;s differences view)</source>
        <translation>以 JSON 輸出報告（供應用程式的差異檢視使用）</translation>
    </message>
    <message>
        <source>gradtrace compare: the PyTorch engine cannot run: {reason}</source>
        <translation>gradtrace compare：無法執行 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>gradtrace compare: cannot read {script}: {reason}</source>
        <translation>gradtrace compare：無法讀取 {script}：{reason}</translation>
    </message>
    <message>
        <source>gradtrace compare: cannot read {reason}</source>
        <translation>gradtrace compare：無法讀取 {reason}</translation>
    </message>
    <message>
        <source>no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it under a virtual screen with `xvfb-run -a gradtrace`, or write the graph to a file with `gradtrace render SCRIPT -o graph.png`.</source>
        <translation>沒有可以開啟視窗的顯示器（DISPLAY 和 WAYLAND_DISPLAY 都未設定）。請用 `xvfb-run -a gradtrace` 在虛擬螢幕下執行，或用 `gradtrace render SCRIPT -o graph.png` 把計算圖寫入檔案。</translation>
    </message>
    <message>
        <source>Qt&apos;s X11 plugin needs system libraries that are not installed: {command}</source>
        <translation>Qt 的 X11 外掛需要尚未安裝的系統函式庫：{command}</translation>
    </message>
    <message>
        <source>gradtrace: the PyTorch engine cannot run: {reason}</source>
        <translation>gradtrace：無法使用 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>gradtrace: cannot open {script}: {reason}</source>
        <translation>gradtrace：無法開啟 {script}：{reason}</translation>
    </message>
    <message>
        <source>gradtrace: cannot open {reason}</source>
        <translation>gradtrace：無法開啟 {reason}</translation>
    </message>
</context>
<context>
    <name>Compare</name>
    <message>
        <source>printed line {line}</source>
        <extracomment>the report&apos;s texts with a count (Qt&apos;s plural forms; lupdate reads ``Compare.tr``)</extracomment>
        <translation>列印的第 {line} 行</translation>
    </message>
    <message>
        <source>line {line}: {code}</source>
        <translation>第 {line} 行：{code}</translation>
    </message>
    <message>
        <source>the graph</source>
        <translation>計算圖</translation>
    </message>
    <message>
        <source>the run</source>
        <translation>整次執行</translation>
    </message>
    <message>
        <source>call {call} ({place})</source>
        <translation>第 {call} 次呼叫（{place}）</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s):</source>
        <translation>
            <numerusform>%n 處不同：</numerusform>
        </translation>
    </message>
    <message>
        <source>[{kind}] {place}: {text}</source>
        <translation>[{kind}] {place}：{text}</translation>
    </message>
    <message>
        <source>no differences: names, values and gradients agree</source>
        <translation>沒有不同：名稱、值和梯度都一致</translation>
    </message>
    <message>
        <source>finite differences (float64, central):</source>
        <translation>有限差分（float64，中心差分）：</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正確</translation>
    </message>
    <message>
        <source>WRONG</source>
        <translation>錯誤</translation>
    </message>
    <message numerus="yes">
        <source>{engine} {leaf} ({dtype}): %n entries, max error {error}: {verdict}</source>
        <translation>
            <numerusform>{engine} {leaf}（{dtype}）：%n 個元素，最大誤差 {error}：{verdict}</numerusform>
        </translation>
    </message>
    <message>
        <source>skipped: {why}</source>
        <translation>已略過：{why}</translation>
    </message>
    <message>
        <source>shape {a} vs {b}</source>
        <translation>形狀 {a} 對 {b}</translation>
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
        <translation>gradtrace 記錄了 {a}，PyTorch 在同一處記錄了 {b}</translation>
    </message>
    <message>
        <source>shape {a} on gradtrace, {b} on PyTorch</source>
        <translation>形狀在 gradtrace 上為 {a}，在 PyTorch 上為 {b}</translation>
    </message>
    <message>
        <source>dtype {a} on gradtrace, {b} on PyTorch</source>
        <translation>dtype 在 gradtrace 上為 {a}，在 PyTorch 上為 {b}</translation>
    </message>
    <message>
        <source> (made by the script, not synced: the engines&apos; random generators differ, and so do values updated from gradients that differ)</source>
        <translation>（由腳本建立，未同步：兩個引擎的亂數產生器不同，由不同梯度更新的值也不同）</translation>
    </message>
    <message numerus="yes">
        <source>; %n tensor(s) computed from it differ too</source>
        <translation>
            <numerusform>；由它計算出的 %n 個張量也不同</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backward call(s) on gradtrace, {b} on PyTorch</source>
        <translation>
            <numerusform>gradtrace 上有 %n 次 backward 呼叫，PyTorch 上有 {b} 次</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>steps differ from step {step}: gradtrace {a}, PyTorch {b} ({na} vs %n steps)</source>
        <translation>
            <numerusform>從第 {step} 步起步驟不同：gradtrace {a}，PyTorch {b}（{na} 步對 %n 步）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) received different gradients</source>
        <translation>
            <numerusform>%n 個節點收到了不同的梯度</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{engine}: %n more leaves not checked</source>
        <translation>
            <numerusform>{engine}：另有 %n 個葉節點未檢查</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>gradtrace (sandboxed) against PyTorch {version}: {a} and %n statement(s) ran</source>
        <translation>
            <numerusform>gradtrace（在沙箱中）對比 PyTorch {version}：分別執行了 {a} 和 %n 條語句</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform>，另有 %n 個</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>input {index}: </source>
        <translation>輸入 {index}：</translation>
    </message>
    <message>
        <source>None on one engine</source>
        <translation>在一個引擎上為 None</translation>
    </message>
    <message>
        <source>{op} received the same gradient on both engines and sent different ones ({where}): </source>
        <translation>{op} 在兩個引擎上收到相同的梯度，卻送出了不同的梯度（{where}）：</translation>
    </message>
    <message>
        <source>.grad is None on gradtrace, set on PyTorch</source>
        <translation>.grad 在 gradtrace 上為 None，在 PyTorch 上有值</translation>
    </message>
    <message>
        <source>.grad is set on gradtrace, None on PyTorch</source>
        <translation>.grad 在 gradtrace 上有值，在 PyTorch 上為 None</translation>
    </message>
    <message>
        <source>{engine}: no top-level backward() of a tensor named before it</source>
        <translation>{engine}：沒有對之前命名的張量呼叫頂層 backward()</translation>
    </message>
    <message>
        <source>{engine}: {root} could not be read</source>
        <translation>{engine}：無法讀取 {root}</translation>
    </message>
    <message>
        <source>leaves given PyTorch&apos;s values on the gradtrace run: {names}</source>
        <translation>gradtrace 執行中取 PyTorch 的值的葉節點：{names}</translation>
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
        <translation>腳本列印的內容顯示在這裡。</translation>
    </message>
</context>
<context>
    <name>DifferencesPanel</name>
    <message>
        <source>Error</source>
        <extracomment>the report&apos;s kinds (gui/model/compare.py&apos;s Difference.kind, &quot;finite&quot; for a check&apos;s row)</extracomment>
        <translation>錯誤</translation>
    </message>
    <message>
        <source>Printed output</source>
        <translation>輸出內容</translation>
    </message>
    <message>
        <source>Op names</source>
        <translation>運算名稱</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Step order</source>
        <translation>步驟順序</translation>
    </message>
    <message>
        <source>Backward</source>
        <translation>反向傳播</translation>
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
        <translation>說明</translation>
    </message>
    <message>
        <source>exit status {code}</source>
        <translation>結束狀態 {code}</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正確</translation>
    </message>
    <message>
        <source>WRONG</source>
        <translation>有誤</translation>
    </message>
    <message numerus="yes">
        <source>{engine}, {dtype}: %n entries checked, max error {error}: {verdict}</source>
        <translation>
            <numerusform>{engine}，{dtype}：檢查了 %n 個元素，最大誤差 {error}：{verdict}</numerusform>
        </translation>
    </message>
    <message>
        <source>What</source>
        <translation>類別</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳情</translation>
    </message>
    <message>
        <source>Comparing: the script runs on gradtrace&apos;s engine and on PyTorch (not sandboxed), then the finite-difference check…</source>
        <translation>正在比較：腳本在 gradtrace 引擎和 PyTorch（不在沙箱中）上執行，然後進行有限差分檢查…</translation>
    </message>
    <message>
        <source>The comparison could not run: {reason}</source>
        <translation>無法進行比較：{reason}</translation>
    </message>
    <message>
        <source>The engines agree: names, values and gradients are the same, and every finite-difference check passes.</source>
        <translation>兩個引擎一致：名稱、值和梯度都相同，每項有限差分檢查都通過。</translation>
    </message>
    <message numerus="yes">
        <source>%n differences between the engines</source>
        <translation>
            <numerusform>兩個引擎之間有 %n 處差異</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n finite-difference checks failed</source>
        <translation>
            <numerusform>；%n 項有限差分檢查未通過</numerusform>
        </translation>
    </message>
    <message>
        <source>. Click a row to select its node in the graph.</source>
        <translation>。點擊一列可在計算圖中選取它的節點。</translation>
    </message>
    <message>
        <source>Run &gt; Compare engines… runs the script on both engines and lists here where names, values and gradients differ.</source>
        <translation>執行 &gt; 比較引擎… 會在兩個引擎上執行腳本，並在這裡列出名稱、值和梯度不同的地方。</translation>
    </message>
</context>
<context>
    <name>EngineControl</name>
    <message>
        <source>Run scripts on gradtrace&apos;s own engine, sandboxed (the default)</source>
        <translation>在 gradtrace 自己的引擎上執行腳本，在沙箱中（預設）</translation>
    </message>
    <message>
        <source>Run scripts on real PyTorch: not sandboxed, a script runs as `python script.py` would</source>
        <translation>在真正的 PyTorch 上執行腳本：不在沙箱中，腳本像 `python script.py` 一樣執行</translation>
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
        <translation>未執行：沒有允許這個腳本使用 PyTorch 引擎</translation>
    </message>
    <message>
        <source>Run on PyTorch, not sandboxed?</source>
        <translation>在 PyTorch 上執行（不在沙箱中）？</translation>
    </message>
    <message>
        <source>{name} will run on real PyTorch, not sandboxed: it runs as `python {name}` would, and can open, change and delete files, import any module and use the network.</source>
        <translation>{name} 將在真正的 PyTorch 上執行，不在沙箱中：它像 `python {name}` 一樣執行，可以開啟、修改和刪除檔案，匯入任何模組，存取網路。</translation>
    </message>
    <message>
        <source>The gradtrace engine runs scripts sandboxed. Your answer is remembered for this file.</source>
        <translation>gradtrace 引擎在沙箱中執行腳本。你的回答會為這個檔案記住。</translation>
    </message>
    <message>
        <source>The gradtrace engine runs scripts sandboxed. Your answer is remembered for this unsaved script until gradtrace closes.</source>
        <translation>gradtrace 引擎在沙箱中執行腳本。你的回答會為這個未儲存的腳本記住，直到 gradtrace 關閉。</translation>
    </message>
    <message>
        <source>Run on PyTorch</source>
        <translation>在 PyTorch 上執行</translation>
    </message>
</context>
<context>
    <name>ErrorHelp</name>
    <message>
        <source>backward() frees the tensors the graph saved for it once it has run, so a second backward() through the same graph finds them gone. Pass retain_graph=True to the first backward() if you need both, or run the forward computation again before the second one.</source>
        <extracomment>(a pattern of PyTorch&apos;s message, what it means and what to do: the source marked for lupdate)</extracomment>
        <translation>backward() 執行完後會釋放計算圖為它儲存的張量，所以第二次通過同一個計算圖呼叫 backward() 時，這些張量已經不在了。如果兩次都需要，請在第一次 backward() 時傳入 retain_graph=True，或者在第二次之前重新執行前向計算。</translation>
    </message>
    <message>
        <source>A tensor that backward needs (one an operation saved in the forward pass) was changed in place afterwards (x += 1, x.add_(), x[0] = ...), so its version no longer matches the one saved. Write the change out of place (x = x + 1), or clone() the tensor before changing it.</source>
        <translation>反向傳播需要的某個張量（某個運算在前向傳播時儲存的張量）後來被原地修改了（x += 1、x.add_()、x[0] = ...），它的版本號和儲存時不再一致。請改用非原地的寫法（x = x + 1），或者在修改之前先 clone() 這個張量。</translation>
    </message>
    <message>
        <source>requires_grad can only be set on a leaf node: a tensor made by an operation takes it from its inputs. For a new leaf from this value, use y.detach().requires_grad_().</source>
        <translation>只能在葉節點上設定 requires_grad：由運算得到的張量會從它的輸入繼承這個屬性。如果想用這個值得到一個新的葉節點，請用 y.detach().requires_grad_()。</translation>
    </message>
    <message>
        <source>A leaf node that requires grad cannot be changed in place: autograd needs its value as it was. Change it inside with torch.no_grad(): (as an optimizer step does), or work on a clone().</source>
        <translation>需要梯度（requires_grad）的葉節點不能被原地修改：autograd 需要它原來的值。請在 with torch.no_grad(): 裡修改它（最佳化器更新引數時就是這樣做的），或者在 clone() 得到的副本上操作。</translation>
    </message>
    <message>
        <source>backward() without an argument only works on a scalar (a loss). For a tensor with more elements, pass the gradient of the output with the same shape, y.backward(torch.ones_like(y)), or reduce it first: y.sum().backward().</source>
        <translation>不帶引數的 backward() 只能用於純量（例如損失）。對於有多個元素的張量，請傳入與輸出形狀相同的梯度：y.backward(torch.ones_like(y))，或者先把它歸約成純量：y.sum().backward()。</translation>
    </message>
    <message>
        <source>The tensors of one operation must be on one device (all on the CPU, or all on the same GPU). Move them together with .to(device), .cuda() or .cpu().</source>
        <translation>同一個運算中的張量必須在同一個裝置上（都在 CPU 上，或都在同一塊 GPU 上）。請用 .to(device)、.cuda() 或 .cpu() 把它們放到一起。</translation>
    </message>
    <message>
        <source>This machine has no GPU that the engine can use (for gradtrace: CuPy and an NVIDIA GPU), so a tensor cannot be made on or moved to &quot;cuda&quot;. Leave the tensors on the CPU, or choose the device in one place: device = &quot;cuda&quot; if torch.cuda.is_available() else &quot;cpu&quot;.</source>
        <translation>這台機器沒有引擎能用的 GPU（gradtrace 需要 CuPy 和 NVIDIA GPU），所以不能在 &quot;cuda&quot; 上建立張量，也不能把張量移過去。請讓張量留在 CPU 上，或者在一處選定裝置：device = &quot;cuda&quot; if torch.cuda.is_available() else &quot;cpu&quot;。</translation>
    </message>
    <message>
        <source>backward() was called on a tensor that needs no gradient: nothing it was computed from has requires_grad=True (or it was computed under torch.no_grad()). Create the inputs with requires_grad=True.</source>
        <translation>在一個不需要梯度的張量上呼叫了 backward()：算出它的張量都沒有 requires_grad=True（或者它是在 torch.no_grad() 中算出的）。請在建立輸入時加上 requires_grad=True。</translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>The autograd tutorial</source>
        <extracomment>File &gt; Examples: each example&apos;s title (translated, context &quot;Examples&quot;); an example not named here goes by its file&apos;s name</extracomment>
        <translation>autograd 教學</translation>
    </message>
    <message>
        <source>An MLP training step</source>
        <translation>MLP 的一步訓練</translation>
    </message>
    <message>
        <source>Softmax and cross-entropy</source>
        <translation>softmax 與交叉熵</translation>
    </message>
    <message>
        <source>An unrolled RNN</source>
        <translation>展開的 RNN</translation>
    </message>
    <message>
        <source>A leaf used twice</source>
        <translation>用了兩次的葉節點</translation>
    </message>
    <message>
        <source>An nn.Sequential training loop</source>
        <translation>nn.Sequential 訓練迴圈</translation>
    </message>
    <message>
        <source>Causal self-attention</source>
        <translation>因果自注意力</translation>
    </message>
    <message>
        <source>The 60-minute blitz&apos;s CNN, a few SGD steps</source>
        <translation>60 分鐘入門教學的 CNN，幾步 SGD</translation>
    </message>
    <message>
        <source>A custom autograd.Function with a double backward</source>
        <translation>自訂 autograd.Function 與二階反向傳播</translation>
    </message>
    <message>
        <source>A DataLoader training loop</source>
        <translation>DataLoader 訓練迴圈</translation>
    </message>
    <message>
        <source>A small CNN with batch norm</source>
        <translation>帶批次正規化的小型 CNN</translation>
    </message>
    <message>
        <source>Two pre-norm transformer blocks</source>
        <translation>兩個 pre-norm Transformer 區塊</translation>
    </message>
</context>
<context>
    <name>Explain</name>
    <message>
        <source>arrived (grad_output)</source>
        <extracomment>the translation context of the prose (QCoreApplication.translate(CONTEXT, text)) elements up to which a value prints as numbers (else its shape and norm)</extracomment>
        <translation>傳入的梯度（grad_output）</translation>
    </message>
    <message>
        <source>saved for backward</source>
        <translation>為反向傳播儲存</translation>
    </message>
    <message>
        <source>sent to input {slot}</source>
        <translation>傳送給第 {slot} 個輸入</translation>
    </message>
    <message>
        <source>the leaf&apos;s .grad before this step</source>
        <translation>這一步之前葉節點的 .grad</translation>
    </message>
    <message>
        <source>not saved: no input that reads it needs a gradient</source>
        <translation>未儲存：讀取它的輸入都不需要梯度</translation>
    </message>
    <message>
        <source>summed over the broadcast dimensions to the input&apos;s shape {shape}</source>
        <translation>在廣播出來的維度上求和，回到輸入的形狀 {shape}</translation>
    </message>
    <message>
        <source>shape {shape}, ‖·‖ {norm}</source>
        <translation>形狀 {shape}，‖·‖ {norm}</translation>
    </message>
    <message>
        <source>Addition passes the gradient on unchanged to both inputs.</source>
        <translation>加法把梯度原樣傳給兩個輸入。</translation>
    </message>
    <message>
        <source>Subtraction passes the gradient to self and its negative to other.</source>
        <translation>減法把梯度傳給 self，把梯度的相反數傳給 other。</translation>
    </message>
    <message>
        <source>The product rule: each input&apos;s gradient is the incoming gradient times the other input.</source>
        <translation>乘積法則：每個輸入的梯度等於傳入的梯度乘以另一個輸入。</translation>
    </message>
    <message>
        <source>The quotient rule: self gets grad / other, other gets -grad · self / other².</source>
        <translation>商法則：self 得到 grad / other，other 得到 -grad · self / other²。</translation>
    </message>
    <message>
        <source>The power rule: d(self^p)/d(self) = p · self^(p-1), here p = {p}.</source>
        <translation>冪法則：d(self^p)/d(self) = p · self^(p-1)，這裡 p = {p}。</translation>
    </message>
    <message>
        <source>The mean of n = {n} elements: every element gets the gradient divided by n.</source>
        <translation>n = {n} 個元素的平均值：每個元素得到梯度除以 n。</translation>
    </message>
    <message>
        <source>A sum: every element gets the gradient, copied to the input&apos;s shape {shape}.</source>
        <translation>求和：每個元素都得到這個梯度，複製成輸入的形狀 {shape}。</translation>
    </message>
    <message>
        <source>A matrix product: self gets grad @ otherᵀ, other gets selfᵀ @ grad.</source>
        <translation>矩陣乘法：self 得到 grad @ otherᵀ，other 得到 selfᵀ @ grad。</translation>
    </message>
    <message>
        <source>bias + mat1 @ mat2: the bias gets the gradient (summed over the rows it was added to), mat1 gets grad @ mat2ᵀ, mat2 gets mat1ᵀ @ grad.</source>
        <translation>bias + mat1 @ mat2：bias 得到梯度（在它被加到的各行上求和），mat1 得到 grad @ mat2ᵀ，mat2 得到 mat1ᵀ @ grad。</translation>
    </message>
    <message>
        <source>ReLU lets the gradient through where its output was positive and stops it (0) elsewhere.</source>
        <translation>ReLU 在輸出為正的地方讓梯度通過，在其他地方把它擋住（為 0）。</translation>
    </message>
    <message>
        <source>The sigmoid&apos;s derivative is σ(x) · (1 - σ(x)), read from its saved output.</source>
        <translation>sigmoid 的導數是 σ(x) · (1 - σ(x))，由它儲存的輸出算出。</translation>
    </message>
    <message>
        <source>The tanh&apos;s derivative is 1 - tanh(x)², read from its saved output.</source>
        <translation>tanh 的導數是 1 - tanh(x)²，由它儲存的輸出算出。</translation>
    </message>
    <message>
        <source>exp is its own derivative: the gradient times the saved output.</source>
        <translation>exp 的導數就是它自己：梯度乘以儲存的輸出。</translation>
    </message>
    <message>
        <source>The derivative of log(x) is 1/x: the gradient divided by the saved input.</source>
        <translation>log(x) 的導數是 1/x：梯度除以儲存的輸入。</translation>
    </message>
    <message>
        <source>A transpose: the gradient is transposed back.</source>
        <translation>轉置：把梯度轉置回去。</translation>
    </message>
    <message>
        <source>A view changes no numbers: the gradient is reshaped back to the input&apos;s shape {shape}.</source>
        <translation>視圖不改變任何數值：梯度被變形回輸入的形狀 {shape}。</translation>
    </message>
    <message>
        <source>Mean squared error ({reduction}): the gradient of (self - target)² is 2(self - target), divided by n = {n} for the mean.</source>
        <translation>均方誤差（{reduction}）：(self - target)² 的梯度是 2(self - target)，取平均時再除以 n = {n}。</translation>
    </message>
    <message>
        <source>The negative log-likelihood picks each row&apos;s target class: that entry gets -grad ({reduction}: divided by n = {n}), every other entry 0.</source>
        <translation>負對數似然取出每一行目標類別的那一項：該項得到 -grad（{reduction}：除以 n = {n}），其他各項為 0。</translation>
    </message>
    <message>
        <source>log_softmax (the first half of cross_entropy): grad - softmax · sum(grad) along dim {dim}.</source>
        <translation>log_softmax（cross_entropy 的前半部分）：沿維度 {dim} 計算 grad - softmax · sum(grad)。</translation>
    </message>
    <message>
        <source>The leaf had no .grad yet: it becomes the gradient that arrived.</source>
        <translation>這個葉節點還沒有 .grad：傳來的梯度直接成為它的 .grad。</translation>
    </message>
    <message>
        <source>Gradient accumulation: the gradient that arrived is added to the leaf&apos;s .grad (zero_grad() sets it back).</source>
        <translation>梯度累加：傳來的梯度被加到葉節點的 .grad 上（zero_grad() 會把它清零）。</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>the graph of grad_fn nodes that backward() walks from the output to the leaves</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads the glossary page&apos;s table: the standard terms of the Chinese interface (Simplified, Traditional), PyTorch&apos;s English name, and what it means (translated with the page)</extracomment>
        <translation>由 grad_fn 節點組成的圖，backward() 從輸出沿著它走到葉節點</translation>
    </message>
    <message>
        <source>an array of numbers whose operations autograd can record</source>
        <translation>一個數值陣列，autograd 可以記錄對它的運算</translation>
    </message>
    <message>
        <source>a tensor made by you, not by an operation; backward() fills its .grad</source>
        <translation>由你直接建立、而不是由運算得到的張量；backward() 會填寫它的 .grad</translation>
    </message>
    <message>
        <source>a tensor made by an operation; it keeps no .grad unless retain_grad()</source>
        <translation>由運算得到的張量；除非呼叫 retain_grad()，否則它不保留 .grad</translation>
    </message>
    <message>
        <source>the derivative of the output with respect to a tensor, of the tensor&apos;s shape</source>
        <translation>輸出對某個張量的導數，形狀與該張量相同</translation>
    </message>
    <message>
        <source>working the gradients out from the output back to the leaves by the chain rule</source>
        <translation>按連鎖律從輸出往回一直算到葉節點，求出各個梯度</translation>
    </message>
    <message>
        <source>running the operations, which records the graph</source>
        <translation>執行各個運算，同時記錄下計算圖</translation>
    </message>
    <message>
        <source>each backward() adds into .grad; zero_grad() sets it back</source>
        <translation>每次 backward() 都把梯度加到 .grad 上；zero_grad() 把它清零</translation>
    </message>
    <message>
        <source>the node that works out an operation&apos;s gradients, e.g. MulBackward0</source>
        <translation>計算某個運算的梯度的節點，例如 MulBackward0</translation>
    </message>
    <message>
        <source>whether autograd records the operations on a tensor</source>
        <translation>autograd 是否記錄對這個張量的運算</translation>
    </message>
    <message>
        <source>values an operation keeps for its backward, freed once it has run</source>
        <translation>運算為它的反向傳播儲存的值，反向傳播執行後即被釋放</translation>
    </message>
    <message>
        <source>keep the saved tensors, for a second backward() through the same graph</source>
        <translation>保留儲存的張量，以便通過同一個計算圖再次呼叫 backward()</translation>
    </message>
    <message>
        <source>changes a tensor&apos;s values instead of making a new tensor</source>
        <translation>直接修改張量的值，而不是建立一個新張量</translation>
    </message>
    <message>
        <source>a tensor of one element; backward() needs no argument on it</source>
        <translation>只有一個元素的張量；對它呼叫 backward() 不需要引數</translation>
    </message>
    <message>
        <source>what backward(gradient) works out for an output that is not a scalar</source>
        <translation>對非純量輸出呼叫 backward(gradient)（傳入輸出的梯度）時計算的量</translation>
    </message>
    <message>
        <source>the derivative of a composition is the product of the local derivatives</source>
        <translation>複合函式的導數等於各個區域性導數的乘積</translation>
    </message>
    <message>
        <source>the same values as a new tensor cut from the graph</source>
        <translation>值相同、但與計算圖斷開的新張量</translation>
    </message>
    <message>
        <source>a block in which no graph is recorded</source>
        <translation>其中不記錄計算圖的程式碼塊</translation>
    </message>
    <message>
        <source>where a tensor&apos;s values are; the tensors of one operation must share it</source>
        <translation>張量的值所在的地方；同一個運算的張量必須在同一個裝置上</translation>
    </message>
    <message>
        <source>a leaf tensor of a module, which the optimizer updates</source>
        <translation>模組中的葉張量，由最佳化器更新</translation>
    </message>
    <message>
        <source>updates the parameters from their .grad</source>
        <translation>根據引數的 .grad 更新引數</translation>
    </message>
    <message>
        <source>the scalar that training makes small</source>
        <translation>訓練要讓它變小的那個純量</translation>
    </message>
</context>
<context>
    <name>GraphItems</name>
    <message>
        <source>freed now</source>
        <translation>此步已釋放</translation>
    </message>
    <message>
        <source>backward function {op} (a grad_fn node)</source>
        <translation>反向函式 {op}（一個 grad_fn 節點）</translation>
    </message>
    <message>
        <source>: records {op} done in place</source>
        <translation>：記錄了原地執行的 {op}</translation>
    </message>
    <message>
        <source>a constant</source>
        <translation>一個常數</translation>
    </message>
    <message>
        <source>inputs (next_functions): {names}</source>
        <translation>輸入（next_functions）：{names}</translation>
    </message>
    <message>
        <source>saved: {tensors}</source>
        <translation>儲存的張量：{tensors}</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>無</translation>
    </message>
    <message>
        <source>the leaf</source>
        <translation>該葉節點</translation>
    </message>
    <message>
        <source>AccumulateGrad: adds the gradient into {leaf}.grad ({shape} {dtype})</source>
        <translation>AccumulateGrad：把梯度累加到 {leaf}.grad（{shape} {dtype}）</translation>
    </message>
    <message numerus="yes">
        <source>collapsed: %n nodes</source>
        <translation>
            <numerusform>已摺疊：%n 個節點</numerusform>
        </translation>
    </message>
    <message>
        <source>saved for backward: {shape} {dtype}</source>
        <translation>為反向傳播儲存：{shape} {dtype}</translation>
    </message>
    <message>
        <source>scalar</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads how strongly what is off the selected node&apos;s path fades below this zoom (device pixels per scene unit) text is not drawn, only shapes below this zoom edges drop labels, arrowheads and pulses</extracomment>
        <translation>純量</translation>
    </message>
    <message>
        <source>leaf tensor</source>
        <extracomment>what a tensor node&apos;s tooltip calls it, by role (sources marked for lupdate)</extracomment>
        <translation>葉張量</translation>
    </message>
    <message>
        <source>output tensor</source>
        <translation>輸出張量</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常數</translation>
    </message>
    <message>
        <source>intermediate tensor</source>
        <translation>中間張量</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>張量</translation>
    </message>
    <message numerus="yes">
        <source>collapsed group of %n nodes: double-click to expand</source>
        <translation>
            <numerusform>已摺疊的群組，含 %n 個節點：按兩下展開</numerusform>
        </translation>
    </message>
    <message>
        <source>collapsed</source>
        <translation>已摺疊</translation>
    </message>
</context>
<context>
    <name>GraphOverview</name>
    <message>
        <source>Overview: drag the rectangle (or click) to move the view</source>
        <translation>縮圖：拖曳矩形（或按一下）來移動檢視</translation>
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
        <translation>資料 {shape}</translation>
    </message>
    <message>
        <source>saved for backward {shape}</source>
        <translation>為反向傳播儲存 {shape}</translation>
    </message>
    <message>
        <source>cut: no gradient flows back (detach or no_grad) {shape}</source>
        <translation>切斷：梯度不會傳回（detach 或 no_grad）{shape}</translation>
    </message>
    <message>
        <source>no gradient on this edge at this step</source>
        <translation>這一步這條邊上沒有梯度</translation>
    </message>
    <message>
        <source>gradient {shape}</source>
        <translation>梯度 {shape}</translation>
    </message>
    <message>
        <source>norm ‖∇‖ = {norm}</source>
        <translation>範數 ‖∇‖ = {norm}</translation>
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
        <translation>選擇所選節點的一個輸入 / 一個輸出（從左到右佈局時：左 / 右）</translation>
    </message>
    <message>
        <source>Left / Right</source>
        <translation>左 / 右</translation>
    </message>
    <message>
        <source>select the node beside it in its layer (left to right: Up / Down)</source>
        <translation>選擇同一層中相鄰的節點（從左到右佈局時：上 / 下）</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>open the selected node in the inspector</source>
        <translation>在檢查器中開啟所選節點</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>clear the selection and its highlighted path</source>
        <translation>清除選擇及其醒目標示的路徑</translation>
    </message>
    <message>
        <source>Break here</source>
        <translation>在此處中斷</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>檢查</translation>
    </message>
    <message>
        <source>Run backward from here</source>
        <translation>從這裡執行反向傳播</translation>
    </message>
    <message>
        <source>Append this tensor&apos;s backward pass to the timeline</source>
        <translation>把這個張量的反向傳播追加到時間軸</translation>
    </message>
    <message>
        <source>Wait until the run in progress ends</source>
        <translation>請等待正在進行的執行結束</translation>
    </message>
    <message>
        <source>Expand group &apos;{group}&apos;</source>
        <translation>展開群組「{group}」</translation>
    </message>
    <message>
        <source>Collapse group &apos;{group}&apos;</source>
        <translation>摺疊群組「{group}」</translation>
    </message>
    <message numerus="yes">
        <source>Expand all %n alike</source>
        <translation>
            <numerusform>展開全部 %n 個同構群組</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Collapse all %n alike</source>
        <translation>
            <numerusform>摺疊全部 %n 個同構群組</numerusform>
        </translation>
    </message>
    <message>
        <source>The groups with the same structure as &apos;%1&apos;</source>
        <translation>與「%1」結構相同的群組</translation>
    </message>
    <message>
        <source>Collapse to depth</source>
        <translation>摺疊到深度</translation>
    </message>
    <message numerus="yes">
        <source>Depth %1 (%n groups)</source>
        <translation>
            <numerusform>深度 %1（%n 個群組）</numerusform>
        </translation>
    </message>
    <message>
        <source>Expand all groups</source>
        <translation>展開所有群組</translation>
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
        <translation>在計算圖中（計算圖獲得焦點時）</translation>
    </message>
    <message>
        <source>gradtrace help</source>
        <translation>gradtrace 說明</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一頁</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目錄</translation>
    </message>
</context>
<context>
    <name>Hierarchy</name>
    <message numerus="yes">
        <source>{name} (×%n alike)</source>
        <translation>
            <numerusform>{name}（×%n 個同構）</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (call {call})</source>
        <translation>{name}（第 {call} 次呼叫）</translation>
    </message>
    <message numerus="yes">
        <source>{name} (call {call}, ×%n alike)</source>
        <translation>
            <numerusform>{name}（第 {call} 次呼叫，×%n 個同構）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>leaf</source>
        <extracomment>a node&apos;s role, as the inspector names it under the title</extracomment>
        <translation>葉節點</translation>
    </message>
    <message>
        <source>intermediate</source>
        <translation>中間結果</translation>
    </message>
    <message>
        <source>output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常數</translation>
    </message>
    <message>
        <source>function</source>
        <translation>反向函式</translation>
    </message>
    <message>
        <source>accumulate</source>
        <translation>梯度累加</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>儲存的張量</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>張量</translation>
    </message>
    <message>
        <source>Backward rule at this step</source>
        <translation>這一步的反向傳播規則</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>屬性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群組</translation>
    </message>
    <message>
        <source>Active backward step</source>
        <translation>目前的反向傳播步驟</translation>
    </message>
    <message>
        <source>Select a node in the graph</source>
        <translation>在計算圖中選擇一個節點</translation>
    </message>
    <message>
        <source>Click a box to see its value, gradient and saved tensors.</source>
        <translation>按一下一個方框，檢視它的值、梯度和儲存的張量。</translation>
    </message>
    <message>
        <source> · made on line {line}</source>
        <translation> · 由第 {line} 行建立</translation>
    </message>
    <message>
        <source> · freed by this backward step</source>
        <translation> · 已被這一步反向傳播釋放</translation>
    </message>
    <message>
        <source> · freed by the backward call (a copy from before it is shown)</source>
        <translation> · 已被這次 backward() 呼叫釋放（顯示的是釋放前的副本）</translation>
    </message>
    <message>
        <source> · records {op} done in place on a view</source>
        <translation> · 記錄了在視圖上原地執行的 {op}</translation>
    </message>
    <message>
        <source> · not made yet at this step</source>
        <translation> · 這一步時尚未建立</translation>
    </message>
    <message>
        <source>(value not recorded)</source>
        <translation>（未記錄值）</translation>
    </message>
    <message>
        <source>Gradient (.grad at this step)</source>
        <translation>梯度（這一步的 .grad）</translation>
    </message>
    <message>
        <source>None (no gradient has arrived yet)</source>
        <translation>None（還沒有梯度傳到這裡）</translation>
    </message>
    <message>
        <source>Gradients at this step</source>
        <translation>這一步的梯度</translation>
    </message>
    <message>
        <source>arrived (grad_output):</source>
        <translation>傳入的梯度（grad_output）：</translation>
    </message>
    <message>
        <source>arrived at output 0 of {count}:</source>
        <translation>傳到第 0 個輸出（共 {count} 個）：</translation>
    </message>
    <message>
        <source>arrived at output {k}: {grad}</source>
        <translation>傳到第 {k} 個輸出：{grad}</translation>
    </message>
    <message>
        <source> (input {k})</source>
        <translation>（第 {k} 個輸入）</translation>
    </message>
    <message>
        <source>sent to {node}{slot}: {grad}</source>
        <translation>傳送給 {node}{slot}：{grad}</translation>
    </message>
    <message>
        <source>.grad after: {grad}</source>
        <translation>之後的 .grad：{grad}</translation>
    </message>
    <message>
        <source>nothing yet: backward has not reached it (it waits for its gradient)</source>
        <translation>還沒有：反向傳播尚未到達這裡（它在等待自己的梯度）</translation>
    </message>
    <message>
        <source>nothing yet: no backward call has run at this step</source>
        <translation>還沒有：這一步時還沒有執行過 backward()</translation>
    </message>
    <message>
        <source>not run in this backward call</source>
        <translation>在這次 backward() 呼叫中沒有執行</translation>
    </message>
    <message>
        <source>the gradient that reached it so far (a non-leaf keeps no .grad unless retain_grad()):</source>
        <translation>到目前為止傳到它的梯度（非葉節點不保留 .grad，除非呼叫 retain_grad()）：</translation>
    </message>
    <message>
        <source>∇ arrived from {node}: {grad}</source>
        <translation>∇ 來自 {node}：{grad}</translation>
    </message>
    <message>
        <source>∇ sent to {node}: {grad}</source>
        <translation>∇ 傳送給 {node}：{grad}</translation>
    </message>
    <message>
        <source>shape {shape}, ‖·‖ {norm}</source>
        <translation>形狀 {shape}，‖·‖ {norm}</translation>
    </message>
    <message numerus="yes">
        <source>collapsed group of %n nodes · double-click or right-click to expand</source>
        <translation>
            <numerusform>已摺疊的群組，含 %n 個節點 · 按兩下或按右鍵展開</numerusform>
        </translation>
    </message>
    <message>
        <source>members: {names}</source>
        <translation>成員：{names}</translation>
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
        <translation>儲存的張量</translation>
    </message>
    <message>
        <source>Saved by</source>
        <translation>儲存者</translation>
    </message>
    <message>
        <source>{node} (for its backward), as {name}</source>
        <translation>{node}（供其反向傳播使用），名為 {name}</translation>
    </message>
    <message>
        <source> (freed by this backward step)</source>
        <translation>（已被這一步反向傳播釋放）</translation>
    </message>
    <message>
        <source> (freed by backward)</source>
        <translation>（已被反向傳播釋放）</translation>
    </message>
    <message>
        <source>grad in [{i}]:  {grad}</source>
        <translation>傳入的梯度 [{i}]：{grad}</translation>
    </message>
    <message>
        <source>grad out [{i}]: {grad}</source>
        <translation>送出的梯度 [{i}]：{grad}</translation>
    </message>
    <message>
        <source>.grad before: {grad}</source>
        <translation>之前的 .grad：{grad}</translation>
    </message>
    <message>
        <source>.grad after:  {grad}</source>
        <translation>之後的 .grad：{grad}</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <source>leaf tensor</source>
        <extracomment>the graph roles drawn with their own colour, in legend order their legend titles, English sources marked for lupdate (`legend_text` translates them); AccumulateGrad is PyTorch&apos;s name and stays as PyTorch prints it</extracomment>
        <translation>葉張量</translation>
    </message>
    <message>
        <source>intermediate tensor</source>
        <translation>中間張量</translation>
    </message>
    <message>
        <source>output tensor</source>
        <translation>輸出張量</translation>
    </message>
    <message>
        <source>backward function</source>
        <translation>反向函式</translation>
    </message>
    <message>
        <source>saved tensor</source>
        <translation>儲存的張量</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常數</translation>
    </message>
    <message>
        <source>running now</source>
        <extracomment>backward-pass states, as the legend explains them</extracomment>
        <translation>正在執行</translation>
    </message>
    <message>
        <source>waits for its gradient</source>
        <translation>等待梯度</translation>
    </message>
    <message>
        <source>done (border: |grad|)</source>
        <translation>已完成（邊框：|grad|）</translation>
    </message>
    <message>
        <source>|grad| (log scale)</source>
        <translation>|grad|（對數刻度）</translation>
    </message>
</context>
<context>
    <name>LegendOverlay</name>
    <message>
        <source>Legend ▾</source>
        <translation>圖例 ▾</translation>
    </message>
    <message>
        <source>Legend ▸</source>
        <translation>圖例 ▸</translation>
    </message>
    <message>
        <source>Click to show the legend</source>
        <translation>按一下顯示圖例</translation>
    </message>
    <message>
        <source>Click to fold the legend away</source>
        <translation>按一下收起圖例</translation>
    </message>
</context>
<context>
    <name>Limits</name>
    <message>
        <source>a tensor</source>
        <extracomment>what a size check names, in English where it is made (hot paths), translated when it fails</extracomment>
        <translation>一個張量</translation>
    </message>
    <message>
        <source>data</source>
        <translation>資料</translation>
    </message>
    <message>
        <source>a repeated sequence</source>
        <translation>重複得到的序列</translation>
    </message>
    <message>
        <source>a joined sequence</source>
        <translation>串接得到的序列</translation>
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
        <translation>一個迭代器</translation>
    </message>
    <message>
        <source>script code cannot run outside the script&apos;s run</source>
        <translation>腳本的程式碼不能在腳本執行之外執行</translation>
    </message>
    <message>
        <source>time budget of {seconds} s exceeded</source>
        <translation>超出了 {seconds} 秒的時間預算</translation>
    </message>
    <message>
        <source>{what} would need {need} MB, past the memory limit of {cap} MB for a run ({used} MB in use)</source>
        <translation>{what} 需要 {need} MB，超出了每次執行 {cap} MB 的記憶體上限（已用 {used} MB）</translation>
    </message>
    <message>
        <source>memory limit of {cap} MB for a run exceeded ({used} MB in use)</source>
        <translation>超出了每次執行 {cap} MB 的記憶體上限（已用 {used} MB）</translation>
    </message>
    <message>
        <source>{what} would hold {count} elements, more than the limit of {limit}</source>
        <translation>{what} 將含有 {count} 個元素，超過了 {limit} 個的上限</translation>
    </message>
    <message>
        <source>a parameter of {module}(...)</source>
        <translation>{module}(...) 的一個參數</translation>
    </message>
    <message>
        <source>{name}(...)&apos;s weight</source>
        <translation>{name}(...) 的權重</translation>
    </message>
    <message>
        <source>an integer matmul of shapes {a} and {b} would take longer than a script may run uninterrupted</source>
        <translation>形狀 {a} 與 {b} 的整數矩陣乘法所需時間超過腳本可以不被中斷地執行的時長</translation>
    </message>
    <message>
        <source>math.{name} argument too large for a script</source>
        <translation>math.{name} 的參數對腳本來說太大</translation>
    </message>
    <message>
        <source>integer result too large for a script</source>
        <translation>整數結果對腳本來說太大</translation>
    </message>
    <message>
        <source>&apos;{op}&apos; of shapes {a} and {b}</source>
        <translation>形狀 {a} 與 {b} 的 &apos;{op}&apos;</translation>
    </message>
    <message>
        <source>the text of this {type} would hold more than {limit} characters</source>
        <translation>這個 {type} 的文字將超過 {limit} 個字元</translation>
    </message>
    <message>
        <source>random.{name}(...) of more than {count} items</source>
        <translation>超過 {count} 項的 random.{name}(...)</translation>
    </message>
    <message>
        <source>random.getrandbits(...) of more than 1,000,000 bits</source>
        <translation>超過 1,000,000 位元的 random.getrandbits(...)</translation>
    </message>
    <message>
        <source>namedtuple(...) with more than 1,000 fields</source>
        <translation>超過 1,000 個欄位的 namedtuple(...)</translation>
    </message>
    <message>
        <source>statistics.{name}(...) of more than 1,000,000 values</source>
        <translation>超過 1,000,000 個值的 statistics.{name}(...)</translation>
    </message>
    <message>
        <source>numpy.linalg.{name}(...) of shape {shape} would take longer than a script may run uninterrupted</source>
        <translation>形狀為 {shape} 的 numpy.linalg.{name}(...) 所需時間超過腳本可以不被中斷地執行的時長</translation>
    </message>
</context>
<context>
    <name>LimitsDialog</name>
    <message>
        <source>Run limits</source>
        <translation>執行限制</translation>
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
        <translation>預設：記憶體的一半（{size}）</translation>
    </message>
    <message>
        <source>Time budget of a run:</source>
        <translation>每次執行的時間預算：</translation>
    </message>
    <message>
        <source>Memory cap of a run:</source>
        <translation>每次執行的記憶體上限：</translation>
    </message>
    <message>
        <source>Each run, step and backward from a node runs in a process of its own. The time budget covers everything done for it (the script, its graph and recording); the memory cap is what the process may add, enforced by the operating system. A script stopped by either says which, at its line.</source>
        <translation>每次執行、逐步執行和從節點開始的反向傳播都在各自的行程中進行。時間預算涵蓋為其所做的一切（指令碼、計算圖與錄製）；記憶體上限是該行程可增加的記憶體，由作業系統強制執行。被其中任一限制停止的指令碼會在出錯的行說明是哪一個。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Script</source>
        <translation>腳本</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>檢查器</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Press F5 to run the script, F10 to step through it (F11 steps into a loop).</source>
        <translation>按 F5 執行腳本，按 F10 單步執行（F11 單步進入迴圈）。</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>主控台</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>時間軸</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差異</translation>
    </message>
    <message>
        <source>Nothing to draw yet: no tensor was made.</source>
        <translation>還沒有可繪製的內容：沒有建立任何張量。</translation>
    </message>
    <message>
        <source>Playback finished</source>
        <translation>播放結束</translation>
    </message>
    <message>
        <source>working…</source>
        <translation>處理中…</translation>
    </message>
    <message>
        <source>Failed: {message}</source>
        <translation>失敗：{message}</translation>
    </message>
    <message>
        <source>Internal error: {message}</source>
        <translation>內部錯誤：{message}</translation>
    </message>
    <message>
        <source>Stopped at a breakpoint</source>
        <translation>在中斷點處停止</translation>
    </message>
    <message>
        <source>Stopped: {message}</source>
        <translation>已停止：{message}</translation>
    </message>
    <message>
        <source> Break on {nodes}, which uses it.</source>
        <translation> 請在使用它的 {nodes} 上設定中斷點。</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>No breakpoint on the constant {label}: it gets no gradient, so backward never stops there.</source>
        <translation>不能在常數 {label} 上設定中斷點：它不會得到梯度，所以反向傳播從不在那裡停下。</translation>
    </message>
    <message>
        <source>No breakpoint on the saved tensor {label}: it gets no gradient, so backward never stops there.</source>
        <translation>不能在儲存的張量 {label} 上設定中斷點：它不會得到梯度，所以反向傳播從不在那裡停下。</translation>
    </message>
    <message>
        <source> no match</source>
        <translation> 沒有符合項目</translation>
    </message>
    <message>
        <source> {index} of {count}</source>
        <translation> 第 {index} 個，共 {count} 個</translation>
    </message>
    <message numerus="yes">
        <source> %n matches</source>
        <translation>
            <numerusform> %n 個符合項目</numerusform>
        </translation>
    </message>
    <message>
        <source>An opened recording shows the saved tensors it recorded; the setting applies to the next run</source>
        <translation>開啟的記錄顯示它記錄下的已儲存張量；此設定在下一次執行時生效</translation>
    </message>
    <message>
        <source>Export graph as {fmt}</source>
        <translation>將計算圖匯出為 {fmt}</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已匯出 {path}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>匯出失敗</translation>
    </message>
    <message>
        <source>About gradtrace</source>
        <translation>關於 gradtrace</translation>
    </message>
    <message>
        <source>A visual debugger for automatic differentiation: PyTorch-style code, its grad_fn graph, backpropagation step by step.</source>
        <translation>自動微分的視覺化除錯器：PyTorch 風格的程式碼、它的 grad_fn 計算圖、一步一步的反向傳播。</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新增(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>開啟(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>儲存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存為(&amp;A)…</translation>
    </message>
    <message>
        <source>Save &amp;recording…</source>
        <translation>儲存記錄(&amp;R)…</translation>
    </message>
    <message>
        <source>Save the run (graph, statements, every backward step&apos;s gradients) as a .gtrace file to open later or send to someone</source>
        <translation>把這次執行（計算圖、陳述式、每個反向步驟的梯度）儲存為 .gtrace 檔案，以後開啟或傳給別人</translation>
    </message>
    <message>
        <source>Export graph as {fmt}…</source>
        <translation>將計算圖匯出為 {fmt}…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find in graph…</source>
        <translation>在計算圖中尋找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>執行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the whole script</source>
        <translation>執行整個腳本</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>單步(&amp;S)</translation>
    </message>
    <message>
        <source>Step over: run the next statement (a whole loop); the graph grows with it</source>
        <translation>單步跳過：執行下一個陳述式（整個迴圈）；計算圖隨之增長</translation>
    </message>
    <message>
        <source>Step &amp;into</source>
        <translation>單步進入(&amp;I)</translation>
    </message>
    <message>
        <source>Step into: run one iteration of the loop at the next statement</source>
        <translation>單步進入：執行下一個陳述式處迴圈的一次迭代</translation>
    </message>
    <message>
        <source>Step o&amp;ut</source>
        <translation>單步跳出(&amp;U)</translation>
    </message>
    <message>
        <source>Step out: run the rest of the loop stepped into, else to the end</source>
        <translation>單步跳出：執行已進入的迴圈的剩餘部分，否則執行到末尾</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Stop the run or layout in progress</source>
        <translation>停止正在進行的執行或佈局</translation>
    </message>
    <message>
        <source>&amp;Limits…</source>
        <translation>限制(&amp;L)…</translation>
    </message>
    <message>
        <source>The time budget and the memory cap of each run</source>
        <translation>每次執行的時間預算與記憶體上限</translation>
    </message>
    <message>
        <source>&amp;Compare engines…</source>
        <translation>比較引擎(&amp;C)…</translation>
    </message>
    <message>
        <source>Run the script on gradtrace&apos;s engine and on PyTorch and list where names, values and gradients differ, node by node, with a finite-difference check</source>
        <translation>在 gradtrace 引擎和 PyTorch 上執行腳本，逐個節點列出名稱、值和梯度不同的地方，並做有限差分檢查</translation>
    </message>
    <message>
        <source>&amp;Fit graph to view</source>
        <translation>計算圖適應檢視(&amp;F)</translation>
    </message>
    <message>
        <source>The whole graph when its labels stay readable, else readable around the active node or the output</source>
        <translation>標籤清晰時顯示整個計算圖，否則以可讀的大小顯示目前節點或輸出附近</translation>
    </message>
    <message>
        <source>Fit &amp;all</source>
        <translation>顯示全部(&amp;A)</translation>
    </message>
    <message>
        <source>The whole graph in view, however small</source>
        <translation>在檢視中顯示整個計算圖，無論多小</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <source>Left to right</source>
        <translation>從左到右</translation>
    </message>
    <message>
        <source>Lay the graph out left to right instead of top to bottom</source>
        <translation>把計算圖從左到右佈局，而不是從上到下</translation>
    </message>
    <message>
        <source>Show saved tensors</source>
        <translation>顯示儲存的張量</translation>
    </message>
    <message>
        <source>Draw the tensors each backward function saved</source>
        <translation>繪製每個反向函式儲存的張量</translation>
    </message>
    <message>
        <source>Show legend</source>
        <translation>顯示圖例</translation>
    </message>
    <message>
        <source>Hide constants and no-grad nodes</source>
        <translation>隱藏常數與不需梯度的節點</translation>
    </message>
    <message>
        <source>Leave out the constants and the tensors and functions that need no gradient (exports still write every node)</source>
        <translation>不顯示常數以及不需要梯度的張量與函式（匯出仍寫入所有節點）</translation>
    </message>
    <message>
        <source>&amp;Expand all groups</source>
        <translation>展開所有群組(&amp;E)</translation>
    </message>
    <message>
        <source>Draw every collapsed group&apos;s nodes again</source>
        <translation>重新顯示每個已摺疊群組的節點</translation>
    </message>
    <message>
        <source>Show overview</source>
        <translation>顯示縮圖</translation>
    </message>
    <message>
        <source>The whole graph in miniature in the view&apos;s corner: drag its rectangle to move the view</source>
        <translation>在檢視一角顯示整個計算圖的縮圖：拖曳其中的矩形來移動檢視</translation>
    </message>
    <message>
        <source>Follow system</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>淺色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Break on NaN/inf</source>
        <translation>遇到 NaN/inf 時中斷</translation>
    </message>
    <message>
        <source>Stop playback where a gradient becomes NaN or inf</source>
        <translation>在梯度變成 NaN 或 inf 的地方停止播放</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Run the script on the GPU</source>
        <translation>在 GPU 上執行腳本</translation>
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
        <translation>gradtrace 說明(&amp;H)</translation>
    </message>
    <message>
        <source>The user guide, after the README&apos;s sections</source>
        <translation>使用者指南，按 README 的章節編排</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>鍵盤快速鍵(&amp;K)</translation>
    </message>
    <message>
        <source>Every shortcut, read from the menus</source>
        <translation>所有快速鍵，從選單中讀取</translation>
    </message>
    <message>
        <source>How to &amp;read the graph</source>
        <translation>如何閱讀計算圖(&amp;R)</translation>
    </message>
    <message>
        <source>What each colour, border, edge label and pulse means</source>
        <translation>每種顏色、邊框、邊標籤和脈衝的含義</translation>
    </message>
    <message>
        <source>&amp;Glossary</source>
        <translation>術語表(&amp;G)</translation>
    </message>
    <message>
        <source>The Chinese terms with PyTorch&apos;s English names</source>
        <translation>中文術語與 PyTorch 英文名稱的對照</translation>
    </message>
    <message>
        <source>&amp;Tour</source>
        <translation>導覽(&amp;T)</translation>
    </message>
    <message>
        <source>A guided walk through PyTorch&apos;s autograd tutorial, in the app</source>
        <translation>在應用程式裡一步步走完 PyTorch 的 autograd 教學</translation>
    </message>
    <message>
        <source>&amp;About gradtrace</source>
        <translation>關於 gradtrace(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>關於 &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近開啟(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>範例(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Export graph</source>
        <translation>匯出計算圖(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編輯(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>復原(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪下(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>複製(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>貼上(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全選(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation>引擎(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Collapse to depth</source>
        <translation>摺疊到深度(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主題(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>語言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具列</translation>
    </message>
    <message>
        <source>Find node (Ctrl+F)</source>
        <translation>尋找節點 (Ctrl+F)</translation>
    </message>
    <message>
        <source> Engine: </source>
        <translation> 引擎：</translation>
    </message>
    <message>
        <source> Device: </source>
        <translation> 裝置：</translation>
    </message>
    <message>
        <source>Ran the else of the loop at line {line}</source>
        <translation>執行了第 {line} 行迴圈的 else 部分</translation>
    </message>
    <message>
        <source>Ran the rest of the loop at line {line}</source>
        <translation>執行了第 {line} 行迴圈的剩餘部分</translation>
    </message>
    <message>
        <source>Ran iterations {first} to {last} of the loop at line {line}</source>
        <translation>執行了第 {line} 行迴圈的第 {first} 到第 {last} 次迭代</translation>
    </message>
    <message>
        <source>Ran iteration {index} of the loop at line {line}</source>
        <translation>執行了第 {line} 行迴圈的第 {index} 次迭代</translation>
    </message>
    <message>
        <source>Ran {part} of the loop at line {line}</source>
        <translation>執行了第 {line} 行迴圈的{part}</translation>
    </message>
    <message>
        <source>Ran 1 statement (line {line})</source>
        <translation>執行了 1 個陳述式（第 {line} 行）</translation>
    </message>
    <message>
        <source>No groups to collapse</source>
        <translation>沒有可摺疊的群組</translation>
    </message>
</context>
<context>
    <name>Pipeline</name>
    <message>
        <source>CuPy is not installed</source>
        <translation>未安裝 CuPy</translation>
    </message>
    <message>
        <source>Run the script on the GPU (CuPy)</source>
        <translation>在 GPU 上執行腳本（CuPy）</translation>
    </message>
    <message>
        <source>GPU check failed: {error}</source>
        <translation>GPU 檢查失敗：{error}</translation>
    </message>
    <message>
        <source>No CUDA GPU was found</source>
        <translation>沒有找到 CUDA GPU</translation>
    </message>
    <message>
        <source>PyTorch is not installed: pip install gradtrace[torch] (or pip install torch)</source>
        <translation>未安裝 PyTorch：pip install gradtrace[torch]（或 pip install torch）</translation>
    </message>
    <message>
        <source>Run the script on real PyTorch (not sandboxed)</source>
        <translation>在真正的 PyTorch 上執行腳本（不在沙箱中）</translation>
    </message>
    <message>
        <source>the PyTorch engine cannot run: {reason}</source>
        <translation>無法使用 PyTorch 引擎：{reason}</translation>
    </message>
    <message>
        <source>building the graph</source>
        <translation>正在建構計算圖</translation>
    </message>
    <message>
        <source>recording the run</source>
        <translation>正在記錄這次執行</translation>
    </message>
    <message numerus="yes">
        <source>laying out %n nodes</source>
        <translation>
            <numerusform>正在佈局 %n 個節點</numerusform>
        </translation>
    </message>
    <message>
        <source>recording the timeline</source>
        <translation>正在記錄時間軸</translation>
    </message>
    <message>
        <source>reading the recording</source>
        <translation>正在讀取記錄</translation>
    </message>
    <message>
        <source>running the script</source>
        <translation>正在執行腳本</translation>
    </message>
    <message>
        <source>running the next statement</source>
        <translation>正在執行下一個陳述式</translation>
    </message>
    <message>
        <source>running</source>
        <translation>正在執行</translation>
    </message>
    <message>
        <source>the graph of the tensors passed to show()</source>
        <translation>傳給 show() 的張量的計算圖</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <source>To start</source>
        <translation>到開頭</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>後退一步</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Step forward</source>
        <translation>前進一步</translation>
    </message>
    <message>
        <source>To end</source>
        <translation>到末尾</translation>
    </message>
    <message>
        <source>no run yet</source>
        <translation>尚未執行</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>Scrub through the timeline: forward statements, then backward steps</source>
        <translation>拖曳瀏覽時間軸：先是前向的陳述式，然後是反向傳播的步驟</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Break on NaN/inf</source>
        <translation>遇到 NaN/inf 時中斷</translation>
    </message>
    <message>
        <source>Stop playback at the first step whose gradient is NaN or inf</source>
        <translation>在第一個梯度為 NaN 或 inf 的步驟停止播放</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>資料夾</translation>
    </message>
    <message>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>磁碟機</translation>
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
        <translation>尋找於(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>檔案類型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>Recording</name>
    <message>
        <source>value not recorded: {count} elements (cap {cap})</source>
        <translation>值未記錄：{count} 個元素（上限 {cap}）</translation>
    </message>
</context>
<context>
    <name>RecordingFiles</name>
    <message>
        <source>Nothing to save: no script has run yet, so there is no recording (run it first, F5)</source>
        <translation>沒有可儲存的內容：還沒有執行過腳本，所以沒有記錄（請先執行，F5）</translation>
    </message>
    <message>
        <source>Save recording</source>
        <translation>儲存記錄</translation>
    </message>
    <message>
        <source>gradtrace recordings (*.gtrace)</source>
        <translation>gradtrace 記錄 (*.gtrace)</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>儲存失敗</translation>
    </message>
    <message>
        <source>Could not save the recording {path}: {reason}</source>
        <translation>無法儲存記錄 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved the recording {path}</source>
        <translation>已儲存記錄 {path}</translation>
    </message>
</context>
<context>
    <name>Render</name>
    <message>
        <source>could not write {path}</source>
        <extracomment>QCoreApplication.translate, under the name pyside6-lupdate reads</extracomment>
        <translation>無法寫入 {path}</translation>
    </message>
    <message>
        <source>gradtrace graph</source>
        <translation>gradtrace 計算圖</translation>
    </message>
    <message>
        <source>The grad_fn graph drawn by gradtrace</source>
        <translation>由 gradtrace 繪製的 grad_fn 計算圖</translation>
    </message>
    <message>
        <source>nothing to export to {name}: no script has run yet, so there is no graph (run it first, F5)</source>
        <translation>沒有可匯出到 {name} 的內容：還沒有執行過腳本，所以沒有計算圖（請先按 F5 執行）</translation>
    </message>
    <message>
        <source>unknown export format {suffix}: use .png, .svg, .dot or .json</source>
        <translation>未知的匯出格式 {suffix}：請使用 .png、.svg、.dot 或 .json</translation>
    </message>
</context>
<context>
    <name>RestrictedPython</name>
    <message>
        <source>&quot;{name}&quot; is an invalid variable name because it starts with &quot;_&quot;</source>
        <translation>&quot;{name}&quot; 是無效的變數名稱，因為它以 &quot;_&quot; 開頭</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is an invalid variable name because it ends with &quot;__roles__&quot;.</source>
        <translation>&quot;{name}&quot; 是無效的變數名稱，因為它以 &quot;__roles__&quot; 結尾。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is a reserved name.</source>
        <translation>&quot;{name}&quot; 是保留名稱。</translation>
    </message>
    <message>
        <source>Lazy import statements are not allowed.</source>
        <translation>不允許延遲匯入語句。</translation>
    </message>
    <message>
        <source>&quot;*&quot; imports are not allowed.</source>
        <translation>不允許 &quot;*&quot; 匯入。</translation>
    </message>
    <message>
        <source>{node} statements are not allowed.</source>
        <translation>不允許 {node} 語句。</translation>
    </message>
    <message>
        <source>Exec calls are not allowed.</source>
        <translation>不允許呼叫 exec。</translation>
    </message>
    <message>
        <source>Eval calls are not allowed.</source>
        <translation>不允許呼叫 eval。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is an invalid attribute name because it starts with &quot;_&quot;.</source>
        <translation>&quot;{name}&quot; 是無效的屬性名稱，因為它以 &quot;_&quot; 開頭。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is an invalid attribute name because it ends with &quot;__roles__&quot;.</source>
        <translation>&quot;{name}&quot; 是無效的屬性名稱，因為它以 &quot;__roles__&quot; 結尾。</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is a restricted name, that is forbidden to access in RestrictedPython.</source>
        <translation>&quot;{name}&quot; 是受限名稱，RestrictedPython 禁止存取它。</translation>
    </message>
    <message>
        <source>Unpacking in comprehensions is not allowed.</source>
        <translation>推導式中不允許解包。</translation>
    </message>
    <message>
        <source>Augmented assignment of attributes is not allowed.</source>
        <translation>不允許對屬性做擴充指派。</translation>
    </message>
    <message>
        <source>Augmented assignment of object items and slices is not allowed.</source>
        <translation>不允許對物件的元素和切片做擴充指派。</translation>
    </message>
    <message>
        <source>The keyword argument &quot;metaclass&quot; is not allowed.</source>
        <translation>不允許關鍵字引數 &quot;metaclass&quot;。</translation>
    </message>
    <message>
        <source>Assignment expressions are only allowed for simple targets</source>
        <translation>指派運算式只允許用於簡單目標</translation>
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
        <translation>從 {label} 反向傳播：請等待正在進行的執行結束（或停止它）。</translation>
    </message>
    <message>
        <source>Backward from {label}: {message}</source>
        <translation>從 {label} 反向傳播：{message}</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空白鍵</translation>
    </message>
    <message numerus="yes">
        <source>Backward from {label}: %n steps added. Press {keys} to play them.</source>
        <translation>
            <numerusform>從 {label} 反向傳播：新增了 %n 步。按 {keys} 播放。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ran %n statements: </source>
        <translation>
            <numerusform>執行了 %n 個陳述式：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n nodes, </source>
        <translation>
            <numerusform>%n 個節點，</numerusform>
        </translation>
    </message>
    <message>
        <source>A recording has no live run to run backward in: run its script (F5) to make one</source>
        <translation>記錄沒有可以在其中執行反向傳播的活動執行：執行它的腳本（F5）來產生一個</translation>
    </message>
    <message>
        <source>Opened the recording {name}: </source>
        <translation>已開啟記錄 {name}：</translation>
    </message>
    <message numerus="yes">
        <source>%n statements, </source>
        <translation>
            <numerusform>%n 條陳述式，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backward calls</source>
        <translation>
            <numerusform>%n 次 backward() 呼叫</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing left to run: the script has finished. F5 runs it again.</source>
        <translation>沒有剩下要執行的內容：腳本已經結束。按 F5 重新執行。</translation>
    </message>
    <message numerus="yes">
        <source>Ran %n statements</source>
        <translation>
            <numerusform>執行了 %n 個陳述式</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>. Press Space to play the %n backward steps</source>
        <translation>
            <numerusform>。按空白鍵播放這 %n 步反向傳播</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>. Press {keys} to play the %n backward steps</source>
        <translation>
            <numerusform>。按 {keys} 播放這 %n 步反向傳播</numerusform>
        </translation>
    </message>
    <message>
        <source>. The script has finished</source>
        <translation>。腳本已經結束</translation>
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
        <translation>腳本在 CPU 上執行；GPU 不可用：{reason}</translation>
    </message>
    <message>
        <source>Scripts run on the GPU (CuPy): click to run on the CPU (re-runs the script)</source>
        <translation>腳本在 GPU 上執行（CuPy）：按一下改為在 CPU 上執行（會重新執行腳本）</translation>
    </message>
    <message>
        <source>Scripts run on the CPU: click to run on the GPU (re-runs the script)</source>
        <translation>腳本在 CPU 上執行：按一下改為在 GPU 上執行（會重新執行腳本）</translation>
    </message>
    <message>
        <source>Device: {device}</source>
        <translation>裝置：{device}</translation>
    </message>
</context>
<context>
    <name>Sandbox</name>
    <message>
        <source>object, string, void and datetime arrays are not available in scripts</source>
        <translation>腳本中不能使用物件、字串、void 和 datetime 陣列</translation>
    </message>
    <message>
        <source>{name}(): cannot convert a {type} object in scripts; pass a list, a tuple, a tensor or an array</source>
        <translation>{name}()：腳本中不能轉換 {type} 物件；請傳入串列、元組、張量或陣列</translation>
    </message>
    <message>
        <source>unsupported operand type(s) for {op} in scripts: numpy arrays do not combine with your own objects</source>
        <translation>腳本中 {op} 不支援的運算元型別：numpy 陣列不能與你自己的物件運算</translation>
    </message>
    <message>
        <source>cannot assign to module &apos;{name}&apos;</source>
        <translation>不能給模組 &apos;{name}&apos; 賦值</translation>
    </message>
    <message>
        <source>cannot assign to class &apos;{name}&apos;</source>
        <translation>不能給類別 &apos;{name}&apos; 賦值</translation>
    </message>
    <message>
        <source>cannot pickle class &apos;{name}&apos; in scripts</source>
        <translation>腳本中不能 pickle 類別 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>cannot assign attribute &apos;{name}&apos; of {type}</source>
        <translation>不能給 {type} 的屬性 &apos;{name}&apos; 賦值</translation>
    </message>
    <message>
        <source>cannot delete items of {type}</source>
        <translation>不能刪除 {type} 的元素</translation>
    </message>
    <message>
        <source>print(file=...) is not allowed</source>
        <translation>不允許使用 print(file=...)</translation>
    </message>
    <message>
        <source>relative imports are not allowed</source>
        <translation>不允許相對匯入</translation>
    </message>
    <message>
        <source>import of &apos;{name}&apos; is not allowed (scripts may import {allowed} and their submodules)</source>
        <translation>不允許匯入 &apos;{name}&apos;（腳本可以匯入 {allowed} 及其子模組）</translation>
    </message>
    <message>
        <source>import of &apos;{name}&apos; is not allowed</source>
        <translation>不允許匯入 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>module &apos;{module}&apos; has no submodule &apos;{name}&apos;</source>
        <translation>模組 &apos;{module}&apos; 沒有子模組 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not available in scripts: {why}</source>
        <translation>腳本中不能使用 &apos;{name}&apos;：{why}</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is a module; not available in scripts</source>
        <translation>&apos;{name}&apos; 是一個模組；腳本中不能使用</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; of {type} objects is not available</source>
        <translation>不能使用 {type} 物件的屬性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>{object} cannot be indexed in scripts</source>
        <translation>腳本中不能對 {object} 取索引</translation>
    </message>
    <message>
        <source>cannot assign to attributes or items of {type} objects</source>
        <translation>不能給 {type} 物件的屬性或元素賦值</translation>
    </message>
    <message>
        <source>cannot assign attribute &apos;{name}&apos; of the ctx</source>
        <translation>不能給 ctx 的屬性 &apos;{name}&apos; 賦值</translation>
    </message>
    <message>
        <source>cannot delete attribute &apos;{name}&apos; of the ctx</source>
        <translation>不能刪除 ctx 的屬性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>the ctx does not support item assignment</source>
        <translation>ctx 不支援元素賦值</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not available in scripts</source>
        <translation>腳本中不能使用 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; of {type} objects is not available in scripts</source>
        <translation>腳本中不能使用 {type} 物件的屬性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>cannot create &apos;{name}&apos; objects in scripts</source>
        <translation>腳本中不能建立 &apos;{name}&apos; 物件</translation>
    </message>
    <message>
        <source>class {name}: class keywords ({keywords}) are not allowed in scripts</source>
        <translation>類別 {name}：腳本中不允許使用類別關鍵字（{keywords}）</translation>
    </message>
    <message>
        <source>class {name}: defining &apos;{key}&apos; is not allowed in scripts (it would change how Python treats the object)</source>
        <translation>類別 {name}：腳本中不允許定義 &apos;{key}&apos;（它會改變 Python 對待該物件的方式）</translation>
    </message>
    <message>
        <source>class {name}: &apos;{key}&apos; is the engine&apos;s own name in this class</source>
        <translation>類別 {name}：&apos;{key}&apos; 是引擎在這個類別中自己使用的名稱</translation>
    </message>
    <message>
        <source>class {name}: metaclass {meta} is not allowed</source>
        <translation>類別 {name}：不允許使用元類別 {meta}</translation>
    </message>
    <message>
        <source>class {name}: {base} cannot be a base class in scripts (bases may be your own classes, object, exceptions, nn.Module, autograd.Function and torch.utils.data classes)</source>
        <translation>類別 {name}：腳本中 {base} 不能作為基底類別（基底類別可以是你自己的類別、object、例外、nn.Module、autograd.Function 和 torch.utils.data 中的類別）</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; of {type} objects is the engine&apos;s own</source>
        <translation>{type} 物件的屬性 &apos;{name}&apos; 是引擎自己使用的</translation>
    </message>
    <message>
        <source>cannot assign attribute &apos;{name}&apos; of {type} objects</source>
        <translation>不能給 {type} 物件的屬性 &apos;{name}&apos; 賦值</translation>
    </message>
    <message>
        <source>super() is only available inside your own classes</source>
        <translation>super() 只能在你自己的類別中使用</translation>
    </message>
    <message>
        <source>super() in scripts takes a class and an object</source>
        <translation>腳本中的 super() 需要一個類別和一個物件</translation>
    </message>
    <message>
        <source>super() is only available for your own classes</source>
        <translation>super() 只能用於你自己的類別</translation>
    </message>
    <message>
        <source>type() with 3 arguments (making a class) is not available in scripts; use a class statement</source>
        <translation>腳本中不能使用 3 個參數的 type()（建立類別）；請使用 class 陳述式</translation>
    </message>
    <message>
        <source>{func}() with the name &apos;{name}&apos; is not available in scripts (names starting with &apos;_&apos; are refused)</source>
        <translation>腳本中不能以名稱 &apos;{name}&apos; 呼叫 {func}()（以 &apos;_&apos; 開頭的名稱會被拒絕）</translation>
    </message>
    <message>
        <source>attribute &apos;{name}&apos; is not available in str.format</source>
        <translation>str.format 中不能使用屬性 &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>namedtuple(module=...) is not available in scripts</source>
        <translation>腳本中不能使用 namedtuple(module=...)</translation>
    </message>
    <message>
        <source>dataclass() applies to your own classes in scripts</source>
        <translation>腳本中 dataclass() 只能用於你自己的類別</translation>
    </message>
    <message>
        <source>cannot create &apos;{name}&apos; objects in scripts; use numpy.array</source>
        <translation>腳本中不能建立 &apos;{name}&apos; 物件；請使用 numpy.array</translation>
    </message>
    <message>
        <source>numpy.{name}(): object, string, void and datetime dtypes are not available in scripts</source>
        <translation>numpy.{name}()：腳本中不能使用物件、字串、void 和 datetime 資料型別</translation>
    </message>
    <message>
        <source>numpy.{name}(): cannot take a {type} object in scripts; pass arrays, tensors, numbers or lists</source>
        <translation>numpy.{name}()：腳本中不能接受 {type} 物件；請傳入陣列、張量、數字或串列</translation>
    </message>
    <message>
        <source>numpy.{name}(): arrays of strings are not available in scripts</source>
        <translation>numpy.{name}()：腳本中不能使用字串陣列</translation>
    </message>
    <message>
        <source>numpy.{name}(): object, string, void and datetime arrays are not available in scripts</source>
        <translation>numpy.{name}()：腳本中不能使用物件、字串、void 和 datetime 陣列</translation>
    </message>
    <message>
        <source>async code is not allowed</source>
        <translation>不允許使用非同步程式碼</translation>
    </message>
    <message>
        <source>&apos;yield&apos; in a lambda is not allowed</source>
        <translation>不允許在 lambda 中使用 &apos;yield&apos;</translation>
    </message>
    <message>
        <source>class keywords are not allowed (only base classes)</source>
        <translation>不允許使用類別關鍵字（只能寫基底類別）</translation>
    </message>
    <message>
        <source>defining &apos;{name}&apos; is not allowed in scripts: it changes how Python looks up, creates, copies or deletes objects (a class may define __init__, __call__, __len__, __getitem__, __iter__, __next__, __repr__, __str__, __enter__, __exit__, comparisons and operators)</source>
        <translation>腳本中不允許定義 &apos;{name}&apos;：它會改變 Python 查找、建立、複製或刪除物件的方式（類別可以定義 __init__、__call__、__len__、__getitem__、__iter__、__next__、__repr__、__str__、__enter__、__exit__、比較和運算子）</translation>
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
        <translation>陳述式巢狀太深</translation>
    </message>
    <message>
        <source>cannot compile this statement: {error}</source>
        <translation>無法編譯這條陳述式：{error}</translation>
    </message>
    <message>
        <source>{kind}: {message}</source>
        <translation>{kind}: {message}</translation>
    </message>
    <message>
        <source>device {device} is not available: {error}</source>
        <translation>裝置 {device} 不可用：{error}</translation>
    </message>
</context>
<context>
    <name>ScriptFiles</name>
    <message>
        <source>Could not open {path}: {reason}</source>
        <translation>無法開啟 {path}：{reason}</translation>
    </message>
    <message>
        <source>Open failed</source>
        <translation>開啟失敗</translation>
    </message>
    <message>
        <source>Example {name} loaded: press F5 to run</source>
        <translation>已載入範例 {name}：按 F5 執行</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未儲存的變更</translation>
    </message>
    <message>
        <source>{name} has unsaved changes. Save them before they are replaced?</source>
        <translation>{name} 有未儲存的變更。在它們被替換之前儲存嗎？</translation>
    </message>
    <message>
        <source>Open script</source>
        <translation>開啟腳本</translation>
    </message>
    <message>
        <source>Scripts and recordings (*.py *.gtrace);;Python scripts (*.py);;gradtrace recordings (*.gtrace);;All files (*)</source>
        <translation>腳本和記錄 (*.py *.gtrace);;Python 腳本 (*.py);;gradtrace 記錄 (*.gtrace);;所有檔案 (*)</translation>
    </message>
    <message>
        <source>Save script</source>
        <translation>儲存腳本</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>Python 腳本 (*.py)</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>儲存失敗</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>無法儲存 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已儲存 {path}</translation>
    </message>
    <message>
        <source>File not found</source>
        <translation>找不到檔案</translation>
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
        <translation>迴圈的剩餘部分</translation>
    </message>
    <message>
        <source>the loop&apos;s else</source>
        <translation>迴圈的 else 部分</translation>
    </message>
    <message>
        <source>line {line}: {text} ({part})</source>
        <translation>第 {line} 行：{text}（{part}）</translation>
    </message>
    <message>
        <source>statement {index}: {text} ({part})</source>
        <translation>陳述式 {index}：{text}（{part}）</translation>
    </message>
    <message>
        <source>line {line}: {text}</source>
        <translation>第 {line} 行：{text}</translation>
    </message>
    <message>
        <source>statement {index}: {text}</source>
        <translation>陳述式 {index}：{text}</translation>
    </message>
    <message>
        <source>forward: the whole graph</source>
        <translation>前向：整個計算圖</translation>
    </message>
    <message>
        <source>backward step {step}/{total}: {op} (call {call})</source>
        <translation>反向傳播第 {step}/{total} 步：{op}（第 {call} 次呼叫）</translation>
    </message>
    <message>
        <source>backward step {step}/{total}: {op}</source>
        <translation>反向傳播第 {step}/{total} 步：{op}</translation>
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
        <translation>NaN/inf 梯度最早由 {node} 在 {step} 產生</translation>
    </message>
    <message>
        <source>breakpoint on {node} at {step}</source>
        <translation>{node} 上的中斷點，位於 {step}</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <source>Leaves: requires_grad=True</source>
        <extracomment>the translation context of every tour text (QCoreApplication.translate(CONTEXT, text))</extracomment>
        <translation>葉節點：requires_grad=True</translation>
    </message>
    <message>
        <source>A tensor made with `requires_grad=True` is a leaf of the computation graph: autograd records every operation done with it, and `backward()` will put its gradient in `x.grad`.

The script on the left has run. The graph shows the one leaf `x`; it is selected, and the inspector shows `requires_grad True`, `is_leaf True` and `grad_fn None`: no operation made it.</source>
        <translation>用 `requires_grad=True` 建立的張量是計算圖的葉節點：autograd 會記錄對它做的每一個運算，`backward()` 會把它的梯度放進 `x.grad`。

左邊的腳本已經執行。計算圖裡只有一個葉節點 `x`，它已被選取，檢查器顯示 `requires_grad True`、`is_leaf True` 和 `grad_fn None`：它不是由任何運算產生的。</translation>
    </message>
    <message>
        <source>An operation makes grad_fn: AddBackward0</source>
        <translation>運算產生 grad_fn：AddBackward0</translation>
    </message>
    <message>
        <source>`y = x + 2` is computed from a leaf, so autograd records how: `y.grad_fn` is an `AddBackward0` node, the function that will send the gradient from `y` back to `x`. The console shows it as PyTorch prints it.

In the graph, `AddBackward0` leads to `AccumulateGrad`, the node that will write `x.grad`. `y` is selected: it is not a leaf, and its `grad_fn` is that node.</source>
        <translation>`y = x + 2` 是從葉節點算出來的，所以 autograd 記下了它的來歷：`y.grad_fn` 是一個 `AddBackward0` 節點，也就是之後把梯度從 `y` 傳回 `x` 的函式。主控台按 PyTorch 的列印方式顯示它。

在計算圖裡，`AddBackward0` 連到 `AccumulateGrad`，這個節點之後會寫入 `x.grad`。`y` 已被選取：它不是葉節點，它的 `grad_fn` 就是那個節點。</translation>
    </message>
    <message>
        <source>z.mean(): a single number at the end</source>
        <translation>z.mean()：最後得到一個數</translation>
    </message>
    <message>
        <source>`z = y * y * 3` adds two `MulBackward0` nodes, and `out = z.mean()` a `MeanBackward0`. `out` is a scalar, one number: the kind of output that `backward()` can start from with nothing more said.

`out` is selected. No backward has run yet, so no node has a gradient.</source>
        <translation>`z = y * y * 3` 加入了兩個 `MulBackward0` 節點，`out = z.mean()` 加入了一個 `MeanBackward0`。`out` 是純量，只有一個數：`backward()` 不需任何額外參數就能從這種輸出開始。

`out` 已被選取。反向傳播還沒有執行，所以還沒有節點得到梯度。</translation>
    </message>
    <message>
        <source>out.backward(), step by step</source>
        <translation>逐步執行 out.backward()</translation>
    </message>
    <message>
        <source>`out.backward()` runs the graph backwards, from `out` to the leaves, and the player is playing it: one node per step (Shift+Left and Shift+Right step back and forward). Each node applies its own local derivative and passes the result on:

`MeanBackward0`: 1 / 4 = 0.25 for each element. `MulBackward0` (× 3): 0.25 · 3 = 0.75. `MulBackward0` (y · y): 0.75 · y = 2.25 to each of its two inputs, both `y`, so `y` receives 4.5. `AddBackward0` passes 4.5 on, and `AccumulateGrad` stores it in `x.grad`.

That is d(out)/dx = 3(x+2)/2 = 4.5, as the tutorial says: `x` is selected, and its `.grad` is 4.5 everywhere.</source>
        <translation>`out.backward()` 從 `out` 到葉節點反向走過計算圖，播放器正在播放這次反向傳播：每一步一個節點（Shift+Left 和 Shift+Right 後退、前進一步）。每個節點套用自己的局部導數，再把結果傳下去：

`MeanBackward0`：每個元素得到 1 / 4 = 0.25。`MulBackward0`（× 3）：0.25 · 3 = 0.75。`MulBackward0`（y · y）：0.75 · y = 2.25，送給兩個輸入，兩個都是 `y`，所以 `y` 收到 4.5。`AddBackward0` 把 4.5 傳下去，`AccumulateGrad` 把它存進 `x.grad`。

這就是教學裡的 d(out)/dx = 3(x+2)/2 = 4.5：`x` 已被選取，它的 `.grad` 處處是 4.5。</translation>
    </message>
    <message>
        <source>Each node&apos;s rule, with its numbers</source>
        <translation>每個節點的規則和它的數值</translation>
    </message>
    <message>
        <source>The player is at backward step 3, where the `MulBackward0` of `y * y` ran; it is selected. The inspector&apos;s &quot;Backward rule at this step&quot; shows the rule it applied, the product rule grad_self = grad · other, grad_other = grad · self, with what it saved (`self` and `other`, both `y`, 3 everywhere) and what it sent: 0.75 · 3 = 2.25 to each input.

Select any other backward node, at any step, to read its rule the same way.</source>
        <translation>播放器停在反向傳播第 3 步，也就是 `y * y` 的 `MulBackward0` 執行的那一步；它已被選取。檢查器的「這一步的反向傳播規則」顯示它套用的規則，即乘積法則 grad_self = grad · other、grad_other = grad · self，以及它儲存的張量（`self` 和 `other`，都是 `y`，處處為 3）和它送出的數值：給每個輸入 0.75 · 3 = 2.25。

在任意一步選取任意其他反向節點，都能這樣讀到它的規則。</translation>
    </message>
    <message>
        <source>backward(gradient) for an output that is not a scalar</source>
        <translation>輸出不是純量時：用 backward(gradient) 給出梯度</translation>
    </message>
    <message>
        <source>`y = x * 2` is a vector, not one number, so `y.backward()` alone would stop with PyTorch&apos;s &quot;grad can be implicitly created only for scalar outputs&quot;. Give it the vector to multiply the Jacobian with instead: `y.backward(v)` computes vᵀ · J, here `x.grad` = 2 · v = [0.2, 2, 0.0002].</source>
        <translation>`y = x * 2` 是向量，不是一個數，所以單獨呼叫 `y.backward()` 會停在 PyTorch 的 &quot;grad can be implicitly created only for scalar outputs&quot;。改為給它一個與雅可比矩陣相乘的向量：`y.backward(v)` 計算 vᵀ · J，這裡 `x.grad` = 2 · v = [0.2, 2, 0.0002]。</translation>
    </message>
    <message>
        <source>A second backward adds to .grad</source>
        <translation>第二次反向傳播累加到 .grad</translation>
    </message>
    <message>
        <source>Backward runs a second time, on a fresh graph, and `x.grad` is not replaced but added to: 3 + 3 = 6. This is gradient accumulation; the selected `AccumulateGrad` of the second call shows it as `.grad + grad`.

That is why a training loop calls `optimizer.zero_grad()` (or sets `x.grad = None`) before each backward: otherwise every step&apos;s gradients pile up.</source>
        <translation>在新建的計算圖上第二次執行反向傳播，`x.grad` 不會被取代，而是累加：3 + 3 = 6。這就是梯度累加；選取的第二次呼叫的 `AccumulateGrad` 把它顯示為 `.grad + grad`。

所以訓練迴圈在每次反向傳播前都要呼叫 `optimizer.zero_grad()`（或設 `x.grad = None`）：否則每一步的梯度會越堆越多。</translation>
    </message>
    <message>
        <source>detach() and torch.no_grad() cut the graph</source>
        <translation>detach() 和 torch.no_grad() 切斷計算圖</translation>
    </message>
    <message>
        <source>`d = y.detach()` has the numbers of `y` but no history: a new leaf that needs no gradient. Inside `with torch.no_grad():` nothing is recorded at all, so `n` has no `grad_fn` either. The graph draws both cuts as dashed edges.

So `out = (y * d).sum()` is differentiated through `y` only: `d` counts as the constant 2, and `x.grad` = 2 · d = 4.</source>
        <translation>`d = y.detach()` 的數值和 `y` 相同，但沒有來歷：它是一個不需要梯度的新葉節點。在 `with torch.no_grad():` 裡面什麼都不記錄，所以 `n` 也沒有 `grad_fn`。計算圖把這兩處切斷畫成虛線邊。

因此 `out = (y * d).sum()` 只透過 `y` 求導：`d` 當作常數 2，`x.grad` = 2 · d = 4。</translation>
    </message>
    <message>
        <source>requires_grad_() switches tracking on</source>
        <translation>requires_grad_() 開啟追蹤</translation>
    </message>
    <message>
        <source>A tensor made without `requires_grad` records nothing. `a.requires_grad_(True)` switches it on in place, as in the tutorial: from then on `a` is a leaf that autograd tracks, so `b = (a * a).sum()` gets a `grad_fn` (`SumBackward0`), and backward gives `a.grad` = 2a. `a` is selected.</source>
        <translation>沒有 `requires_grad` 的張量什麼都不記錄。`a.requires_grad_(True)` 就地把它開啟，和教學裡一樣：從此 `a` 是 autograd 追蹤的葉節點，所以 `b = (a * a).sum()` 得到一個 `grad_fn`（`SumBackward0`），反向傳播給出 `a.grad` = 2a。`a` 已被選取。</translation>
    </message>
    <message>
        <source>An error: backward through the graph a second time</source>
        <translation>錯誤：第二次對計算圖做反向傳播</translation>
    </message>
    <message>
        <source>Backward frees what each node saved (here the `self` and `other` of `MulBackward0`) once it has used it, to save memory. The second `y.backward()` finds them gone, and PyTorch stops with &quot;Trying to backward through the graph a second time&quot;. The error shows under the editor at its line; the node whose saved tensors are gone is selected.

Pass `retain_graph=True` to the first call if you really need a second one, or build the graph again.</source>
        <translation>為了節省記憶體，反向傳播用完每個節點儲存的張量（這裡是 `MulBackward0` 的 `self` 和 `other`）後就釋放它們。第二次 `y.backward()` 發現它們已經不在了，PyTorch 於是停在 &quot;Trying to backward through the graph a second time&quot;。錯誤顯示在編輯器下方它所在的行；儲存的張量已被釋放的那個節點已被選取。

如果確實需要第二次，第一次呼叫時傳入 `retain_graph=True`，或者重新建立計算圖。</translation>
    </message>
    <message>
        <source>An error: a saved tensor changed in place</source>
        <translation>錯誤：儲存的張量被就地修改</translation>
    </message>
    <message>
        <source>`ExpBackward0` saves its result, since the derivative of eˣ is eˣ. `y.add_(1)` then changes that very tensor in place, so at backward PyTorch finds the saved value at a newer version and refuses: &quot;one of the variables needed for gradient computation has been modified by an inplace operation&quot;. The node that saved it is selected.

Write `y = y + 1` instead: it makes a new tensor and leaves the saved one alone.</source>
        <translation>`ExpBackward0` 儲存它的結果，因為 eˣ 的導數就是 eˣ。隨後 `y.add_(1)` 就地修改了這個張量，所以反向傳播時 PyTorch 發現儲存的值版本變新了，於是拒絕計算梯度：&quot;one of the variables needed for gradient computation has been modified by an inplace operation&quot;。儲存它的節點已被選取。

改寫成 `y = y + 1`：它產生一個新張量，不動儲存的那個。</translation>
    </message>
    <message>
        <source>Devices: CPU and GPU</source>
        <translation>裝置：CPU 和 GPU</translation>
    </message>
    <message>
        <source>Every tensor lives on a device: `x.device` is `cpu` here. With a GPU (CuPy for gradtrace; the toolbar&apos;s device button), `.to(&quot;cuda&quot;)` moves a tensor there and autograd works the same. One operation needs all its tensors on one device: mixing them stops with PyTorch&apos;s &quot;Expected all tensors to be on the same device&quot;, and on a machine without a GPU asking for one says &quot;Torch not compiled with CUDA enabled&quot;. The script ends with that mistake, so you see whichever error this machine gives.</source>
        <translation>每個張量都在某個裝置上：這裡 `x.device` 是 `cpu`。有 GPU 時（gradtrace 用 CuPy；工具列的裝置按鈕），`.to(&quot;cuda&quot;)` 把張量移過去，autograd 的運作方式不變。一個運算要求它的所有張量在同一個裝置上：混用會停在 PyTorch 的 &quot;Expected all tensors to be on the same device&quot;；在沒有 GPU 的機器上請求 GPU 會得到 &quot;Torch not compiled with CUDA enabled&quot;。腳本最後故意犯了這個錯誤，你會看到這台機器給出的那一個。</translation>
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
        <translation>重新執行</translation>
    </message>
    <message>
        <source>Run this stage&apos;s script again from the start</source>
        <translation>從頭重新執行這一站的腳本</translation>
    </message>
    <message>
        <source>Leave the tour and get your script back</source>
        <translation>離開導覽，取回你自己的腳本</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Skip ▶</source>
        <translation>跳過 ▶</translation>
    </message>
    <message>
        <source>Go on to the next stage</source>
        <translation>進入下一站</translation>
    </message>
    <message>
        <source>Leave tour</source>
        <translation>離開導覽</translation>
    </message>
    <message>
        <source>Tour</source>
        <translation>導覽</translation>
    </message>
    <message>
        <source>New to autograd? Take the guided tour of PyTorch&apos;s autograd tutorial, here in the app (Help &gt; Tour).</source>
        <translation>初學 autograd？在應用程式裡跟著導覽走一遍 PyTorch 的 autograd 教學（說明 &gt; 導覽）。</translation>
    </message>
    <message>
        <source>Start the tour</source>
        <translation>開始導覽</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>以後再說</translation>
    </message>
    <message>
        <source>Don&apos;t show again</source>
        <translation>不再顯示</translation>
    </message>
</context>
</TS>
