"""The protocols of `implementations/protocol.py` as contracts: every built-in of every model in the registry keeps
each protocol it claims, whole and with the declared arity; the protocol check refuses a model that lacks any
required member, in one line naming it; and the learning rate reaches an update through `step` alone.
"""
import inspect
from pathlib import Path
from typing import Protocol

import pytest

from compare.errors import UsageError
from compare.loading import Implementation
from compare.protocol_check import check_protocol
from implementations import protocol
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.scratch import ScratchLeNetBN
from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer
from implementations.protocol import (
    DataParallel,
    DescribesGradientSum,
    Devices,
    Model,
    ReportsOptimizerState,
    Stateful,
    TakesOptimizer,
    declared,
    give_rule,
    missing,
)
from implementations.registry import builtins, models

PROTOCOLS = [value for value in vars(protocol).values() if isinstance(value, type) and Protocol in value.__bases__]
PAIRS = [(model, name) for model in models() for name in builtins(model)]
# What the framework asks of every built-in: it runs each under every rule (and reads the rule's state) and on
# a device list, so these are not optional for them.
EVERY_BUILT_IN = (Model, TakesOptimizer, ReportsOptimizerState, DataParallel, DescribesGradientSum)
CPU = Devices((mx.cpu(),))


def _arity(function: object) -> int:
    return len(inspect.signature(function).parameters)


@pytest.fixture(scope="module", params=PAIRS, ids=[f"{m}-{n}" for m, n in PAIRS])
def built_in(request):
    model, name = request.param
    spec = models()[model].spec()
    return spec, builtins(model)[name].factory()(spec, CPU)


def test_every_built_in_provides_what_the_framework_asks_of_all_and_state_where_its_spec_has_some(built_in):
    spec, model = built_in
    required = EVERY_BUILT_IN + ((Stateful,) if spec.state_shapes() else ())
    assert {p.__name__: missing(model, p) for p in required} == {p.__name__: [] for p in required}
    assert protocol.supports_data_parallel(model) and protocol.summed_by(model)


def test_every_built_in_keeps_each_protocol_it_claims_whole_and_with_its_declared_arity(built_in):
    _, model = built_in
    for claimed in (p for p in PROTOCOLS if any(hasattr(model, member) for member in declared(p))):
        assert missing(model, claimed) == [], f"{claimed.__name__} in part"
        for member in declared(claimed):
            if member in vars(claimed).get("__annotations__", {}):
                kind = {"data_parallel": bool, "gradients_summed_by": str}[member]
                assert isinstance(getattr(model, member), kind), member
            else:  # the protocol's own signature, less `self`
                assert _arity(getattr(model, member)) == _arity(getattr(claimed, member)) - 1, member


def test_the_protocols_are_found_and_each_member_is_in_the_readmes_protocol_table():
    assert {p.__name__ for p in PROTOCOLS} == {"Model", "Stateful", "TakesOptimizer", "ReportsOptimizerState",
                                               "OwnsLoss", "DataParallel", "DescribesGradientSum"}
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| method | what it must do |"):readme.index("Each member is declared")]
    for member in (member for p in PROTOCOLS for member in declared(p)):
        assert f"`{member}" in table, member


def _without(base: type, member: str) -> type:
    """`base` with `member` blocked, as a learner's class that never wrote it."""
    return type(f"No{member.title().replace('_', '')}", (base,), {member: None})


@pytest.mark.parametrize("base, member", [(ScratchLeNet, member) for member in declared(Model)]
                         + [(ScratchLeNetBN, member) for member in declared(Stateful)])
def test_a_model_lacking_a_required_member_is_refused_in_one_line_naming_it(base, member):
    spec = models()["lenet-bn" if base is ScratchLeNetBN else "lenet"].spec()
    with pytest.raises(UsageError) as refused:
        check_protocol(Implementation("mine", _without(base, member), "tests"), spec, mx.cpu())
    assert str(refused.value) == f"mine: not a Model, missing {member} (see the README's protocol)"


