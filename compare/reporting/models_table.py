"""Rich view of `compare models`: one row per model of the registry."""
from rich.table import Table

from implementations.registry import DEFAULT_MODEL, ModelEntry, Recipe


def chapter_stem(entry: ModelEntry) -> str:
    """The tutorial's chapter name both of a pair's chapters start with: cnn-scratch, cnn-gluon -> cnn."""
    scratch, gluon = entry.chapters
    stem = scratch.removesuffix("-scratch")
    return stem if gluon == f"{stem}-gluon" else f"{scratch}\n{gluon}"


def recipe_text(recipe: Recipe) -> str:
    """A recipe in short lines (no word is split at 80 columns): lr, initialisation, epochs x batch, and whose
    recipes the other update rules take."""
    init = f"N(0, {recipe.weight_scale:g})" if recipe.init == "normal" else recipe.init
    return f"lr {recipe.learning_rate:g}\n{init}\n{recipe.epochs} x {recipe.batch_size}\nrules:\n{recipe.rules.label}"


def rules_caption(entries: list[ModelEntry]) -> str:
    """What each `rules:` label of the table means, once each."""
    families = {entry.recipe.rules.label: entry.recipe.rules.description for entry in entries}
    return "; ".join(f"{label}, {description}" for label, description in families.items())


def models_table(entries: list[ModelEntry]) -> Table:
    """Name, layers, parameters and forward FLOPs per example (one column, two lines), the default recipe and the
    chapters of each model; narrow enough for 80 columns with every chapter name whole."""
    table = Table(title=f"Models (--model NAME; default {DEFAULT_MODEL})",
                  caption="size: parameters, then FLOPs per example (forward); recipe: SGD's learning rate, initial "
                          "weights, epochs x batch, and the other update rules' learning rates and hyperparameters: "
                          f"{rules_caption(entries)}; chapter: the tutorial's CHAPTER-scratch and CHAPTER-gluon")
    for column in ("model", "layers", "size", "recipe", "chapter"):
        table.add_column(column, justify="right" if column == "size" else "left",
                         no_wrap=column in ("model", "chapter", "recipe", "size"),
                         min_width=8 if column == "layers" else None)  # dropout2, whole
    for entry in entries:
        spec, recipe = entry.spec(), entry.recipe
        table.add_row(entry.name, " ".join(spec.layer_order),
                      f"{spec.parameter_count():,}\n{spec.flops_per_example():,}", recipe_text(recipe),
                      chapter_stem(entry))
    return table


def sequence_models_table(vocab_size: int) -> Table:
    """The language models `run` trains (rnn, gru, lstm): layers, size for the embedded text's vocabulary of
    `vocab_size` characters, the chapters' recipe and chapters."""
    from implementations.sequence_registry import SEQUENCE_MODELS

    table = Table(title="Language models (--model NAME for run, check, bench and profile)",
                  caption=f"size: parameters, then FLOPs per character (forward), for the embedded text's "
                          f"vocabulary of {vocab_size} characters; recipe: SGD's learning rate, gradients clipped to "
                          "a global norm, initial weights, epochs x batch x time steps, sampling, the other update "
                          f"rules' recipes ({SEQUENCE_MODELS[0].recipe.rules.description})")
    for column in ("model", "layers", "size", "recipe", "chapter"):
        table.add_column(column, justify="right" if column == "size" else "left", no_wrap=True)
    for entry in SEQUENCE_MODELS:
        spec, recipe = entry.spec(vocab_size), entry.recipe
        sampling = "random or\nconsecutive" if len(recipe.samplings) > 1 else recipe.samplings[0]
        table.add_row(entry.name, " ".join(spec.layer_order),
                      f"{spec.parameter_count():,}\n{spec.flops_per_character():,}",
                      f"lr {recipe.learning_rate:g}\nclip {recipe.clipping_theta:g}\nN(0, {recipe.weight_scale:g})\n"
                      f"{recipe.epochs} x {recipe.batch_size} x {recipe.num_steps}\n{sampling}\n"
                      f"rules:\n{recipe.rules.label}",
                      "\n".join(dict.fromkeys(entry.chapters)))
    return table
