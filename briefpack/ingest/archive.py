"""Zip containers from users (.docx, .odt), opened with zip-bomb limits.

The one place the ingest package opens a zip: every entry is inflated once here, its bytes
counted while inflating (never trusted from the headers), within an entry count, a size
per entry and a total. The readers (python-docx, odfpy) open the same bytes only after this
passed, so what they inflate is bounded too. The archive is opened through the project's
safe zip reader (`briefpack.system.archive`: names normalized and checked, aliases, links
and bzip2/LZMA entries refused), whose own budget is a wider net around the limits here.
"""

from __future__ import annotations

import io
from collections.abc import Collection

from briefpack.errors import InputError
from briefpack.system.archive import (
    ArchiveError,
    BudgetExceeded,
    DamagedArchive,
    Entry,
    Limits,
    SafeArchive,
)

MAX_ENTRIES = 5_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
# The safe reader's own budget: wide enough that the limits above speak first.
_OUTER_LIMITS = Limits(
    max_entries=MAX_ENTRIES + 1000,
    max_entry_bytes=4 * MAX_ENTRY_BYTES,
    max_total_bytes=4 * MAX_TOTAL_BYTES,
    max_ratio=1100.0,  # XML deflates well; the size limits bound a bomb
)


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
        archive = SafeArchive(io.BytesIO(data), _OUTER_LIMITS)
    except DamagedArchive:
        raise damaged from None
    except ArchiveError as exc:
        if "encrypted" in str(exc):
            raise InputError(
                f"{name} is password-protected; remove the password and save it again"
            ) from None
        raise InputError(f"{name}: {exc}; check the file") from None
    with archive:
        entries = archive.entries
        if len(entries) > MAX_ENTRIES:
            raise _bomb(name, f"has more than {MAX_ENTRIES} entries")
        found: dict[str, bytes] = {}
        total = 0
        for entry in archive.files:
            size, content = _inflate(archive, entry, name, damaged, keep=entry.name in wanted)
            total += size
            if total > MAX_TOTAL_BYTES:
                raise _bomb(name, f"inflates to more than {MAX_TOTAL_BYTES // 1024**2} MB")
            if content is not None:
                found[entry.name] = content
    return frozenset(entry.name for entry in entries), found


def _inflate(
    archive: SafeArchive, entry: Entry, name: str, damaged: InputError, keep: bool
) -> tuple[int, bytes | None]:
    size = 0
    parts: list[bytes] = []
    try:
        for chunk in archive.chunks(entry):
            size += len(chunk)
            if size > MAX_ENTRY_BYTES:
                raise _bomb(name, f"has an entry larger than {MAX_ENTRY_BYTES // 1024**2} MB")
            if keep:
                parts.append(chunk)
    except BudgetExceeded as exc:
        raise _bomb(name, str(exc)) from None
    except ArchiveError:
        raise damaged from None
    return size, b"".join(parts) if keep else None


def _bomb(name: str, what: str) -> InputError:
    return InputError(f"{name} {what} (a zip bomb?); an article's document is far smaller")
