# Two pre-norm transformer blocks (self-attention and an MLP, each with a residual) on a tiny
# batch of token embeddings, and the backward of a regression loss. Each block is a group.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        split = (b, t, self.heads, d // self.heads)
        q = self.q(x).view(split).transpose(1, 2)
        k = self.k(x).view(split).transpose(1, 2)
        v = self.v(x).view(split).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        weights = F.softmax(scores, dim=-1)
        mixed = (weights @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(mixed)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


model = nn.Sequential(Block(8, 2), Block(8, 2))
tokens = torch.randn(2, 3, 8)
target = torch.randn(2, 3, 8)

out = model(tokens)
loss = F.mse_loss(out, target)
print("loss", round(loss.item(), 4))
loss.backward()
print("grad norm of the first block's query", round(model[0].attn.q.weight.grad.norm().item(), 4))
