"""`compare models`: every model the tool knows — its layers, parameters, arithmetic and chapter recipe."""
import argparse

from compare.reporting.terminal import Terminal

NAME = "models"
SUMMARY = "list the models (networks of the tutorial) with their layers, size and recipe"
DESCRIPTION = ("Every model `--model` accepts: its layers in forward order, its parameter count, the FLOPs of one "
               "example's forward pass (convolutions and dense layers, a multiply-add counting two), the chapters "
               "it comes from and the recipe `run` trains it with by default.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass  # no flags: the registry is the whole input


def config_from_args(args: argparse.Namespace) -> None:
    return None


def execute(config: None, terminal: Terminal) -> int:
    """Print the table (the library's `compare.models()`); needs no mxnet."""
    from compare.api import models
    from compare.errors import ExitCode

    terminal.show(models().renderable())
    return int(ExitCode.OK)
