"""Several contexts in one process: the split, the all-reduce of every implementation, check and bench over
two CPU contexts, and the GPU-list plumbing through the same injected seams the single-GPU path uses."""
import io
import json

import numpy as np
import pytest
from built_ins import create_model
from rich.console import Console

from compare.cli import main
from compare.data.batches import Batch, synthetic_batch
from compare.devices.contexts import ContextSpec, parse_contexts, resolve_contexts
from compare.devices.topology import Topology, choose_kvstore, piece_bounds
from compare.errors import UsageError
from compare.training.steps import loss_function, training_step
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.registry import implementation_names

TWO_CPUS = (mx.cpu(0), mx.cpu(1))
SPEC = LeNetSpec(init="xavier")  # gradients large enough that a missing all-reduce shows


def _main(argv: list[str]) -> tuple[int, str]:
    output = io.StringIO()
    return main(argv, console=Console(file=output, width=200, color_system=None)), output.getvalue()


@pytest.mark.parametrize("text, expected", [
    ("cpu:0,cpu:1", (ContextSpec("cpu", 0), ContextSpec("cpu", 1))),
    ("gpu:0,1", (ContextSpec("gpu", 0), ContextSpec("gpu", 1))),
    ("gpu:0,gpu:1", (ContextSpec("gpu", 0), ContextSpec("gpu", 1))),
    ("gpu(2), gpu(0)", (ContextSpec("gpu", 2), ContextSpec("gpu", 0))),
    ("cpu", (ContextSpec("cpu", 0),)),
])
def test_context_lists(text, expected):
    assert parse_contexts(text) == expected


@pytest.mark.parametrize("text, message", [
    ("cpu:0,cpu:0", r"cpu\(0\) is listed twice"),
    ("gpu:1,1", r"gpu\(1\) is listed twice"),
    ("cpu,gpu:0", "mixes CPU and GPU"),
    ("cpu:0,", "unknown context"),
])
def test_bad_context_lists_are_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        parse_contexts(text)


def test_a_gpu_list_resolves_through_the_same_seams_as_one_gpu():
    specs = parse_contexts("gpu:0,1")
    assert resolve_contexts(specs, num_gpus=lambda: 2, cuda_enabled=lambda: True) == [mx.gpu(0), mx.gpu(1)]
    with pytest.raises(UsageError, match=r"gpu\(1\) asked for, but mxnet sees 1 GPU"):
        resolve_contexts(specs, num_gpus=lambda: 1, cuda_enabled=lambda: True)
    with pytest.raises(UsageError, match="no CUDA"):
        resolve_contexts(specs, num_gpus=lambda: 0, cuda_enabled=lambda: False)


@pytest.mark.parametrize("size, pieces, sizes", [(7, 4, [2, 2, 2, 1]), (256, 2, [128, 128]), (255, 2, [128, 127]),
                                                 (6, 6, [1] * 6), (10, 3, [4, 3, 3])])
def test_a_batch_is_split_as_evenly_as_possible(size, pieces, sizes):
    bounds = piece_bounds(size, pieces)
    assert [stop - start for start, stop in bounds] == sizes
    assert bounds[0][0] == 0 and bounds[-1][1] == size
    assert all(bounds[i][1] == bounds[i + 1][0] for i in range(pieces - 1))


class _JoinedStore:
    """What a Topology reads of a joined dist_sync store: this worker's rank among how many."""

    def __init__(self, rank: int, num_workers: int) -> None:
        self.rank, self.num_workers = rank, num_workers


def test_every_example_of_a_batch_goes_to_exactly_one_context_of_one_worker():
    images, labels = synthetic_batch(11, mx.cpu())
    seen = []
    for rank in range(3):
        worker = Topology(TWO_CPUS, "dist_sync", workers=3, store=_JoinedStore(rank, 3))
        for shard in worker.split(Batch(images, labels)):
            seen += shard.labels.asnumpy().tolist()
    assert seen == labels.asnumpy().tolist()  # in order: worker 0's contexts, then worker 1's, ...
    shards = Topology(TWO_CPUS).split(Batch(images, labels))
    assert [shard.images.context for shard in shards] == list(TWO_CPUS)


def test_too_few_examples_for_the_contexts_is_refused_before_training():
    with pytest.raises(UsageError, match="more contexts than examples"):
        Topology(TWO_CPUS).check_training_batches(num_examples=100, batch_size=1)
    with pytest.raises(UsageError, match="last batch has 1 example"):
        Topology(TWO_CPUS).check_training_batches(num_examples=65, batch_size=32)
    Topology(TWO_CPUS).check_training_batches(num_examples=66, batch_size=32)  # last batch of 2: fine


