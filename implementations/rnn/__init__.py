"""The character-level RNN language model of the rnn-scratch and rnn-gluon chapters: its spec and one module per
implementation."""
