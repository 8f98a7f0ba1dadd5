"""`launch` as library calls: the workers' command checked once before any process starts, and the plan of the
processes to start. Starting and supervising them is the command's (`compare.devices.launcher.launch`)."""
from typing import Union

from compare.config.bench import BenchConfig
from compare.config.check import CheckConfig
from compare.config.launch import LaunchConfig
from compare.config.run import RunConfig
from compare.devices.launcher import LaunchPlan, free_port, launch

Launchable = Union[RunConfig, CheckConfig, BenchConfig]


def check_launchable(config: Launchable, workers: int) -> None:
    """UsageError unless `workers` processes can run `config`: its KVStore, its batches split, and the protocol
    check every worker would make on its implementations, made once here (loads mxnet)."""
    from compare.loading import select_implementations
    from implementations.mxnet_compat import mx

    config.check_launchable(workers)
    workload = config.workload
    select_implementations(workload.implementations, config.spec(), workload.model, mx.cpu(), data_parallel=True,
                           optimizers=workload.optimizers)


def launch_plan(config: LaunchConfig) -> LaunchPlan:
    """The processes to start: the config's, on its port or on one free now."""
    return LaunchPlan(workers=config.workers, servers=config.servers,
                      port=free_port() if config.port is None else config.port, command=config.command,
                      connect_timeout=config.connect_timeout, timeout=config.timeout)


def run_plan(plan: LaunchPlan) -> int:
    """Start every process of `plan` and wait for the workers (`devices.launcher.launch`): rank 0's exit code, 5 if
    a process failed; no process is left behind."""
    return launch(plan)