def test_the_kvstore_follows_the_launcher():
    assert choose_kvstore(None, {}) == "device"
    assert choose_kvstore(None, {"DMLC_ROLE": "worker"}) == "dist_sync"
    assert choose_kvstore("local", {}) == "local"
    with pytest.raises(UsageError, match="needs a launcher's environment"):
        choose_kvstore("dist_sync", {})
    with pytest.raises(UsageError, match="under a launcher"):
        choose_kvstore("device", {"DMLC_ROLE": "worker"})


def _weights_after_steps(model, topology: Topology, sizes: list[int]) -> dict:
    images, labels = synthetic_batch(max(sizes), mx.cpu(), seed=5)
    for size in sizes:
        training_step(model, topology.split(Batch(images[:size], labels[:size])), size, 0.2, loss_function(10))
    return {name: array.asnumpy() for name, array in model.parameters().items()}


@pytest.mark.parametrize("kvstore", ["device", "local"])
@pytest.mark.parametrize("name", implementation_names())
def test_two_contexts_train_like_one_including_a_short_batch(name, kvstore):
    """Gradients summed over the replicas and normalised by the global size: the weights one device gets."""
    alone = create_model(name, SPEC, Devices((mx.cpu(0),)), seed=2)
    spread = create_model(name, SPEC, Devices(TWO_CPUS, kvstore), seed=2)
    expected = _weights_after_steps(alone, Topology((mx.cpu(0),)), [32, 32, 7])
    got = _weights_after_steps(spread, Topology(TWO_CPUS), [32, 32, 7])
    for parameter, value in expected.items():
        np.testing.assert_allclose(got[parameter], value, rtol=1e-4, atol=1e-6, err_msg=parameter)
    for params in getattr(spread, "replicas", {}).values():  # hand-written: every replica holds the same weights
        for parameter, array in params.items():
            np.testing.assert_array_equal(array.asnumpy(), spread.params[parameter].asnumpy())


def test_a_forgotten_all_reduce_is_caught_by_the_same_comparison():
    from outside_implementations import NoAllReduceScratch
    alone = create_model("scratch", SPEC, Devices((mx.cpu(0),)), seed=2)
    mutant = NoAllReduceScratch(SPEC, Devices(TWO_CPUS))
    mutant.load_parameters(SPEC.initial_parameters(2))
    expected = _weights_after_steps(alone, Topology((mx.cpu(0),)), [32])
    got = _weights_after_steps(mutant, Topology(TWO_CPUS), [32])
    assert not np.allclose(got["fc1.weight"], expected["fc1.weight"], rtol=1e-4, atol=1e-6)


def test_check_over_two_contexts_passes_and_reports_the_measured_differences():
    code, text = _main(["check", "--synthetic", "--ctx", "cpu:0,cpu:1", "--steps", "3", "--batch-size", "16"])
    assert code == 0, text
    words = " ".join(text.split())  # long titles wrap
    for name in implementation_names():
        assert f"{name} data parallel (2 context(s)) against itself on cpu(0) alone" in words
    assert "gradient fc1.weight" in text and "weights conv1.weight" in text
    assert "FAIL" not in text


def test_check_over_two_contexts_names_a_forgotten_all_reduce():
    code, text = _main(["check", "--synthetic", "--ctx", "cpu:0,cpu:1", "--steps", "2", "--batch-size", "16",
                        "--impl", "mine=outside_implementations:NoAllReduceScratch"])
    assert code == 1
    assert "mine: first gradient difference: conv1.weight" in text


def test_a_single_device_implementation_is_refused_a_context_list(synthetic_dir, capsys):
    code, _ = _main(["run", "--data-dir", str(synthetic_dir), "--ctx", "cpu:0,cpu:1",
                     "--impl", "mine=outside_implementations:SingleDeviceScratch"])
    assert code == 2
    assert "mine: trains on one device only" in capsys.readouterr().err
    code, _ = _main(["check", "--synthetic", "--steps", "1", "--impl", "mine=outside_implementations:SingleDeviceScratch"])
    assert code == 0  # on one device it is welcome


# After the first epoch a ReLU or a max pooling that decides by a hair can flip with the summation order of a
# half batch: on an AMD EPYC (oneDNN's AVX2 kernels) scratch's second-epoch loss was 0.9223 on one context and
# 0.9182 on two, where the tutorial (maximum(x, 0)) gave 0.9182 on both. The first epoch agreed to 1e-8; a
# data-parallel mistake (a sum not taken, a batch counted twice) parts there already.
LATER_EPOCHS = 1e-2


