"""Concurrent builds into one output folder: all succeed, every pack verifies, none is
overwritten. Identical inputs and settings give the same pack name and bytes, so a second
identical build keeps the pack already there; a different pack at that name stays an error.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
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
from briefpack.errors import PackError
from briefpack.pack import Pack, write_pack
from tests.conftest import EXAMPLE, CliResult

FILES = {
    "briefing-en.pdf": b"%PDF-1.7 english" * 100,
    "summary-en.md": b"# Title\n\n- One.\n",
    "index.html": b"<!doctype html><title>x</title>",
}
OTHER = {**FILES, "summary-en.md": b"# Title\n\n- Another.\n"}
NAME = "news-2026-03-14-abcd1234"
SECOND = """Council approves new city budget

The city council approved next year's budget on Thursday after a long debate.

Spending on schools will rise by ten percent, the mayor told reporters at city hall.

Repairs to the old bridge over the river will start in the spring and last a year.
"""


def _write(out: Path, files: dict[str, bytes] = FILES, **kwargs: Any) -> Pack:
    return write_pack(out, NAME, files, {"tool": "briefpack"}, DATE, **kwargs)


def _state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Inode, modification time and bytes of every entry: "untouched" means all equal."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns, b"" if p.is_dir() else p.read_bytes())
        for p in sorted(folder.iterdir())
    }


# --------------------------------------------------------------------------- real builds


@pytest.fixture
def env(netguard_dir: Path, installed_models: Path, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "nltk").mkdir()
    return child_env(netguard_dir, installed_models, tmp_path / "nltk")


@pytest.mark.slow
def test_two_builds_of_different_articles_into_one_folder(
    env: dict[str, str], tmp_path: Path
) -> None:
    second = tmp_path / "budget.md"
    second.write_text(SECOND, encoding="utf-8")
    out = tmp_path / "dist"
    procs = [start_build(env, article, out, "--to", "de") for article in (EXAMPLE, second)]
    results = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in results]
    names = assert_only_complete_packs(out)
    assert len(names) == 2
    assert sorted(stdout.strip() for stdout, _ in results) == [str(out / n) for n in names]
    assert leftovers(out) == []


@pytest.mark.slow
def test_two_identical_builds_into_one_folder(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "dist"
    procs = [start_build(env, EXAMPLE, out, "--to", "de") for _ in range(2)]
    results = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in results]
    (name,) = assert_only_complete_packs(out)
    assert [stdout.strip() for stdout, _ in results] == [str(out / name)] * 2
    assert leftovers(out) == []


def test_rebuilding_identical_pack_reports_it_untouched(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "dist"
    args = ("build", str(EXAMPLE), "--to", "de", "--out", str(out), "--date", DATE)
    first = run_cli(*args)
    assert first.exit_code == 0, first.stderr
    folder = Path(first.stdout.strip())
    before = _state(folder), _state(out)
    again = run_cli(*args)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout
    assert (_state(folder), _state(out)) == before


# --------------------------------------------------------------------------- write_pack


def test_identical_pack_is_kept_and_reused(tmp_path: Path) -> None:
    first = _write(tmp_path)
    assert not first.reused
    before = _state(first.folder), _state(tmp_path)
    second = _write(tmp_path)
    assert second.reused and second.folder == first.folder
    assert (_state(first.folder), _state(tmp_path)) == before


def test_different_pack_at_that_name_is_never_replaced(tmp_path: Path) -> None:
    first = _write(tmp_path)
    before = _state(first.folder), _state(tmp_path)
    with pytest.raises(PackError, match=r"already exists with different contents.*--force"):
        _write(tmp_path, OTHER)
    assert (_state(first.folder), _state(tmp_path)) == before
    replaced = _write(tmp_path, OTHER, force=True)
    assert (replaced.folder / "summary-en.md").read_bytes() == OTHER["summary-en.md"]
    assert_only_complete_packs(tmp_path)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("missing", ["zip", "folder"])
def test_half_a_pack_is_completed(tmp_path: Path, missing: str) -> None:
    pack = _write(tmp_path)
    if missing == "zip":
        pack.zip_path.unlink()  # as a run killed between the rename and the link leaves it
    else:
        for path in pack.folder.iterdir():
            path.unlink()
        pack.folder.rmdir()
    again = _write(tmp_path)
    assert again.reused is (missing == "zip")
    assert assert_only_complete_packs(tmp_path) == [NAME]


@pytest.mark.parametrize(
    "tamper",
    ["extra-file", "missing-file", "symlinked-file", "folder-is-link", "zip-differs"],
)
def test_anything_but_the_same_bytes_is_an_existing_pack(tmp_path: Path, tamper: str) -> None:
    pack = _write(tmp_path)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    if tamper == "extra-file":
        (pack.folder / "notes.txt").write_text("mine")
    elif tamper == "missing-file":
        (pack.folder / "index.html").unlink()
    elif tamper == "symlinked-file":
        target = elsewhere / "index.html"
        target.write_bytes((pack.folder / "index.html").read_bytes())
        (pack.folder / "index.html").unlink()
        (pack.folder / "index.html").symlink_to(target)
    elif tamper == "folder-is-link":
        os.rename(pack.folder, elsewhere / NAME)
        pack.folder.symlink_to(elsewhere / NAME)
    else:
        pack.zip_path.write_bytes(b"PK\x05\x06" + bytes(18))
    before = sorted(os.listdir(tmp_path)), sorted(os.listdir(elsewhere))
    with pytest.raises(PackError, match="already exists with different contents"):
        _write(tmp_path)
    assert (sorted(os.listdir(tmp_path)), sorted(os.listdir(elsewhere))) == before


@pytest.mark.parametrize("files", [FILES, OTHER], ids=["same", "different"])
@pytest.mark.parametrize("step", ["rename", "link"])
def test_race_lost_at_the_rename_or_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, files: dict[str, bytes]
) -> None:
    """Another run places its pack just before our rename (or link) of the same name."""
    real_os = pack_module.os
    done = []

    class RacingOs:
        def __getattr__(self, name: str) -> Any:
            return getattr(real_os, name)

        def _other_run_first(self) -> None:
            if not done:
                done.append(True)
                monkeypatch.setattr(pack_module, "os", real_os)
                _write(tmp_path, files)
                monkeypatch.setattr(pack_module, "os", self)

        def rename(self, *args: Any) -> None:
            if step == "rename":
                self._other_run_first()
            real_os.rename(*args)

        def link(self, *args: Any) -> None:
            if step == "link":
                (tmp_path / NAME).rename(tmp_path / "ours")  # keep our folder aside
                self._other_run_first()
                (tmp_path / NAME).rename(tmp_path / "theirs")
                (tmp_path / "ours").rename(tmp_path / NAME)
                import shutil

                shutil.rmtree(tmp_path / "theirs")
            real_os.link(*args)

    monkeypatch.setattr(pack_module, "os", RacingOs())
    if files is FILES:
        pack = _write(tmp_path)
        assert pack.reused is (step == "rename")
        assert assert_only_complete_packs(tmp_path) == [NAME]
    else:
        # Theirs differs: never overwritten; ours is an error, and its temp files are gone.
        with pytest.raises(PackError, match="already exists with different contents"):
            _write(tmp_path)
        if step == "rename":
            assert (tmp_path / NAME / "summary-en.md").read_bytes() == OTHER["summary-en.md"]
            assert_only_complete_packs(tmp_path)
    assert done and leftovers(tmp_path) == []


@pytest.mark.parametrize("look", range(1, 5))
def test_race_lost_between_looks_at_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, look: int
) -> None:
    """Another run places the same pack right after our `look`-th look at the pack's folder
    or zip (is it there, is it a link, a folder, what size): its pack is ours, byte for byte,
    so whenever it lands, both runs succeed."""
    targets = {tmp_path / NAME, tmp_path / f"{NAME}.zip"}
    real = {name: getattr(Path, name) for name in ("exists", "is_symlink", "is_dir", "lstat")}
    looks: list[str] = []
    other: list[Pack] = []

    def watched(name: str) -> Callable[..., Any]:
        def method(self: Path, *args: Any, **kwargs: Any) -> Any:
            result = real[name](self, *args, **kwargs)
            if self in targets and not other:
                looks.append(name)
                if len(looks) == look:
                    for original, function in real.items():
                        monkeypatch.setattr(Path, original, function)
                    other.append(_write(tmp_path))
            return result

        return method

    for name in real:
        monkeypatch.setattr(Path, name, watched(name))
    pack = _write(tmp_path)
    assert other, f"only {len(looks)} looks at the pack before writing it"
    assert not other[0].reused
    assert assert_only_complete_packs(tmp_path) == [NAME]
    assert leftovers(tmp_path) == []
    assert pack.reused and pack.folder == other[0].folder


def _race(out: Path, writers: int) -> list[Pack | BaseException]:
    """`writers` threads write the same pack into `out` at the same moment."""
    results: list[Pack | BaseException] = []
    barrier = threading.Barrier(writers)

    def write() -> None:
        barrier.wait()
        try:
            results.append(_write(out))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.parametrize("round_", range(5))
def test_many_threads_write_the_same_pack(tmp_path: Path, round_: int) -> None:
    results = _race(tmp_path, 8)
    assert len(results) == 8 and all(isinstance(r, Pack) for r in results), results
    assert sum(not r.reused for r in results if isinstance(r, Pack)) == 1
    assert [p.name for p in visible(tmp_path)] == [NAME, f"{NAME}.zip"]
    assert leftovers(tmp_path) == []
    assert_only_complete_packs(tmp_path)
