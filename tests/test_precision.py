"""--precision: bf16 as MXNet's AMP runs it, beside float32. The switch leaves the process as it found it; a run
trains each implementation in both precisions from the same weights on the same batches, side by side; bench times
both; check holds bf16 to bf16's own noise, passing correct code and failing a doubled gradient; the results file
records each row's precision and an older one still reads."""
import io
import json

import numpy as np
import pytest
from bf16_here import bf16_refusal
from rich.console import Console

import compare
from compare.cli import main
from compare.errors import UsageError
from compare.measuring.precision import Bf16Operators, parse_precisions
from implementations.lenet.scratch import ScratchLeNet
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx

BF16_DTYPE = np.dtype([("bfloat16", np.uint16)])  # mxnet 1.9.1's bfloat16


def test_precisions_parse_from_text_or_a_list_and_default_to_none():
    assert parse_precisions("float32,bf16") == ("float32", "bf16")
    assert parse_precisions(["BF16"]) == ("bf16",)
    assert parse_precisions(None) is None
    with pytest.raises(UsageError, match="unknown precision 'fp16'"):
        parse_precisions("float32,fp16")


def _refused_here(call) -> bool:
    """On a CPU that cannot run bf16: `call` is refused in one line saying so (True); elsewhere False."""
    if bf16_refusal() is None:
        return False
    with pytest.raises(UsageError, match="cannot run bfloat16") as caught:
        call()
    assert "\n" not in str(caught.value)
    return True


def test_the_switch_runs_dense_layers_in_bf16_inside_and_leaves_mxnet_as_it_was_outside():
    from mxnet.contrib.amp import amp

    x, w = mx.nd.ones((2, 8)), mx.nd.ones((3, 8))
    before = mx.nd.FullyConnected
    if _refused_here(Bf16Operators.capture):  # and the process is left as it was
        assert mx.nd.FullyConnected is before and not amp._amp_initialized
        assert mx.nd.FullyConnected(x, w, num_hidden=3, no_bias=True).dtype == np.float32
        return
    operators = Bf16Operators.capture()
    assert mx.nd.FullyConnected is before and not amp._amp_initialized  # captured, then put back
    with operators:
        with operators:  # re-entrant: the inner block changes nothing
            assert mx.nd.FullyConnected(x, w, num_hidden=3, no_bias=True).dtype == BF16_DTYPE
        assert operators.active and mx.nd.FullyConnected is not before
        assert mx.nd.FullyConnected(x, w, num_hidden=3, no_bias=True).dtype == BF16_DTYPE
        # float64 (check's twins) is left alone; float32 weights and updates stay float32
        assert mx.nd.FullyConnected(x.astype("float64"), w.astype("float64"), num_hidden=3,
                                    no_bias=True).dtype == np.float64
        assert mx.nd.sgd_update(w, w, lr=0.1).dtype == np.float32
    assert mx.nd.FullyConnected is before
    assert mx.nd.FullyConnected(x, w, num_hidden=3, no_bias=True).dtype == np.float32


def test_a_build_that_cannot_run_bf16_is_one_line():
    if _refused_here(Bf16Operators.capture):  # this CPU is such a build
        return
    operators = Bf16Operators.capture()

    def refuses(*args, **kwargs):
        raise mx.base.MXNetError("bfloat16 is not supported on this CPU\nmore")

    operators.low[0]["FullyConnected"] = refuses  # mx.nd's patched FullyConnected, as a CPU without bf16 answers
    with pytest.raises(UsageError, match="cannot run bfloat16") as caught:
        operators.prove()
    assert "\n" not in str(caught.value)


class Recorded(ScratchMLP):
    """A correct MLP that records the weights it was given and every training batch it saw (as sums)."""

    builds: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = {"weights": None, "batches": []}
        Recorded.builds.append(self.seen)

    def load_parameters(self, values):
        self.seen["weights"] = {name: np.array(value) for name, value in values.items()}
        super().load_parameters(values)

    def forward(self, images):
        if mx.autograd.is_training():
            self.seen["batches"].append(float(images.sum().asscalar()))
        return super().forward(images)


