"""The `briefpack` command: thin Click commands over the library.

Each command parses its options, calls one library function and formats the result.
Library errors (`BriefpackError`) become one line on stderr and a named exit code here,
at the edge; nothing below this package prints or exits. Heavy libraries are imported
inside the commands, so `briefpack --help` stays fast.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

import click

from briefpack import __version__
from briefpack.errors import BriefpackError, ExitStatus


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefpack")
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Offline multilingual news briefings.

    Summarize an article, translate it with installed Argos models, render one PDF per
    language and pack them into a verifiable briefing pack.
    """
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
        logging.basicConfig(level=level, format="briefpack: %(message)s", stream=sys.stderr)


def _register() -> None:
    # Command modules only import click and light briefpack modules at top level.
    from briefpack.cli import build_cmd, summarize_cmd, verify_cmd

    cli.add_command(summarize_cmd.summarize)
    cli.add_command(verify_cmd.verify)
    cli.add_command(build_cmd.translate)
    cli.add_command(build_cmd.build)
    from briefpack.cli import models_cmd

    cli.add_command(models_cmd.models)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status instead of raising SystemExit."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="briefpack",
            standalone_mode=False,
        )
    except BriefpackError as exc:
        click.echo(f"briefpack: error: {exc}", err=True)
        return int(exc.exit_status)
    except click.exceptions.Abort:
        click.echo("briefpack: interrupted", err=True)
        return int(ExitStatus.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("briefpack: interrupted", err=True)
        return int(ExitStatus.INTERRUPTED)
    except click.UsageError as exc:
        # One line, like every other error; Click's own form spans several.
        command = exc.ctx.command_path if exc.ctx else "briefpack"
        click.echo(f"briefpack: error: {exc.format_message()} (see '{command} --help')", err=True)
        return int(ExitStatus.USAGE_ERROR)
    except click.ClickException as exc:
        click.echo(f"briefpack: error: {exc.format_message()}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return int(ExitStatus.OK)
