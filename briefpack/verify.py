"""`briefpack verify`: is a pack (folder or zip) exactly what its checksums and manifest say?

Checks: every file listed in SHA256SUMS exists and matches; no file is missing or extra;
the manifest lists the same files with the same digests and sizes; zip entries stay inside
the pack's one top folder (no `../`, absolute paths, symlinks or duplicate names), and a
zip's declared sizes are bounded before anything is read.
"""

from __future__ import annotations

import json
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from briefpack.errors import InputError, VerifyError
from briefpack.pack import CHECKSUMS, MANIFEST, sha256_bytes

MAX_FILE_BYTES = 512 * 1024 * 1024
# What zipfile raises on damaged or hostile archives, besides BadZipFile: unsupported
# versions or methods, encryption, corrupt deflate streams, truncated structures.
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    struct.error,
)
MAX_FILES = 1000
_CHECKSUM_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")


def verify_pack(path: Path) -> list[str]:
    """Verify a pack; return the names of the files checked. Raise VerifyError otherwise."""
    if not path.exists():
        raise InputError(f"{path}: no such pack; give a pack folder or .zip")
    digests: dict[str, tuple[str, int]] = {}
    listed: dict[str, str] = {}
    manifest: dict[str, Any] = {}
    problems: list[str] = []
    if path.is_dir():
        entries = _folder_entries(path, problems)
    elif zipfile.is_zipfile(path):
        entries = _zip_entries(path, problems)
    else:
        raise VerifyError(f"{path} is neither a pack folder nor a zip archive")
    for name, data in entries:
        digests[name] = (sha256_bytes(data), len(data))
        if name == CHECKSUMS:
            listed = _parse_checksums(data, problems)
        if name == MANIFEST:
            manifest = _parse_manifest(data, problems)
    if CHECKSUMS not in digests:
        raise VerifyError(f"{path}: {CHECKSUMS} is missing; this is not a complete pack")
    if MANIFEST not in digests:
        raise VerifyError(f"{path}: {MANIFEST} is missing; this is not a complete pack")
    if problems:
        raise VerifyError(f"{path}: {problems[0]}")
    for name, digest in sorted(listed.items()):
        if name not in digests:
            problems.append(f"{name} is missing")
        elif digests[name][0] != digest:
            problems.append(f"{name} does not match its checksum (altered or corrupted)")
    for name in sorted(set(digests) - set(listed) - {CHECKSUMS}):
        problems.append(f"{name} is not listed in {CHECKSUMS} (extra file)")
    _check_manifest(manifest, digests, problems)
    if problems:
        raise VerifyError(f"{path}: " + "; ".join(problems))
    return sorted(digests)


def _folder_entries(folder: Path, problems: list[str]) -> Iterator[tuple[str, bytes]]:
    for item in sorted(folder.rglob("*")):
        relative = item.relative_to(folder).as_posix()
        if item.is_symlink():
            problems.append(f"{relative} is a symbolic link")
        elif item.is_dir():
            problems.append(f"{relative} is an unexpected folder")
        elif item.stat().st_size > MAX_FILE_BYTES:
            problems.append(f"{relative} is too large to be part of a pack")
        else:
            yield relative, item.read_bytes()


def _zip_entries(path: Path, problems: list[str]) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise VerifyError(f"{path} is not a readable zip ({reason})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_FILES:
            raise VerifyError(f"{path} holds {len(infos)} entries; a pack has far fewer")
        tops: set[str] = set()
        seen: set[str] = set()
        for info in infos:
            name = info.filename
            if not name or "\x00" in name:
                raise VerifyError(f"{path}: an entry has an empty or invalid name")
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or "\\" in name or ".." in parts or ":" in name:
                raise VerifyError(f"{path}: entry {name!r} escapes the pack folder")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise VerifyError(f"{path}: entry {name!r} is a symbolic link")
            if name in seen:
                raise VerifyError(f"{path}: entry {name!r} appears twice")
            seen.add(name)
            if info.is_dir():
                continue
            if len(parts) != 2:
                raise VerifyError(f"{path}: entry {name!r} is not directly in the pack folder")
            tops.add(parts[0])
            if info.file_size > MAX_FILE_BYTES:
                raise VerifyError(f"{path}: entry {name!r} declares {info.file_size} bytes")
        if len(tops) > 1:
            raise VerifyError(f"{path}: entries sit in several top folders: {sorted(tops)}")
        for info in infos:
            if info.is_dir():
                continue
            try:
                with archive.open(info) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except ZIP_ERRORS as exc:
                reason = " ".join(str(exc).split()) or type(exc).__name__
                problems.append(f"{info.filename!r} cannot be read ({reason})")
                continue
            yield PurePosixPath(info.filename).parts[1], data


def _parse_checksums(data: bytes, problems: list[str]) -> dict[str, str]:
    listed: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{CHECKSUMS} is not text")
        return listed
    for number, line in enumerate(text.splitlines(), 1):
        match = _CHECKSUM_LINE.match(line)
        if not match or "/" in match.group(2):
            problems.append(f"{CHECKSUMS} line {number} is malformed")
            continue
        listed[match.group(2)] = match.group(1)
    return listed


def _parse_manifest(data: bytes, problems: list[str]) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        problems.append(f"{MANIFEST} is not valid JSON")
        return {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        problems.append(f"{MANIFEST} has no file list")
        return {}
    return manifest


def _check_manifest(
    manifest: dict[str, Any], digests: dict[str, tuple[str, int]], problems: list[str]
) -> None:
    recorded: dict[str, tuple[str, int]] = {}
    for record in manifest.get("files", []):
        if not isinstance(record, dict):
            problems.append(f"{MANIFEST} has a malformed file record")
            return
        recorded[str(record.get("name"))] = (str(record.get("sha256")), int(record.get("size", -1)))
    expected = set(digests) - {MANIFEST, CHECKSUMS}
    for name in sorted(expected - set(recorded)):
        problems.append(f"{name} is not recorded in {MANIFEST}")
    for name in sorted(set(recorded) - expected):
        problems.append(f"{MANIFEST} records {name}, which the pack lacks")
    for name in sorted(expected & set(recorded)):
        if recorded[name] != digests[name]:
            problems.append(f"{name} does not match its {MANIFEST} record")
