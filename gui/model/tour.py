"""The guided tour through PyTorch's autograd tutorial, as data: each stage's text (English, marked
for translation in context "Tour"), its script, where the player goes and which node it selects.

`Stage.expect` says what the graph, the player and the console must show once the stage has run
(the tests walk every stage and check it); `SavedScript` is the user's own script, kept aside
while the tour borrows the editor.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Stage", "Expect", "SavedScript", "STAGES", "CONTEXT", "stage_html", "play_target"]

#: the translation context of every tour text (QCoreApplication.translate(CONTEXT, text))
CONTEXT = "Tour"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:   # noqa: N802 - lupdate's marker name
    """Marks `text` for pyside6-lupdate (context `context`) without Qt: returns it unchanged."""
    return text


@dataclass(frozen=True)
class Expect:
    """What a stage reaches. ``nodes``: labels in the graph; ``leaf_grads``: leaf label -> the
    ``.grad`` the player shows (None: any gradient at all); ``errors``: the run's error contains
    one of them (empty: the run has no error); ``active``: the op of the active backward step;
    ``output``: text the console shows."""

    nodes: tuple[str, ...] = ()
    leaf_grads: dict = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    active: str | None = None
    output: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    """One stage: ``title`` and ``text`` (English translation sources; ``text`` is paragraphs
    split by blank lines, `code` in backticks), the ``script`` it runs, ``play`` (where the
    player goes: "before" the first backward step, as Run leaves it; "end"; "animate": play
    from before the first backward step to the end; "step:N": the N-th backward step of the
    first call; "last": the last backward step of the last call), ``select`` (the label of the node to select, "@active" for the node of the
    active backward step, None for none) and ``expect``."""

    key: str
    title: str
    text: str
    script: str
    play: str = "before"
    select: str | None = None
    expect: Expect = field(default_factory=Expect)


@dataclass(frozen=True)
class SavedScript:
    """The user's script while the tour runs: its text, file (or example), modified flag and
    cursor position."""

    text: str
    path: str | None
    example: str | None
    modified: bool
    cursor: int


def play_target(stage: Stage, backward: list[tuple[int, int]], length: int) -> int:
    """The timeline index `stage` leaves the player at, given ``(call, index)`` of every
    backward entry and the timeline's length ("animate" ends there too).

    >>> steps = [(0, 3), (0, 4), (0, 5), (1, 7), (1, 8)]
    >>> play_target(STAGES[4], steps, 10)   # "step:3": the first call's third backward step
    5
    >>> play_target(STAGES[6], steps, 10)   # "last": the last backward step of the last call
    8
    >>> play_target(STAGES[0], [], 2)
    1
    """
    first = [i for call, i in backward if call == 0]
    if stage.play.startswith("step:") and first:
        return first[min(int(stage.play.split(":", 1)[1]), len(first)) - 1]
    if stage.play == "last" and backward:
        return backward[-1][1]
    if stage.play == "before" and first:
        return max(first[0] - 1, 0)
    return length - 1


def stage_html(text: str) -> str:
    """A stage's text as the panel's HTML: paragraphs, `code` in a fixed-width font.

    >>> stage_html("A `leaf`.\\n\\nB < C")
    '<p>A <code>leaf</code>.</p><p>B &lt; C</p>'
    """
    import html
    out = []
    for para in text.split("\n\n"):
        parts = html.escape(para.strip(), quote=False).split("`")
        out.append("<p>" + "".join(f"<code>{p}</code>" if k % 2 else p
                                   for k, p in enumerate(parts)) + "</p>")
    return "".join(out)


HEADER = "import torch\n\n"

STAGES: tuple[Stage, ...] = (
    Stage(
        "leaves",
        QT_TRANSLATE_NOOP("Tour", "Leaves: requires_grad=True"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "A tensor made with `requires_grad=True` is a leaf of the computation graph: "
            "autograd records every operation done with it, and `backward()` will put its "
            "gradient in `x.grad`.\n\n"
            "The script on the left has run. The graph shows the one leaf `x`; it is "
            "selected, and the inspector shows `requires_grad True`, `is_leaf True` and "
            "`grad_fn None`: no operation made it."),
        HEADER + "x = torch.ones(2, 2, requires_grad=True)\nprint(x)\nprint(x.is_leaf, "
                 "x.grad_fn)\n",
        play="end", select="x", expect=Expect(nodes=("x",), output=("True None",))),
    Stage(
        "grad_fn",
        QT_TRANSLATE_NOOP("Tour", "An operation makes grad_fn: AddBackward0"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "`y = x + 2` is computed from a leaf, so autograd records how: `y.grad_fn` is an "
            "`AddBackward0` node, the function that will send the gradient from `y` back to "
            "`x`. The console shows it as PyTorch prints it.\n\n"
            "In the graph, `AddBackward0` leads to `AccumulateGrad`, the node that will write "
            "`x.grad`. `y` is selected: it is not a leaf, and its `grad_fn` is that node."),
        HEADER + "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nprint(y.grad_fn)\n",
        play="end", select="y",
        expect=Expect(nodes=("x", "y", "AddBackward0", "AccumulateGrad"),
                      output=("<AddBackward0 object at 0x",))),
    Stage(
        "mean",
        QT_TRANSLATE_NOOP("Tour", "z.mean(): a single number at the end"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "`z = y * y * 3` adds two `MulBackward0` nodes, and `out = z.mean()` a "
            "`MeanBackward0`. `out` is a scalar, one number: the kind of output that "
            "`backward()` can start from with nothing more said.\n\n"
            "`out` is selected. No backward has run yet, so no node has a gradient."),
        HEADER + "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
                 "out = z.mean()\nprint(z, out)\n",
        play="end", select="out",
        expect=Expect(nodes=("x", "y", "z", "out", "MulBackward0", "MeanBackward0"),
                      leaf_grads={})),
    Stage(
        "backward",
        QT_TRANSLATE_NOOP("Tour", "out.backward(), step by step"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "`out.backward()` runs the graph backwards, from `out` to the leaves, and the "
            "player is playing it: one node per step (Shift+Left and Shift+Right step back and "
            "forward). Each node applies its own local derivative and passes the result on:\n\n"
            "`MeanBackward0`: 1 / 4 = 0.25 for each element. `MulBackward0` (× 3): 0.25 · 3 = "
            "0.75. `MulBackward0` (y · y): 0.75 · y = 2.25 to each of its two inputs, both "
            "`y`, so `y` receives 4.5. `AddBackward0` passes 4.5 on, and `AccumulateGrad` "
            "stores it in `x.grad`.\n\n"
            "That is d(out)/dx = 3(x+2)/2 = 4.5, as the tutorial says: `x` is selected, and "
            "its `.grad` is 4.5 everywhere."),
        HEADER + "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
                 "out = z.mean()\n\nout.backward()\nprint(x.grad)\n",
        play="animate", select="x",
        expect=Expect(nodes=("out", "MeanBackward0"), leaf_grads={"x": [[4.5, 4.5], [4.5, 4.5]]},
                      output=("tensor([[4.5000, 4.5000],",))),
    Stage(
        "rule",
        QT_TRANSLATE_NOOP("Tour", "Each node's rule, with its numbers"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "The player is at backward step 3, where the `MulBackward0` of `y * y` ran; it is "
            "selected. The inspector's \"Backward rule at this step\" shows the rule it "
            "applied, the product rule grad_self = grad · other, grad_other = grad · self, "
            "with what it saved (`self` and `other`, both `y`, 3 everywhere) and what it "
            "sent: 0.75 · 3 = 2.25 to each input.\n\n"
            "Select any other backward node, at any step, to read its rule the same way."),
        HEADER + "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
                 "out = z.mean()\n\nout.backward()\n",
        play="step:3", select="@active",
        expect=Expect(active="MulBackward0")),
    Stage(
        "gradient",
        QT_TRANSLATE_NOOP("Tour", "backward(gradient) for an output that is not a scalar"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "`y = x * 2` is a vector, not one number, so `y.backward()` alone would stop with "
            "PyTorch's \"grad can be implicitly created only for scalar outputs\". Give it the "
            "vector to multiply the Jacobian with instead: `y.backward(v)` computes vᵀ · J, "
            "here `x.grad` = 2 · v = [0.2, 2, 0.0002]."),
        HEADER + "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * 2\n"
                 "v = torch.tensor([0.1, 1.0, 0.0001])\ny.backward(v)\nprint(x.grad)\n",
        play="end", select="x",
        expect=Expect(nodes=("x", "y", "v"), leaf_grads={"x": [0.2, 2.0, 0.0002]})),
    Stage(
        "accumulate",
        QT_TRANSLATE_NOOP("Tour", "A second backward adds to .grad"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "Backward runs a second time, on a fresh graph, and `x.grad` is not replaced but "
            "added to: 3 + 3 = 6. This is gradient accumulation; the selected `AccumulateGrad` "
            "of the second call shows it as `.grad + grad`.\n\n"
            "That is why a training loop calls `optimizer.zero_grad()` (or sets `x.grad = "
            "None`) before each backward: otherwise every step's gradients pile up."),
        HEADER + "x = torch.ones(2, requires_grad=True)\nout = (x * 3).sum()\nout.backward()\n"
                 "print(x.grad)\n\nout = (x * 3).sum()\nout.backward()\nprint(x.grad)\n",
        play="last", select="@active",
        expect=Expect(leaf_grads={"x": [6.0, 6.0]}, active="AccumulateGrad",
                      output=("tensor([3., 3.])",))),
    Stage(
        "detach",
        QT_TRANSLATE_NOOP("Tour", "detach() and torch.no_grad() cut the graph"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "`d = y.detach()` has the numbers of `y` but no history: a new leaf that needs no "
            "gradient. Inside `with torch.no_grad():` nothing is recorded at all, so `n` has "
            "no `grad_fn` either. The graph draws both cuts as dashed edges.\n\n"
            "So `out = (y * d).sum()` is differentiated through `y` only: `d` counts as the "
            "constant 2, and `x.grad` = 2 · d = 4."),
        HEADER + "x = torch.ones(2, requires_grad=True)\ny = x * 2\nd = y.detach()\n"
                 "with torch.no_grad():\n    n = x * 2\nprint(d.requires_grad, n.requires_grad)\n"
                 "out = (y * d).sum()\nout.backward()\nprint(x.grad)\n",
        play="end", select="d",
        expect=Expect(nodes=("d", "n", "y"), leaf_grads={"x": [4.0, 4.0]},
                      output=("False False",))),
    Stage(
        "requires_grad_",
        QT_TRANSLATE_NOOP("Tour", "requires_grad_() switches tracking on"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "A tensor made without `requires_grad` records nothing. `a.requires_grad_(True)` "
            "switches it on in place, as in the tutorial: from then on `a` is a leaf that "
            "autograd tracks, so `b = (a * a).sum()` gets a `grad_fn` (`SumBackward0`), and "
            "backward gives `a.grad` = 2a. `a` is selected."),
        HEADER + "a = torch.randn(2, 2)\na = ((a * 3) / (a - 1))\nprint(a.requires_grad)\n"
                 "a.requires_grad_(True)\nprint(a.requires_grad)\nb = (a * a).sum()\n"
                 "print(b.grad_fn)\nb.backward()\n",
        play="end", select="a",
        expect=Expect(nodes=("a", "b", "SumBackward0"), leaf_grads={"a": None},
                      output=("False\nTrue\n<SumBackward0 object at 0x",))),
    Stage(
        "backward_twice",
        QT_TRANSLATE_NOOP("Tour", "An error: backward through the graph a second time"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "Backward frees what each node saved (here the `self` and `other` of "
            "`MulBackward0`) once it has used it, to save memory. The second `y.backward()` "
            "finds them gone, and PyTorch stops with \"Trying to backward through the graph a "
            "second time\". The error shows under the editor at its line; the node whose saved "
            "tensors are gone is selected.\n\n"
            "Pass `retain_graph=True` to the first call if you really need a second one, or "
            "build the graph again."),
        HEADER + "x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
                 "y.backward()\n",
        play="end", select="MulBackward0",
        expect=Expect(errors=("Trying to backward through the graph a second time",),
                      leaf_grads={"x": [2.0, 2.0]})),
    Stage(
        "inplace",
        QT_TRANSLATE_NOOP("Tour", "An error: a saved tensor changed in place"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "`ExpBackward0` saves its result, since the derivative of eˣ is eˣ. `y.add_(1)` "
            "then changes that very tensor in place, so at backward PyTorch finds the saved "
            "value at a newer version and refuses: \"one of the variables needed for gradient "
            "computation has been modified by an inplace operation\". The node that saved it "
            "is selected.\n\n"
            "Write `y = y + 1` instead: it makes a new tensor and leaves the saved one alone."),
        HEADER + "x = torch.ones(2, requires_grad=True)\ny = x.exp()\ny.add_(1)\n"
                 "y.sum().backward()\n",
        play="end", select="ExpBackward0",
        expect=Expect(errors=("has been modified by an inplace operation",))),
    Stage(
        "devices",
        QT_TRANSLATE_NOOP("Tour", "Devices: CPU and GPU"),
        QT_TRANSLATE_NOOP(
            "Tour",
            "Every tensor lives on a device: `x.device` is `cpu` here. With a GPU (CuPy for "
            "gradtrace; the toolbar's device button), `.to(\"cuda\")` moves a tensor there and "
            "autograd works the same. One operation needs all its tensors on one device: "
            "mixing them stops with PyTorch's \"Expected all tensors to be on the same "
            "device\", and on a machine without a GPU asking for one says \"Torch not "
            "compiled with CUDA enabled\". The script ends with that mistake, so you see "
            "whichever error this machine gives."),
        HEADER + "x = torch.ones(2, requires_grad=True)\nprint(x.device)\n"
                 "print(torch.cuda.is_available())\nw = torch.ones(2, device=\"cuda\")\n"
                 "y = x * w\n",
        play="end", select="x",
        expect=Expect(nodes=("x",), output=("cpu",),
                      errors=("Expected all tensors to be on the same device",
                              "Torch not compiled with CUDA enabled"))),
)
