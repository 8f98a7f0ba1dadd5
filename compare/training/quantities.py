"""The names of what `check` measures, shared by the measuring (`equivalence`) and the diagnosing (`mistakes`):
kinds of quantity, the loss at large logits, and the hidden per-step values. Plain names, no mxnet."""

LARGE_LOGITS_LOSS = "loss at large logits"  # a loss that overflows there is the unstable softmax


def gradient_at_step(index: int) -> str:
    """The kind of the hidden quantities holding the (summed) gradients step `index` applied (0-based)."""
    return f"gradient-at-step-{index}"


def after_step(index: int) -> str:
    """The kind of the hidden quantities holding the weights and state after step `index` (0-based)."""
    return f"after-step-{index}"