def test_run_over_two_contexts_learns_what_one_context_learns(synthetic_dir, tmp_path):
    results = {}
    for ctx in ("cpu", "cpu:0,cpu:1"):
        path = tmp_path / f"{ctx.replace(':', '').replace(',', '-')}.json"
        code, _ = _main(["run", "--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "32", "--quiet",
                         "--init", "xavier", "--ctx", ctx, "--json", str(path)])
        assert code == 0
        results[ctx] = json.loads(path.read_text())
    one, two = (results[ctx]["runs"][0]["results"] for ctx in ("cpu", "cpu:0,cpu:1"))
    for name in implementation_names():
        for index, (epoch_one, epoch_two) in enumerate(zip(one[name]["epochs"], two[name]["epochs"])):
            tolerance = LATER_EPOCHS if index else 1e-4
            assert epoch_two["train_loss"] == pytest.approx(epoch_one["train_loss"], rel=tolerance)
            assert epoch_two["test_accuracy"] == pytest.approx(epoch_one["test_accuracy"], abs=0.011)  # ≤ 1 of 100
    assert results["cpu:0,cpu:1"]["recipe"]["context"] == "cpu(0),cpu(1)"
    assert results["cpu:0,cpu:1"]["environment"]["data_parallel"] == {
        "kvstore": "device", "workers": 1, "contexts_per_worker": 2}
    assert "data_parallel" not in results["cpu"]["environment"]


def test_bench_over_two_contexts_reports_the_scaling_it_measured(tmp_path):
    path = tmp_path / "bench.json"
    code, text = _main(["bench", "--ctx", "cpu:0,cpu:1", "--batch-size", "8", "--repeat", "1",
                        "--impl", "scratch,gluon", "--json", str(path)])
    assert code == 0
    rows = json.loads(path.read_text())["rows"]
    assert sorted((row["implementation"], row["devices"]) for row in rows) == [
        ("gluon", 1), ("gluon", 2), ("scratch", 1), ("scratch", 2)]
    assert "Scaling: data parallel over 2 devices" in text
    by_key = {(row["implementation"], row["devices"]): row for row in rows}
    for name, summed_by in (("scratch", "by hand"), ("gluon", "Trainer, KVStore device")):
        assert by_key[(name, 2)]["summed_by"] == summed_by
        efficiency = by_key[(name, 2)]["train"]["median"] / by_key[(name, 1)]["train"]["median"] / 2
        line = next(line for line in text.splitlines() if line.count("│") > 3 and f"{name}: {summed_by}" in line)
        assert f"{efficiency:.0%}" in line


def test_profile_over_two_contexts_splits_each_step(tmp_path):
    code, text = _main(["profile", "--ctx", "cpu:0,cpu:1", "--batch-size", "8", "--steps", "2", "--impl", "scratch"])
    assert code == 0, text
    assert "cpu(0),cpu(1)" in text


def test_a_topology_alone_sums_nothing_and_joined_hands_each_model_its_own_key_range():
    alone = Topology(TWO_CPUS)
    np.testing.assert_array_equal(alone.sum([1.5, 2.0]), [1.5, 2.0])
    assert alone.devices().store is None and alone.devices().contexts == TWO_CPUS
    assert alone.record() == {"kvstore": "device", "workers": 1, "contexts_per_worker": 2}
    assert Topology((mx.cpu(),)).record() is None
    joined = Topology((mx.cpu(),), "dist_sync", workers=2, store=_JoinedStore(0, 2))
    first, second = joined.devices().store, joined.devices().store
    assert second.base - first.base >= len(LeNetSpec().parameter_shapes()) and first.store is joined.store


@pytest.mark.slow
def test_on_real_fashion_mnist_two_contexts_match_one_except_where_the_tutorial_relu_meets_zero():
    """scratch and Gluon: within tolerance. tutorial: logits, loss and summed gradients agree, but its
    maximum(x, 0) passes the gradient where a conv output is exactly 0, so summation-order ulps decide
    whether a unit's gradient flows, and its weights drift apart over 10 steps (with nd.relu they do not)."""
    code, text = _main(["check", "--data-dir", "/usr/share/datasets/fashion-mnist", "--ctx", "cpu:0,cpu:1"])
    assert code == 0, text  # the drift is tutorial's known difference: explained, not a failure
    verdicts = [line for line in text.splitlines() if line.startswith(tuple(f"{n}:" for n in implementation_names()))]
    # whether a conv output lands exactly on 0 depends on the CPU's kernels: where none does (an AMD EPYC), every
    # implementation passes outright; where one does, tutorial alone drifts, in its weights, as its known difference
    assert all(line.startswith("tutorial: known difference in weights, not a failure") for line in verdicts)
    known = [line for line in text.splitlines() if "│ known" in line]
    assert bool(known) == bool(verdicts) and all("│ weights " in line for line in known) and "FAIL" not in text
    assert verdicts or "check passed: scratch, gluon, gluon-hybrid, tutorial within tolerance" in " ".join(text.split())
