"""Option records: the settings of each stage, built once (by the CLI or a caller) and passed
down unchanged to the stage that uses them.

`ReadOptions` (ingest), `SummaryOptions` (summarize) and `TranslateOptions` (translate) are
shared by every command and library call that runs those stages; `BuildOptions`
(`briefpack.builder`) holds one of each plus what only a pack needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import OptionError
from briefpack.system import usable_cores

if TYPE_CHECKING:
    from translations import EngineOptions

DEFAULT_TARGETS: tuple[str, ...] = ("ru", "uk", "de")


@dataclass(frozen=True)
class ReadOptions:
    """How to read an article: its language and encoding, detected when None."""

    language: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class SummaryOptions:
    """How long a summary is (a sentence count or a ratio, not both) and how it is chosen."""

    sentences: int | None = None  # None: 3, unless `ratio` is given
    ratio: float | None = None
    algorithm: str = "default"

    def __post_init__(self) -> None:
        if self.sentences is not None and self.ratio is not None:
            raise OptionError("give --sentences or --ratio, not both")


@dataclass(frozen=True)
class TranslateOptions:
    """Which languages to translate into, with which models, and how to decode."""

    targets: tuple[str, ...] = DEFAULT_TARGETS
    models_dir: Path | None = None  # searched before the default model folders
    device: str = "cpu"
    beam_size: int = 4
    threads: int = 0  # CPU threads per translation; 0: one replica per core
    model_families: tuple[str, ...] = ()  # preferred model families, in order (see store)

    def __post_init__(self) -> None:
        check_parallelism(self.threads, "--threads", minimum=0)

    def engine_options(self) -> EngineOptions:
        from translations import EngineOptions

        return EngineOptions(device=self.device, beam_size=self.beam_size, threads=self.threads)


def parse_targets(spec: str | Sequence[str]) -> tuple[str, ...]:
    """ "ru,uk,de" -> ("ru", "uk", "de"); codes validated, duplicates dropped."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    codes = tuple(dict.fromkeys(c.strip().lower() for c in items if c.strip()))
    for code in codes:
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise OptionError(
                f"invalid language code {code!r} in --to; use ISO codes like ru,uk,de"
            )
    if not codes:
        raise OptionError("--to names no language; give codes like ru,uk,de")
    return codes


def check_parallelism(value: int, what: str, minimum: int) -> int:
    """`value` (threads or processes) if at least `minimum` and at most 4 per usable core.

    More is never faster, and far more exhausts the machine (CTranslate2 with 100,000
    threads crashes; 1,024 on two cores runs for minutes).
    """
    cores = usable_cores()
    most = 4 * cores
    if not minimum <= value <= most:
        cores_text = "core" if cores == 1 else f"{cores} cores"
        lowest = "0 (one per core)" if minimum == 0 else str(minimum)
        subject = f"{what} {value}".lstrip()  # `what` is "" where Click names the option
        raise OptionError(
            f"{subject} is out of range for the {cores_text} this process may use; "
            f"use {lowest} to {most}"
        )
    return value
