# A leaf used twice accumulates: its .grad is the SUM of what every path sends back,
# and a second backward() call adds on top of the first.
import torch

def square_plus(t):
    return t * t + t

w = torch.tensor([1.0, 2.0], requires_grad=True)
a = square_plus(w)            # first use of w
b = square_plus(w * 3)        # second use of w
loss = (a + b).sum()
loss.backward(retain_graph=True)
print("after one backward:", w.grad)

loss.backward()               # same graph again: .grad doubles
print("after two backwards:", w.grad)
