# One head of causal self-attention over 4 tokens, then a layer norm and a loss.
# Watch the gradient split three ways at the attention weights (queries, keys, values),
# and the causal mask (masked_fill) stop it flowing to future tokens.
import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
T, d = 4, 8
x = torch.randn(T, d, requires_grad=True)          # token embeddings
wq = torch.randn(d, d, requires_grad=True)
wk = torch.randn(d, d, requires_grad=True)
wv = torch.randn(d, d, requires_grad=True)
target = torch.randn(T, d)

q = x @ wq
k = x @ wk
v = x @ wv
scores = q @ k.T / math.sqrt(d)
causal = torch.ones(T, T).tril() == 0
scores = scores.masked_fill(causal, float("-inf"))
attn = F.softmax(scores, dim=-1)
out = F.layer_norm(attn @ v + x, (d,))
loss = F.mse_loss(out, target)
loss.backward()
print("loss", round(loss.item(), 4))
print("x.grad norm", round(x.grad.norm().item(), 4))
