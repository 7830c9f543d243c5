"""Text from files, made safe to show: one line, no terminal controls, bounded length.

File names, package metadata and article text are written by whoever made the file. Shown
raw, an ESC or BEL reaches the terminal (colours, a changed window title, a bell), a line
break splits one error into several, and a 32 MB name makes a 32 MB "line".
"""

from __future__ import annotations

import os
import re
import unicodedata

# Bidirectional overrides and isolates reorder what a terminal shows ("Trojan source").
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Terminal escape sequences (CSI, OSC, two-byte) and the controls left: never article text.
_ANSI = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    "|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?"  # OSC: window title, hyperlinks
    "|\x1b[@-Z\\\\-_]"  # two-byte escapes
)
_CONTROLS_GONE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_CONTROLS_SPACE = re.compile("[\x0b\x0c\x85]")  # vertical tab, form feed, NEL: whitespace
MAX_LINE = 1000  # characters in one error line, escapes included


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _unsafe(ch: str) -> bool:
    return ch in _BIDI or unicodedata.category(ch) in _ESCAPED_CATEGORIES


def escape_controls(text: str) -> str:
    """`text` with every control, line break, bidi override and stray surrogate escaped."""
    return "".join(_escape(ch) if _unsafe(ch) else ch for ch in text)


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` as one safe line of at most `limit` characters.

    A longer text keeps its start and its end (where messages say what to do) and says how
    much was left out in between.
    """
    line = escape_controls(text)
    if len(line) <= limit:
        return line
    tail = limit // 4
    cut = len(line) - limit + 40  # room for the marker itself
    head = limit - tail - 40
    return f"{line[:head]} [... {cut} characters left out ...] {line[len(line) - tail :]}"


def shorten(text: str, limit: int = 200) -> str:
    """A value from a file, to quote inside a message: safe and at most `limit` characters."""
    line = escape_controls(text)
    return line if len(line) <= limit else f"{line[: limit - 1]}…"


def strip_controls(text: str) -> str:
    """`text` without terminal escape sequences and C0/C1 controls.

    Tab, line feed and carriage return are kept; vertical tab, form feed and NEL become
    spaces, so the words they separated stay apart.
    """
    text = _ANSI.sub("", text)
    return _CONTROLS_SPACE.sub(" ", _CONTROLS_GONE.sub("", text))


def display_name(name: str | os.PathLike[str]) -> str:
    """A file name as valid Unicode: bytes that were not UTF-8 shown as `\\xff` escapes.

    `os.fsdecode` turns such bytes into lone surrogates, which cannot be encoded as UTF-8
    (so not written into a PDF, JSON or manifest).
    """
    text = os.fspath(name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # surrogates that did not come from bytes
            return escape_controls(text)
        return raw.decode("utf-8", "backslashreplace")
    return text
