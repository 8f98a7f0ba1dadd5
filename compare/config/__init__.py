"""Configuration of every command: its options (flags or the Python API's keywords, `options`) resolved once
into a frozen, complete config, each default from one source, validated when built. One module per command
(run, check, bench, profile, tune, diff, plot, launch), and what they share: the workload (model,
implementations, where, seeds, update rules and their learning rates) and the update rules asked for.

Nothing below the command layer sees argparse; no mxnet here, so `--help` can read the defaults instantly.
"""
