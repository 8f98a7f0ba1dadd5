"""The Python API (`import compare`): the same recipe as the CLI for every model, implementations as objects,
results as values. Its one-line errors are in test_bad_values.py; that the library never loads the command layer
is in test_architecture.py."""
import pytest
from outside_implementations import AveragePoolScratch

import compare
from compare.api.objects import implementation_entries
from compare.api.options import config_for
from compare.cli import build_parser
from compare.commands import check as check_command
from compare.commands import run as run_command
from compare.loading import Implementation, entry_label
from implementations.registry import models


@pytest.mark.parametrize("model", list(models()))
def test_api_and_cli_train_with_the_same_recipe_for_every_model(model):
    from_cli = run_command.config_from_args(build_parser().parse_args(["run", "--model", model]))
    from_api = config_for("run", model, None, {})
    assert from_api == from_cli
    chapter = models()[model].recipe  # the registry, not a copy of it, is where both come from
    assert (from_api.workload.learning_rate, from_api.init, from_api.weight_scale,
            from_api.epochs, from_api.batch_size) == (
        chapter.learning_rate, chapter.init, chapter.weight_scale, chapter.epochs, chapter.batch_size)
    checked = check_command.config_from_args(build_parser().parse_args(["check", "--model", model]))
    assert config_for("check", model, None, {}) == checked
    assert checked.workload.learning_rate == chapter.learning_rate


def test_a_recipe_built_in_python_takes_its_model_s_chapter_recipe():
    from compare.config.check import CheckConfig
    from compare.config.options import Options
    from compare.config.run import RunConfig

    softmax = models()["softmax"].recipe
    recipe = RunConfig.resolve("softmax", (), Options("run", {}))
    assert (recipe.workload.learning_rate, recipe.weight_scale) == (softmax.learning_rate, softmax.weight_scale)
    assert RunConfig.resolve("softmax", (), Options("run", {"learning_rate": 0.05})).workload.learning_rate == 0.05
    assert CheckConfig.resolve("softmax", (), Options("check", {})).workload.learning_rate == softmax.learning_rate


def test_commands_that_take_one_seed_refuse_several():
    from compare.config.bench import BenchConfig
    from compare.config.workload import Workload

    with pytest.raises(compare.UsageError, match="takes one --seed"):
        BenchConfig(Workload("lenet", seeds=(0, 1)))


def test_implementations_may_be_names_strings_objects_or_a_mapping():
    def factory(spec, devices):
        return AveragePoolScratch(spec, devices)

    entries = implementation_entries(["scratch", "mine=outside_implementations:MissingReluScratch",
                                      AveragePoolScratch, factory])
    assert [entry_label(entry) for entry in entries] == ["scratch", "mine", "AveragePoolScratch", "factory"]
    assert isinstance(entries[2], Implementation) and entries[2].factory is AveragePoolScratch
    assert entries[2].source == "outside_implementations:AveragePoolScratch"
    mapped = implementation_entries({"avg": AveragePoolScratch, "relu": "outside_implementations:MissingReluScratch"})
    assert [entry_label(entry) for entry in mapped] == ["avg", "relu"]
    assert implementation_entries("scratch, gluon") == ["scratch", "gluon"]
    assert implementation_entries(None) == []


@pytest.mark.parametrize("given, message", [
    ([AveragePoolScratch, AveragePoolScratch], "more than once"),
    ([42], "neither a name"),
    ([], "names no implementation"),
    ({"mine": "gluon"}, "renames a built-in"),
    ({"": AveragePoolScratch}, "the key '' names nothing; give it a name, e.g. {'mine': AveragePoolScratch}"),
    ({"  ": AveragePoolScratch}, "the key '  ' names nothing"),
    ({"mine@adam": AveragePoolScratch}, "'@' marks an update rule"),
])
def test_implementations_that_cannot_be_used_are_refused_in_one_line(given, message):
    with pytest.raises(compare.UsageError) as caught:
        implementation_entries(given)
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("given", [
    {"gluon": AveragePoolScratch},
    {"gluon": AveragePoolScratch, "scratch": AveragePoolScratch},
    [type("scratch", (AveragePoolScratch,), {})],  # a class of the learner's that happens to be called scratch
    [type("tutorial", (AveragePoolScratch,), {})],
])
def test_a_learners_object_cannot_take_a_built_in_name(given):
    """Else the verdict would blame `gluon`, and the results file hold the learner's numbers under Gluon's name."""
    for call in (compare.check, compare.run):
        with pytest.raises(compare.UsageError) as caught:
            call(model="mlp", implementations=given)
        assert "is a built-in name; call yours something else" in str(caught.value)


