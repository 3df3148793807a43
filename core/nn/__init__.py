"""Neural-network helpers with PyTorch's names."""
