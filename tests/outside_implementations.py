"""Implementations from outside the package, loaded by tests through `--impl NAME=outside_implementations:attr`.

tests/ is on sys.path, so this module is importable exactly as a user's own file in their working directory.
Some are deliberately wrong (the check must find and locate them), some break the protocol, some fail.
"""
import os
import signal
import sys

from implementations.lenet.gluon import GluonLeNet
from implementations.lenet.scratch import ScratchLeNet
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.mxnet_compat import mx
from implementations.rnn.tutorial import TutorialRNN

nd = mx.nd


class HalfStepScratch(ScratchLeNet):
    """Wrong: takes half the SGD step."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        super().step(batch_size, learning_rate / 2)


class UndividedGradientScratch(ScratchLeNet):
    """Wrong: the summed gradient is not divided by the batch size."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        for array in self.params.values():
            array -= learning_rate * array.grad


class AveragePoolScratch(ScratchLeNet):
    """Wrong: average instead of max pooling in pool1."""

    def layer_functions(self, params):
        functions = super().layer_functions(params)
        spec = self.spec
        functions["pool1"] = lambda x: nd.Pooling(x, pool_type="avg", kernel=(spec.pool_size,) * 2,
                                                  stride=(spec.pool_size,) * 2)
        return functions


class MissingReluScratch(ScratchLeNet):
    """Wrong: relu2 forgotten (the identity in its place)."""

    def layer_functions(self, params):
        functions = super().layer_functions(params)
        functions["relu2"] = lambda x: x
        return functions


class ReshapedDenseScratch(ScratchLeNet):
    """Wrong: fc1's weight kept as (1250, 128) for nd.dot, but made by reshaping the canonical (128, 1250)
    instead of transposing it — the tutorial's layout pitfall."""

    def layer_functions(self, params):
        functions = super().layer_functions(params)
        weight, bias = params["fc1.weight"], params["fc1.bias"]
        functions["fc1"] = lambda x: nd.dot(x, weight.reshape((self.spec.flatten_size, self.spec.fc1_units))) + bias
        return functions


class NaNGluon(GluonLeNet):
    """Diverges at once: every logit is NaN."""

    def __init__(self, spec, devices):
        super().__init__(spec, devices, hybridize=False)

    def forward(self, images):
        return super().forward(images) * float("nan")


class _RaisesAtStep(ScratchLeNet):
    """Raises `error()` during training step number `at_step` (counting from 1)."""

    at_step = 0

    def __init__(self, spec, devices):
        super().__init__(spec, devices)
        self.steps = 0

    def error(self) -> BaseException:
        raise NotImplementedError

    def step(self, batch_size: int, learning_rate: float) -> None:
        self.steps += 1
        if self.steps == self.at_step:
            raise self.error()
        super().step(batch_size, learning_rate)


class FailsAtThirdStep(_RaisesAtStep):
    """The implementation's own code raises during training."""

    at_step = 3

    def error(self) -> BaseException:
        return RuntimeError("my update broke on step 3")


class InterruptedAtSecondStep(ScratchLeNet):
    """The user's Ctrl-C (a real SIGINT to this process) arrives during its second training step."""

    def __init__(self, spec, devices):
        super().__init__(spec, devices)
        self.steps = 0

    def step(self, batch_size: int, learning_rate: float) -> None:
        self.steps += 1
        if self.steps == 2:
            os.kill(os.getpid(), signal.SIGINT)
        super().step(batch_size, learning_rate)


class RaisesKeyboardInterruptItself(_RaisesAtStep):
    """Its own code raises KeyboardInterrupt (no signal came): a failure of this implementation."""

    at_step = 2

    def error(self) -> BaseException:
        return KeyboardInterrupt()


class ExitsWithSeven(_RaisesAtStep):
    """Its step calls sys.exit(7)."""

    at_step = 2

    def error(self) -> BaseException:
        return SystemExit(7)


class ExitsWithZero(_RaisesAtStep):
    """Its step raises SystemExit(0): not a success of the whole run."""

    at_step = 1

    def error(self) -> BaseException:
        return SystemExit(0)


def factory_that_exits(spec, devices):
    sys.exit(3)


class SignalledWhileSaving(ScratchLeNet):
    """SIGTERM arrives while its parameters are read for --save-params, after training has finished."""

    def __init__(self, spec, devices):
        super().__init__(spec, devices)
        self.trained = False

    def step(self, batch_size: int, learning_rate: float) -> None:
        self.trained = True
        super().step(batch_size, learning_rate)

    def parameters(self):
        if self.trained:
            os.kill(os.getpid(), signal.SIGTERM)
        return super().parameters()


