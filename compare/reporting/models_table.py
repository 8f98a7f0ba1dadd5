"""Rich view of `compare models`: one row per model of the registry."""
from rich.table import Table

from implementations.registry import DEFAULT_MODEL, ModelEntry


def models_table(entries: list[ModelEntry]) -> Table:
    """Name, layers, parameters, forward FLOPs per example, chapters and the default recipe of each model."""
    table = Table(title=f"Models (--model NAME; default {DEFAULT_MODEL})")
    for column in ("model", "layers", "parameters", "FLOPs/example", "recipe", "chapters"):
        table.add_column(column, justify="right" if column in ("parameters", "FLOPs/example") else "left",
                         no_wrap=column in ("model", "parameters", "FLOPs/example"), overflow="fold")
    for entry in entries:
        spec, recipe = entry.spec(), entry.recipe
        table.add_row(entry.name, " ".join(spec.layer_order), f"{spec.parameter_count():,}",
                      f"{spec.flops_per_example():,}",
                      f"lr {recipe.learning_rate:g}, {recipe.init} {recipe.weight_scale:g}, "
                      f"{recipe.epochs} epochs, batch {recipe.batch_size}", "\n".join(entry.chapters))
    return table
