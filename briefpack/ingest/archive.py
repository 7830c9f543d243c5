"""Zip containers from users (.docx, .odt), opened with zip-bomb limits.

The one place the ingest package opens a zip: every entry is inflated once here, its bytes
counted while inflating (never trusted from the headers), within an entry count, a size
per entry and a total. The readers (python-docx, odfpy) open the same bytes only after this
passed, so what they inflate is bounded too. When `briefpack.system` gains the project's
safe zip reader, this function is what switches to it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Collection

from briefpack.errors import InputError

MAX_ENTRIES = 5_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


def zip_members(
    data: bytes, name: str, wanted: Collection[str]
) -> tuple[frozenset[str], dict[str, bytes]]:
    """Every entry's name, and the `wanted` entries that exist (name -> bytes).

    Every entry is inflated and counted. InputError for a damaged, encrypted or oversized
    archive.
    """
    damaged = InputError(
        f"{name} is damaged (not a readable zip container; truncated?); check the file"
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise damaged from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _bomb(name, f"has more than {MAX_ENTRIES} entries")
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise InputError(f"{name} is password-protected; remove the password and save it again")
        found: dict[str, bytes] = {}
        total = 0
        for entry in entries:
            size, content = _inflate(archive, entry, name, damaged, keep=entry.filename in wanted)
            total += size
            if total > MAX_TOTAL_BYTES:
                raise _bomb(name, f"inflates to more than {MAX_TOTAL_BYTES // 1024**2} MB")
            if content is not None:
                found[entry.filename] = content
    return frozenset(entry.filename for entry in entries), found


def _inflate(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, damaged: InputError, keep: bool
) -> tuple[int, bytes | None]:
    size = 0
    parts: list[bytes] = []
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_ENTRY_BYTES:
                    raise _bomb(name, f"has an entry larger than {MAX_ENTRY_BYTES // 1024**2} MB")
                if keep:
                    parts.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise damaged from None
    except RuntimeError:  # zipfile's "password required", for entries it finds encrypted
        raise InputError(
            f"{name} is password-protected; remove the password and save it again"
        ) from None
    return size, b"".join(parts) if keep else None


def _bomb(name: str, what: str) -> InputError:
    return InputError(f"{name} {what} (a zip bomb?); an article's document is far smaller")
