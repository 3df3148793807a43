"""``torch.nn``: ``Parameter``, ``Module`` and the layers, containers and losses, plus the
functional interface, with PyTorch's names."""
from . import functional
from .batchnorm import BatchNorm1d, BatchNorm2d
from .conv import Conv1d, Conv2d
from .layers import (
                      ELU,
                      GELU,
                      BCEWithLogitsLoss,
                      Dropout,
                      Embedding,
                      LayerNorm,
                      LeakyReLU,
                      SiLU,
                      Softplus,
)
from .modules import (
                      CrossEntropyLoss,
                      Flatten,
                      Identity,
                      Linear,
                      LogSoftmax,
                      Module,
                      ModuleList,
                      MSELoss,
                      NLLLoss,
                      ReLU,
                      Sequential,
                      Sigmoid,
                      Softmax,
                      Tanh,
)
from .parameter import Parameter
from .pooling import (
                      AdaptiveAvgPool1d,
                      AdaptiveAvgPool2d,
                      AvgPool1d,
                      AvgPool2d,
                      MaxPool1d,
                      MaxPool2d,
)

__all__ = ["functional", "Parameter", "Module", "Sequential", "ModuleList", "Identity",
           "Linear", "ReLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "Flatten", "MSELoss",
           "NLLLoss", "CrossEntropyLoss", "GELU", "LeakyReLU", "SiLU", "Softplus", "ELU",
           "LayerNorm", "Dropout", "Embedding", "BCEWithLogitsLoss", "Conv1d", "Conv2d",
           "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d", "BatchNorm1d", "BatchNorm2d"]
