"""What the common autograd errors mean, for a learner: the explanation shown under PyTorch's own
error text (which stays as PyTorch prints it) in the error banner, in the user's language."""
from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication

#: (a pattern of PyTorch's message, what it means and what to do: the source marked for lupdate)
EXPLANATIONS = (
    (r"Trying to backward through the graph a second time",
     N("ErrorHelp", "backward() frees the tensors the graph saved for it once it has run, so a "
                    "second backward() through the same graph finds them gone. Pass "
                    "retain_graph=True to the first backward() if you need both, or run the "
                    "forward computation again before the second one.")),
    (r"modified by an inplace operation",
     N("ErrorHelp", "A tensor that backward needs (one an operation saved in the forward pass) "
                    "was changed in place afterwards (x += 1, x.add_(), x[0] = ...), so its "
                    "version no longer matches the one saved. Write the change out of place "
                    "(x = x + 1), or clone() the tensor before changing it.")),
    (r"you can only change requires_grad flags of leaf variables",
     N("ErrorHelp", "requires_grad can only be set on a leaf node: a tensor made by an "
                    "operation takes it from its inputs. For a new leaf from this value, use "
                    "y.detach().requires_grad_().")),
    (r"a (view of a )?leaf Variable that requires grad is being used in an in-place",
     N("ErrorHelp", "A leaf node that requires grad cannot be changed in place: autograd needs "
                    "its value as it was. Change it inside with torch.no_grad(): (as an "
                    "optimizer step does), or work on a clone().")),
    (r"grad can be implicitly created only for (real )?scalar outputs",
     N("ErrorHelp", "backward() without an argument only works on a scalar (a loss). For a "
                    "tensor with more elements, pass the gradient of the output with the same "
                    "shape, y.backward(torch.ones_like(y)), or reduce it first: "
                    "y.sum().backward().")),
    (r"Expected all tensors to be on the same device",
     N("ErrorHelp", "The tensors of one operation must be on one device (all on the CPU, or all "
                    "on the same GPU). Move them together with .to(device), .cuda() or "
                    ".cpu().")),
    (r"Torch not compiled with CUDA enabled",
     N("ErrorHelp", "This machine has no GPU that the engine can use (for gradtrace: CuPy and "
                    "an NVIDIA GPU), so a tensor cannot be made on or moved to \"cuda\". Leave "
                    "the tensors on the CPU, or choose the device in one place: device = "
                    "\"cuda\" if torch.cuda.is_available() else \"cpu\".")),
    (r"does not require grad and does not have a grad_fn",
     N("ErrorHelp", "backward() was called on a tensor that needs no gradient: nothing it was "
                    "computed from has requires_grad=True (or it was computed under "
                    "torch.no_grad()). Create the inputs with requires_grad=True.")),
)


def explain(message: str) -> str:
    """The explanation of PyTorch error `message` in the language installed, "" when it is
    not one of the common ones.

    >>> explain("RuntimeError: grad can be implicitly created only for scalar outputs")[:31]
    'backward() without an argument '
    >>> explain("NameError: name 'x' is not defined")
    ''
    """
    for pattern, text in EXPLANATIONS:
        if re.search(pattern, message):
            return QCoreApplication.translate("ErrorHelp", text)
    return ""
