"""One module per subcommand, each the same shape: `add_arguments(parser)`, `config_from_args(args)` -> a frozen,
validated config, and `execute(config, terminal)` -> exit code (library call, then files, then tables).

Modules here import no mxnet at the top, so `--help` stays instant.
"""
from compare.commands import bench, check, diff, launch, plot, profile, run

COMMANDS = (run, check, bench, profile, diff, plot, launch)
