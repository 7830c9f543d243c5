"""Output folder failures through `briefpack build`: one clear line, exit 6, nothing left.

The suite runs as root, for whom chmod 555 blocks nothing, so an unwritable output folder
is simulated three ways: `--out` is a file, `--out` lies below a file, and `mkdir` fails
with EACCES (monkeypatched). A full disk: the pack's file writes fail with ENOSPC
part-way (`open` monkeypatched in `briefpack.pack`).
"""

from __future__ import annotations

import errno
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hardening_support import DATE, check_failure

from briefpack.errors import ExitStatus
from tests.conftest import EXAMPLE, CliResult


def _build(run_cli: Callable[..., CliResult], out: Path) -> CliResult:
    return run_cli("build", str(EXAMPLE), "--to", "de", "--out", str(out), "--date", DATE)


def test_output_folder_is_a_file(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "dist"
    out.write_bytes(b"not a folder")
    result = _build(run_cli, out)
    check_failure(
        result,
        ExitStatus.OUTPUT_ERROR,
        (f"output folder {out} is a file, not a folder", "choose another with --out"),
    )
    assert out.read_bytes() == b"not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_output_folder_below_a_file(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "notes").write_bytes(b"a file")
    out = tmp_path / "notes" / "dist"
    result = _build(run_cli, out)
    check_failure(
        result,
        ExitStatus.OUTPUT_ERROR,
        (f"cannot create output folder {out}", "part of that path is a file, not a folder"),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


def test_output_folder_permission_denied(
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As root, chmod 555 does not stop writes; make mkdir below `locked` fail as it would.
    locked = tmp_path / "locked"
    locked.mkdir()
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if locked in self.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    out = locked / "dist"
    result = _build(run_cli, out)
    check_failure(
        result,
        ExitStatus.OUTPUT_ERROR,
        (f"cannot create output folder {out}: Permission denied", "a folder you can write to"),
    )
    assert list(locked.iterdir()) == []


def test_full_disk_leaves_nothing(
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import briefpack.pack as pack_module

    budget = {"left": 30_000}  # bytes the disk still takes: a PDF and a half (~20 KB each)

    class _FillingFile(io.FileIO):
        def write(self, data: Any) -> int:
            n = min(len(data), budget["left"])
            budget["left"] -= n
            if n < len(data):
                super().write(bytes(data[:n]))
                raise OSError(errno.ENOSPC, "No space left on device", self.name)
            return super().write(data)

    def filling_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            return _FillingFile(path, "wb")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(pack_module, "open", filling_open, raising=False)
    out = tmp_path / "dist"
    result = _build(run_cli, out)
    check_failure(
        result,
        ExitStatus.OUTPUT_ERROR,
        (f"cannot write the pack in {out}: No space left on device", "free some space"),
    )
    assert budget["left"] == 0  # the failure came part-way through writing
    assert list(out.iterdir()) == []
