# Two training steps of a small nn.Sequential with SGD and momentum.
# Each layer's nodes are grouped under its name in the graph (right-click to collapse one);
# the parameters' AccumulateGrad boxes carry their names (model.0.weight, ...).
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)

x = torch.randn(6, 4)
target = torch.tensor([0, 2, 1, 1, 0, 2])

for step in range(2):
    opt.zero_grad()
    logits = model(x)
    loss = loss_fn(logits, target)
    loss.backward()
    opt.step()
    print("step", step, "loss", round(loss.item(), 4))
