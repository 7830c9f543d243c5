"""Render helper processes: same bytes as rendering here, errors and logs passed on, and
falling back to rendering here when a helper cannot start or dies."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import pytest
from render_helpers import make_briefing

from briefpack.errors import RenderError
from briefpack.render import Renderer
from briefpack.render.processes import ENV_COUNT, RenderProcesses, default_count

pytestmark = pytest.mark.slow
LANGUAGES = ("en", "ru", "uk", "de")


def _gone(pid: int) -> bool:
    """Whether `pid` has exited (a zombie counts: it runs no more code)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.fixture
def helpers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RenderProcesses:
    # Helpers killed by a test cannot remove their font folder: keep it in tmp_path.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    pool = RenderProcesses("pdf/ua-1", 2)
    yield pool
    pool.close()


def test_helpers_write_the_same_bytes_as_this_process(
    helpers: RenderProcesses, renderer: Renderer
) -> None:
    ready = helpers.start()
    assert ready is not None
    assert len(helpers.pids) == 2 and os.getpid() not in helpers.pids
    briefings = [make_briefing(lang) for lang in LANGUAGES]
    rendered = helpers.render(briefings)
    assert rendered is not None
    assert [pdf for pdf, _seconds in rendered] == [renderer.render(b) for b in briefings]
    assert all(seconds > 0 for _pdf, seconds in rendered)


def test_helpers_report_what_they_run(helpers: RenderProcesses) -> None:
    from briefpack.render import template_hash, weasyprint_version

    ready = helpers.start()
    assert ready is not None
    assert ready["weasyprint"] == weasyprint_version()
    assert ready["template"] == template_hash()


def test_a_render_error_in_a_helper_is_raised_here(helpers: RenderProcesses) -> None:
    assert helpers.start() is not None
    briefing = make_briefing("en")
    bad = type(briefing)(**{**briefing.__dict__, "date": "27.11.2026"})
    with pytest.raises(RenderError, match="YYYY-MM-DD"):
        helpers.render([make_briefing("de"), bad])
    # The helpers are still usable afterwards.
    again = helpers.render([briefing])
    assert again is not None and again[0][0].startswith(b"%PDF-")


def test_helper_log_records_reach_this_process_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The helpers log at the level this process has when they start.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with caplog.at_level(logging.INFO):
        pool = RenderProcesses("pdf/ua-1", 2)
        try:
            assert pool.start() is not None
            pool.render([make_briefing("en", points=("Prices rose sharply ✓.",))])
        finally:
            pool.close()
    assert "U+2713" in caplog.text


def test_helpers_exit_when_closed(helpers: RenderProcesses) -> None:
    assert helpers.start() is not None
    pids = helpers.pids
    assert pids and not any(_gone(pid) for pid in pids)
    helpers.close()
    deadline = time.monotonic() + 30  # a bound for a slow machine, not a measurement
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in pids)


def test_helpers_remove_the_font_folder_they_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the helpers' temporary directory
    pool = RenderProcesses("pdf/ua-1", 2)
    try:
        assert pool.start() is not None
        assert pool.render([make_briefing("en"), make_briefing("de")]) is not None
        assert len(list(tmp_path.glob("weasyprint-*"))) == 1  # WeasyPrint's font copies
    finally:
        pool.close()
    assert list(tmp_path.glob("weasyprint-*")) == []


def test_a_helper_that_cannot_start_means_rendering_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    pool = RenderProcesses("pdf/ua-1", 2)
    try:
        assert pool.start() is None
        assert pool.render([make_briefing("en")]) is None
    finally:
        pool.close()


def test_a_helper_that_dies_means_rendering_here(helpers: RenderProcesses) -> None:
    assert helpers.start() is not None
    for pid in helpers.pids:
        os.kill(pid, 9)
    assert helpers.render([make_briefing("en"), make_briefing("de")]) is None


def test_build_falls_back_to_rendering_here_with_the_same_pack(
    models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefpack.build import BuildOptions, build
    from tests.conftest import EXAMPLE

    packs = {}
    for name, count in (("helpers", 2), ("here", 0)):
        options = BuildOptions(out_dir=tmp_path / name, date="2026-03-14", render_processes=count)
        (result,) = build([EXAMPLE], options)
        assert "render" in result.timings
        packs[name] = result.pack.zip_path.read_bytes()
    monkeypatch.setattr(sys, "executable", "/bin/false")  # helpers cannot start
    options = BuildOptions(out_dir=tmp_path / "fallback", date="2026-03-14", render_processes=2)
    (result,) = build([EXAMPLE], options)
    assert result.pack.zip_path.read_bytes() == packs["here"] == packs["helpers"]


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("3", 3), ("99", 8), ("-1", 0)])
def test_render_process_count_from_the_environment(
    value: str, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_COUNT, value)
    assert default_count() == expected


def test_render_process_count_default_follows_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COUNT, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert default_count() == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    assert default_count() == 2
