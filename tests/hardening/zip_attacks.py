"""Hostile zip archives, built byte by byte inside the tests (none is ever committed).

`raw_zip` writes exactly the records it is given (names, methods, declared sizes, extra
fields, local names that differ from the directory's), which zipfile itself refuses to.
"""

from __future__ import annotations

import bz2
import json
import stat
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.argos import archive_members

FILE_MODE = (stat.S_IFREG | 0o644) << 16


@dataclass(frozen=True)
class RawEntry:
    """One zip record as written: `data` is already compressed with `method`."""

    name: str
    data: bytes
    method: int = 0
    size: int | None = None  # declared uncompressed size; default len(data) (stored)
    crc: int | None = None
    local_name: str | None = None  # the local header's name, if it should differ
    extra: bytes = b""  # in both headers
    external_attr: int = FILE_MODE
    utf8: bool = True


def stored(name: str, data: bytes, **kwargs: object) -> RawEntry:
    return RawEntry(name, data, size=len(data), crc=zlib.crc32(data), **kwargs)  # type: ignore[arg-type]


def deflated(name: str, data: bytes, **kwargs: object) -> RawEntry:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = packer.compress(data) + packer.flush()
    return RawEntry(name, body, 8, len(data), zlib.crc32(data), **kwargs)  # type: ignore[arg-type]


def raw_zip(path: Path, entries: Sequence[RawEntry]) -> Path:
    """Write a zip with exactly these records (no zip64)."""
    out = bytearray()
    central = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-8" if entry.utf8 else "cp437")
        local = (entry.local_name or entry.name).encode("utf-8" if entry.utf8 else "cp437")
        flags = 0x800 if entry.utf8 else 0
        crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
        size = len(entry.data) if entry.size is None else entry.size
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, flags, entry.method, 0, 0x21, crc,
            len(entry.data), size, len(local), len(entry.extra),
        )  # fmt: skip
        out += local + entry.extra + entry.data
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | 20, 20, flags, entry.method, 0, 0x21,
            crc, len(entry.data), size, len(name), len(entry.extra), 0, 0, 0,
            entry.external_attr, offset,
        )  # fmt: skip
        central += name + entry.extra
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, min(len(entries), 0xFFFF),
        min(len(entries), 0xFFFF), len(central), len(out), 0,
    )  # fmt: skip
    path.write_bytes(bytes(out + central + end))
    return path


def unicode_path_extra(plain: str, unicode_name: str) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075) naming `unicode_name`."""
    body = struct.pack("<BL", 1, zlib.crc32(plain.encode())) + unicode_name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(body)) + body


def entries_of(archive: Path) -> list[RawEntry]:
    """A real zip's files as deflated records (to add hostile ones beside them)."""
    return [deflated(name, data) for name, data in archive_members(archive).items()]


def nested_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def metadata_with(archive: Path, folder: str, **changes: object) -> bytes:
    metadata = json.loads(archive_members(archive)[f"{folder}/metadata.json"])
    return json.dumps({**metadata, **changes}).encode()


# ----------------------------------------------------------------------------- bombs


def _bits(data: bytes) -> str:
    return "".join(f"{byte:08b}" for byte in data)


def _from_bits(bits: str) -> bytes:
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""


_BLOCK_MAGIC = f"{0x314159265359:048b}"
_END_MAGIC = f"{0x177245385090:048b}"


def bzip2_bomb(blocks: int) -> tuple[bytes, int]:
    """A bzip2 stream of `blocks` identical blocks of zeros: (stream, inflated size).

    bzip2 blocks are bit-aligned, so one compressed block is cut out bit by bit and
    repeated, and the stream's combined CRC recomputed. Each block inflates to ~45 MB
    from ~40 bytes: 160 blocks (~6 KB) inflate to 7.3 GB.
    """
    per_block = 45_000_000
    one = bz2.compress(b"\0" * per_block, 9)
    bits = _bits(one)
    header, body = bits[:32], bits[32:]
    for pad in range(8):
        end = len(body) - pad - 80
        if body[end : end + 48] == _END_MAGIC:
            break
    else:
        raise AssertionError("no end-of-stream marker found")
    block = body[:end]
    assert block.startswith(_BLOCK_MAGIC) and block.count(_BLOCK_MAGIC) == 1
    block_crc = int(block[48:80], 2)
    combined = 0
    for _ in range(blocks):
        combined = (((combined << 1) | (combined >> 31)) & 0xFFFFFFFF) ^ block_crc
    stream = header + block * blocks + _END_MAGIC + f"{combined:032b}"
    return _from_bits(stream), per_block * blocks


def bzip2_entry(name: str, blocks: int, declared: int = 100) -> RawEntry:
    """An entry compressed with bzip2 (method 12) that declares `declared` bytes."""
    stream, _ = bzip2_bomb(blocks)
    return RawEntry(name, stream, method=12, size=declared, crc=0)


def deflate_bomb(name: str, inflated: int) -> RawEntry:
    """A deflate entry of `inflated` zero bytes (about 1000:1), declaring its true size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(inflated // len(chunk))]
    body = b"".join(parts) + packer.flush()
    crc = 0
    for _ in range(inflated // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    return RawEntry(name, body, 8, inflated, crc)


def many_entries(folder: str, count: int) -> Iterable[RawEntry]:
    for i in range(count):
        yield stored(f"{folder}/f{i}", b"")
