"""LeNet with batch normalization (the batch-norm chapters'): its spec and one module per implementation."""
