"""Softmax regression, the first model of the tutorial: its spec and one module per implementation."""
