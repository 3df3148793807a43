# One training step of a tiny two-layer MLP, written with plain tensors.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(4, 3)                      # a batch of 4 inputs
target = torch.tensor([0, 2, 1, 2])        # their classes

w1 = torch.randn(5, 3, requires_grad=True)
b1 = torch.zeros(5, requires_grad=True)
w2 = torch.randn(3, 5, requires_grad=True)
b2 = torch.zeros(3, requires_grad=True)

hidden = F.relu(F.linear(x, w1, b1))
logits = F.linear(hidden, w2, b2)
loss = F.cross_entropy(logits, target)
print("loss", loss.item())

loss.backward()

lr = 0.1
with torch.no_grad():                      # the update is not part of the graph
    w1 -= lr * w1.grad
    b1 -= lr * b1.grad
    w2 -= lr * w2.grad
    b2 -= lr * b2.grad
print("grad norm of w1", w1.grad.norm().item())
