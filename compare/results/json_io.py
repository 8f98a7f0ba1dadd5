"""Results files written: run, bench, check and profile results as strict JSON (schema 2); json_read.py reads
them back.

Schema 2 records the recipe (not where outputs went) under "recipe", every seed's results under "runs"
and the aggregates across seeds; schema 1 files (previous release: one seed, "config" mixing recipe and
output paths) still read. Every field is type-checked on reading: a file that
does not fit is one ResultsFileError naming the field.
"""
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from compare.config.run import RunConfig
from compare.devices.contexts import contexts_text
from compare.measuring.precision import FLOAT32
from compare.measuring.statistics import METHOD, Interval
from compare.results.aggregates import MetricSummary, summarize_run
from compare.results.measures import BenchResult, CheckData, ProfileResult, Spread
from compare.results.types import RunData

if TYPE_CHECKING:
    from compare.results.comparison import DiffResult
    from compare.results.params_comparison import ParamsDiffResult

SCHEMA_VERSION = 2
KIND_RUN, KIND_BENCH, KIND_CHECK, KIND_PROFILE = "run", "bench", "check", "profile"


def finite(value: object) -> object:
    """Replace NaN and infinities by None all the way down, so the JSON stays strict."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def _summaries(summaries: dict[str, list[MetricSummary]]) -> dict[str, object]:
    """Plain JSON types, for the results file."""
    def interval(value: Optional[Interval]) -> Optional[dict]:
        return None if value is None else {"n": value.n, "mean": value.mean, "sd": value.sd,
                                           "low": value.low, "high": value.high}
    return {name: {row.metric: {"unit": row.unit, "seeds": row.seeds_with_value, **interval(row.interval),
                                "paired_difference": interval(row.paired), "verdict": row.verdict}
                   for row in rows} for name, rows in summaries.items()}


def diff_to_json(result: "DiffResult") -> str:
    """`diff`'s comparison as JSON text: every difference and change, and the regressions listed apart."""
    document = {**asdict(result), "kind": "diff", "compared": result.kind,
                "regressions": [asdict(row) for row in result.regressions()]}
    return json.dumps(finite(document), indent=2, allow_nan=False, default=str) + "\n"


def params_diff_to_json(result: "ParamsDiffResult") -> str:
    """`diff`'s comparison of two parameter files as JSON text (an infinite relative change is null)."""
    document = {"schema": SCHEMA_VERSION, "kind": "params-diff", "model": result.model, "first_difference": result.first_difference,
                "arrays": [{**asdict(change), "identical": change.identical} for change in result.arrays]}
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


def recipe_to_json(config: RunConfig) -> dict[str, object]:
    """The recipe a results file records (never where the outputs went), in plain JSON types."""
    workload = config.workload
    rates = {optimizer.learning_rate for optimizer in workload.optimizers}
    return {  # several optimizers at several learning rates: each optimizer records its own
        "model": workload.model, "epochs": config.epochs, "batch_size": config.batch_size,
        "learning_rate": workload.learning_rate if len(rates) == 1 else None,
        "seeds": list(workload.seeds), "init": config.init, "weight_scale": config.weight_scale,
        "implementations": list(workload.implementations), "context": contexts_text(workload.contexts),
        "kvstore": workload.kvstore, "data_dir": None if config.data_dir is None else str(config.data_dir),
        "limit": config.limit, "target_accuracy": config.target_accuracy,
        "optimizers": [optimizer.recorded() for optimizer in workload.optimizers],
        # only where asked for: a float32 run's recipe stays what it was (each result records its own precision)
        **({"precisions": list(workload.precisions)} if workload.precisions != (FLOAT32,) else {}),
    }


def run_to_json(run: RunData) -> str:
    """`run` as strict JSON text (no NaN), schema 2: every seed's results, then the aggregates across seeds."""
    target = run.recipe.get("target_accuracy")
    document = {
        "schema": SCHEMA_VERSION, "kind": KIND_RUN, "recipe": run.recipe, "environment": run.environment,
        "data": run.data, "interrupted": run.interrupted,
        "runs": [{"seed": seed_run.seed, "results": {name: asdict(r) for name, r in seed_run.results.items()}}
                 for seed_run in run.runs],
        "aggregates": {"method": METHOD, "by_implementation": _summaries(
            summarize_run(run, target if isinstance(target, float) else None))},
    }
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


def _spread_json(spread: Spread) -> dict[str, object]:
    return {"rates": list(spread.rates), "median": spread.median, "low": spread.low, "high": spread.high}


def bench_to_json(bench: BenchResult) -> str:
    """`bench` as strict JSON text, schema 2: every repeat's samples/s, and the summaries."""
    rows = [{"implementation": row.implementation, "batch_size": row.batch_size, "other_cores": row.other_cores,
             "train": _spread_json(row.train), "inference": _spread_json(row.inference),
             "devices": row.devices, "summed_by": row.summed_by} for row in bench.rows]
    document = {"schema": SCHEMA_VERSION, "kind": KIND_BENCH, "settings": bench.settings,
                "environment": bench.environment, "rows": rows, "failures": bench.failures,
                "interrupted": bench.interrupted}
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


def check_to_json(check: CheckData, settings: dict[str, object], environment: dict[str, object]) -> str:
    """`check` as strict JSON text: the verdict first, then every comparison (infinite differences are null)."""
    document = {"schema": SCHEMA_VERSION, "kind": KIND_CHECK, "passed": check.passed, "settings": settings,
                "environment": environment, "steps": check.steps, "reference": check.reference,
                "subject": check.subject.strip(), "held_to": check.held_to, "failures": check.failures,
                "explanations": check.explanations,
                "unmatched_layers": check.unmatched_layers,
                "comparisons": [asdict(row) for row in check.comparisons]}
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


def profile_to_json(profile: ProfileResult) -> str:
    """`profile` as strict JSON text: per implementation, its rows (ms per step) and totals."""
    profiles = [{**asdict(item), "remainder_ms": item.remainder_ms} for item in profile.profiles]
    document = {"schema": SCHEMA_VERSION, "kind": KIND_PROFILE, "settings": profile.settings,
                "environment": profile.environment, "profiles": profiles, "interrupted": profile.interrupted}
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


def relative_to_results(params_path: Path, results_path: Optional[Path]) -> str:
    """How a results file names a parameter file: relative when it sits beside or below the results file."""
    params_path = Path(params_path).resolve()
    if results_path is not None:
        try:
            return str(params_path.relative_to(Path(results_path).resolve().parent))
        except ValueError:
            pass
    return str(params_path)
