"""Scripts with repeated blocks for the hierarchy tests: a 12-layer Sequential of one residual
block class (each a Linear and a LayerNorm inside) with a different head after it."""

BLOCKS = '''import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        return x + torch.relu(self.norm(self.fc(x)))


torch.manual_seed(0)
layers = nn.Sequential(*[Block() for _ in range(12)])
head = nn.Linear(8, 2)
x = torch.randn(4, 8)
loss = head(layers(x)).sum() * 0.5
loss.backward()
'''
