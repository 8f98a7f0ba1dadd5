"""The character-level LSTM language model of the lstm chapter: its spec and one module per implementation."""
