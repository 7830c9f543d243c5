"""Helpers shared by the hardening tests: child processes, pack checks, folder snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from briefpack.errors import ExitStatus
from briefpack.verify import verify_pack
from tests.conftest import ROOT, CliResult

DATE = "2026-03-14"
TMP_PREFIX = ".briefpack-tmp-"


def child_env(netguard_dir: Path, models: Path, nltk_empty: Path) -> dict[str, str]:
    """The environment of an offline `briefpack` child: network guard, test models only."""
    env = dict(os.environ)
    for var in ("BRIEFPACK_MODELS", "ARGOS_PACKAGES_DIR", "BRIEFPACK_INDEX_URL"):
        env.pop(var, None)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(netguard_dir), str(ROOT)]),
            "NLTK_DATA": str(nltk_empty),
            "BRIEFPACK_MODELS": str(models),
            "ARGOS_PACKAGES_DIR": str(nltk_empty / "no-argos-packages"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_build(
    env: dict[str, str], article: Path, out: Path, *extra: str, options: Sequence[str] = ()
) -> subprocess.Popen[str]:
    """Start `briefpack [OPTIONS] build ARTICLE --out OUT --date DATE` as a child process."""
    command = [sys.executable, "-m", "briefpack", *options, "build", str(article)]
    command += ["--out", str(out)]
    return subprocess.Popen(
        [*command, "--date", DATE, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def visible(out: Path) -> list[Path]:
    """What a user sees in an output folder: everything but in-progress temporary folders."""
    if not out.exists():
        return []
    return sorted(p for p in out.iterdir() if not p.name.startswith(TMP_PREFIX))


def leftovers(out: Path) -> list[Path]:
    if not out.exists():
        return []
    return sorted(p for p in out.iterdir() if p.name.startswith(TMP_PREFIX))


def assert_only_complete_packs(out: Path, *, zips_required: bool = True) -> list[str]:
    """Every visible entry is a pack folder or zip that verifies; return the pack names.

    A pack's zip is linked after its folder is renamed into place, so a run killed between
    the two leaves a complete folder without its zip: allowed when `zips_required` is false.
    """
    names = set()
    for entry in visible(out):
        assert entry.is_dir() or entry.suffix == ".zip", f"unexpected {entry.name} in {out}"
        verify_pack(entry)  # raises VerifyError for anything partial or altered
        names.add(entry.name.removesuffix(".zip"))
    for name in names:
        assert (out / name).is_dir(), f"{name}.zip without its folder"
        if zips_required:
            assert (out / f"{name}.zip").is_file(), f"{name} without its zip"
    return sorted(names)


def snapshot(folder: Path) -> dict[str, tuple[str, int, bytes]]:
    """Every path under `folder` (links not followed) with its kind, size and, for files, bytes."""
    state: dict[str, tuple[str, int, bytes]] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            info = path.lstat()
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                state[rel] = ("link", 0, os.readlink(path).encode())
            elif path.is_dir():
                state[rel] = ("dir", 0, b"")
            else:
                state[rel] = ("file", info.st_size, path.read_bytes())
    return state


def check_failure(result: CliResult, status: ExitStatus, needles: tuple[str, ...]) -> None:
    """The exit status, and one `briefpack: error:` line on stderr holding `needles`."""
    assert result.exit_code == status, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefpack: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or sorted(os.listdir(out)) == [], sorted(os.listdir(out))
