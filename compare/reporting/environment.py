"""What every report shows around its tables: the environment panel (versions, MXNet's features, CPU, threads,
the recipe) and the machine-load words that say whether a timing can be trusted."""
from typing import Optional

from rich.panel import Panel
from rich.text import Text

from compare.measuring.machine_load import BRIEF, BUSY, BUSY_CORES, MIN_JUDGED_SECONDS, UNKNOWN
from compare.measuring.threads import thread_line
from compare.reporting.metric_tables import optimizer_text


def parallel_lines(parallel: Optional[dict]) -> list[str]:
    """'data parallel: 2 worker process(es) x 1 context(s) each, KVStore dist_sync', if it was."""
    if not parallel:
        return []
    return [f"data parallel: {parallel.get('workers')} worker process(es) × {parallel.get('contexts_per_worker')} "
            f"context(s) each, KVStore {parallel.get('kvstore')}; every batch split over all of them"]


def setting_text(value: object) -> str:
    """A recipe value as a reader writes it: lists comma-separated, optimizers in words, not Python's repr."""
    if isinstance(value, (list, tuple)):
        return ("; " if any(isinstance(item, dict) for item in value) else ",").join(
            optimizer_text(item) if isinstance(item, dict) else str(item) for item in value)
    return str(value)


def environment_panel(environment: dict, config: dict, data: Optional[dict] = None) -> Panel:
    """Versions, MXNet features, CPU, threads, context, seed and the rest of the configuration."""
    features = environment.get("mxnet_features", {})
    threads = environment.get("threads", {})
    lines = [
        f"mxnet {environment.get('mxnet')}  numpy {environment.get('numpy')}  Python {environment.get('python')}"
        f"  on {environment.get('platform')}",
        f"CPU {environment.get('cpu')} ({environment.get('cpu_count')} logical cores); "
        f"GPUs visible to mxnet: {environment.get('gpus_visible')}",
        "MXNet features: " + ", ".join(f"{k} {'on' if v else 'off'}" for k, v in features.items()),
        "threads: " + thread_line(threads),
        *parallel_lines(environment.get("data_parallel")),
        "recipe: " + ", ".join(f"{k}={setting_text(v)}" for k, v in config.items()
                               if v not in (None, False, [], ()) and not isinstance(v, dict)),
    ]
    if data:
        lines.append(
            f"data: {data.get('train_examples')} training / {data.get('test_examples')} test examples"
            f" from {data.get('source')}"
        )
    return Panel("\n".join(lines), title="environment", expand=False)


def machine_text(load: str) -> Text:
    """A load word as its cell shows it (`machine_load.load_word`): BUSY in red."""
    return Text(load, style="bold red") if load == BUSY else Text(load)


def load_caption(loads: list[str]) -> Optional[str]:
    """What the load words that need it mean, under the table (None when every one is quiet or BUSY)."""
    meanings = {BRIEF: f"{BRIEF}: timed for under {MIN_JUDGED_SECONDS:g} s in all, too briefly to tell whether other "
                       "work shared the machine",
                UNKNOWN: f"{UNKNOWN}: the machine's CPU counters (/proc/stat) could not be read, or too brief a "
                         "timing to tell"}
    shown = [meanings[load] for load in meanings if load in loads]
    return f"load {'; '.join(shown)}" if shown else None


def busy_note(busy: list[str]) -> Optional[str]:
    """The one line that says why some throughput must not be trusted."""
    if not busy:
        return None
    return (f"note: other work kept more than {BUSY_CORES} of a core busy while {', '.join(busy)} was timed "
            "(CPU time of the machine minus this job's): that throughput is not comparable. Measure again "
            "on a quiet machine.")
