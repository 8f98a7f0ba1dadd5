"""`compare check --model M --optimizer O` passes every built-in for every model and every update rule, on the real
data: a built-in's known difference carries on into what follows from it (the rule's state, batch norm's moving
averages), and is never a failure with an empty explanation."""
import pytest

import compare
from implementations.optimizers import OPTIMIZERS
from implementations.registry import models


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("model", list(models()))
def test_every_built_in_passes_under_every_update_rule(model, optimizer):
    result = compare.check(model=model, optimizer=optimizer)
    failing = [f"{row.implementation}: {row.quantity}" for row in result.data.comparisons if row.failed]
    assert result.passed, f"{result.first_difference}; failing rows: {failing}"
    for name, cause in result.data.explanations.items():  # every known difference shown says why
        assert cause.strip(), name
