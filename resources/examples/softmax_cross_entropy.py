# Softmax and cross-entropy by hand, next to the built-in one.
import torch
import torch.nn.functional as F

logits = torch.tensor([[2.0, 1.0, 0.1],
                       [0.5, 2.5, 0.3]], requires_grad=True)
target = torch.tensor([0, 1])

exps = logits.exp()
probs = exps / exps.sum(dim=1, keepdim=True)
picked = probs[torch.arange(2), target]
loss = -picked.log().mean()
loss.backward()
print("manual loss", loss.item())
print("d loss / d logits =\n", logits.grad)  # = (probs - one_hot) / batch

reference = F.cross_entropy(logits, target)
print("F.cross_entropy  ", reference.item())