class NoLayerOutputs:
    """Breaks the protocol: has no layer_outputs."""

    def __init__(self, spec, devices):
        self.model = ScratchLeNet(spec, devices)
        self.forward, self.step, self.parameters = self.model.forward, self.model.step, self.model.parameters
        self.gradients, self.load_parameters = self.model.gradients, self.model.load_parameters


class WronglyNamedParameters(ScratchLeNet):
    """Breaks the protocol: calls its first weight W1."""

    def parameters(self):
        values = dict(super().parameters())
        values["W1"] = values.pop("conv1.weight")
        return values


class NineClasses(ScratchLeNet):
    """Breaks the protocol: logits of the wrong shape."""

    def forward(self, images):
        return super().forward(images)[:, :9]


class TwoPredictionsPerExample(ScratchLinearRegression):
    """A regression's protocol broken: two outputs per example where there is one prediction."""

    def forward(self, inputs):
        return mx.nd.concat(super().forward(inputs), super().forward(inputs), dim=1)


class Float64Predictions(ScratchLinearRegression):
    """A regression's right values, wrong dtype."""

    def forward(self, inputs):
        return super().forward(inputs).astype("float64")


def factory_that_raises(spec, devices):
    raise ValueError("no GPU in my laptop")


NOT_CALLABLE = 42


class ExtraLayerScratch(ScratchLeNet):
    """Right, but reports one layer more than scratch (a softmax after the logits it returns)."""

    def layer_outputs(self, images):
        outputs = super().layer_outputs(images)
        return outputs + [("softmax", nd.softmax(outputs[-1][1]))]


class NoAllReduceScratch(ScratchLeNet):
    """Wrong when data parallel: each replica steps on its own shard's gradient (the all-reduce forgotten)."""

    def step(self, batch_size, learning_rate):
        step_size = learning_rate / batch_size
        for params in self.replicas.values():
            for array in params.values():
                array -= step_size * array.grad


class DiesOnRankOne(ScratchLeNet):
    """A worker crash: KVStore rank 1 ends its process abruptly at its second step (rank 0 goes on)."""

    steps = 0

    def step(self, batch_size, learning_rate):
        self.steps += 1
        if self.replicas.store is not None and self.replicas.store.rank == 1 and self.steps == 2:
            import os
            os._exit(9)
        super().step(batch_size, learning_rate)


class SingleDeviceScratch(ScratchLeNet):
    """Right on one device, and says it is only that."""

    data_parallel = False


class GradientsReturnNone(ScratchLeNet):
    """Breaks the protocol while running: gradients() returns None."""

    def gradients(self):
        return None


class NoGradients(ScratchLeNet):
    """Breaks the protocol quietly: gradients() returns an empty dict."""

    def gradients(self):
        return {}


class FailsAboveTwoImages(ScratchLeNet):
    """Passes the two-image protocol probe, then fails on a real batch."""

    def forward(self, images):
        if images.shape[0] > 2:
            raise RuntimeError("my kernel takes at most 2 images")
        return super().forward(images)


class Float64Logits(ScratchLeNet):
    """Right values, wrong dtype: float64 logits."""

    def forward(self, images):
        return super().forward(images).astype("float64")


class FiveClassesBeyondTwoImages(ScratchLeNet):
    """Right on the two-image probe, then (N, 5) logits on a real batch."""

    def forward(self, images):
        logits = super().forward(images)
        return logits if images.shape[0] <= 2 else logits[:, :5]


class IgnoresLoadedWeights(ScratchLeNet):
    """load_parameters does nothing: it trains its own weights, not the shared ones."""

    def load_parameters(self, values):
        pass


class WritesWeightsInForward(ScratchLeNet):
    """forward writes into a weight (as nd.BatchNorm's default fix_gamma=True does into gamma while training)."""

    def forward(self, images):
        self.parameters()["conv1.bias"][:] = 1
        return super().forward(images)


class ReportsLoadedButUsesOwn(ScratchLeNet):
    """parameters() reports the weights it was given; forward uses its own (never loaded) ones."""

    def load_parameters(self, values):
        self.reported = {name: nd.array(value) for name, value in values.items()}

    def parameters(self):
        return dict(self.reported)


class TupleForward(ScratchLeNet):
    """forward returns a tuple (logits,) instead of the logits."""

    def forward(self, images):
        return (super().forward(images),)


class MaximumReluScratch(ScratchLeNet):
    """The tutorial's ReLU, maximum(x, 0), written by a user: the same difference as `tutorial`, but nobody
    explained it for this implementation, so `check` must fail it on real data."""

    def layer_functions(self, params):
        functions = super().layer_functions(params)
        for name in ("relu1", "relu2", "relu3"):
            functions[name] = lambda x: nd.maximum(x, nd.zeros_like(x))
        return functions


