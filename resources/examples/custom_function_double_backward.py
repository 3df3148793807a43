# A custom autograd.Function whose backward is itself differentiable, as in PyTorch's
# "Double Backward with Custom Functions" tutorial: backward is written with tensor ops, so
# autograd.grad(..., create_graph=True) records it and a second backward runs through it.
import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * 3 * x ** 2


x = torch.tensor([1.0, 2.0, -0.5], dtype=torch.double, requires_grad=True)
y = Cube.apply(x)
print(y.grad_fn)   # <torch.autograd.function.CubeBackward object at ...>

# first derivative 3x^2, recorded as a graph of its own
(dy_dx,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print("dy/dx", dy_dx)

# second derivative 6x: backward through the recorded backward
dy_dx.sum().backward()
print("d2y/dx2", x.grad)

# both checked against finite differences, as the tutorial does
print(torch.autograd.gradcheck(Cube.apply, (x,)))
print(torch.autograd.gradgradcheck(Cube.apply, (x,)))
