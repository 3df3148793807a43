# A tanh RNN unrolled over three time steps: the same weights are used at every step,
# so their gradients add up over time.
import torch

torch.manual_seed(0)
w_xh = torch.randn(3, 4, requires_grad=True)
w_hh = torch.randn(4, 4, requires_grad=True)
inputs = torch.randn(3, 1, 3)              # 3 steps, batch 1, 3 features

h0 = torch.zeros(1, 4)
h1 = torch.tanh(inputs[0] @ w_xh + h0 @ w_hh)
h2 = torch.tanh(inputs[1] @ w_xh + h1 @ w_hh)
h3 = torch.tanh(inputs[2] @ w_xh + h2 @ w_hh)

loss = h3.sum()
loss.backward()
print("dL/dw_hh =\n", w_hh.grad)
