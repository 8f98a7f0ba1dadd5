"""Rich view of `profile --model rnn|gru|lstm`: where a training step's time goes, by phase and by operator, the
implementations side by side, and how many operators each issues."""
from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.reporting.environment import environment_panel
from compare.reporting.rule_words import update_words
from compare.results.sequence_profile_types import SequenceProfile, SequenceProfileData
from compare.results.types import Status

TOP_OPERATORS = 4  # per implementation, in the operators table
PHASE_LABELS = {"forward": "forward", "loss": "loss", "backward": "backward", "clip": "clipping", "update": "update"}


def _phases_table(data: SequenceProfileData, ok: list[SequenceProfile]) -> Table:
    settings = data.settings
    table = Table(title=f"profile --model {settings['model']}: ms per training step, a batch of "
                        f"{settings['batch_size']} x {settings['num_steps']} steps, {settings['num_hiddens']} hidden "
                        f"units{update_words(settings.get('optimizer'))} (mean of {settings['steps']} profiled "
                        f"step{'s' if settings['steps'] != 1 else ''})", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("", ratio=1)  # the labels wrap; the figures never do
    for profile in ok:
        table.add_column(Text(profile.name), justify="right", overflow="fold")
    rows = [(f"operators: {label}", lambda p, phase=phase: f"{p.phases_ms.get(phase, 0.0):.2f}")
            for phase, label in PHASE_LABELS.items()]
    rows += [("operators in all", lambda p: f"{p.operator_ms:.2f}"),
             ("step, measured", lambda p: f"{p.step_ms:.2f}"),
             ("operators issued per step", lambda p: f"{p.calls:,.0f}"),
             ("first call (graph building)", lambda p: f"{p.first_call_ms:.1f}"),
             ("peak RSS above baseline, MiB", lambda p: f"{p.peak_rss_mib:.1f}")]
    for label, read in rows:
        table.add_row(label, *[read(profile) for profile in ok], end_section=label == "operators: update")
    return table


def _operators_table(ok: list[SequenceProfile]) -> Table:
    table = Table(title=f"The {TOP_OPERATORS} operators that take most of each step", box=box.SIMPLE_HEAD,
                  title_justify="left")
    for column in ("implementation", "operator", "ms per step", "calls per step"):
        table.add_column(column, justify="right" if column.endswith("step") else "left", overflow="fold")
    for profile in ok:
        for index, operator in enumerate(profile.operators[:TOP_OPERATORS]):
            table.add_row(Text(profile.name) if index == 0 else "", operator.name, f"{operator.ms:.2f}",
                          f"{operator.calls:,.0f}", end_section=index == min(TOP_OPERATORS, len(profile.operators)) - 1)
    return table


def sequence_profile_report(data: SequenceProfileData) -> Group:
    """Environment, the phases table, the operators table, and notes on method and failures."""
    ok = [profile for profile in data.profiles if profile.status == Status.OK]
    notes = ["note: each implementation ran in a fresh process after warm-up, from a fresh state on the text's first "
             "batch; bulk execution off and every phase synced, so each operator is its own event and steps are "
             "slower than in bench. A hand-written recurrent layer issues its operators once per time step; "
             "Gluon's is one fused RNN operator."]
    others = "; the others are shown." if ok else "."
    notes += [f"note: {profile.name} failed while profiled ({profile.message}){others}"
              for profile in data.profiles if profile.status != Status.OK]
    if data.interrupted:
        notes.append("note: interrupted; the implementations profiled before it are shown.")
    shown = {key: value for key, value in data.settings.items() if key != "optimizer"}  # the title says the rule
    tables = [_phases_table(data, ok), _operators_table(ok)] if ok else []  # nothing profiled: no empty tables
    return Group(environment_panel(data.environment, shown), *tables, *(Text(line, style="yellow") for line in notes))
