"""gradtrace.core: a numpy autograd engine with PyTorch's names and semantics."""
