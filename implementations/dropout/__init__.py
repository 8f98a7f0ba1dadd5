"""The dropout chapters' MLP: its spec and one module per implementation."""
