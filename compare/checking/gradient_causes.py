"""Why a gradient differs where its classic causes reproduce it: a parameter with no gradient (cut from the graph,
not used, or zeros left out of forward), every gradient at one scale (the loss scaled), and whether a loss's factor
is carried by the gradients at all (at near-uniform logits a loss of another form can be a multiple of the
cross-entropy by chance). Numpy only."""
import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.fits import explains
from compare.results.measures import QuantityComparison


def gradients_scaled(evidence: Evidence, factor: float) -> bool:
    """The last layer's weight gradient is `factor` times the reference's, as a loss scaled by it gives: at
    near-uniform logits a loss of another form can be a multiple of the cross-entropy by chance (every class's
    log-probability about the same), and its gradient is not (True where no gradient was recorded)."""
    layer = evidence.spec.layer_order[-1]
    mine, theirs = evidence.values.get(f"gradient {layer}.weight"), evidence.reference.get(f"gradient {layer}.weight")
    if mine is None or theirs is None or mine.shape != theirs.shape or not np.any(theirs):
        return True
    scaled = factor * theirs.astype(np.float64)
    return bool(np.allclose(mine, scaled, rtol=1e-2, atol=1e-2 * float(np.abs(scaled).max())))


def _forward_agrees(evidence: Evidence) -> bool:
    """Every recorded layer output and the loss equal the reference's, to float32's rounding."""
    keys = [key for key in evidence.reference if key.startswith("layer ") or key == "loss"]
    return bool(keys) and all(key in evidence.values and evidence.values[key].shape == evidence.reference[key].shape
                              and np.allclose(evidence.values[key], evidence.reference[key], rtol=1e-4, atol=1e-6 * (
                                  float(np.abs(evidence.reference[key]).max(initial=0.0)) + 1e-30))
                              for key in keys)


def gradient_cause(row: QuantityComparison, evidence: Evidence) -> str:
    """A parameter with no gradient, or every gradient at the same wrong scale."""
    name = row.quantity.split(" ", 1)[1]
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    if actual is None or reference is None or actual.shape != reference.shape:
        return ""
    if not np.any(actual) and np.any(reference):
        start = evidence.spec.initial_parameters(evidence.seed).get(name)
        if start is not None and not np.any(start):  # zeros: left out of forward, the outputs would still agree
            return (f"{name} gets no gradient: it is not part of the recorded computation (not used in forward: "
                    "its values start at 0, so the outputs agree with or without it; or attach_grad not called, or "
                    "the graph cut after it)")
        if _forward_agrees(evidence):  # used in forward, values right: the graph is cut between it and the loss
            return (f"{name} gets no gradient, though every layer's output and the loss agree with the reference's "
                    "(so it is used): no gradient flows back to it, the recorded graph is cut between it and the loss "
                    "(a value taken out of autograd after it: through numpy with .asnumpy() and nd.array, .detach(), "
                    "or computed outside autograd.record()), or attach_grad was not called on it")
        return f"{name} gets no gradient: it is not part of the recorded computation (attach_grad, or not used)"
    ratios = [evidence.values[q].ravel() @ evidence.reference[q].ravel() / max(evidence.reference[q].ravel() @
              evidence.reference[q].ravel(), 1e-300) for q in evidence.reference if q.startswith("gradient ")
              and q in evidence.values and evidence.values[q].shape == evidence.reference[q].shape]
    if ratios and np.allclose(ratios, ratios[0], rtol=1e-2) and abs(ratios[0] - 1) > 1e-2:
        return f"every gradient is {ratios[0]:.3g}x the reference's: the loss is scaled"
    return _bias_through_weight(name, (actual, reference), evidence)


def _bias_through_weight(name: str, gradients: tuple[np.ndarray, np.ndarray], evidence: Evidence) -> str:
    """A dense layer's bias gradient as the reference's passed back through the layer's weight (reference @ W, W
    (out, in)): the bias added to the layer's input, inside the product, where the chapter adds it after (the
    outputs agree while the bias is zero, and only its gradient shows it). Needs as many inputs as outputs."""
    actual, reference = (gradient.astype(np.float64).ravel() for gradient in gradients)
    weight = evidence.spec.initial_parameters(evidence.seed).get(name.removesuffix(".bias") + ".weight")
    if not name.endswith(".bias") or weight is None or weight.ndim != 2 or weight.shape[1] != actual.size or \
            actual.size < 4:
        return ""
    through = reference @ weight.astype(np.float64)  # (in,)
    if not explains(actual, through, float(np.abs(actual - reference).max(initial=0.0))):
        return ""
    return (f"{name}'s gradient is the reference's passed back through {name.removesuffix('.bias')}.weight "
            "(gradient @ W): the bias is added to the layer's input, inside the product (dot(x + b, W.T)), where "
            "the chapter adds it to the product's output (dot(x, W.T) + b); while b is 0 the outputs agree")
