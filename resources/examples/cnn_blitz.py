# The 60-minute blitz's convolutional network: two conv + max-pool stages, three linear
# layers, trained for a few SGD steps on one 1x1x32x32 image. Each layer's nodes are grouped
# under its attribute name (conv1, conv2, fc1, ...): right-click a group to collapse it.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        # Convolution layer C1: 1 input image channel, 6 output channels, 5x5 kernel,
        # a ReLU, then a 2x2 max pooling: (N, 6, 14, 14)
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        # C3: 6 input channels, 16 output channels, 5x5 kernel, ReLU, then S4: (N, 16, 5, 5)
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        s4 = torch.flatten(s4, 1)   # (N, 400)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        return self.fc3(f6)


torch.manual_seed(0)
net = Net()
print(net)
params = list(net.parameters())
print(len(params), params[0].size())   # conv1's .weight

input = torch.randn(1, 1, 32, 32)
target = torch.randn(10).view(1, -1)   # a dummy target, the same shape as the output
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)

for step in range(3):
    optimizer.zero_grad()   # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()        # does the update
    print("step", step, "loss", round(loss.item(), 4))

print(loss.grad_fn)                                        # MSELoss
print(loss.grad_fn.next_functions[0][0])                   # Linear (fc3)
print("conv1.bias.grad", net.conv1.bias.grad)
