"""Crash safety: kill -9 or Ctrl-C at any moment leaves whole packs or nothing (plus hidden
temporary folders that the next run removes).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening_support import (
    DATE,
    assert_only_complete_packs,
    child_env,
    leftovers,
    start_build,
    visible,
)

import briefpack.pack as pack_module
from briefpack.errors import ExitStatus
from briefpack.pack import write_pack
from tests.conftest import EXAMPLE, CliResult

FILES = {
    "briefing-en.pdf": b"%PDF-1.7 english" * 500,
    "briefing-de.pdf": b"%PDF-1.7 deutsch" * 500,
    "summary-en.md": b"# Title\n\n- One.\n",
    "index.html": b"<!doctype html><title>x</title>",
}
NAME = "news-2026-03-14-abcd1234"


@pytest.fixture(scope="module")
def build_env(
    netguard_dir: Path, installed_models: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return child_env(netguard_dir, installed_models, tmp_path_factory.mktemp("nltk-empty"))


@pytest.fixture(scope="module")
def build_seconds(build_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long one whole build takes here (the faster of two: the first is a cold start)."""
    out = tmp_path_factory.mktemp("measure")
    times = []
    for _ in range(2):
        start = time.monotonic()
        proc = start_build(build_env, EXAMPLE, out, "--to", "de")
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        times.append(time.monotonic() - start)
    return min(times)


# --------------------------------------------------------------------------- real processes


@pytest.mark.slow
def test_kill_9_at_eight_moments(
    build_env: dict[str, str], build_seconds: float, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    shares = (0.15, 0.35, 0.55, 0.7, 0.8, 0.9, 0.97, 1.03)
    outcomes = []
    for share in shares:
        proc = start_build(build_env, EXAMPLE, out, "--to", "de")
        time.sleep(build_seconds * share)
        proc.kill()
        proc.communicate(timeout=60)
        outcomes.append(proc.returncode)
        # After every kill, whatever a user can see is a whole pack that verifies.
        assert_only_complete_packs(out, zips_required=False)
    assert outcomes.count(-signal.SIGKILL) >= 3, outcomes  # timing varies; most are killed

    proc = start_build(build_env, EXAMPLE, out, "--to", "de")
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert leftovers(out) == []
    (name,) = assert_only_complete_packs(out)
    assert stdout.strip() == str(out / name)


@pytest.mark.slow
@pytest.mark.parametrize(
    "marker",
    ["summarizing", "rendered en briefing"],
    ids=["while-translating", "while-rendering"],
)
def test_ctrl_c_mid_build(build_env: dict[str, str], tmp_path: Path, marker: str) -> None:
    out = tmp_path / "dist"
    proc = start_build(build_env, EXAMPLE, out, "--to", "de", options=("-v",))
    assert proc.stderr is not None
    log = []
    while not any(marker in line for line in log[-1:]):  # progress, not a timer
        line = proc.stderr.readline()
        assert line, f"the build ended before {marker!r}: {log}"
        log.append(line)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr.splitlines()[-1] == "briefpack: interrupted"
    assert "Traceback" not in stderr and "error" not in stderr
    assert stdout == ""
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("where", ["translate", "render", "render-helpers"])
def test_interrupt_in_translation_or_rendering_exits_130(
    where: str,
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import translations
    from briefpack.render import Renderer
    from briefpack.render.processes import RenderProcesses

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        signal.raise_signal(signal.SIGINT)  # Ctrl-C, as the terminal sends it
        raise AssertionError("SIGINT did not interrupt")

    if where == "translate":
        monkeypatch.setattr(translations, "translate_many", interrupted)
    elif where == "render":  # rendering in this process
        monkeypatch.setenv("BRIEFPACK_RENDER_PROCESSES", "0")
        monkeypatch.setattr(Renderer, "render", interrupted)
    else:  # while the render helper processes work
        monkeypatch.setenv("BRIEFPACK_RENDER_PROCESSES", "2")
        monkeypatch.setattr(RenderProcesses, "render", interrupted)
    out = tmp_path / "dist"
    result = run_cli("build", str(EXAMPLE), "--to", "de", "--out", str(out), "--date", DATE)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert result.stderr == "briefpack: interrupted\n"
    assert not out.exists() or list(out.iterdir()) == []


# --------------------------------------------------------------------------- every step


class _OsProxy:
    """`os` as seen by briefpack.pack, with some functions replaced (the real one untouched)."""

    def __init__(self, **replaced: Callable[..., Any]) -> None:
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@contextlib.contextmanager
def _instrumented(action: Callable[[], None], at: int = -1) -> Iterator[Callable[[], int]]:
    """Wrap every step of write_pack; call `action` just before step number `at`."""
    calls = 0

    def wrap(real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls - 1 == at:
                action()
            return real(*args, **kwargs)

        return step

    saved = {name: getattr(pack_module, name) for name in ("_write_synced", "_fsync_dir", "os")}
    pack_module._write_synced = wrap(saved["_write_synced"])  # type: ignore[attr-defined]
    pack_module._fsync_dir = wrap(saved["_fsync_dir"])  # type: ignore[attr-defined]
    pack_module.os = _OsProxy(rename=wrap(os.rename), link=wrap(os.link))  # type: ignore[attr-defined]
    try:
        yield lambda: calls
    finally:
        for name, real in saved.items():
            setattr(pack_module, name, real)


def _count_steps(out: Path) -> int:
    with _instrumented(lambda: None) as counter:
        write_pack(out, NAME, FILES, {"tool": "briefpack"}, DATE)
        return counter()


def _killed_child(out: Path, at: int) -> None:
    with _instrumented(lambda: os.kill(os.getpid(), signal.SIGKILL), at):
        write_pack(out, NAME, FILES, {"tool": "briefpack"}, DATE)
    os._exit(0)


def _steps(tmp_path: Path) -> range:
    """Each step of a pack write (file writes, fsyncs, rename, link), counted."""
    count = _count_steps(tmp_path / "count")
    assert count >= 10
    return range(count)


def test_kill_9_at_every_step_of_the_pack_write(tmp_path: Path) -> None:
    fork = multiprocessing.get_context("fork")
    seen_partial = False
    for at in [*_steps(tmp_path), -1]:  # -1: never killed
        out = tmp_path / f"kill-{at}"
        child = fork.Process(target=_killed_child, args=(out, at))
        child.start()
        child.join(60)
        assert child.exitcode in (-signal.SIGKILL, 0), (at, child.exitcode)
        names = assert_only_complete_packs(out, zips_required=False)
        seen_partial |= bool(leftovers(out)) or (bool(names) and not (out / f"{NAME}.zip").exists())
        # The next run removes the dead run's temporary folder and completes the pack.
        pack = write_pack(out, NAME, FILES, {"tool": "briefpack"}, DATE)
        assert leftovers(out) == []
        assert assert_only_complete_packs(out) == [NAME]
        assert [p.name for p in visible(out)] == [NAME, f"{NAME}.zip"]
        assert pack.folder == out / NAME
    assert seen_partial  # the kills did land inside the write


def test_ctrl_c_at_every_step_of_the_pack_write(tmp_path: Path) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    for at in _steps(tmp_path):
        out = tmp_path / f"int-{at}"
        with _instrumented(interrupt, at), pytest.raises(KeyboardInterrupt):
            write_pack(out, NAME, FILES, {"tool": "briefpack"}, DATE)
        # Interrupted: temporary files gone; the pack is whole (folder and zip) or absent.
        assert leftovers(out) == []
        assert [p.name for p in visible(out)] in ([], [NAME, f"{NAME}.zip"]), at
        assert_only_complete_packs(out)
