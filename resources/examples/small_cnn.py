# A small CNN (no torchvision): two conv blocks with batch norm, a classifier head, and one
# training step on random images. Modules show as groups: net.features.0, net.head, ...
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class SmallCNN(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Linear(8 * 2 * 2, classes)

    def forward(self, x):
        x = self.features(x)
        return self.head(torch.flatten(x, 1))


net = SmallCNN()
images = torch.randn(6, 1, 8, 8)
labels = torch.tensor([0, 1, 2, 3, 1, 0])
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)

logits = net(images)
loss = F.cross_entropy(logits, labels)
print("loss", round(loss.item(), 4))
loss.backward()
print("conv1 grad norm", round(net.features[0].weight.grad.norm().item(), 4))
optimizer.step()
