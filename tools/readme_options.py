"""Rewrite the option tables in README.md and docs/cli.md from the commands' own --help.

    .venv/bin/python tools/readme_options.py          # rewrite every marked table
    .venv/bin/python tools/readme_options.py --check  # exit 1, naming them, if any differs

A table is the text between a start marker naming a command's path under `briefpack` and
the end marker, both on lines of their own:

    <!-- options: models install -->
    (generated: the usage line and one row per option)
    <!-- /options -->

The rows come from the Click command tree itself (`briefpack.cli.cli`), read the way
`--help` reads it: each option's flags and metavar, its help text, and the `[default: ...]`
and range that --help shows after it. So a new command or option needs a marker (for a new
command) and a rerun, nothing here. Defaults are the code's: the environment and config
file, which change what `briefpack CMD --help` shows on one machine, are not read.
`tests/packaging/test_readme.py` fails when a table differs from what this writes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
FILES = ("README.md", "docs/cli.md")
BLOCK = re.compile(
    r"^(<!-- options: ([a-z0-9][a-z0-9 ,-]*?) -->\n)(.*?)^(<!-- /options -->)$", re.M | re.S
)
START = re.compile(r"^<!-- options: .*-->$", re.M)
_EXTRA = re.compile(r"^(.*?)\s*\[([^\[\]]*)\]$", re.S)  # help text, then "  [default: x; 1<=x<=4]"


def root_command() -> click.Group:
    from briefpack.cli import cli

    return cli


def walk(group: click.Group, ctx: click.Context | None = None) -> Iterator[click.Context]:
    """A context for every command under `group`, depth first, subcommands in name order."""
    ctx = ctx or click.Context(group, info_name="briefpack")
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        yield sub
        if isinstance(command, click.Group):
            yield from walk(command, sub)


def commands(group: click.Group | None = None) -> dict[str, click.Context]:
    """Command path under `briefpack` ("build", "models install") -> its context."""
    group = group or root_command()
    return {ctx.command_path.split(" ", 1)[1]: ctx for ctx in walk(group)}


def option_rows(ctx: click.Context) -> list[tuple[str, str, str]]:
    """(flags and metavar, meaning, default) per option, as `--help` gives them; --help and
    hidden options left out."""
    rows = []
    help_names = set(ctx.help_option_names)
    for param in ctx.command.get_params(ctx):
        if not isinstance(param, click.Option) or help_names & set(param.opts):
            continue
        record = param.get_help_record(ctx)
        if record is None:  # hidden
            continue
        flags, text = record
        default = ""
        extra = _EXTRA.match(text)
        if extra:
            text, notes = extra.group(1), []
            for item in extra.group(2).split("; "):
                if item.startswith("default: "):
                    default = item.removeprefix("default: ")
                else:
                    notes.append(item)
            if notes:
                text = f"{text} ({'; '.join(notes)})".lstrip()
        rows.append((flags, " ".join(text.split()), default))
    return rows


def usage(ctx: click.Context) -> str:
    return " ".join([ctx.command_path, *ctx.command.collect_usage_pieces(ctx)])


def table(*contexts: click.Context) -> str:
    """The Markdown of commands' options: their usage lines, then one table.

    For one command the table is (option, meaning, default). For several, an option that
    reads alike in each is one row, with a column per command marking where it is taken,
    so shared options are listed once and each command still has all of its own.
    """
    lines = [f"`{usage(ctx)}`<br>" for ctx in contexts]
    lines[-1] = lines[-1].removesuffix("<br>")
    lines.append("")
    # Columns by the commands' own names ("install"), by path where two share a name; the
    # usage lines above give the full paths.
    names = [ctx.info_name or "" for ctx in contexts]
    columns = [
        name if names.count(name) == 1 else ctx.command_path.split(" ", 1)[1]
        for name, ctx in zip(names, contexts, strict=True)
    ]
    rows: dict[tuple[str, str, str], set[int]] = {}
    for number, ctx in enumerate(contexts):
        for row in option_rows(ctx):
            rows.setdefault(row, set()).add(number)
    if not rows:
        lines.append("No options but `--help`.")
    elif len(contexts) == 1:
        lines += ["| option | meaning | default |", "|---|---|---|"]
        lines += [f"| {_code(f)} | {_cell(t)} | {_code(d)} |" for f, t, d in rows]
    else:
        lines.append("| option | meaning | default | " + " | ".join(columns) + " |")
        lines.append("|---|---|---|" + "---|" * len(columns))
        for (flags, text, default), where in rows.items():
            marks = " | ".join("✓" if n in where else "" for n in range(len(columns)))
            lines.append(f"| {_code(flags)} | {_cell(text)} | {_code(default)} | {marks} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    # A pipe ends a GitHub table cell even inside a code span unless escaped.
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else ""


def render(text: str, known: dict[str, click.Context] | None = None) -> str:
    """`text` with every marked table rewritten; a marker naming no command is an error."""
    known = commands() if known is None else known
    starts = len(START.findall(text))
    blocks = BLOCK.findall(text)
    if starts != len(blocks):
        raise ValueError(f"{starts - len(blocks)} option marker(s) without <!-- /options -->")

    def replace(match: re.Match[str]) -> str:
        paths = _paths(match.group(2))
        for path in paths:
            if path not in known:
                raise ValueError(
                    f"<!-- options: {match.group(2)} --> names {path!r}, which is no command; "
                    f"known: {', '.join(known)}"
                )
        return f"{match.group(1)}{table(*(known[p] for p in paths))}{match.group(4)}"

    return BLOCK.sub(replace, text)


def _paths(spec: str) -> list[str]:
    return [" ".join(path.split()) for path in spec.split(",") if path.strip()]


def marked(text: str) -> list[str]:
    """The command paths `text` has tables for, in order."""
    return [path for m in BLOCK.finditer(text) for path in _paths(m.group(2))]


def stale(root: Path = ROOT, files: Sequence[str] = FILES) -> list[str]:
    """The files whose tables differ from the commands' --help."""
    known = commands()
    return [
        name
        for name in files
        if (text := (root / name).read_text(encoding="utf-8")) != render(text, known)
    ]


def main(argv: Sequence[str]) -> int:
    check = "--check" in argv
    if check:
        changed = stale()
        for name in changed:
            print(f"{name}: option tables differ from --help; run python tools/readme_options.py")
        return 1 if changed else 0
    known = commands()
    for name in FILES:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        new = render(text, known)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