def test_use_optimizer_receives_the_rule_without_a_learning_rate_which_comes_through_step():
    received = []

    class Recording:
        def use_optimizer(self, optimizer):
            received.append(optimizer)

    give_rule(Recording(), Optimizer("adam", (("beta2", 0.99),), weight_decay=0.1, learning_rate=0.01))
    assert received == [Optimizer("adam", (("beta2", 0.99),), weight_decay=0.1)]
    assert received[0].learning_rate is None and received[0]["beta2"] == 0.99


class _DenseAsConvolutionLeNet(ScratchLeNet):
    """fc1 as a 5x5 convolution over conv2's pooled maps, its weight reshaped into the kernel: MKL-DNN turns the
    weight's memory into its own layout on the first forward."""

    def layer_functions(self, p):
        spec = self.spec
        side = spec.pooled2_size

        def fc1(x):
            maps = x.reshape((0, spec.conv2_channels, side, side))
            kernel = p["fc1.weight"].reshape((spec.fc1_units, spec.conv2_channels, side, side))
            return mx.nd.Convolution(maps, kernel, p["fc1.bias"], kernel=(side, side),
                                     num_filter=spec.fc1_units).reshape((0, -1))

        return {**super().layer_functions(p), "fc1": fc1}


def test_weights_a_forward_turned_into_mkldnn_layout_are_loaded_again():
    import numpy as np

    from implementations.lenet.spec import LeNetSpec

    spec = LeNetSpec()
    model = _DenseAsConvolutionLeNet(spec, Devices((mx.cpu(),)))
    model.load_parameters(spec.initial_parameters(0))
    model.forward(mx.nd.ones((2, *spec.input_shape)))
    model.load_parameters(spec.initial_parameters(1))  # a raw copy from numpy into MKL-DNN data fails here
    loaded = model.parameters()
    assert all(np.array_equal(loaded[name].asnumpy(), value) for name, value in spec.initial_parameters(1).items())


class _StashingLeNet(ScratchLeNet):
    """conv2 keeps its output in a dict made inside layer_functions, and pool2 reads it from there: the layers'
    functions must come from one call, sharing that dict."""

    def layer_functions(self, p):
        functions, stash = super().layer_functions(p), {}

        def conv2(x):
            stash["conv2"] = functions["conv2"](x)
            return stash["conv2"]

        def relu2(x):
            return mx.nd.relu(stash["conv2"])

        return {**functions, "conv2": conv2, "relu2": relu2}


def test_layer_functions_are_made_once_per_replica_so_closures_share_their_state():
    import numpy as np

    from implementations.lenet.spec import LeNetSpec

    spec = LeNetSpec()
    stashing, plain = (kind(spec, Devices((mx.cpu(),))) for kind in (_StashingLeNet, ScratchLeNet))
    for model in (stashing, plain):
        model.load_parameters(spec.initial_parameters(0))
    images = mx.nd.array(np.random.default_rng(0).random((2, *spec.input_shape)))
    assert np.allclose(stashing.forward(images).asnumpy(), plain.forward(images).asnumpy())


class _VanishingLeNet(ScratchLeNet):
    """Every activation zeroed (a relu that cuts all values below 1, with weights of N(0, 0.01)): the logits are the
    output layer's bias alone, but the model does use the weights it is given."""

    def layer_functions(self, p):
        return {**super().layer_functions(p), "relu1": lambda X: X * (X > 1), "relu2": lambda X: X * (X > 1)}


class _OwnWeightsLeNet(ScratchLeNet):
    """Ignores the weights it is loaded with: forward uses a copy taken when it was built."""

    def load_parameters(self, values):
        if not hasattr(self, "kept"):
            super().load_parameters(values)
            self.kept = True


def test_a_model_whose_activations_all_vanish_is_checked_not_refused_as_ignoring_its_weights():
    spec = models()["lenet"].spec()
    check_protocol(Implementation("vanishing", _VanishingLeNet, "tests"), spec, mx.cpu())  # no UsageError
    with pytest.raises(UsageError, match="does not use the weights it is given"):
        check_protocol(Implementation("own", _OwnWeightsLeNet, "tests"), spec, mx.cpu())
