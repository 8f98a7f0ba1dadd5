"""The update rule a language model's report names, from what its results record: nothing (or 'SGD at 100') for the
chapters' plain SGD, else the rule and its values; and the rule rebuilt for what is known of it. No mxnet."""
from __future__ import annotations

from typing import Optional

from compare.reporting.metric_tables import optimizer_text
from implementations.optimizers import Optimizer


def plain_sgd(recorded: object) -> bool:
    """Whether the recorded rule is the chapters' plain SGD (or none is recorded: files from before the rules)."""
    return not isinstance(recorded, dict) or (recorded.get("name") == "sgd" and not recorded.get("weight_decay"))


def update_words(recorded: object) -> str:
    """', updating by adam (lr 0.003, ...)' where the steps take a rule other than the chapters' SGD, else ''."""
    return "" if plain_sgd(recorded) else f", updating by {optimizer_text(recorded)}"


def update_text(recipe: dict) -> str:
    """The update rule of a run: 'SGD at 100' (the chapters'), else the rule as recorded, 'adam (lr 0.003, ...)'."""
    recorded = recipe.get("optimizer")
    return f"SGD at {recipe['learning_rate']:g}" if plain_sgd(recorded) else optimizer_text(recorded)


def recorded_optimizer(recorded: object) -> Optional[Optimizer]:
    """The update rule a recipe records, rebuilt (None where it records none, or one this version lacks)."""
    if not isinstance(recorded, dict):
        return None
    try:
        return Optimizer.from_recorded(recorded)
    except (KeyError, TypeError, ValueError):
        return None
