<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Compare</name>
    <message numerus="yes">
        <source>%n difference(s):</source>
        <translation>
            <numerusform>%n difference:</numerusform>
            <numerusform>%n differences:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{engine} {leaf} ({dtype}): %n entries, max error {error}: {verdict}</source>
        <translation>
            <numerusform>{engine} {leaf} ({dtype}): %n entry, max error {error}: {verdict}</numerusform>
            <numerusform>{engine} {leaf} ({dtype}): %n entries, max error {error}: {verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n tensor(s) computed from it differ too</source>
        <translation>
            <numerusform>; %n tensor computed from it differs too</numerusform>
            <numerusform>; %n tensors computed from it differ too</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backward call(s) on gradtrace, {b} on PyTorch</source>
        <translation>
            <numerusform>%n backward call on gradtrace, {b} on PyTorch</numerusform>
            <numerusform>%n backward calls on gradtrace, {b} on PyTorch</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>steps differ from step {step}: gradtrace {a}, PyTorch {b} ({na} vs %n steps)</source>
        <translation>
            <numerusform>steps differ from step {step}: gradtrace {a}, PyTorch {b} ({na} vs %n step)</numerusform>
            <numerusform>steps differ from step {step}: gradtrace {a}, PyTorch {b} ({na} vs %n steps)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) received different gradients</source>
        <translation>
            <numerusform>%n node received different gradients</numerusform>
            <numerusform>%n nodes received different gradients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{engine}: %n more leaves not checked</source>
        <translation>
            <numerusform>{engine}: %n more leaf not checked</numerusform>
            <numerusform>{engine}: %n more leaves not checked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>gradtrace (sandboxed) against PyTorch {version}: {a} and %n statement(s) ran</source>
        <translation>
            <numerusform>gradtrace (sandboxed) against PyTorch {version}: {a} and %n statement ran</numerusform>
            <numerusform>gradtrace (sandboxed) against PyTorch {version}: {a} and %n statements ran</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DifferencesPanel</name>
    <message numerus="yes">
        <source>{engine}, {dtype}: %n entries checked, max error {error}: {verdict}</source>
        <translation>
            <numerusform>{engine}, {dtype}: %n entry checked, max error {error}: {verdict}</numerusform>
            <numerusform>{engine}, {dtype}: %n entries checked, max error {error}: {verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n differences between the engines</source>
        <translation>
            <numerusform>%n difference between the engines</numerusform>
            <numerusform>%n differences between the engines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n finite-difference checks failed</source>
        <translation>
            <numerusform>; %n finite-difference check failed</numerusform>
            <numerusform>; %n finite-difference checks failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GraphItems</name>
    <message numerus="yes">
        <source>collapsed group of %n nodes: double-click to expand</source>
        <translation>
            <numerusform>collapsed group of %n node: double-click to expand</numerusform>
            <numerusform>collapsed group of %n nodes: double-click to expand</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>collapsed: %n nodes</source>
        <translation>
            <numerusform>collapsed: %n node</numerusform>
            <numerusform>collapsed: %n nodes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GraphView</name>
    <message numerus="yes">
        <source>Expand all %n alike</source>
        <translation>
            <numerusform>Expand the %n alike</numerusform>
            <numerusform>Expand all %n alike</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Collapse all %n alike</source>
        <translation>
            <numerusform>Collapse the %n alike</numerusform>
            <numerusform>Collapse all %n alike</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Depth %1 (%n groups)</source>
        <translation>
            <numerusform>Depth %1 (%n group)</numerusform>
            <numerusform>Depth %1 (%n groups)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hierarchy</name>
    <message numerus="yes">
        <source>{name} (×%n alike)</source>
        <translation>
            <numerusform>{name} (×%n alike)</numerusform>
            <numerusform>{name} (×%n alike)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} (call {call}, ×%n alike)</source>
        <translation>
            <numerusform>{name} (call {call}, ×%n alike)</numerusform>
            <numerusform>{name} (call {call}, ×%n alike)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message numerus="yes">
        <source>collapsed group of %n nodes · double-click or right-click to expand</source>
        <translation>
            <numerusform>collapsed group of %n node · double-click or right-click to expand</numerusform>
            <numerusform>collapsed group of %n nodes · double-click or right-click to expand</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source> %n matches</source>
        <translation>
            <numerusform> %n match</numerusform>
            <numerusform> %n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pipeline</name>
    <message numerus="yes">
        <source>laying out %n nodes</source>
        <translation>
            <numerusform>laying out %n node</numerusform>
            <numerusform>laying out %n nodes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunControl</name>
    <message numerus="yes">
        <source>Backward from {label}: %n steps added. Press {keys} to play them.</source>
        <translation>
            <numerusform>Backward from {label}: %n step added. Press {keys} to play it.</numerusform>
            <numerusform>Backward from {label}: %n steps added. Press {keys} to play them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ran %n statements: </source>
        <translation>
            <numerusform>Ran %n statement: </numerusform>
            <numerusform>Ran %n statements: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n nodes, </source>
        <translation>
            <numerusform>%n node, </numerusform>
            <numerusform>%n nodes, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n statements, </source>
        <translation>
            <numerusform>%n statement, </numerusform>
            <numerusform>%n statements, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backward calls</source>
        <translation>
            <numerusform>%n backward call</numerusform>
            <numerusform>%n backward calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ran %n statements</source>
        <translation>
            <numerusform>Ran %n statement</numerusform>
            <numerusform>Ran %n statements</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>. Press Space to play the %n backward steps</source>
        <translation>
            <numerusform>. Press Space to play the %n backward step</numerusform>
            <numerusform>. Press Space to play the %n backward steps</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>. Press {keys} to play the %n backward steps</source>
        <translation>
            <numerusform>. Press {keys} to play the %n backward step</numerusform>
            <numerusform>. Press {keys} to play the %n backward steps</numerusform>
        </translation>
    </message>
</context>
</TS>
