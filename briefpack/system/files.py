"""Reading files that someone else made: regular files only, bounded, never hanging.

`open()` on a FIFO blocks until a writer appears (forever, for a FIFO planted in a pack
folder); reading a character device such as /dev/zero never ends; a socket cannot be
opened at all. So a path is `stat`ed first (nothing that is not a regular file is even
opened: opening some devices has effects), opened with O_NONBLOCK and O_NOCTTY, and
`fstat`ed again through the open descriptor, so a file swapped in between is caught too.
Reads stop one byte past their limit, whatever size the file claims.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from briefpack.system.text import display_name

CHUNK = 1 << 20
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class FileProblem(Exception):
    """A path that is not a readable regular file (or is over a size limit).

    `kind` is one of "missing", "folder", "special", "loop", "link", "permission",
    "too-large" or "unreadable"; `reason` says it in words ("is a FIFO (named pipe)").
    """

    def __init__(self, path: str | os.PathLike[str], kind: str, reason: str) -> None:
        self.path = display_name(path)
        self.kind = kind
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def kind_of(mode: int) -> str:
    """What a `st_mode` names, as a noun phrase: "a FIFO (named pipe)", "a socket", ..."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(path: str | os.PathLike[str], mode: int) -> FileProblem:
    if stat.S_ISDIR(mode):
        return FileProblem(path, "folder", "is a folder, not a file")
    if stat.S_ISLNK(mode):
        return FileProblem(path, "link", "is a symbolic link")
    return FileProblem(path, "special", f"is {kind_of(mode)}, not a regular file")


def problem_from_os_error(path: str | os.PathLike[str], exc: OSError) -> FileProblem:
    """An OSError from looking at or opening `path`, as a FileProblem that says what it is."""
    code = exc.errno
    if code == errno.ENOENT:
        return FileProblem(path, "missing", "no such file")
    if code == errno.ENOTDIR:
        return FileProblem(path, "missing", "no such file (a part of the path is not a folder)")
    if code == errno.ELOOP:
        return FileProblem(path, "loop", "is a symbolic link loop (or too many links deep)")
    if code in (errno.EACCES, errno.EPERM):
        return FileProblem(path, "permission", "permission denied")
    if code == errno.ENAMETOOLONG:
        return FileProblem(path, "missing", "the file name is too long")
    if code == errno.ENXIO:
        return FileProblem(path, "special", "is a socket or device, not a regular file")
    return FileProblem(path, "unreadable", f"cannot be read ({exc.strerror or exc})")


def open_regular(path: str | os.PathLike[str], *, follow_symlinks: bool = True) -> BinaryIO:
    """Open a regular file for reading in binary; anything else is a `FileProblem`."""
    try:
        before = os.stat(path, follow_symlinks=follow_symlinks)
    except OSError as exc:
        raise problem_from_os_error(path, exc) from None
    if not stat.S_ISREG(before.st_mode):
        raise _refuse(path, before.st_mode)
    flags = _OPEN_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_symlinks and exc.errno == errno.ELOOP:
            raise FileProblem(path, "link", "is a symbolic link") from None
        raise problem_from_os_error(path, exc) from None
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode):
            raise _refuse(path, after.st_mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def too_large(path: str | os.PathLike[str], limit: int) -> FileProblem:
    return FileProblem(path, "too-large", f"is larger than {_human(limit)}")


def read_chunks(handle: BinaryIO, limit: int, path: str | os.PathLike[str]) -> Iterator[bytes]:
    """The bytes of an open file in chunks; `FileProblem("too-large")` past `limit` bytes."""
    total = 0
    while True:
        chunk = handle.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            return
        total += len(chunk)
        if total > limit:
            raise too_large(path, limit)
        yield chunk


def read_regular(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> bytes:
    """The whole of a regular file of at most `limit` bytes (see `open_regular`)."""
    with open_regular(path, follow_symlinks=follow_symlinks) as handle:
        try:
            if os.fstat(handle.fileno()).st_size > limit:
                raise too_large(path, limit)
            return b"".join(read_chunks(handle, limit, path))
        except OSError as exc:
            raise problem_from_os_error(path, exc) from None


def hash_regular(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> tuple[str, int]:
    """SHA-256 (hex) and size of a regular file of at most `limit` bytes, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open_regular(path, follow_symlinks=follow_symlinks) as handle:
        try:
            if os.fstat(handle.fileno()).st_size > limit:
                raise too_large(path, limit)
            for chunk in read_chunks(handle, limit, path):
                digest.update(chunk)
                size += len(chunk)
        except OSError as exc:
            raise problem_from_os_error(path, exc) from None
    return digest.hexdigest(), size


def _human(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def read_input_file(path: str | os.PathLike[str], limit: int, too_big: str) -> bytes:
    """A user's input file (an article), or `InputError` with one line saying what it is.

    `too_big` is the message for a file over `limit` bytes.
    """
    from briefpack.errors import InputError

    shown = display_name(path)
    try:
        return read_regular(path, limit)
    except FileProblem as exc:
        if exc.kind == "folder":
            message = f"{shown} is a folder, not an article; give the article file itself"
        elif exc.kind == "too-large":
            message = too_big
        elif exc.kind == "special":
            message = f"{shown} {exc.reason}; give the article file itself"
        elif exc.kind == "permission":
            message = f"{shown}: permission denied; check the file's permissions"
        elif exc.kind in ("missing", "loop"):
            message = f"{shown}: {exc.reason}; check the path"
        else:
            message = f"{shown}: {exc.reason}; check the file"
        raise InputError(message) from None
