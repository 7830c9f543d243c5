"""The pack stage: a folder and a zip of the same files, written atomically, checksummed.

Layout of a pack named NAME (both `dist/NAME/` and `dist/NAME.zip`, whose entries sit
under `NAME/`)::

    briefing-<lang>.pdf   one per language
    summary-<lang>.md     the same text, for pasting
    index.html            links to the above, readable offline
    manifest.json         what made the pack (see `briefpack.pipeline`)
    SHA256SUMS            `sha256sum -c` format, every file but itself

A pack is written to a hidden temporary folder beside its destination and renamed into
place only when complete, so `dist/` never shows half a pack. Leftovers of killed runs
are removed by the next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.errors import PackError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
_TMP_PREFIX = ".briefpack-tmp-"
_ZIP_MODE = 0o100644 << 16  # regular file, rw-r--r--


@dataclass(frozen=True)
class Pack:
    """A finished pack on disk."""

    name: str
    folder: Path
    zip_path: Path
    files: tuple[str, ...]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksums_text(files: Mapping[str, bytes]) -> str:
    """`sha256sum` output for the files, sorted by name."""
    return "".join(f"{sha256_bytes(files[name])}  {name}\n" for name in sorted(files))


def file_records(files: Mapping[str, bytes]) -> list[dict[str, Any]]:
    return [
        {"name": name, "sha256": sha256_bytes(files[name]), "size": len(files[name])}
        for name in sorted(files)
    ]


def zip_date_time(date: str) -> tuple[int, int, int, int, int, int]:
    """A fixed entry timestamp from the briefing date (zip cannot store dates before 1980)."""
    year, month, day = (int(part) for part in date.split("-"))
    return (max(year, 1980), month, day, 0, 0, 0)


def zip_bytes(name: str, files: Mapping[str, bytes], date: str) -> bytes:
    """A deterministic zip: sorted entries under NAME/, fixed times, modes and system."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for filename in sorted(files):
            info = zipfile.ZipInfo(f"{name}/{filename}", date_time=zip_date_time(date))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = _ZIP_MODE
            archive.writestr(info, files[filename], compresslevel=9)
    return buffer.getvalue()


def clean_leftovers(out_dir: Path) -> None:
    """Remove temporary folders left by killed runs (their process no longer exists)."""
    if not out_dir.is_dir():
        return
    for entry in out_dir.iterdir():
        if not entry.name.startswith(_TMP_PREFIX):
            continue
        pid_text = entry.name[len(_TMP_PREFIX) :].split("-", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue  # a concurrent build still writing
        log.info("removing leftover %s", entry)
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_pack(
    out_dir: Path,
    name: str,
    files: Mapping[str, bytes],
    manifest: dict[str, Any],
    date: str,
    *,
    force: bool = False,
) -> Pack:
    """Write `files` plus manifest and checksums as `out_dir/name/` and `out_dir/name.zip`.

    `manifest` gets the `files` records added. Raises PackError when the pack exists
    (unless `force`) or the folder cannot be written; nothing partial is left behind.
    """
    folder, zip_path = out_dir / name, out_dir / f"{name}.zip"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackError(
            f"cannot create output folder {out_dir}: {exc.strerror}; choose another with --out"
        ) from None
    clean_leftovers(out_dir)
    if not force and (folder.exists() or zip_path.exists()):
        raise PackError(f"{folder} already exists; remove it, or pass --force to replace it")

    contents = dict(files)
    manifest = {**manifest, "files": file_records(contents)}
    contents[MANIFEST] = (
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    ).encode()
    contents[CHECKSUMS] = checksums_text(contents).encode()

    tmp = out_dir / f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        (tmp / name).mkdir(parents=True)
        for filename, data in contents.items():
            _write_synced(tmp / name / filename, data)
        _write_synced(tmp / f"{name}.zip", zip_bytes(name, contents, date))
        _fsync_dir(tmp / name)
        if force:
            _move_aside(folder, tmp)
            _move_aside(zip_path, tmp)
        # Each rename is atomic; the zip goes last so a folder without its zip (a killed
        # run) is still a complete, verifiable pack.
        os.rename(tmp / name, folder)  # fails if a concurrent run created it meanwhile
        os.link(tmp / f"{name}.zip", zip_path)  # unlike rename, never replaces a file
        _fsync_dir(out_dir)
    except FileExistsError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PackError(
            f"{folder} was created by another run meanwhile; "
            "remove it, or pass --force to replace it"
        ) from None
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise PackError(
            f"cannot write the pack in {out_dir}: {reason}; "
            "free some space or choose another folder with --out"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    return Pack(name=name, folder=folder, zip_path=zip_path, files=tuple(sorted(contents)))


def _move_aside(path: Path, tmp: Path) -> None:
    if path.exists():
        os.rename(path, tmp / f"old-{path.name}")


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
