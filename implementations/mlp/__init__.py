"""The multilayer perceptron of the tutorial's MLP chapters: its spec and one module per implementation."""
