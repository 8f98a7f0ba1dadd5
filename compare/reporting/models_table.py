"""Rich view of `compare models`: one row per model of the registry."""
from rich.table import Table

from implementations.registry import DEFAULT_MODEL, ModelEntry

NUMBER_COLUMNS = ("parameters", "FLOPs")


def chapter_stem(entry: ModelEntry) -> str:
    """The tutorial's chapter name both of a pair's chapters start with: cnn-scratch, cnn-gluon -> cnn."""
    scratch, gluon = entry.chapters
    stem = scratch.removesuffix("-scratch")
    return stem if gluon == f"{stem}-gluon" else f"{scratch}\n{gluon}"


def models_table(entries: list[ModelEntry]) -> Table:
    """Name, layers, parameters, forward FLOPs per example, the default recipe and the chapters of each model."""
    table = Table(title=f"Models (--model NAME; default {DEFAULT_MODEL})",
                  caption="FLOPs per example, forward; chapter: the tutorial's CHAPTER-scratch and CHAPTER-gluon")
    for column in ("model", "layers", *NUMBER_COLUMNS, "recipe", "chapter"):
        table.add_column(column, justify="right" if column in NUMBER_COLUMNS else "left",
                         no_wrap=column in ("model", "chapter", *NUMBER_COLUMNS), overflow="fold")
    for entry in entries:
        spec, recipe = entry.spec(), entry.recipe
        table.add_row(entry.name, " ".join(spec.layer_order), f"{spec.parameter_count():,}",
                      f"{spec.flops_per_example():,}",
                      f"lr {recipe.learning_rate:g}, {recipe.init} {recipe.weight_scale:g}, "
                      f"{recipe.epochs} epochs, batch {recipe.batch_size}", chapter_stem(entry))
    return table
