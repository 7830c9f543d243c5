"""The `briefpack` command: thin Click commands over the library.

Each command parses its options, calls one library function and formats the result.
Library errors (`BriefpackError`) become one line on stderr and a named exit code here,
at the edge; nothing below this package prints or exits. Heavy libraries are imported
inside the commands, so `briefpack --help` stays fast.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType

import click

from briefpack import __version__
from briefpack.cli.defaults import Defaults
from briefpack.errors import BriefpackError, ExitStatus
from briefpack.system.signals import Terminated
from briefpack.system.text import one_line


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefpack")
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Offline multilingual news briefings.

    Summarize an article, translate it with installed Argos models, render one PDF per
    language and pack them into a verifiable briefing pack.
    """
    for name in _OUR_LOGGERS:  # one handler, however often main() runs in a process
        if _WARNINGS in logging.getLogger(name).handlers:
            logging.getLogger(name).removeHandler(_WARNINGS)
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLineFormatter("briefpack: %(message)s"))
        logging.basicConfig(level=level, handlers=[handler])
    else:
        _WARNINGS.shown.clear()
        for name in _OUR_LOGGERS:
            logging.getLogger(name).addHandler(_WARNINGS)


def _register() -> None:
    # Command modules only import click and light briefpack modules at top level.
    from briefpack.cli import build_cmd, summarize_cmd, translate_cmd, verify_cmd

    cli.add_command(summarize_cmd.summarize)
    cli.add_command(verify_cmd.verify)
    cli.add_command(translate_cmd.translate)
    cli.add_command(build_cmd.build)
    from briefpack.cli import config_cmd, models_cmd

    cli.add_command(models_cmd.models)
    cli.add_command(config_cmd.config)


_register()


class _Interrupted(BaseException):
    """Ctrl-C, raised instead of KeyboardInterrupt so Click does not print its own lines."""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise _Interrupted


@contextlib.contextmanager
def _ctrl_c_handled() -> Iterator[None]:
    """While the CLI runs, Ctrl-C unwinds as `_Interrupted` (cleanup runs, then exit 130).

    Only the main thread may set handlers; a handler someone else installed is kept.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    signal.signal(signal.SIGINT, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _interrupted() -> int:
    # On a terminal the line starts after the echoed ^C; in logs it stays one line.
    start = "\n" if sys.stderr.isatty() else ""
    click.echo(f"{start}briefpack: interrupted", err=True)
    return int(ExitStatus.INTERRUPTED)


def _one_line(message: str) -> str:
    """One safe line: controls, escapes and line breaks (from file names, metadata) escaped,
    and the length capped (its start and end kept)."""
    return one_line(message)


class _OneLineFormatter(logging.Formatter):
    """Log lines (warnings quote file names and metadata too) made safe like errors."""

    def format(self, record: logging.LogRecord) -> str:
        return _one_line(super().format(record))


class _Warnings(logging.Handler):
    """Without -v, our own warnings still reach stderr, one line each: a skipped broken
    package, replaced bad bytes, an ignored settings file are things a user must know.
    Other libraries' warnings (WeasyPrint's CSS notes, ...) stay behind -v. Each line shows
    once per command: the model folders are listed more than once in a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(_OneLineFormatter("briefpack: warning: %(message)s"))
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            if line not in self.shown:
                self.shown.add(line)
                click.echo(line, err=True)  # the current stderr (tests swap it)
        except Exception:
            self.handleError(record)


_OUR_LOGGERS = ("briefpack", "summarize", "translations")
_WARNINGS = _Warnings()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status instead of raising SystemExit."""
    try:
        return _run(argv)
    finally:
        if argv is None:  # a real process (the console script), about to exit
            # Collect now, while every finalizer still works (WeasyPrint removes its font
            # folder), then freeze the survivors: the interpreter's own teardown otherwise
            # spends ~0.5 s walking WeasyPrint's and nltk's object graphs.
            gc.collect()
            gc.freeze()


def _run(argv: Sequence[str] | None) -> int:
    try:
        with _ctrl_c_handled():
            cli.main(
                args=list(argv) if argv is not None else None,
                prog_name="briefpack",
                standalone_mode=False,
                default_map=Defaults(cli),  # environment and config file, read when needed
            )
    except BriefpackError as exc:
        click.echo(f"briefpack: error: {_one_line(str(exc))}", err=True)
        return int(exc.exit_status)
    except (_Interrupted, KeyboardInterrupt, click.exceptions.Abort):
        return _interrupted()
    except Terminated:
        click.echo("briefpack: terminated", err=True)
        return int(ExitStatus.TERMINATED)
    except click.UsageError as exc:
        # One line, like every other error; Click's own form spans several.
        command = exc.ctx.command_path if exc.ctx else "briefpack"
        message = _one_line(exc.format_message())
        click.echo(f"briefpack: error: {message} (see '{command} --help')", err=True)
        return int(ExitStatus.USAGE_ERROR)
    except click.ClickException as exc:
        click.echo(f"briefpack: error: {_one_line(exc.format_message())}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return int(ExitStatus.OK)
