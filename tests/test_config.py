"""Every default resolved once, before a config is frozen: the flags and the Python API's keywords build equal
configs, a value left out (None) is the library's default, argparse holds none of them, and the learning rate is
stored once, in the update rules, from which the results file records it."""
import dataclasses
from pathlib import Path

import pytest

from compare.api.options import config_for
from compare.cli import build_parser
from compare.config.run import RunConfig
from compare.results.json_io import recipe_to_json
from implementations.registry import models

ROOT = Path(__file__).parents[1]
BY_MODEL = ("run", "check", "bench", "profile", "tune")


def test_no_config_is_patched_after_it_is_frozen():
    patched = [str(path.relative_to(ROOT)) for path in (ROOT / "compare").rglob("*.py")
               if "object.__setattr__" in path.read_text()]
    assert patched == []


@pytest.mark.parametrize("command", BY_MODEL)
@pytest.mark.parametrize("model", list(models()))
def test_the_flags_and_the_keywords_build_equal_configs(command, model):
    args = build_parser().parse_args([command, "--model", model])
    assert args.command_module.config_from_args(args) == config_for(command, model, None, {})


@pytest.mark.parametrize("command", BY_MODEL)
def test_an_option_given_as_none_is_left_to_the_library(command):
    names = {"run": ("epochs", "batch_size", "learning_rate", "init", "weight_scale", "seed", "ctx", "progress"),
             "check": ("steps", "batch_size", "learning_rate", "synthetic", "seed", "ctx"),
             "bench": ("batch_size", "repeat", "seed", "ctx"), "profile": ("batch_size", "steps", "seed", "ctx"),
             "tune": ("batch_size", "rounds", "repeat", "seed", "ctx")}[command]
    assert config_for(command, "lenet", None, dict.fromkeys(names)) == config_for(command, "lenet", None, {})


def test_argparse_holds_no_default_of_the_library():
    """Every flag the library resolves is None when left out (on/off flags are False; --model names the
    registry's default model, the API's signature default too)."""
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    held = [f"{name} {action.option_strings[0]}={action.default!r}" for name, sub in commands.items()
            for action in sub._actions
            if action.option_strings and action.default not in (None, False, "==SUPPRESS==")
            and action.dest != "model"]
    assert held == []


def test_the_learning_rate_is_stored_once_and_recorded_from_the_update_rules():
    assert "learning_rate" not in {field.name for field in dataclasses.fields(RunConfig)}
    one = config_for("run", "lenet", None, {})
    assert recipe_to_json(one)["learning_rate"] == models()["lenet"].recipe.learning_rate
    assert [o["learning_rate"] for o in recipe_to_json(one)["optimizers"]] == [models()["lenet"].recipe.learning_rate]
    both = recipe_to_json(config_for("run", "lenet", None, {"optimizer": "sgd,adam"}))
    assert both["learning_rate"] is None  # two rates: each update rule records its own
    assert [o["learning_rate"] for o in both["optimizers"]] == [models()["lenet"].recipe.learning_rate, 0.01]
    given = recipe_to_json(config_for("run", "lenet", None, {"optimizer": "sgd,adam", "learning_rate": 0.3}))
    assert given["learning_rate"] == 0.3 and [o["learning_rate"] for o in given["optimizers"]] == [0.3, 0.3]


def test_bench_and_profile_record_no_learning_rate():
    for command in ("bench", "profile"):
        assert config_for(command, "lenet", None, {}).workload.learning_rate is None
