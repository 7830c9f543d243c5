"""The pack stage: a folder and a zip of the same files, written atomically, checksummed.

Layout of a pack named NAME (both `dist/NAME/` and `dist/NAME.zip`, whose entries sit
under `NAME/`)::

    briefing-<lang>.pdf   one per language
    summary-<lang>.md     the same text, for pasting
    index.html            links to the above, readable offline
    manifest.json         what made the pack (see `briefpack.manifest`)
    SHA256SUMS            `sha256sum -c` format, every file but itself

A pack is written to a hidden temporary folder beside its destination and renamed into
place only when complete, so `dist/` never shows half a pack. Leftovers of killed runs
are removed by the next run. Builds of the same inputs and settings give the same pack
name and bytes, so a second (or concurrent) identical build keeps the first one's pack.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefpack.errors import PackError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
_TMP_PREFIX = ".briefpack-tmp-"
_ZIP_MODE = 0o100644 << 16  # regular file, rw-r--r--
_LATIN_SPELLINGS = (
    "a b v g g d e ie e zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia"
)
_CYRILLIC_LATIN = {
    cyrillic: latin.strip("_")
    for cyrillic, latin in zip(
        "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя", _LATIN_SPELLINGS.split(), strict=True
    )
} | {"ß": "ss"}


@dataclass(frozen=True)
class Pack:
    """A finished pack on disk."""

    name: str
    folder: Path
    zip_path: Path
    files: tuple[str, ...]
    reused: bool = False  # it already existed, byte-identical, and was left untouched


def slugify(title: str, fallback: str = "briefing", limit: int = 48) -> str:
    """An ASCII file-name slug of a title (Cyrillic transliterated), for a pack's name."""
    lowered = "".join(_CYRILLIC_LATIN.get(ch, ch) for ch in title.lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or fallback


def pack_name(title: str, date: str, pack_id: str) -> str:
    """`SLUG-DATE-ID`, e.g. `port-of-valmora-reopens-2026-03-14-1a2b3c4d`."""
    return f"{slugify(title)}-{date}-{pack_id}"


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

    `manifest` gets the `files` records added. A pack that already exists with exactly
    these bytes (the same inputs and settings built it: its name holds their hash) is kept
    untouched and returned with `reused` set, so concurrent or repeated builds of one
    article all succeed; a missing half (a killed run's folder without its zip) is
    completed. A different pack at that path is a PackError unless `force`. On any error
    nothing partial is left behind.
    """
    folder, zip_path = out_dir / name, out_dir / f"{name}.zip"
    prepare_out_dir(out_dir)
    clean_leftovers(out_dir)

    contents = dict(files)
    manifest = {**manifest, "files": file_records(contents)}
    contents[MANIFEST] = (
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    ).encode()
    contents[CHECKSUMS] = checksums_text(contents).encode()
    archive = zip_bytes(name, contents, date)
    pack = Pack(name=name, folder=folder, zip_path=zip_path, files=tuple(sorted(contents)))

    if not force:
        # Whether each half is there is read before whether it is ours: a concurrent build of
        # this pack may place either half in between, and what it places is complete.
        folder_there = folder.exists() or folder.is_symlink()
        zip_there = zip_path.exists() or zip_path.is_symlink()
        folder_same = folder_there and _same_folder(folder, contents)
        zip_same = zip_there and _same_file(zip_path, archive)
        if folder_there and not folder_same:
            raise _exists(folder)
        if zip_there and not zip_same:
            raise _exists(zip_path)
        if folder_same and zip_same:
            log.info("%s already exists with the same contents; keeping it", folder)
            return replace(pack, reused=True)

    tmp = out_dir / f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        (tmp / name).mkdir(parents=True)
        for filename, data in contents.items():
            _write_synced(tmp / name / filename, data)
        _write_synced(tmp / f"{name}.zip", archive)
        _fsync_dir(tmp / name)
        if force:
            _move_aside(folder, tmp)
            _move_aside(zip_path, tmp)
        placed = _place(tmp, pack, contents, archive)
        _fsync_dir(out_dir)
    except PackError:
        _roll_back(tmp, pack)
        raise
    except OSError as exc:
        _roll_back(tmp, pack)
        raise PackError(f"cannot write the pack in {out_dir}: {_advice(exc)}") from None
    except BaseException:
        _roll_back(tmp, pack)  # Ctrl-C: finish or undo, never leave half a pack
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    return replace(pack, reused=not placed)


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder, or raise PackError saying why it cannot be one.

    Cheap: callers may run it before expensive work, to fail early.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise PackError(
            f"output folder {out_dir} is a file, not a folder; choose another with --out"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except NotADirectoryError:
        raise PackError(
            f"cannot create output folder {out_dir}: part of that path is a file, not a folder; "
            "choose another with --out"
        ) from None
    except OSError as exc:
        raise PackError(f"cannot create output folder {out_dir}: {_advice(exc)}") from None


def _advice(exc: OSError) -> str:
    """Why a write failed (the system's words) and what to do, for the common causes."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{reason}; free some space or choose another folder with --out"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{reason}; choose a folder you can write to with --out"
    return f"{reason}; check the folder or choose another with --out"


def _exists(path: Path) -> PackError:
    return PackError(
        f"{path} already exists with different contents; remove it, or pass --force to replace it"
    )


def _place(tmp: Path, pack: Pack, contents: Mapping[str, bytes], archive: bytes) -> bool:
    """Rename the folder, then link the zip, into place; True if the folder was placed here.

    A concurrent run of the same build may win either step: what it placed is accepted
    when byte-identical to ours. The zip goes last, so a folder without its zip (a killed
    run) is still a complete, verifiable pack, which the next build completes.
    """
    placed = True
    try:
        os.rename(tmp / pack.name, pack.folder)  # never replaces a non-empty folder
    except OSError as exc:
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
            raise
        if not _same_folder(pack.folder, contents):
            raise _exists(pack.folder) from None
        placed = False
    try:
        os.link(tmp / pack.zip_path.name, pack.zip_path)  # unlike rename, never replaces
    except FileExistsError:
        if not _same_file(pack.zip_path, archive):
            raise _exists(pack.zip_path) from None
    return placed


def _roll_back(tmp: Path, pack: Pack) -> None:
    """After a failure: a placed folder gets its zip; packs moved aside by --force return."""
    staged_zip = tmp / pack.zip_path.name
    if not (tmp / pack.name).exists() and staged_zip.exists() and pack.folder.is_dir():
        with contextlib.suppress(OSError):  # the folder is ours and complete: finish
            os.link(staged_zip, pack.zip_path)
    for path in (pack.folder, pack.zip_path):
        aside = tmp / f"old-{path.name}"
        if aside.exists() and not (path.exists() or path.is_symlink()):
            with contextlib.suppress(OSError):
                os.rename(aside, path)
    shutil.rmtree(tmp, ignore_errors=True)


def _same_folder(folder: Path, contents: Mapping[str, bytes]) -> bool:
    """True when `folder` is a real folder holding exactly `contents` (no links, no extras)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return False
    return names == sorted(contents) and all(
        _same_file(folder / filename, contents[filename]) for filename in names
    )


def _same_file(path: Path, data: bytes) -> bool:
    """True when `path` is a regular file (not a link) holding exactly `data`."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


def _move_aside(path: Path, tmp: Path) -> None:
    if path.exists() or path.is_symlink():
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
