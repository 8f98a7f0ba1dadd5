"""The learner's own code run twice on the same input: a loss that is not a function of its inputs (noise drawn
inside it at every call) is told by replaying it, where no relation of its values to the reference's can fit."""
import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.probe import seed_step
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from implementations.mxnet_compat import mx
from implementations.protocol import own_loss_of

REPLAY_SEEDS = (11, 12)  # two draws of MXNet's and numpy's generators: random code gives two results
SAME = 1e-6  # two evaluations of a deterministic loss agree to rounding (relative to the loss's size)


def random_loss_relation(evidence: Evidence) -> str:
    """The learner's own loss evaluated twice on the reference's outputs and the batch's labels, each generator
    seeded otherwise: different results mean something random inside the loss; '' where it is the runner's loss,
    or the two agree."""
    outputs = evidence.reference.get("logits")
    loss = own_loss_of(evidence.fresh()) if outputs is not None else None
    if loss is None:
        return ""
    kept = np.random.get_state()
    try:
        results = []
        for seed in REPLAY_SEEDS:  # fresh arrays each time: a loss that writes into its inputs is not random
            predictions = mx.nd.array(outputs, ctx=mx.cpu(), dtype=outputs.dtype)
            labels = mx.nd.array(evidence.labels, ctx=mx.cpu(), dtype=outputs.dtype)
            seed_step(seed)
            results.append(np.asarray(loss(predictions, labels).asnumpy(), dtype=np.float64).ravel())
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS:  # its loss fails on these arrays: nothing measured here, the row says the rest
        return ""
    finally:
        np.random.set_state(kept)
    first, second = results
    scale = max(float(np.abs(first).max(initial=0.0)), 1e-30)
    apart = float(np.abs(first - second).max(initial=0.0)) if first.shape == second.shape else np.inf
    if apart <= SAME * scale:
        return ""
    return (f"the loss is not a function of its inputs: evaluated twice on the same outputs and labels it gives "
            f"different values (up to {apart:.3g} apart, against values up to {scale:.3g}): something random is "
            "drawn inside it at every call (noise added to the targets or the outputs?)")