@pytest.mark.parametrize("wrap", [lambda instance: instance, lambda instance: [instance],
                                  lambda instance: {"mine": instance}])
def test_an_instance_given_for_a_class_is_told_to_pass_the_class(wrap):
    instance = object.__new__(AveragePoolScratch)  # what `AveragePoolScratch(spec, devices)` would give
    with pytest.raises(compare.UsageError) as caught:
        implementation_entries(wrap(instance))
    assert "is an instance of AveragePoolScratch; pass the class (AveragePoolScratch) or a factory (spec, devices) " \
           "-> model" in str(caught.value)


def test_run_returns_numbers_tables_and_the_same_json_as_the_cli(synthetic_dir, tmp_path):
    result = compare.run(implementations=["scratch", "gluon", AveragePoolScratch], data_dir=synthetic_dir,
                         epochs=2, batch_size=50, progress=False, json=tmp_path / "r.json")
    assert result.names == ["scratch", "gluon", "AveragePoolScratch"]
    assert isinstance(result.accuracy("gluon"), float)
    assert result.accuracy("gluon") == result.accuracy("scratch")  # bit-identical built-ins
    assert [epoch.epoch for epoch in result.epochs("AveragePoolScratch")] == [1, 2]
    assert len(result.to_records()) == 3 * 2 and result.to_records()[0]["implementation"] == "scratch"
    assert result.throughput("scratch")["train"] > 0
    text = str(result)
    assert "Accuracy per epoch" in text and max(len(line) for line in text.splitlines()) <= 80
    assert "<pre" in result._repr_html_() and "AveragePoolScratch" in result._repr_html_()
    loaded = compare.load(tmp_path / "r.json")
    assert loaded.accuracies() == result.accuracies()
    assert loaded.data.recipe["implementations"] == ["scratch", "gluon", "AveragePoolScratch"]
    with pytest.raises(KeyError, match="no result for 'nope'"):
        result.accuracy("nope")


def test_check_names_the_first_wrong_layer_and_asserts_for_an_autograder():
    verdict = compare.check(implementations={"avg": AveragePoolScratch}, synthetic=True, steps=2)
    assert not verdict.passed
    first = verdict.first_difference
    assert (first.implementation, first.layer, first.quantity) == ("avg", "pool1", "layer")
    assert "pool1" in first.explanation and first.max_abs > 0
    with pytest.raises(AssertionError, match="avg: pool1 averages each 2x2 window"):
        verdict.assert_passed()
    assert any(not row["passed"] for row in verdict.to_records())
    correct = compare.check(implementations=["gluon"], synthetic=True, steps=2)
    assert correct.passed and correct.first_difference is None
    correct.assert_passed()
    assert "bit-identical" in str(correct)


def test_profile_refuses_an_object_of_this_session_in_one_line():
    with pytest.raises(compare.UsageError, match="fresh process: give AveragePoolScratch as 'module:attr'"):
        compare.profile(implementations=[AveragePoolScratch])


def test_models_lists_the_registry_and_shows_as_its_table():
    listed = compare.models()
    assert listed.names == list(models())
    assert listed.recipe("softmax")["learning_rate"] == models()["softmax"].recipe.learning_rate
    assert "Models" in str(listed)


def test_help_documents_every_function():
    for name in ("run", "check", "bench", "profile", "models", "load"):
        assert name in dir(compare) and getattr(compare, name).__doc__
    assert "notebook" in compare.__doc__
