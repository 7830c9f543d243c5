"""Settings: where each option's value comes from, resolved in one place.

A command's option takes, in order, the first of

1. the flag on the command line (Click reads it; `Origin("flag")`);
2. the environment variable `BRIEFPACK_<COMMAND>_<OPTION>`, Click's `auto_envvar_prefix`
   spelling (`BRIEFPACK_BUILD_TO=uk`, `BRIEFPACK_BUILD_BEAM_SIZE=2`); empty means unset;
3. the config file `$XDG_CONFIG_HOME/briefpack/config.toml` (else `~/.config/...`): a table
   per command, keys the long option names (`[build]` with `to = "uk,de"`);
4. the option's default.

A command with subcommands has one table and one prefix for all of them (`[models]`,
`BRIEFPACK_MODELS_INDEX_URL`). The file is read once, when a command first needs a
setting; anything wrong in it (TOML syntax, an unknown table or key, a value of the wrong
kind) is an `OptionError` (exit 2) naming the file and line. Which tables and keys exist,
and how a value is checked, is the caller's `Schema` (the CLI builds it from its commands),
so a new command or option is a setting with no change here.

The older variables keep their own meaning, read where they are used (`ENVIRONMENT`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.errors import OptionError

# A check takes a value (a string from the environment, any TOML value from the file) and
# returns it as the option should see it, or raises ValueError saying what is wrong.
Check = Callable[[Any, bool], Any]  # (value, from_file) -> value
Schema = Mapping[str, Mapping[str, Check]]  # table -> key -> check

ENVIRONMENT = {
    "BRIEFPACK_MODELS": "model folders searched after --models (path-separator separated)",
    "ARGOS_PACKAGES_DIR": "Argos's package folder (default in $XDG_DATA_HOME/argos-translate)",
    "BRIEFPACK_INDEX_URL": "the package index `models download` uses",
    "BRIEFPACK_RENDER_PROCESSES": "helper processes rendering PDFs (default 2 on 2+ cores)",
    "SOURCE_DATE_EPOCH": "the briefing date when --date is not given (reproducible builds)",
    "XDG_CONFIG_HOME": "the folder holding briefpack/config.toml",
}

_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*(["']?)([A-Za-z0-9_-]+)\1\s*=""")
_AT = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class Origin:
    kind: str  # "flag", "env", "file" or "default"
    where: str = ""  # the variable's name, or "FILE line N"

    def __str__(self) -> str:
        return f"{self.kind} {self.where}".strip()


@dataclass(frozen=True)
class Setting:
    value: Any  # as found: a string from the environment, a TOML value from the file
    origin: Origin


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or ""
    folder = Path(base) if Path(base).is_absolute() else Path.home() / ".config"
    return folder / "briefpack" / "config.toml"


def env_name(table: str, key: str) -> str:
    return f"BRIEFPACK_{table}_{key}".upper().replace("-", "_")


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    tables: Mapping[str, Mapping[str, Any]]
    lines: Mapping[tuple[str, str], int]  # (table, key) -> line; (table, "") -> its header

    def where(self, table: str, key: str = "") -> str:
        """ "FILE line N" for a key of a table (for a key outside any, `table` is "")."""
        line = self.lines.get((table, key)) or self.lines.get((table, ""))
        return f"{self.path} line {line}" if line else str(self.path)


def read_config(path: Path) -> ConfigFile | None:
    """The config file at `path`, None if there is none; OptionError if it is not TOML."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OptionError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        text = data.decode("utf-8")
        tables = tomllib.loads(text)
    except UnicodeDecodeError:
        raise OptionError(f"config file {path} is not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        found = _AT.search(str(exc))
        line = int(found.group(1)) if found else max(1, len(text.splitlines()))
        reason = _AT.sub("", str(exc)).replace("(at end of document)", "").strip()
        raise OptionError(
            f"config file {path} line {line}: not valid TOML ({reason}); fix or remove it"
        ) from None
    return ConfigFile(path, tables, _lines(text))


def _lines(text: str) -> dict[tuple[str, str], int]:
    """Where each `[table]` and `key =` is, for messages (tomllib does not say)."""
    lines: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TABLE.match(line):
            table = header.group(1)
            lines.setdefault((table, ""), number)
        elif key := _KEY.match(line):
            lines.setdefault((table, key.group(2)), number)
    return lines


class Settings:
    """The environment and config file as one command line sees them.

    The file is read and checked against `schema` when a setting is first looked up.
    """

    def __init__(
        self,
        schema: Schema,
        env: Mapping[str, str] | None = None,
        path: Path | None = None,
        flag_only: Mapping[str, frozenset[str]] | None = None,  # options that are no settings
    ) -> None:
        self.schema = schema
        self.flag_only = flag_only or {}
        self.env = os.environ if env is None else env
        self.path = path if path is not None else config_path(self.env)
        self._file: ConfigFile | None = None
        self._read = False

    @property
    def file(self) -> ConfigFile | None:
        """The config file, read and checked whole the first time; None when there is none."""
        if not self._read:
            self._file = read_config(self.path)
            self._read = True
            if self._file is not None:
                self._file = self._checked(self._file)
        return self._file

    def lookup(self, table: str, key: str) -> Setting | None:
        """The environment's or the file's value of `key` for `table`; None: the default."""
        check = self.schema[table][key]
        name = env_name(table, key)
        raw = self.env.get(name)
        if raw:
            try:
                return Setting(check(raw, False), Origin("env", name))
            except ValueError as exc:
                reason = str(exc).rstrip(".")
                raise OptionError(f"{name}={raw[:60]!r}: {reason}; fix or unset it") from None
        config = self.file
        if config is not None and key in config.tables.get(table, {}):
            where = config.where(table, key)
            return Setting(config.tables[table][key], Origin("file", where))
        return None

    def _checked(self, config: ConfigFile) -> ConfigFile:
        """`config` with every value checked (and normalized), or OptionError at the first
        unknown table or key or bad value."""
        tables: dict[str, dict[str, Any]] = {}
        for table, values in config.tables.items():
            known = ", ".join(f"[{t}]" for t in sorted(self.schema))
            if not isinstance(values, dict):
                raise OptionError(
                    f"config file {config.where('', table)}: {table!r} is outside any table; "
                    f"settings go in one of {known}"
                )
            if table not in self.schema:
                raise OptionError(
                    f"config file {config.where(table)}: unknown table [{table}]; "
                    f"settings go in one of {known}"
                )
            tables[table] = {}
            for key, value in values.items():
                where = config.where(table, key)
                checks = self.schema[table]
                if key in self.flag_only.get(table, ()):
                    raise OptionError(
                        f"config file {where}: [{table}] {key} is never a setting, as it "
                        f"replaces what exists; give --{key} when you mean it"
                    )
                if key not in checks:
                    raise OptionError(
                        f"config file {where}: [{table}] has no setting {key!r}; "
                        f"known: {', '.join(sorted(checks))}"
                    )
                try:
                    tables[table][key] = checks[key](value, True)
                except ValueError as exc:
                    reason = str(exc).rstrip(".")
                    raise OptionError(f"config file {where}: [{table}] {key}: {reason}") from None
        return ConfigFile(config.path, tables, config.lines)
