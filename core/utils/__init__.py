"""``torch.utils``: the data-loading helpers (``torch.utils.data``)."""
from . import data

__all__ = ["data"]
