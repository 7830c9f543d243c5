"""Pack writing (atomic, deterministic) and `briefpack verify` (rejects every tampering)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack.errors import ExitStatus, PackError, VerifyError
from briefpack.pack import Pack, write_pack
from briefpack.verify import verify_pack
from tests.conftest import CliResult

FILES = {
    "briefing-en.pdf": b"%PDF-1.7 english",
    "briefing-de.pdf": b"%PDF-1.7 deutsch",
    "summary-en.md": b"# Title\n\n- One.\n",
    "index.html": b"<!doctype html><title>x</title>",
}


def make_pack(out: Path, name: str = "news-2026-01-02-abcd1234", **kwargs: bool) -> Pack:
    return write_pack(out, name, FILES, {"tool": "briefpack"}, "2026-01-02", **kwargs)


def test_pack_layout_and_sha256sum(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [pack.name, f"{pack.name}.zip"]
    assert sorted(os.listdir(pack.folder)) == sorted([*FILES, "manifest.json", "SHA256SUMS"])
    proc = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"],
        cwd=pack.folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": OK") == len(FILES) + 1  # + manifest.json
    assert verify_pack(pack.folder) == verify_pack(pack.zip_path)


def test_zip_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first = make_pack(tmp_path / "a").zip_path.read_bytes()
    second = make_pack(tmp_path / "b").zip_path.read_bytes()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    with zipfile.ZipFile(tmp_path / "a" / "news-2026-01-02-abcd1234.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 2, 0, 0, 0)}


def test_existing_pack_is_never_overwritten_silently(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    before = pack.zip_path.read_bytes()
    (pack.folder / "summary-en.md").write_bytes(b"# Edited by hand\n")
    with pytest.raises(PackError, match="already exists"):
        make_pack(tmp_path)
    assert pack.zip_path.read_bytes() == before
    assert (pack.folder / "summary-en.md").read_bytes() == b"# Edited by hand\n"
    replaced = make_pack(tmp_path, force=True)
    verify_pack(replaced.zip_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [pack.name, f"{pack.name}.zip"]


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefpack.pack as pack_module

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pack_module, "_write_synced", disk_full)
    with pytest.raises(PackError, match="No space left on device"):
        make_pack(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_leftovers_of_dead_runs_are_cleaned(tmp_path: Path) -> None:
    dead = tmp_path / ".briefpack-tmp-999999999-deadbeef"
    (dead / "half").mkdir(parents=True)
    make_pack(tmp_path)
    assert not dead.exists()


@pytest.mark.parametrize("target", ["folder", "zip"])
@pytest.mark.parametrize("victim", [*FILES, "manifest.json"])
def test_one_flipped_byte_fails_naming_the_file(tmp_path: Path, target: str, victim: str) -> None:
    pack = make_pack(tmp_path)
    if target == "folder":
        path = pack.folder / victim
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        checked = pack.folder
    else:
        checked = tmp_path / "tampered.zip"
        with zipfile.ZipFile(pack.zip_path) as src, zipfile.ZipFile(checked, "w") as dst:
            for info in src.infolist():
                data = bytearray(src.read(info))
                if info.filename.endswith("/" + victim):
                    data[len(data) // 2] ^= 0x01
                dst.writestr(info, bytes(data))
    with pytest.raises(VerifyError, match=re.escape(victim)):
        verify_pack(checked)


def test_missing_and_extra_files(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    (pack.folder / "briefing-de.pdf").unlink()
    with pytest.raises(VerifyError, match=r"briefing-de\.pdf is missing"):
        verify_pack(pack.folder)
    pack = make_pack(tmp_path / "x")
    (pack.folder / "notes.txt").write_text("hi")
    with pytest.raises(VerifyError, match=r"notes\.txt is not listed"):
        verify_pack(pack.folder)


@pytest.mark.parametrize("evil", ["../evil.txt", "/etc/evil", "pack/../../evil", "pack\\..\\x"])
def test_zip_entries_escaping_the_folder_are_rejected(tmp_path: Path, evil: str) -> None:
    pack = make_pack(tmp_path)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(pack.zip_path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(evil, b"x")
    with pytest.raises(VerifyError, match="unsafe path"):
        verify_pack(bad)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_cli_verify(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    pack = make_pack(tmp_path)
    ok = run_cli("verify", str(pack.zip_path))
    assert ok.exit_code == 0, ok.stderr
    assert "OK" in ok.stdout
    (pack.folder / "summary-en.md").write_bytes(b"changed")
    bad = run_cli("verify", str(pack.folder))
    assert bad.exit_code == ExitStatus.VERIFY_FAILED
    assert "summary-en.md" in bad.stderr
    assert bad.stderr.count("\n") == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entries=st.lists(
        st.tuples(st.text(min_size=1, max_size=30), st.binary(max_size=64)), max_size=6
    )
)
def test_verify_never_crashes_on_arbitrary_zips(
    tmp_path: Path, entries: list[tuple[str, bytes]]
) -> None:
    path = tmp_path / "fuzz.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            with contextlib.suppress(ValueError, UnicodeEncodeError, IndexError):
                archive.writestr(name, data)
    with pytest.raises(VerifyError):
        verify_pack(path)
