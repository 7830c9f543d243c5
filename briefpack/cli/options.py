"""Options shared by several commands, so they read and behave the same everywhere.

`summary_options` and `translation_options` add their options to a command and hand its
function the option records (`ReadOptions`, `SummaryOptions`, `TranslateOptions`) built
from them, once, instead of the loose values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from briefpack.cli.defaults import one_of
from briefpack.errors import OptionError
from briefpack.model import MODEL_FAMILIES
from briefpack.options import ReadOptions, SummaryOptions, TranslateOptions

Command = Callable[..., Any]


class DateType(click.ParamType):  # type: ignore[type-arg]  # generic from Click 8.3
    """YYYY-MM-DD within what a pack can carry (`briefpack.dates`)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from briefpack.dates import check_date

        try:
            return check_date(str(value), "")  # Click names the option
        except OptionError as exc:
            self.fail(str(exc), param, ctx)


class Parallelism(click.ParamType):  # type: ignore[type-arg]
    """A count of threads or processes: `minimum` to 4 per usable core."""

    name = "integer"

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from briefpack.options import check_parallelism

        count = click.INT.convert(value, param, ctx)
        try:
            return check_parallelism(count, "", self.minimum)  # Click names the option
        except OptionError as exc:
            self.fail(str(exc), param, ctx)


# Kept in sync with summarize.ALGORITHM_NAMES by a test; listed here so --help stays fast.
ALGORITHM_CHOICES = (
    "default",
    "lead-plus",
    "lead",
    "luhn",
    "edmundson",
    "lsa",
    "text-rank",
    "lex-rank",
    "sum-basic",
    "kl",
    "reduction",
)


def _add(func: Command, decorators: list[Callable[[Command], Command]]) -> Command:
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def summary_options(func: Command) -> Command:
    """--sentences/--ratio/--algorithm/--language/--encoding, passed on as `read` and
    `summary`."""

    @functools.wraps(func)
    def command(
        *args: Any,
        sentences: int | None,
        ratio: float | None,
        algorithm: str,
        language: str | None,
        encoding: str | None,
        **kwargs: Any,
    ) -> Any:
        if sentences is not None and ratio is not None:
            keep = one_of(click.get_current_context(), "sentences", "ratio")
            if keep is None:
                raise click.UsageError("give --sentences or --ratio, not both")
            sentences, ratio = (sentences, None) if keep == "sentences" else (None, ratio)
        read = ReadOptions(language=language, encoding=encoding)
        summary = SummaryOptions(sentences=sentences, ratio=ratio, algorithm=algorithm)
        return func(*args, read=read, summary=summary, **kwargs)

    return _add(
        command,
        [
            click.option(
                "-n",
                "--sentences",
                type=click.IntRange(min=1),
                default=None,
                help="Sentences in the summary (default 3).",
            ),
            click.option(
                "--ratio",
                type=click.FloatRange(0, 1, min_open=True),
                default=None,
                help="Summary length as a share of the article's sentences, e.g. 0.2.",
            ),
            click.option(
                "-a",
                "--algorithm",
                type=click.Choice(ALGORITHM_CHOICES),
                default="default",
                show_default=True,
                help="Summarization algorithm.",
            ),
            click.option(
                "-l",
                "--language",
                default=None,
                metavar="CODE",
                help="Article language (any Argos code: en, de, nl, zh...); detected if omitted.",
            ),
            click.option(
                "--encoding",
                default=None,
                metavar="NAME",
                help="Text encoding of the input; detected when omitted.",
            ),
        ],
    )