def test_a_run_trains_each_implementation_in_both_precisions_side_by_side(synthetic_dir, tmp_path):
    Recorded.builds.clear()
    path = tmp_path / "run.json"
    if _refused_here(lambda: compare.run(model="mlp", implementations=["scratch"], precision="float32,bf16",
                                         data_dir=synthetic_dir, epochs=1, progress=False, json=path)):
        assert not path.exists()  # refused before any work: nothing written
        return
    result = compare.run(model="mlp", implementations=["scratch", "gluon-hybrid", Recorded], precision="float32,bf16",
                         data_dir=synthetic_dir, epochs=3, batch_size=20, init="xavier", progress=False, json=path)
    names = ["scratch", "gluon-hybrid", "Recorded", "scratch@bf16", "gluon-hybrid@bf16", "Recorded@bf16"]
    assert list(result.data.results) == names
    assert [r.precision for r in result.data.results.values()] == ["float32"] * 3 + ["bf16"] * 3
    for name in ("scratch@bf16", "gluon-hybrid@bf16"):  # bf16 trains: the loss falls, far above chance
        epochs = result.data.results[name].epochs
        assert epochs[-1].train_loss < 0.7 * epochs[0].train_loss and result.accuracy(name) > 0.5
        assert result.data.results[name].status.value == "ok"
    # bf16 really ran: its first epoch is not float32's, though close to it (bf16 rounding, compounded by training)
    f32, bf16 = (result.data.results[n].epochs[0].train_loss for n in ("scratch", "scratch@bf16"))
    assert f32 != bf16 and abs(f32 - bf16) < 0.2 * f32
    # the same initial weights and the same batches, in the same order, in both precisions
    float32, low = Recorded.builds[-2:]  # the last two built: float32's, then bf16's (loading probed one before)
    assert float32["weights"].keys() == low["weights"].keys()
    assert all(np.array_equal(float32["weights"][name], low["weights"][name]) for name in float32["weights"])
    assert float32["batches"] == low["batches"] and len(low["batches"]) >= 30
    # the tables show both side by side, the JSON records each row's precision and reads back
    text = io.StringIO()
    Console(file=text, width=80).print(result)
    assert "float32 and bf16 side by side" in text.getvalue() and "its float32 self" in text.getvalue()
    document = json.loads(path.read_text())
    assert document["recipe"]["precisions"] == ["float32", "bf16"]
    assert document["runs"][0]["results"]["scratch@bf16"]["precision"] == "bf16"
    assert compare.load(path).data.results["scratch@bf16"].precision == "bf16"


def test_a_results_file_from_before_precision_reads_as_float32(synthetic_dir, tmp_path):
    path = tmp_path / "old.json"
    compare.run(model="softmax", implementations="scratch", data_dir=synthetic_dir, epochs=1, progress=False,
                json=path)
    document = json.loads(path.read_text())
    assert "precisions" not in document["recipe"]  # a float32 run's recipe is as it was
    for seed_run in document["runs"]:
        for result in seed_run["results"].values():
            del result["precision"]
    path.write_text(json.dumps(document))
    assert compare.load(path).data.results["scratch"].precision == "float32"
    assert main(["diff", str(path), str(path)], console=Console(file=io.StringIO(), width=80)) == 0


def test_bench_times_both_precisions_each_bf16_row_against_its_float32_self():
    if _refused_here(lambda: compare.bench(model="mlp", implementations=["scratch"], precision="float32,bf16",
                                           batch_size=4, repeat=2)):
        return
    report = compare.bench(model="mlp", implementations=["scratch", "gluon"], precision="float32,bf16",
                           batch_size=4, repeat=2)
    rows = [(row.implementation, row.batch_size) for row in report.data.rows]
    assert rows == [("scratch", 4), ("gluon", 4), ("scratch@bf16", 4), ("gluon@bf16", 4)]
    assert not report.data.failures
    text = io.StringIO()
    Console(file=text, width=80).print(report)
    assert "a bf16 row × its float32 self" in text.getvalue().replace("\n", " ")


class DoubledGradient(ScratchLeNet):
    """Wrong: every gradient doubled before the update."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        for array in self.params.values():
            array.grad[:] *= 2
        super().step(batch_size, learning_rate)


class FlattenByReshape(ScratchLeNet):
    """Correct, written otherwise: flatten by NDArray.reshape (not an operator AMP casts) instead of nd.flatten."""

    def layer_functions(self, params: dict) -> dict:
        layers = super().layer_functions(params)
        layers["flatten"] = lambda x: x.reshape((x.shape[0], -1))
        return layers


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_check_in_bf16_passes_correct_code_and_fails_a_doubled_gradient_on_real_data(seed):
    if _refused_here(lambda: compare.check(implementations=["gluon"], precision="bf16", seed=seed)):
        return
    verdict = compare.check(implementations=["gluon", FlattenByReshape, DoubledGradient], precision="bf16",
                            seed=seed)
    failing = {row.implementation for row in verdict.data.comparisons if row.failed}
    assert failing == {"DoubledGradient"}
    assert "bf16 reference's own distance from float64" in verdict.data.held_to
    assert verdict.settings["precision"] == "bf16"


def test_check_in_bf16_runs_scratch_in_bf16_too():
    """A float32 learner against a bf16 scratch would differ by bf16's rounding: both run in it, bit-identical."""
    if _refused_here(lambda: compare.check(implementations=["gluon"], precision="bf16", synthetic=True)):
        return
    verdict = compare.check(implementations=["gluon"], precision="bf16", synthetic=True, steps=2, batch_size=8)
    assert verdict.passed
    assert all(row.max_abs == 0 for row in verdict.data.comparisons)
    # and it is bf16's noise they are held to, not float32's (~1e-7 on these layers)
    assert max(row.noise for row in verdict.data.comparisons if row.quantity.startswith("layer conv")) > 1e-4
