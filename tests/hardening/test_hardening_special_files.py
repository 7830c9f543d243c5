"""Special files (issue 15, item 3) and malformed manifests (item 4): one line, a named exit
code, within seconds; never a hang, a traceback or memory growing without end.
"""

from __future__ import annotations

import json
import math
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening_support import DATE, check_failure
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefpack.errors import ExitStatus
from briefpack.pack import write_pack
from briefpack.verify import check_pack
from tests.conftest import EXAMPLE, ROOT, CliResult

FILES = {"briefing-en.pdf": b"%PDF-1.7 english", "index.html": b"<p>x</p>"}


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "dist", "news", FILES, {}, "2026-01-02").folder


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "article.txt"
    os.mkfifo(path)
    yield path


def _child(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`briefpack ARGS` in a child with a deadline: a hang fails the test, never the suite."""
    return subprocess.run(
        [sys.executable, "-m", "briefpack", *args],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        check=False,
    )


def _one_line(proc: subprocess.CompletedProcess[str], status: ExitStatus, needle: str) -> None:
    assert proc.returncode == status, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("briefpack: error: ")
    assert needle in proc.stderr, proc.stderr


@pytest.mark.parametrize("command", ["summarize", "build"])
def test_a_fifo_article_is_refused_at_once(
    command: str, fifo: Path, tmp_path: Path, models_dir: Path
) -> None:
    extra = ["--out", str(tmp_path / "out"), "--date", DATE] if command == "build" else []
    start = time.monotonic()
    proc = _child([command, str(fifo), *extra])
    _one_line(proc, ExitStatus.INPUT_ERROR, "article.txt is a FIFO (named pipe)")
    assert time.monotonic() - start < 20
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_fifo_in_a_folder_of_articles_is_not_an_article(fifo: Path, tmp_path: Path) -> None:
    # A folder stands for the regular article files in it: the FIFO is not one, and not read.
    out = tmp_path / "o"
    proc = _child(["build", str(fifo.parent), "--out", str(out), "--date", DATE])
    _one_line(proc, ExitStatus.INPUT_ERROR, "is a folder with no article in it")


def test_a_symlink_loop_is_named_as_such(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = run_cli("summarize", str(loop))
    check_failure(result, ExitStatus.INPUT_ERROR, ("loop.txt: is a symbolic link loop",))
    missing = run_cli("summarize", str(tmp_path / "gone.txt"))
    check_failure(missing, ExitStatus.INPUT_ERROR, ("gone.txt: no such file",))


def test_verify_of_a_fifo_in_a_pack_folder_does_not_hang(pack: Path) -> None:
    os.mkfifo(pack / "briefing-de.pdf")
    proc = _child(["verify", str(pack)])
    _one_line(proc, ExitStatus.VERIFY_FAILED, "briefing-de.pdf is a FIFO (named pipe)")


def test_verify_of_a_socket_in_a_pack_folder(pack: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(pack / "s"))
        proc = _child(["verify", str(pack)])
    _one_line(proc, ExitStatus.VERIFY_FAILED, "s is a socket; a pack holds only regular files")


def test_verify_of_a_character_device_in_a_pack_folder(pack: Path) -> None:
    try:
        os.mknod(pack / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")  # the /dev/zero case below stays
    proc = _child(["verify", str(pack)])
    _one_line(proc, ExitStatus.VERIFY_FAILED, "zero is a character device")


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_verify_of_a_device_is_refused(path: str) -> None:
    proc = _child(["verify", path])
    _one_line(proc, ExitStatus.VERIFY_FAILED, f"{path} is a character device, not a pack")


def test_install_of_a_fifo_or_device(fifo: Path, tmp_path: Path) -> None:
    for path in (str(fifo), "/dev/zero"):
        proc = _child(["models", "install", "--models", str(tmp_path / "s"), path])
        _one_line(proc, ExitStatus.MODEL_ERROR, "not a regular file")
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").iterdir())


def test_a_folder_and_a_missing_pack(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    check_failure(
        run_cli("verify", str(tmp_path / "none.zip")), ExitStatus.INPUT_ERROR, ("no such pack",)
    )
    (tmp_path / "empty").mkdir()
    check_failure(
        run_cli("verify", str(tmp_path / "empty")),
        ExitStatus.VERIFY_FAILED,
        ("SHA256SUMS is missing",),
    )


# ------------------------------------------------------------------ manifests, item 4


def _with_manifest(pack: Path, manifest: bytes) -> Path:
    (pack / "manifest.json").write_bytes(manifest)
    lines = (pack / "SHA256SUMS").read_text().splitlines()
    import hashlib

    digest = hashlib.sha256(manifest).hexdigest()
    fixed = [f"{digest}  manifest.json" if ln.endswith("  manifest.json") else ln for ln in lines]
    (pack / "SHA256SUMS").write_text("\n".join(fixed) + "\n")
    return pack


def _records(pack: Path) -> list[dict[str, Any]]:
    return list(json.loads((pack / "manifest.json").read_text())["files"])


ODD_SIZES = [None, "16", [16], {"n": 16}, True, -1, 2**70, 16.0]


@pytest.mark.parametrize("size", ODD_SIZES, ids=repr)
def test_manifest_with_an_odd_size(
    pack: Path, size: object, run_cli: Callable[..., CliResult]
) -> None:
    records = _records(pack)
    records[0]["size"] = size
    _with_manifest(pack, json.dumps({"files": records}).encode())
    result = run_cli("verify", str(pack))
    check_failure(result, ExitStatus.VERIFY_FAILED, ("file record 1 has an invalid size",))


@pytest.mark.parametrize(
    "text, needle",
    [
        (b'{"files": [{"name": "index.html", "sha256": "0", "size": 1e999}]}', "too large"),
        (b'{"files": [{"name": "index.html", "size": NaN}]}', "holds NaN"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 32 levels"),
        (b'{"files": ' + b"[" * 50 + b"]" * 50 + b"}", "nested deeper than 32 levels"),
        (b'{"files": [], "files": []}', "holds the key 'files' twice"),
        (b'{"files": "all of them"}', "has no file list"),
        (b'{"files": [["index.html"]]}', "file record 1 is not an object"),
        (b'{"files": [{"name": 7}]}', "file record 1 has no valid name"),
        (b'{"files": [{"name": "x", "sha256": 5, "size": 1}]}', "has no valid sha256"),
        (b"\xff\xfe", "is not UTF-8 text"),
    ],
)
def test_malformed_manifests(
    pack: Path, text: bytes, needle: str, run_cli: Callable[..., CliResult]
) -> None:
    _with_manifest(pack, text)
    result = run_cli("verify", str(pack))
    check_failure(result, ExitStatus.VERIFY_FAILED, (needle,))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(size=JSON_VALUES, extra=st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3))
@example(size=math.pi, extra={})
@example(size=[[[[[]]]]], extra={"sha256": None})
def test_no_manifest_record_makes_verify_crash(tmp_path: Path, size: object, extra: dict) -> None:  # type: ignore[type-arg]
    folder = write_pack(tmp_path / f"d{time.monotonic_ns()}", "p", FILES, {}, "2026-01-02").folder
    records = _records(folder)
    records[0] = {**records[0], **extra, "size": size}
    _with_manifest(folder, json.dumps({"files": records}).encode())
    report = check_pack(folder)
    truth = records[0] == _records(folder)[0] and size == len(FILES["briefing-en.pdf"])
    assert report.ok == (truth and not isinstance(size, bool) and isinstance(size, int))
    assert all("\n" not in p for p in report.all_problems())


# ------------------------------------------------------------------ messages, item 5


def test_a_million_missing_files_is_one_short_line(
    pack: Path, run_cli: Callable[..., CliResult]
) -> None:
    names = (f"{i:064x}  missing-{i}.pdf\n" for i in range(1_000_000))
    (pack / "SHA256SUMS").write_text("".join(names))
    result = run_cli("verify", str(pack))
    check_failure(result, ExitStatus.VERIFY_FAILED, ("SHA256SUMS is larger than 16 MB",))
    assert len(result.stderr) < 1000


def test_many_problems_are_summed_up_and_all_reported_in_json(
    pack: Path, run_cli: Callable[..., CliResult]
) -> None:
    lines = (pack / "SHA256SUMS").read_text()
    lines += "".join(f"{i:064x}  missing-{i:03}.pdf\n" for i in range(900))
    (pack / "SHA256SUMS").write_text(lines)
    result = run_cli("verify", str(pack))
    check_failure(result, ExitStatus.VERIFY_FAILED, ("missing-000.pdf is missing", "more problems"))
    assert len(result.stderr) < 1000
    report = run_cli("verify", "--json", str(pack))
    assert report.exit_code == ExitStatus.VERIFY_FAILED
    data = json.loads(report.stdout)
    assert data["ok"] is False and data["kind"] == "folder"
    missing = [f for f in data["files"] if f["problems"] == ["is missing"]]
    assert len(missing) == 900 and all(f["sha256"] is None for f in missing)
    assert {f["name"] for f in data["files"] if f["ok"]} >= {"briefing-en.pdf", "index.html"}


def test_verify_json_of_a_good_pack(pack: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("verify", "--json", str(pack.parent / "news.zip"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["problems"] == [] and data["kind"] == "zip"
    assert [f["name"] for f in data["files"]] == sorted([*FILES, "SHA256SUMS", "manifest.json"])
    assert all(f["ok"] and len(f["sha256"]) == 64 and f["size"] > 0 for f in data["files"])


def test_example_still_summarizes(run_cli: Callable[..., CliResult]) -> None:
    # The file-opening change keeps ordinary articles working, symlinked ones too.
    result = run_cli("summarize", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
