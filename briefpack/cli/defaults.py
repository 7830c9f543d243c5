"""The CLI's side of `briefpack.settings`: the schema read off the commands, and the lazy
`default_map` through which Click takes environment and config-file values.

Click reads the command line itself and falls back on its `default_map` before an option's
default; `Defaults` is that map, looking each value up in `briefpack.settings` only when
Click asks for it, so `briefpack --help` reads no file. Every option of every command is a
setting except `FLAG_ONLY` ones, so a new command or option needs nothing here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

import click

from briefpack.settings import Check, Origin, Settings

FLAG_ONLY = frozenset({"force", "replace"})  # they replace what exists: typed, never set
NO_TABLE = frozenset({"config"})  # commands whose options are not settings


def option_key(option: click.Option) -> str:
    """The setting's key: the option's first long name, without the dashes."""
    return next(o for o in option.opts if o.startswith("--"))[2:]


def _configurable(param: click.Parameter) -> TypeGuard[click.Option]:
    return (
        isinstance(param, click.Option)
        and not param.is_eager  # --help, --version
        and not param.hidden
        and param.name is not None
        and any(o.startswith("--") for o in param.opts)
        and option_key(param) not in FLAG_ONLY
    )


def _subcommands(command: click.Command) -> list[click.Command]:
    if isinstance(command, click.Group):
        return [command.commands[name] for name in sorted(command.commands)]
    return [command]


def setting_options(cli: click.Group) -> dict[str, dict[str, click.Option]]:
    """table -> key -> the option it sets (a group's subcommands share one table)."""
    tables: dict[str, dict[str, click.Option]] = {}
    for name in sorted(cli.commands):
        if name in NO_TABLE:
            continue
        table = tables.setdefault(name, {})
        for command in _subcommands(cli.commands[name]):
            for param in command.params:
                if _configurable(param):
                    table.setdefault(option_key(param), param)
    return {name: options for name, options in tables.items() if options}


_TOML_KINDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "boolean": (bool, "true or false"),
    "integer": (int, "a whole number"),
    "float": ((int, float), "a number"),
}


def _check(option: click.Option) -> Check:
    """What a value for `option` must be: Click's own type check, after, for a value from
    the file, its TOML kind (true/false, a whole number, a number, a string)."""
    kind = option.type.name.removesuffix(" range")  # IntRange is "integer range"

    def check(value: Any, from_file: bool) -> Any:
        if from_file:
            if kind in ("codes", "families") and isinstance(value, list):
                value = ",".join(str(v) for v in value)  # to = ["uk", "de"]
            if kind == "date" and type(value) is dt.date:
                value = value.isoformat()  # date = 2026-03-14, a TOML date
            wanted, spelled = _TOML_KINDS.get(kind, (str, "a string"))
            if not isinstance(value, wanted) or (kind != "boolean" and isinstance(value, bool)):
                raise ValueError(f"use {spelled}, not {value!r}")
        try:
            option.type.convert(value, option, None)
        except click.BadParameter as exc:
            raise ValueError(exc.message) from None
        return value

    return check


class _Table(Mapping[str, Any]):
    """One command's default_map: option names to environment or file values."""

    def __init__(self, defaults: Defaults, table: str, command: click.Command) -> None:
        self.defaults, self.table = defaults, table
        self.keys_by_name = {
            p.name: option_key(p) for p in command.params if _configurable(p) and p.name
        }

    def origin(self, name: str) -> Origin | None:
        key = self.keys_by_name.get(name)
        found = self.defaults.settings.lookup(self.table, key) if key else None
        return found.origin if found else None

    def __getitem__(self, name: str) -> Any:
        key = self.keys_by_name.get(name)
        found = self.defaults.settings.lookup(self.table, key) if key else None
        if found is None:
            raise KeyError(name)
        return found.value

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_by_name)

    def __len__(self) -> int:
        return len(self.keys_by_name)


class _Group(Mapping[str, Any]):
    """A group's default_map: each subcommand's map, all on the group's one table."""

    def __init__(self, defaults: Defaults, group: click.Group, table: str) -> None:
        self.defaults, self.group, self.table = defaults, group, table

    def __getitem__(self, name: str) -> Any:
        command = self.group.commands.get(name)
        if command is None:
            raise KeyError(name)
        return _Table(self.defaults, self.table, command)

    def __iter__(self) -> Iterator[str]:
        return iter(self.group.commands)

    def __len__(self) -> int:
        return len(self.group.commands)


class Defaults(Mapping[str, Any]):
    """The root default_map: a map per command; settings made when first needed."""

    def __init__(self, cli: click.Group, env: Mapping[str, str] | None = None) -> None:
        self.cli, self.env = cli, env
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            schema = {
                table: {key: _check(option) for key, option in options.items()}
                for table, options in setting_options(self.cli).items()
            }
            flag_only = {table: FLAG_ONLY for table in self}
            self._settings = Settings(schema, self.env, flag_only=flag_only)
        return self._settings

    def __getitem__(self, name: str) -> Any:
        command = self.cli.commands.get(name)
        if command is None or name in NO_TABLE:
            raise KeyError(name)  # root options (-v) are not settings
        if isinstance(command, click.Group):
            return _Group(self, command, name)
        return _Table(self, name, command)

    def __iter__(self) -> Iterator[str]:
        return iter(n for n in self.cli.commands if n not in NO_TABLE)

    def __len__(self) -> int:
        return len(list(iter(self)))


def origin(ctx: click.Context, name: str) -> Origin:
    """Where the value of option `name` in `ctx` came from."""
    source = ctx.get_parameter_source(name)
    if source in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.PROMPT):
        return Origin("flag")
    if source == click.core.ParameterSource.DEFAULT_MAP and isinstance(ctx.default_map, _Table):
        found = ctx.default_map.origin(name)
        if found is not None:
            return found
    return Origin("default")


_RANKS = {"flag": 0, "env": 1, "file": 2, "default": 3}


def one_of(ctx: click.Context, first: str, second: str) -> str | None:
    """Of two options that exclude each other and both have a value, the one to keep: the
    one from the nearer origin (a flag beats a setting); None when they tie."""
    a, b = origin(ctx, first), origin(ctx, second)
    if _RANKS[a.kind] == _RANKS[b.kind]:
        return None
    return first if _RANKS[a.kind] < _RANKS[b.kind] else second
