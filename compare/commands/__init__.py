"""One module per subcommand, each the same shape: NAME, SUMMARY, DESCRIPTION, `add_arguments(parser)`,
`config_from_args(args)` -> a frozen, validated config, and `execute(config, terminal)` -> exit code (library
call, then files, then tables). `compare.cli` lists them; `parsing` builds the parser from such a list.

Modules here import no mxnet at the top, so `--help` stays instant.
"""
