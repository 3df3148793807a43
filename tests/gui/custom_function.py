"""A script with a custom autograd.Function (y = x², its backward written by hand) for the
tests of `gradtrace compare` and its Differences tab; a planted bug edits its backward line."""

#: the Function itself, for scripts that use it differently
SQUARE_FUNCTION = """\
import torch

class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad

"""

SQUARE = SQUARE_FUNCTION + """\
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = Square.apply(x)
out = (y * torch.tensor([1.0, 2.0, 3.0])).sum()
out.backward()
"""
