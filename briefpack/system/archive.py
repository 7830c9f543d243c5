"""Untrusted zip archives (briefing packs, `.argosmodel` packages), read in one place.

What is checked is exactly what is unpacked: every entry name is normalized first
(backslashes are separators, `.` and empty segments dropped, Unicode NFC), and every name an
entry carries is checked: the central directory's, the local header's, and the Info-ZIP
Unicode-path extra field (0x7075) that `unzip` and 7-Zip prefer when it is present. Two
entries that name one file (`P/x`, `P/./x`, `P//x`, `P\\x`, `P/X` on a case-insensitive
disk, `P/x.` on Windows) are refused, as are `..`, absolute and drive paths, links,
devices, encryption and any compression but stored and deflate (zipfile inflates bzip2
and LZMA input whole, so a 3 KB bzip2 entry can grow to gigabytes in one call).

Sizes are never trusted: the entry count is read from the end record before the central
directory is parsed, and bytes are counted while inflating, against a per-entry, a total
and a compression-ratio budget. `SafeArchive.extract_all` writes by the checked names only.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from briefpack.system.files import open_regular
from briefpack.system.text import shorten

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
ALLOWED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "zstd", 95: "xz", 98: "PPMd"}
_UNICODE_PATH = 0x7075
_CHUNK = 1 << 16
_MAX_RECORD = 1024  # bytes per central-directory record, name and extra fields included
_DRIVE = re.compile(r"^[A-Za-z]:")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")

# progress(bytes done, bytes in all or None when unknown): for progress bars (the CLI draws them)
ProgressCallback = Callable[[int, int | None], None]


class ArchiveError(Exception):
    """The archive is damaged, unsafe or over a limit. One line, without the archive's path."""


class DamagedArchive(ArchiveError):
    """Not a readable zip, or an entry that does not inflate (truncated, bad CRC)."""


class BudgetExceeded(ArchiveError):
    """Inflating went past a limit of `Limits`: stop reading the archive at all."""


@dataclass(frozen=True)
class Limits:
    """A budget for one archive: entries, bytes per entry and in all, compression ratio.

    The ratio is checked once an entry has inflated past `ratio_floor` bytes (tiny files of
    zeros compress 1000:1 and are harmless).
    """

    max_entries: int
    max_entry_bytes: int
    max_total_bytes: int
    max_ratio: float = 100.0
    ratio_floor: int = 1 << 20


@dataclass(frozen=True)
class Entry:
    """One member: its normalized name ("top/sub/file", no trailing slash) and zip record."""

    name: str
    is_dir: bool
    info: zipfile.ZipInfo

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split("/"))


def quoted(name: str) -> str:
    """An entry name to put in a message: quoted, escaped and shortened."""
    return repr(shorten(name, 120))


def normalize_name(name: str) -> tuple[str, bool]:
    """(normalized name, names a folder); ArchiveError for names that leave the folder."""
    if not name or "\x00" in name:
        raise ArchiveError("an entry has an empty or invalid name")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise ArchiveError(f"entry {quoted(name)} has control characters in its name")
    unified = unicodedata.normalize("NFC", name.replace("\\", "/"))
    if unified.startswith("/") or _DRIVE.match(unified) or ":" in unified:
        raise ArchiveError(f"unsafe path {quoted(name)} in the archive (absolute or a drive)")
    segments = [s for s in unified.split("/") if s not in ("", ".")]
    if ".." in segments:
        raise ArchiveError(f"unsafe path {quoted(name)} in the archive (it climbs out with ..)")
    if not segments:
        raise ArchiveError(f"entry {quoted(name)} has no name once normalized")
    return "/".join(segments), unified.endswith("/")


def _same_file_key(name: str) -> str:
    # What case-insensitive disks (macOS, Windows) and Windows' trailing-dot rule treat as one.
    return "/".join(seg.rstrip(". ").casefold() or seg for seg in name.split("/"))


def _unicode_paths(extra: bytes) -> list[bytes]:
    """The names in Info-ZIP Unicode-path fields (0x7075) of an extra-field block."""
    found = []
    offset = 0
    while offset + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4 : offset + 4 + size]
        if tag == _UNICODE_PATH:
            if len(body) < 5:
                raise ArchiveError("an entry has a truncated Unicode path field")
            found.append(body[5:])  # version (1 byte), CRC-32 of the plain name (4 bytes)
        offset += 4 + size
    return found


