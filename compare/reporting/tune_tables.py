"""Rich view of `compare tune`: every candidate's samples/s and speed-up over MXNet's defaults, the fastest
settings for training and for inference with their intervals, how far from the machine's limit they run, and which
GEMM is that limit under each settings."""
from dataclasses import replace
from typing import Optional

from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.measuring.blas_core import DOT_LAGS
from compare.measuring.machine_limit import DOT
from compare.measuring.machine_load import BUSY_CORES
from compare.measuring.mxnet_settings import MXNetSettings
from compare.measuring.statistics import Interval
from compare.reporting.columns import add_name_column
from compare.reporting.limit_tables import LimitRow, limit_table
from compare.results.tune_types import DEFAULTS, KINDS, TunedFile, TuneResult

WHAT = {"train": "training step", "inference": "forward pass"}


def interval_text(interval: Optional[Interval]) -> str:
    if interval is None:
        return "—"
    if interval.low is None:
        return f"{interval.mean:.2f}×"
    return f"{interval.mean:.2f}× [{interval.low:.2f}, {interval.high:.2f}]"


def candidates_table(result: TuneResult) -> Table:
    """One row per candidate: its speed-up over MXNet's defaults for the training step and the forward pass
    (geometric mean over the implementations, paired by round, with the interval over rounds)."""
    fastest = {kind: result.fastest(kind) for kind in KINDS}
    table = Table(title=f"MXNet settings on {result.settings.get('context')}, batch {result.settings.get('batch_size')}"
                        f": {', '.join(result.implementations)}; each candidate a fresh process, rounds interleaved",
                  caption="× defaults: geometric mean over the implementations of samples/s against MXNet's defaults "
                          "in the same round [95 % t-interval over rounds]; * the fastest beyond the noise (the "
                          "whole interval above 1)")
    table.add_column("settings")
    for kind in KINDS:
        table.add_column(f"{'train' if kind == 'train' else 'forward'} × defaults", justify="right", no_wrap=True)
    for settings in result.candidates():
        cells = [Text(interval_text(result.speedup(settings, kind)) + (" *" if settings == fastest[kind] else "  "),
                      style="bold" if settings == fastest[kind] else "") for kind in KINDS]
        table.add_row("MXNet's defaults" if settings == DEFAULTS else settings.label(), *cells)
    return table


def implementations_table(result: TuneResult, kind: str) -> Table:
    """Per implementation, its own fastest settings: mean samples/s under the defaults -> under them, and the
    speed-up paired by round. One process runs every implementation, so `--tuned` applies the overall winner."""
    table = Table(title=f"Fastest {WHAT[kind]} per implementation, beyond the noise (samples/s, mean over rounds)")
    add_name_column(table)
    for column in ("its fastest settings", "defaults → fastest", "× defaults"):
        table.add_column(column, justify="right" if column.startswith(("defaults", "×")) else "left",
                         no_wrap=column != "its fastest settings")
    for name in result.implementations:
        fastest = result.fastest(kind, name)
        old, new = result.mean_rate(DEFAULTS, kind, name), result.mean_rate(fastest, kind, name)
        table.add_row(name, "MXNet's defaults" if fastest == DEFAULTS else fastest.label(),
                      "—" if old is None or new is None else f"{old:,.0f} → {new:,.0f}",
                      interval_text(result.speedup(fastest, kind, name)))
    return table


def winner_lines(result: TuneResult) -> list[Text]:
    lines = []
    for kind in KINDS:
        fastest, best = result.fastest(kind), result.best_mean(kind)
        if fastest == DEFAULTS:
            closest = "" if best == DEFAULTS else (f" (best mean: {best.label()}, "
                                                    f"{interval_text(result.speedup(best, kind))})")
            lines.append(Text(f"Fastest for the {WHAT[kind]}: MXNet's defaults; no candidate was faster beyond the "
                              f"noise{closest}. More --rounds narrow the intervals."))
            continue
        each = ", ".join(f"{name} {interval_text(result.speedup(fastest, kind, name))}" for name in result.implementations)
        lines.append(Text(f"Fastest for the {WHAT[kind]}: {fastest.label()} ({' '.join(fastest.flags())}), "
                          f"{interval_text(result.speedup(fastest, kind))} MXNet's defaults ({each})."))
    return lines


def _limit_table(result: TuneResult, settings: MXNetSettings) -> Optional[Table]:
    """Under `settings`: each implementation's mean rates against the limit measured in the same processes."""
    gemms = result.gemm_rates(settings)
    if gemms is None or not result.arithmetic:
        return None
    rows = [LimitRow((name,), result.mean_rate(settings, "train", name), result.mean_rate(settings, "inference", name))
            for name in result.implementations]
    return limit_table(rows, {**result.arithmetic, **gemms.record()}, ("implementation",), f"under {settings.label()}")