class PrintsAlong(ScratchLeNet):
    """Prints from its update, as a learner's debugging code does."""

    def step(self, batch_size, learning_rate):
        print("step!")
        super().step(batch_size, learning_rate)


from implementations.softmax.scratch import ScratchSoftmax  # noqa: E402


class UnstableSoftmax(ScratchSoftmax):
    """A learner's softmax regression with the chapter's own loss: exp(X) / sum exp(X), then -log(pick)."""

    def own_loss(self, logits, labels):
        exp = nd.exp(logits)
        return -nd.pick(nd.log(exp / exp.sum(axis=1, keepdims=True)), labels)


class StableOwnLossSoftmax(ScratchSoftmax):
    """Its own loss, written stably: log_softmax subtracts the largest logit first."""

    def own_loss(self, logits, labels):
        return -nd.pick(nd.log_softmax(logits), labels)


from implementations.dropout.scratch import ScratchDropout  # noqa: E402


class DropoutWithoutScaling(ScratchDropout):
    """Wrong: the kept units are not scaled by 1 / keep (the mask alone)."""

    def layer_functions(self, params):
        functions = super().layer_functions(params)
        for name, rate in self.spec.drop_rates.items():
            functions[name] = lambda x, rate=rate: nd.Dropout(x, p=rate, mode="training") * (1 - rate)
        return functions


class DropoutLeftOnInEvaluation(ScratchDropout):
    """Wrong: dropout also drops units when evaluating."""

    def layer_functions(self, params):
        functions = super().layer_functions(params)
        for name, rate in self.spec.drop_rates.items():
            functions[name] = lambda x, rate=rate: nd.Dropout(x, p=rate, mode="always")
        return functions


from implementations.lenet_bn.scratch import ScratchLeNetBN  # noqa: E402


class BatchNormOverTheWrongAxes(ScratchLeNetBN):
    """Wrong: batch statistics per example and channel (over H, W only), not per channel over (N, H, W)."""

    def layer_functions(self, p):
        functions = super().layer_functions(p)
        for layer in ("bn1", "bn2"):
            def wrong(x, layer=layer):
                mean = x.mean(axis=(2, 3), keepdims=True)
                var = ((x - mean) ** 2).mean(axis=(2, 3), keepdims=True)
                x_hat = (x - mean) / nd.sqrt(var + self.spec.epsilon)
                return p[f"{layer}.gamma"].reshape((1, -1, 1, 1)) * x_hat + p[f"{layer}.beta"].reshape((1, -1, 1, 1))
            functions[layer] = wrong
        return functions


class MovingAveragesUpdatedInEvaluation(ScratchLeNetBN):
    """Wrong: the moving averages also move when evaluating (batch statistics used outside training)."""

    def layer_functions(self, p):
        functions = super().layer_functions(p)
        for layer in ("bn1", "bn2"):
            def always_training(x, layer=layer, normalize=functions[layer]):
                with mx.autograd.train_mode():
                    return normalize(x)
            functions[layer] = always_training
        return functions


class NoStateLeNetBN(ScratchLeNetBN):
    """Wrong for batch norm: keeps its moving averages to itself (no state() or load_state())."""

    state = None
    load_state = None


class InterruptedInItsSecondModel(ScratchLeNet):
    """A real SIGINT to this process during the first step of the second model built of it (bench's second
    batch size: the first is measured by then)."""

    stepped_models = 0

    def step(self, batch_size: int, learning_rate: float) -> None:
        if not getattr(self, "counted", False):
            self.counted = True
            type(self).stepped_models += 1
            if type(self).stepped_models == 2:
                os.kill(os.getpid(), signal.SIGINT)
        super().step(batch_size, learning_rate)


class SignalsItsParent(ScratchLeNet):
    """Only for `profile`, whose worker process runs it: the user's Ctrl-C reaches the profiling command (the
    worker's parent) while this implementation is being profiled."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        if not getattr(self, "signalled", False):
            self.signalled = True
            os.kill(os.getppid(), signal.SIGINT)
        super().step(batch_size, learning_rate)


class SignalledWhilePredicting(ScratchLeNet):
    """The user's Ctrl-C arrives after it finished training, while its predictions for the prediction grid (the
    first 18 test images, a batch of a size nothing else uses) are computed."""

    def forward(self, images):
        if images.shape[0] == 18:
            os.kill(os.getpid(), signal.SIGINT)
        return super().forward(images)


class ClipRaisesRNN(TutorialRNN):
    """A language model whose clipping is not written yet: it raises inside a profiled (or trained) step."""

    def clip_gradients(self, theta):
        raise NotImplementedError("clipping is not written yet")
