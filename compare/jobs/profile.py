"""`profile` as a library call: K training steps of each implementation under MXNet's profiler, each in a fresh
process, and the stacked-bar picture when traces are kept. Prints nothing."""
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from compare.config.options import STDOUT
from compare.config.profile import ProfileConfig
from compare.files import check_distinct_outputs, check_output_path
from compare.jobs.apply_settings import apply_mxnet_settings
from compare.validation import display_name

if TYPE_CHECKING:
    from compare.results.measures import ProfileResult


def profile(config: ProfileConfig, warn: Callable[[str], None]) -> "ProfileResult":
    """Profile every implementation of `config` (names or module:attr: each is rebuilt in its own process)."""
    workload = config.workload
    apply_mxnet_settings(workload.mxnet, workload.contexts, warn)  # before anything loads mxnet
    from compare.devices.contexts import contexts_text, resolve_contexts
    from compare.jobs.profiler import profile_all
    from compare.loading import select_implementations
    from compare.measuring.environment import capture_environment
    from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
    from implementations.registry import implementation_names

    if config.trace_dir is not None:
        names = [display_name(entry) for entry in workload.implementations or implementation_names(workload.model)]
        check_trace_outputs(Path(config.trace_dir), [f"{name}.json" for name in names] + ["profile.png"],
                            config.json_path)
    check_fits(MemoryNeed(config.batch_size, workload.spec().activation_values()), "--batch-size", available_bytes())
    contexts = resolve_contexts(workload.contexts)
    selected = select_implementations(workload.implementations, workload.spec(), workload.model, contexts[0],
                                      data_parallel=len(contexts) > 1, optimizers=workload.optimizers)  # refusals now
    named = workload.implementations or implementation_names(workload.model)
    entries = [(implementation.name, entry) for implementation, entry in zip(selected, named)]
    where = contexts_text(workload.contexts)
    return profile_all(config, entries, where, capture_environment(where))


def check_trace_outputs(trace_dir: Path, files: list[str], json_path: "Path | None") -> None:
    """--trace DIR must be a folder this process may write `files` into, none of them the --json file: a
    UsageError in one line otherwise, before anything is profiled."""
    check_output_path("--trace", trace_dir, want_dir=True)
    json_file = [("--json", json_path)] if json_path not in (None, STDOUT) else []
    check_distinct_outputs([*json_file, *[("--trace", trace_dir / name) for name in files]], [("--trace", trace_dir)])


def draw_profile(result: "ProfileResult", trace_dir: Path) -> list[Path]:
    """The traces kept in `trace_dir` and the stacked bars drawn from them (profile.png), as written files."""
    from compare.reporting.plots import profile_bars

    written = [Path(profile.trace_file) for profile in result.profiles if profile.trace_file]
    return [*written, profile_bars(result, Path(trace_dir) / "profile.png")]
