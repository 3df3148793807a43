# A training loop over a DataLoader, as in PyTorch's "What is torch.nn really?" tutorial:
# a TensorDataset of inputs and labels, shuffled mini-batches, `for xb, yb in train_dl:`.
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x_train = torch.randn(32, 4)
y_train = (x_train[:, 0] + x_train[:, 1] > 0).long()   # two classes

train_ds = TensorDataset(x_train, y_train)
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True)

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
loss_func = F.cross_entropy
opt = optim.SGD(model.parameters(), lr=0.5)

for epoch in range(2):
    for xb, yb in train_dl:
        pred = model(xb)
        loss = loss_func(pred, yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    print("epoch", epoch, "loss", round(loss.item(), 4))

with torch.no_grad():
    accuracy = (model(x_train).argmax(dim=1) == y_train).float().mean()
print("accuracy", accuracy.item())
