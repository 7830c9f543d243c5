"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

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


def summary_options(func: F) -> F:
    """--sentences/--ratio/--algorithm/--language/--encoding."""
    decorators = [
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
            help="Article language (an Argos language: en, de, nl, zh, ...); detected if omitted.",
        ),
        click.option(
            "--encoding",
            default=None,
            metavar="NAME",
            help="Text encoding of the input; detected when omitted.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def check_length(sentences: int | None, ratio: float | None) -> None:
    if sentences is not None and ratio is not None:
        raise click.UsageError("give --sentences or --ratio, not both")


def translation_options(func: F) -> F:
    """--models/--device/--beam/--threads."""
    decorators = [
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
            "--beam",
            type=click.IntRange(1, 16),
            default=4,
            show_default=True,
            help="Beam size for translation.",
        ),
        click.option(
            "--threads",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="CPU threads per translation (0: one per core, each decoding part of the batch).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _parse_targets(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from briefpack.build import parse_targets
    from briefpack.errors import InputError

    try:
        return parse_targets(value)
    except InputError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


targets_option = click.option(
    "-t",
    "--to",
    "targets",
    default="ru,uk,de",
    show_default=True,
    metavar="CODES",
    callback=_parse_targets,
    help="Target languages, comma separated (ISO codes, e.g. ru,uk,de).",
)