def gemms_table(result: TuneResult) -> Optional[Table]:
    """Under each candidate: every GEMM's mean GFLOP/s over the rounds, the limit (the fastest float32 one) marked."""
    measured = {settings: gemms for settings in result.candidates() if (gemms := result.gemm_rates(settings))}
    if not measured:
        return None
    names = list(dict.fromkeys(name for gemms in measured.values() for name in gemms.rates))
    lower = list(dict.fromkeys(name for gemms in measured.values() for name in gemms.lower_precision))
    size = next(iter(measured.values())).size
    table = Table(title=f"The arithmetic limit under each candidate's settings: every GEMM's GFLOP/s on {size}² "
                        "float32, mean over rounds",
                  caption="* the limit there: the fastest float32 GEMM, against which the efficiencies are given"
                          + ("; bfloat16 is shown beside, never the limit" if lower else ""))
    table.add_column("settings")
    for name in names + lower:
        table.add_column(name, justify="right")
    for settings, gemms in measured.items():
        cells = [Text(f"{gemms.rates[name]:,.1f} *", style="bold") if name == gemms.limit
                 else Text(f"{gemms.rates[name]:,.1f}  " if name in gemms.rates else "—  ") for name in names]
        cells += [Text(f"{gemms.lower_precision[name]:,.1f}  " if name in gemms.lower_precision else "—  ")
                  for name in lower]
        table.add_row("MXNet's defaults" if settings == DEFAULTS else settings.label(), *cells)
    return table


def blas_line(result: TuneResult) -> Optional[Text]:
    """Whether tune tried core types for mxnet's OpenBLAS, and the measurement that decided it: nd.dot's rate
    against the limit under the first stage's best settings (the ones the core types refine)."""
    cores = [settings for settings in result.candidates() if settings.blas_core is not None]
    first_stage = [settings for settings in result.candidates() if settings.engine_workers is None
                   and settings.aggregation is None and settings.blas_core is None]
    base = replace(cores[0], blas_core=None) if cores else result.best_mean_among("train", first_stage)
    gemms = result.gemm_rates(base)
    if gemms is None or DOT not in gemms.rates:
        return None
    share = gemms.rates[DOT] / gemms.limit_gflops
    running = result.blas_core(base)
    said = (f"nd.dot ran at {gemms.rates[DOT]:,.1f} GFLOP/s, {share:.0%} of the limit, under {base.label()}"
            + (f", mxnet's OpenBLAS running as {running}" if running else ""))
    if cores:
        return Text(f"{said}: below {DOT_LAGS:.0%}, so the core types this CPU can run were tried ("
                    f"{', '.join(str(settings.blas_core) for settings in cores)}), each used only after its "
                    "products agreed with a product computed without BLAS.")
    if share < DOT_LAGS:
        return Text(f"{said}: below {DOT_LAGS:.0%}, but no core type was tried: none this CPU has the instructions "
                    "for is left to try, or the tune ended before its second stage.")
    return Text(f"{said}: its BLAS keeps up, so no OpenBLAS core type was tried (they are tried below "
                f"{DOT_LAGS:.0%}).")


def tuned_note(tuned: TunedFile, applied: MXNetSettings) -> str:
    """The last line of a run under `--tuned FILE`: the settings in force, and the speed-up tune measured for its
    own — said to be for other settings where flags overrode the file."""
    each = ", ".join(f"{name} {interval_text(interval)}" for name, interval in tuned.per_implementation.items())
    measured = (f"{interval_text(tuned.speedup)} MXNet's defaults for training ({each}), in its own sequence")
    if applied != tuned.settings:
        return (f"note: MXNet settings from --tuned {tuned.path} with flags over them: {applied.label()}; tune "
                f"measured its own ({tuned.settings.label()}) at {measured}, not these")
    return f"note: MXNet settings from --tuned {tuned.path}: {tuned.settings.label()}; tune measured them at {measured}"


def tune_report(result: TuneResult) -> Group:
    parts: list = [candidates_table(result)] + [implementations_table(result, kind) for kind in KINDS]
    parts += winner_lines(result) + [line for line in (blas_line(result),) if line is not None]
    parts += [table for table in (_limit_table(result, result.fastest("train")), gemms_table(result))
              if table is not None]
    notes = [f"{name}: failed in bench ({reason}); tuned without it"
             for name, reason in (result.settings.get("failed_implementations") or {}).items()]
    for settings, reason in result.failures().items():
        notes.append(f"{settings.label()}: failed ({reason}); left out")
    if result.busy:
        notes.append(f"BUSY: other work used more than {BUSY_CORES} of a core while some candidates were timed; "
                     "their rates, and the ranking, are not to be trusted: tune again on a quiet machine")
    if result.interrupted:
        notes.append("interrupted: the table holds the candidates measured before the signal")
    parts += [Text(f"note: {line}", style="yellow") for line in notes]
    return Group(*parts)
