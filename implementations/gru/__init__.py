"""The character-level GRU language model of the gru chapter: its spec and one module per implementation."""