def translation_options(func: Command) -> Command:
    """--models/--device/--beam-size/--threads/--model-family, and the command's --to,
    passed on as `translate`."""

    @functools.wraps(func)
    def command(
        *args: Any,
        targets: tuple[str, ...],
        models_dir: Path | None,
        device: str,
        beam_size: int,
        threads: int,
        model_family: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        translate = TranslateOptions(
            targets=targets,
            models_dir=models_dir,
            device=device,
            beam_size=beam_size,
            threads=threads,
            model_families=model_family,
        )
        return func(*args, translate=translate, **kwargs)

    return _add(
        command,
        [
            click.option(
                "--models",
                "models_dir",
                type=click.Path(path_type=Path),
                default=None,
                help="Extra folder of installed Argos packages, searched first.",
            ),
            click.option(
                "--device",
                type=click.Choice(["cpu", "cuda", "auto"]),
                default="cpu",
                show_default=True,
                help="Where CTranslate2 runs.",
            ),
            click.option(
                "--beam-size",
                "--beam",
                "beam_size",
                type=click.IntRange(1, 16),
                default=4,
                show_default=True,
                help="Beam size for translation.",
            ),
            click.option(
                "--threads",
                type=Parallelism(minimum=0),
                default=0,
                show_default=True,
                help="CPU threads per translation (0: one per core, each decoding part of "
                "the batch).",
            ),
            click.option(
                "--model-family",
                "model_family",
                type=FamiliesType(),
                default="",
                metavar="FAMILIES",
                help="Model families to prefer where several serve a pair, in order "
                "(opus-mt, nllb-200, m2m-100, argos); default: that order.",
            ),
        ],
    )


class FamiliesType(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated model families, e.g. opus-mt,argos (a list from a config file)."""

    name = "families"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value)
        families = tuple(dict.fromkeys(str(f).strip().lower() for f in items if str(f).strip()))
        for family in families:
            if family not in MODEL_FAMILIES:
                known = ", ".join(MODEL_FAMILIES)
                self.fail(f"unknown model family {family!r}; use {known}", param, ctx)
        return families


class TargetsType(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated ISO codes, e.g. ru,uk,de (a list of codes from a config file)."""

    name = "codes"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        from briefpack.options import parse_targets

        try:
            return parse_targets(value)
        except OptionError as exc:
            self.fail(str(exc), param, ctx)


targets_option = click.option(
    "-t",
    "--to",
    "targets",
    default="ru,uk,de",
    show_default=True,
    type=TargetsType(),
    metavar="CODES",
    help="Target languages, comma separated (ISO codes, e.g. ru,uk,de).",
)


date_option = click.option(
    "--date",
    type=DateType(),
    default=None,
    metavar="YYYY-MM-DD",
    help="Briefing date (default: SOURCE_DATE_EPOCH, else today), 1980-01-01 to "
    "2107-12-31. Same inputs and date give byte-identical packs.",
)

jobs_option = click.option(
    "-j",
    "--jobs",
    type=Parallelism(minimum=1),
    default=1,
    show_default=True,
    help="Build this many articles at once, each worker process with its own models "
    "(and 1 CPU thread, unless --threads says otherwise).",
)


def json_option(func: Command) -> Command:
    """--json, for commands whose --format also offers json: `fmt` becomes "json"."""

    @functools.wraps(func)
    def command(*args: Any, fmt: str, as_json: bool, **kwargs: Any) -> Any:
        if as_json and fmt != "json":
            keep = one_of(click.get_current_context(), "as_json", "fmt")
            if keep is None and fmt != "text":
                raise click.UsageError(f"--json and --format {fmt} disagree; give one")
            fmt = fmt if keep == "fmt" else "json"
        return func(*args, fmt=fmt, **kwargs)

    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON for scripts (--format json)."
    )(command)


quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress bars or warnings on stderr; errors only."
)


def pack_options(func: Command) -> Command:
    """--pdf-variant and --force: how the PDFs are made and whether a pack may be replaced."""
    return _add(
        func,
        [
            click.option(
                "--pdf-variant",
                type=click.Choice(["pdf/ua-1", "pdf/a-3b"]),
                default="pdf/ua-1",
                show_default=True,
                help="PDF flavour: tagged PDF/UA-1 or archival PDF/A-3b.",
            ),
            click.option("--force", is_flag=True, help="Replace a pack that already exists."),
        ],
    )


TEST_MODELS_WARNING = (
    "warning: built with test models — not a real translation; see README 'Getting real models'"
)

out_option = click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder the packs are written to.",
)

keep_going_option = click.option(
    "-k",
    "--keep-going",
    is_flag=True,
    help="Skip an article that cannot be read or summarized (one line on stderr each, "
    "'skipped' in --json) and build the rest; fails only when none is left.",
)


def cluster_options(func: Command) -> Command:
    """--scheduler/--scheduler-file/--connect-timeout, passed on as `cluster` (None: run
    here)."""

    @functools.wraps(func)
    def command(
        *args: Any,
        scheduler: str | None,
        scheduler_file: Path | None,
        connect_timeout: float,
        **kwargs: Any,
    ) -> Any:
        from briefpack.cluster import ClusterOptions, route_dask_logs

        if scheduler and scheduler_file is not None:
            keep = one_of(click.get_current_context(), "scheduler", "scheduler_file")
            if keep is None:
                raise click.UsageError("give --scheduler or --scheduler-file, not both")
            scheduler, scheduler_file = (
                (scheduler, None) if keep == "scheduler" else (None, scheduler_file)
            )
        cluster = None
        if scheduler or scheduler_file is not None:
            cluster = ClusterOptions(scheduler or None, scheduler_file, connect_timeout)
            route_dask_logs()  # Dask's own stderr lines only with -v: errors are ours
        return func(*args, cluster=cluster, **kwargs)

    return _add(
        command,
        [
            click.option(
                "--scheduler",
                default=None,
                metavar="ADDRESS",
                help="Run on this Dask scheduler's workers (tcp://HOST:8786, tls://...), "
                "writing here. Needs briefpack[cluster] (docs/cluster.md).",
            ),
            click.option(
                "--scheduler-file",
                type=click.Path(path_type=Path, dir_okay=False),
                default=None,
                help="Run on the Dask cluster whose scheduler wrote this file.",
            ),
            click.option(
                "--connect-timeout",
                type=click.FloatRange(min=0, min_open=True),
                default=10.0,
                show_default=True,
                metavar="SECONDS",
                help="How long to try to reach the scheduler, and to wait while it has no worker.",
            ),
        ],
    )