def _declared_size(fh: BinaryIO) -> tuple[int, int] | None:
    """(entry count, central directory bytes) from the end records, before zipfile parses.

    zipfile parses every record the directory holds, whatever count the end record gives,
    so both numbers are bounded.
    """
    size = fh.seek(0, os.SEEK_END)
    tail_len = min(size, _EOCD.size + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return None
    fields = _EOCD.unpack_from(tail, at)
    count, directory = max(fields[3], fields[4]), fields[5]
    locator_at = at - _ZIP64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at : locator_at + 4] == b"PK\x06\x07":
        _, _, z64_offset, _ = _ZIP64_LOCATOR.unpack_from(tail, locator_at)
        if 0 <= z64_offset <= size - _ZIP64_EOCD.size:
            fh.seek(z64_offset)
            record = fh.read(_ZIP64_EOCD.size)
            if record[:4] == b"PK\x06\x06":
                z64 = _ZIP64_EOCD.unpack(record)
                count, directory = max(count, z64[5], z64[6]), max(directory, z64[7])
    return int(count), int(directory)


class SafeArchive:
    """A zip archive opened, every entry checked against the rules and `limits` above.

    Raises `FileProblem` (briefpack.system.files) when `path` is not a regular file, and
    `ArchiveError` for everything wrong inside. Keeps the file open until closed, so what is
    checked and what is later read or unpacked are the same bytes.
    """

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, limits: Limits) -> None:
        self.limits = limits
        self._inflated = 0
        # A path is opened as a regular file only; an open binary file (BytesIO) is used as is.
        self._handle: BinaryIO = (
            open_regular(source) if isinstance(source, str | os.PathLike) else source
        )
        try:
            declared = _declared_size(self._handle)
            if declared is not None and declared[0] > limits.max_entries:
                more = " or more" if declared[0] == 0xFFFF else ""  # the most 16 bits hold
                raise ArchiveError(
                    f"it holds {declared[0]}{more} entries, over the limit of {limits.max_entries}"
                )
            if declared is not None and declared[1] > limits.max_entries * _MAX_RECORD:
                raise ArchiveError(
                    f"its central directory is {declared[1]} bytes, too large for "
                    f"{limits.max_entries} entries"
                )
            try:
                self._zip = zipfile.ZipFile(self._handle)
            except ZIP_ERRORS as exc:
                raise DamagedArchive(f"not a readable zip archive ({_reason(exc)})") from None
            try:
                self.entries = self._check()
            except (OSError, struct.error) as exc:  # reading the local headers
                self._zip.close()
                raise DamagedArchive(f"not a readable zip archive ({_reason(exc)})") from None
            except BaseException:
                self._zip.close()
                raise
        except BaseException:
            self._handle.close()
            raise
        self._by_name = {entry.name: entry for entry in self.entries}

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._handle.close()

    @property
    def files(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.is_dir]

    def get(self, name: str) -> Entry | None:
        """The entry with this normalized name, if any."""
        return self._by_name.get(name)

    def _check(self) -> list[Entry]:
        infos = self._zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_entries:
            raise ArchiveError(
                f"it holds {len(infos)} entries, over the limit of {limits.max_entries}"
            )
        entries: list[Entry] = []
        seen: dict[str, str] = {}
        declared_total = 0
        for info in infos:
            entry = self._check_entry(info)
            key = _same_file_key(entry.name)
            if key in seen:
                raise ArchiveError(
                    f"entries {quoted(seen[key])} and {quoted(info.filename)} name the same file"
                )
            seen[key] = info.filename
            declared_total += info.file_size
            if declared_total > limits.max_total_bytes:
                raise ArchiveError(f"it would unpack to over {limits.max_total_bytes} bytes")
            entries.append(entry)
        files = {_same_file_key(e.name): e for e in entries if not e.is_dir}
        for entry in entries:
            parts = _same_file_key(entry.name).split("/")
            for depth in range(1, len(parts)):
                clash = files.get("/".join(parts[:depth]))
                if clash is not None:
                    raise ArchiveError(f"{quoted(clash.info.filename)} is both a file and a folder")
        return entries

    def _check_entry(self, info: zipfile.ZipInfo) -> Entry:
        shown = quoted(info.filename)
        if info.flag_bits & 0x1:
            raise ArchiveError(f"entry {shown} is encrypted")
        if info.compress_type not in ALLOWED_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise ArchiveError(
                f"entry {shown} is compressed with {method}; only stored and deflate entries "
                "are read (repack it with a standard zip tool)"
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArchiveError(f"symbolic link {shown} in the archive")
        if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveError(f"entry {shown} is a device, FIFO or socket, not a file")
        if not info.flag_bits & 0x800 and not info.filename.isascii():
            raise ArchiveError(
                f"entry {shown} has a non-ASCII name not marked as UTF-8; tools read such "
                "names differently"
            )
        name, is_dir = normalize_name(info.filename)
        is_dir = is_dir or stat.S_ISDIR(mode)
        for other in self._other_names(info):
            try:
                same = normalize_name(other)[0] == name
            except ArchiveError:
                same = False
            if not same:
                raise ArchiveError(
                    f"entry {shown} also names itself {quoted(other)} (in its header or a "
                    "Unicode-path field), which other tools would unpack instead"
                )
        limits = self.limits
        if info.file_size > limits.max_entry_bytes:
            raise ArchiveError(f"entry {shown} declares {info.file_size} bytes, over the limit")
        # zipfile never yields more than the declared size, so a declared ratio is a bound.
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise BudgetExceeded(
                f"entry {shown} would inflate over {limits.max_ratio:g} times its compressed "
                "size (a zip bomb?)"
            )
        return Entry(name, is_dir, info)

    def _other_names(self, info: zipfile.ZipInfo) -> list[str]:
        """Names besides the central directory's: the local header's, and Unicode paths."""
        header = b""
        if 0 <= info.header_offset <= self._handle.seek(0, os.SEEK_END):
            self._handle.seek(info.header_offset)
            header = self._handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise DamagedArchive(f"entry {quoted(info.filename)} has no local header")
        fields = _LOCAL_HEADER.unpack(header)
        flags, name_len, extra_len = fields[2], fields[9], fields[10]
        raw_name = self._handle.read(name_len)
        local_extra = self._handle.read(extra_len)
        encoding = "utf-8" if flags & 0x800 else "cp437"
        names = [raw_name.decode(encoding, "replace")]
        for raw in _unicode_paths(info.extra) + _unicode_paths(local_extra):
            try:
                names.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise ArchiveError(
                    f"entry {quoted(info.filename)} has a Unicode path that is not UTF-8"
                ) from None
        return names

    def chunks(self, entry: Entry) -> Iterator[bytes]:
        """The inflated bytes of a file entry, counted against the budget as they come."""
        limits = self.limits
        produced = 0
        ceiling = limits.max_ratio * max(entry.info.compress_size, 1)
        try:
            with self._zip.open(entry.info) as source:
                while chunk := source.read(_CHUNK):
                    produced += len(chunk)
                    self._inflated += len(chunk)
                    if produced > limits.max_entry_bytes:
                        raise BudgetExceeded(
                            f"entry {quoted(entry.name)} inflates past "
                            f"{limits.max_entry_bytes} bytes, over the limit"
                        )
                    if self._inflated > limits.max_total_bytes:
                        raise BudgetExceeded(
                            f"it inflates past {limits.max_total_bytes} bytes, over the limit"
                        )
                    if produced > limits.ratio_floor and produced > ceiling:
                        raise BudgetExceeded(
                            f"entry {quoted(entry.name)} inflates over "
                            f"{limits.max_ratio:g} times its compressed size (a zip bomb?)"
                        )
                    yield chunk
        except ZIP_ERRORS as exc:
            raise DamagedArchive(
                f"entry {quoted(entry.name)} cannot be read ({_reason(exc)})"
            ) from None

    def read(self, entry: Entry, limit: int) -> bytes:
        """A whole (small) file entry; ArchiveError past `limit` bytes."""
        data = bytearray()
        for chunk in self.chunks(entry):
            data += chunk
            if len(data) > limit:
                raise ArchiveError(f"entry {quoted(entry.name)} is larger than {limit} bytes")
        return bytes(data)

    def extract_all(self, dest: Path, progress: ProgressCallback | None = None) -> None:
        """Unpack every entry under `dest` (an empty folder) by its checked name.

        Files are created new (O_EXCL, never through a link) with mode 0644, folders 0755.
        """
        total = sum(e.info.file_size for e in self.files)
        done = 0
        for entry in sorted(self.entries, key=lambda e: e.name):
            target = dest.joinpath(*entry.parts)
            if entry.is_dir:
                target.mkdir(mode=0o755, parents=True, exist_ok=True)
                continue
            target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(target, flags, 0o644), "wb") as out:
                for chunk in self.chunks(entry):
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, max(total, done))


def _reason(exc: BaseException) -> str:
    return shorten(" ".join(str(exc).split()) or type(exc).__name__, 160)
