"""Progress bars on stderr (rich) for long commands: only on a terminal, never for
`--json`, `--quiet` or `-v` (whose log lines are the progress), never in tests.

Library calls take a `briefpack.model.Progress` callback; `progress_bars()` gives one that
draws a bar per label, or None where no bar should show. rich is imported only then, so
`briefpack --help` and every scripted run stay as fast as before.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from briefpack.model import Progress


def wanted(*, quiet: bool = False, as_json: bool = False, stream: TextIO | None = None) -> bool:
    """Whether bars should show: a terminal, no --quiet/--json, no -v logging."""
    stream = sys.stderr if stream is None else stream
    if quiet or as_json or os.environ.get("TERM") == "dumb":
        return False
    if logging.getLogger().isEnabledFor(logging.INFO) and logging.getLogger().handlers:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def progress_bars(show: bool, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """A Progress callback drawing bars on `stream` (stderr) while the block runs; None,
    and nothing imported, when `show` is false."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.filesize import decimal
    from rich.progress import BarColumn, ProgressColumn, TaskID, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars
    from rich.text import Text

    class Amount(ProgressColumn):
        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "")
            size = decimal if unit == "B" else str
            total = "?" if task.total is None else size(int(task.total))
            amount = f"{size(int(task.completed))}/{total}"
            return Text(amount if unit == "B" else f"{amount} {unit}".rstrip())

    console = Console(file=sys.stderr if stream is None else stream)
    columns = (TextColumn("{task.description}"), BarColumn(), Amount(), TimeElapsedColumn())
    with Bars(*columns, console=console, transient=True) as bars:
        tasks: dict[str, TaskID] = {}

        def report(label: str, done: int, total: int | None, *, unit: str = "") -> None:
            if label not in tasks:
                tasks[label] = bars.add_task(label, total=total, unit=unit)
            bars.update(tasks[label], completed=done, total=total)

        yield report
