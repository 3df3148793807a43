# The PyTorch autograd tutorial.
# F10 runs one statement, F5 runs all;
# then Play (Space) animates backprop.
import torch

x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()

# d(out)/dx = 3 * 2 * (x + 2) / 4 = 4.5
out.backward()
print(x.grad)
