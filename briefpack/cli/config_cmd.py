"""`briefpack config`: every setting each command would use, and where it comes from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from briefpack.cli.defaults import Defaults, option_key, setting_options
from briefpack.settings import ENVIRONMENT, Origin, Settings, env_name


@click.command(context_settings={"allow_interspersed_args": False})
@click.argument("command_line", nargs=-1, type=click.UNPROCESSED, metavar="[COMMAND [OPTION...]]")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def config(ctx: click.Context, command_line: tuple[str, ...], as_json: bool) -> None:
    """Show every setting and where its value comes from: flag, env, file or default.

    An option takes the first of: its flag; BRIEFPACK_<COMMAND>_<OPTION>, e.g.
    BRIEFPACK_BUILD_TO=uk; the config file $XDG_CONFIG_HOME/briefpack/config.toml (default
    ~/.config/...), a table per command with the long option names as keys, e.g. [build]
    to = "uk,de"; its default. With COMMAND and its options (e.g. `briefpack config build
    --to ru`), shows what that command line would use. The output is itself a valid
    config file.
    """
    cli = ctx.find_root().command
    defaults = ctx.find_root().default_map
    if not isinstance(cli, click.Group) or not isinstance(defaults, Defaults):
        raise click.UsageError("briefpack config runs only as part of the briefpack command")
    settings = defaults.settings
    config_file = settings.file  # read and checked whole first: a broken one is exit 2
    tables = setting_options(cli)
    flags: dict[str, Any] = {}
    if command_line:
        name, *rest = command_line
        if name not in tables:
            known = ", ".join(sorted(tables))
            raise click.UsageError(f"{name!r} has no settings; choose one of: {known}")
        tables = {name: tables[name]}
        flags = _flags(ctx, cli.commands[name], rest)
    rows = [
        _row(settings, table, key, option, flags)
        for table, options in tables.items()
        for key, option in sorted(options.items())
    ]
    environment = {name: settings.env.get(name) or None for name in ENVIRONMENT}
    if as_json:
        report = {
            "file": str(settings.path),
            "file_exists": config_file is not None,
            "settings": rows,
            "environment": environment,
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    found = "" if config_file is not None else " (none there)"
    click.echo(f"# config file: {settings.path}{found}")
    table = None
    for row in rows:
        if row["command"] != table:
            table = row["command"]
            click.echo(f"\n[{table}]")
        line = f"{row['option']} = {_toml(row['value'])}"
        if row["value"] is None:
            line = f"# {row['option']} ="
        origin = f"{row['origin']} {row['where']}".strip()
        click.echo(f"{line:<36} # {origin}")
    click.echo("\n# also read from the environment")
    for name, value in environment.items():
        line = f"# {name} = {_toml(value) if value else '(unset)'}"
        click.echo(f"{line:<36} # {ENVIRONMENT[name]}")


def _flags(ctx: click.Context, command: click.Command, args: list[str]) -> dict[str, Any]:
    """The settings a command line gives as flags, by key (its subcommand first, if any)."""
    if isinstance(command, click.Group):
        if not args or args[0] not in command.commands:
            return {}
        command, args = command.commands[args[0]], args[1:]
    parsed = command.make_context(
        command.name, list(args), parent=ctx, resilient_parsing=True, default_map={}
    )
    return {
        option_key(param): parsed.params[param.name]
        for param in command.params
        if isinstance(param, click.Option)
        and param.name
        and any(o.startswith("--") for o in param.opts)
        and parsed.get_parameter_source(param.name) == click.core.ParameterSource.COMMANDLINE
    }


def _row(
    settings: Settings, table: str, key: str, option: click.Option, flags: dict[str, Any]
) -> dict[str, Any]:
    if key in flags:
        value, origin = flags[key], Origin("flag")
    else:
        found = settings.lookup(table, key)
        value = _as_click_gives(option, found.value if found else None, found is not None)
        origin = found.origin if found else Origin("default")
    return {
        "command": table,
        "option": key,
        "value": _plain(value),
        "origin": origin.kind,
        "where": origin.where,
        "env": env_name(table, key),
    }


def _as_click_gives(option: click.Option, raw: Any, given: bool) -> Any:
    """The value a command sees for `raw` from its default_map (or for nothing given):
    Click itself processes it, in a one-option command."""
    assert option.name is not None
    alone = click.Command("setting", params=[option])
    defaults = {option.name: raw} if given else {}
    parsed = alone.make_context("setting", [], resilient_parsing=True, default_map=defaults)
    return parsed.params[option.name]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)
