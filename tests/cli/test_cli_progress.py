"""Progress bars: drawn through one callback, only on a terminal, rich imported only then."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack.cli.progress import progress_bars, wanted
from tests.conftest import ROOT, CliResult


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_show_each_label_with_its_count_and_units() -> None:
    screen = Terminal()
    with progress_bars(True, stream=screen) as progress:
        assert progress is not None
        progress("building packs", 0, 3, unit="articles")
        progress("building packs", 2, 3, unit="articles")
        progress("en-ru 1.9", 1_500_000, 3_000_000, unit="B")
    drawn = screen.getvalue()
    assert "building packs" in drawn and "2/3 articles" in drawn
    assert "en-ru 1.9" in drawn and "1.5 MB/3.0 MB" in drawn


def test_bars_only_on_a_terminal_without_quiet_json_or_dumb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TERM", raising=False)
    assert wanted(stream=Terminal()) is True
    assert wanted(stream=io.StringIO()) is False  # a pipe, a file, the test suite
    assert wanted(quiet=True, stream=Terminal()) is False
    assert wanted(as_json=True, stream=Terminal()) is False
    monkeypatch.setenv("TERM", "dumb")
    assert wanted(stream=Terminal()) is False
    with progress_bars(False) as progress:
        assert progress is None


def test_rich_is_imported_only_for_a_bar() -> None:
    code = (
        "import sys; from briefpack.cli.progress import progress_bars, wanted\n"
        "with progress_bars(wanted()) as p: pass\n"
        "print('rich' in sys.modules, p)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.split() == ["False", "None"]


def test_build_reports_each_article_and_quiet_is_silent(
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFPACK_RENDER_PROCESSES", "0")  # WeasyPrint loaded once, here
    from briefpack.build import ARTICLES, build
    from briefpack.builder import BuildOptions
    from briefpack.options import TranslateOptions

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Hello world\n\nHello world, the city news today is short.\n")
    (folder / "b.txt").write_text("Hello again\n\nThe news today is short. Hello world.\n")
    calls: list[tuple[str, int, int | None, str]] = []

    def progress(label: str, done: int, total: int | None, *, unit: str = "") -> None:
        calls.append((label, done, total, unit))

    options = BuildOptions(
        translate=TranslateOptions(targets=("de",)),
        out_dir=tmp_path / "lib",
        date="2026-03-14",
        render_processes=0,
    )
    results = build([folder], options, progress=progress)
    assert len(results) == 2
    assert calls == [(ARTICLES, n, 2, "articles") for n in (0, 1, 2)]

    out = tmp_path / "cli"
    result = run_cli("build", str(folder), "--to", "de", "--out", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no test-model warning, no bar
    assert len(result.stdout.splitlines()) == 2


def test_models_install_reports_unpacking_on_a_terminal(
    argos_archives: dict[tuple[str, str], Path],
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import contextlib

    import briefpack.cli.progress as bars

    calls: list[tuple[str, int, int | None, str]] = []

    def record(label: str, done: int, total: int | None, *, unit: str = "") -> None:
        calls.append((label, done, total, unit))

    @contextlib.contextmanager
    def recording(show: bool, stream: object = None):  # type: ignore[no-untyped-def]
        yield record if show else None

    monkeypatch.setattr(bars, "progress_bars", recording)
    monkeypatch.setattr(bars, "wanted", lambda **kw: not kw.get("as_json"))  # a terminal
    archive = argos_archives[("en", "de")]
    result = run_cli("models", "install", str(archive), "--models", str(tmp_path / "a"))
    assert result.exit_code == 0, result.stderr
    label = f"unpacking {archive.name}"
    assert calls and {c[0] for c in calls} == {label} and {c[3] for c in calls} == {"B"}
    assert calls[-1][1] == calls[-1][2]  # the bar ends full
    calls.clear()
    quiet = run_cli("models", "install", str(archive), "--models", str(tmp_path / "b"), "--json")
    assert quiet.exit_code == 0, quiet.stderr
    assert calls == []  # --json: no bar
