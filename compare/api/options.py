"""The Python API's keyword options (and a command's flags, in Python form) -> the command's config, the one way
either becomes one: each config resolves its own defaults (`compare.config`), never repeated here."""
from types import MappingProxyType
from typing import Mapping, Sequence

from compare.api.objects import Given, implementation_entries, recorded
from compare.config.bench import BenchConfig
from compare.config.check import CheckConfig
from compare.config.options import Options
from compare.config.profile import ProfileConfig
from compare.config.run import RunConfig
from compare.config.sequence_bench import SequenceBenchConfig
from compare.config.sequence_check import SequenceCheckConfig
from compare.config.sequence_profile import SequenceProfileConfig
from compare.config.sequence_run import SequenceRunConfig
from compare.config.tune import TuneConfig
from compare.devices.topology import KVSTORE_CHOICES
from compare.loading import Entry
from compare.measuring.precision import FLOAT32
from compare.measuring.precision import PRECISIONS as PRECISION_NAMES

KVSTORES = KVSTORE_CHOICES  # what `kvstore` (--kvstore) accepts
PRECISIONS, DEFAULT_PRECISION = PRECISION_NAMES, FLOAT32  # what `precision` (--precision) accepts, and its default


def installed_implementations() -> list[str]:
    """The implementation names installed packages register, sorted (reads package metadata only)."""
    from compare.loading import installed_entry_points

    return sorted(installed_entry_points())


SEQUENCE_CONFIGS = MappingProxyType({"run": SequenceRunConfig, "check": SequenceCheckConfig,  # rnn, gru, lstm
                                      "bench": SequenceBenchConfig, "profile": SequenceProfileConfig})
CONFIGS = MappingProxyType({"run": RunConfig, "check": CheckConfig, "bench": BenchConfig, "profile": ProfileConfig,
                            "tune": TuneConfig})


def resolve(command: str, model: str, entries: Sequence[Entry], values: Mapping[str, object]) -> object:
    """The validated config of `command` for these implementation entries and options (the Python API's keywords,
    or a command's flags in Python form)."""
    options = Options(command, values)
    if command in SEQUENCE_CONFIGS:
        from compare.config.sequence_run import is_sequence_model, refuse_sequence_options

        if is_sequence_model(model):
            return SEQUENCE_CONFIGS[command].resolve(model, recorded(list(entries)), options)
        refuse_sequence_options(model, options)
    return CONFIGS[command].resolve(model, recorded(list(entries)), options)


def config_for(command: str, model: str, implementations: Given, values: Mapping[str, object]) -> object:
    """`resolve` for implementations as given (names, "module:attr" strings, objects): the one way the flags and
    the keywords become a config."""
    return resolve(command, model, implementation_entries(implementations), values)
