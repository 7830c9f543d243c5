"""Load Pyphen's hyphenation dictionaries lazily, with the same result as Pyphen's loader.

`hyphens: auto` makes WeasyPrint ask Pyphen for each language's dictionary, and Pyphen
parses every pattern of the file up front with a regular expression each: about 1.4 s for
German (66,000 patterns), more than rendering the briefing, to hyphenate a few dozen words.
`preload()` indexes the file's lines by pattern key instead (one `str.translate` per line)
and reads a pattern's digits only when a word looks it up, then puts that dictionary in
Pyphen's own per-file cache, where WeasyPrint finds it.

Files with nonstandard hyphenation (`pattern/change,index,cut`) are left to Pyphen, and so is
any Pyphen release whose cache is not where this expects it. Lookups give what Pyphen's own
dictionary gives, which a test checks pattern by pattern.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Entry = tuple[int, tuple[int, ...]]  # (offset of the first value, values), as Pyphen keeps them

_HEX = re.compile(r"\^{2}([0-9a-f]{2})")
_PAIRS = re.compile(r"(\d?)(\D?)")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_IGNORED = (
    "%",
    "#",
    "LEFTHYPHENMIN",
    "RIGHTHYPHENMIN",
    "COMPOUNDLEFTHYPHENMIN",
    "COMPOUNDRIGHTHYPHENMIN",
)


def parse_pattern(pattern: str) -> tuple[str, Entry | None]:
    """One pattern line read exactly as Pyphen 0.18 reads it: its key and its entry.

    The entry is None for a pattern of only zeros, which Pyphen leaves out.
    """
    pattern = _HEX.sub(lambda match: chr(int(match.group(1), 16)), pattern)
    pairs = [(tag, int(digit or "0")) for digit, tag in _PAIRS.findall(pattern)]
    tags, values = zip(*pairs, strict=True)
    key = "".join(tags)
    if max(values) == 0:
        return key, None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return key, (start, tuple(values[start:end]))


class LazyPatterns:
    """Pattern lines by key, parsed on first lookup; answers `get` like Pyphen's dict."""

    def __init__(self, lines: dict[str, str], parsed: dict[str, Entry | None]) -> None:
        self._lines = lines
        self._parsed = parsed

    def get(self, key: str, default: Entry | None = None) -> Entry | None:
        try:
            entry = self._parsed[key]
        except KeyError:
            line = self._lines.get(key)
            if line is None:
                return default
            entry = self._parsed[key] = parse_pattern(line)[1]
        return default if entry is None else entry

    def keys(self) -> list[str]:
        return list(self._lines.keys() | self._parsed.keys())


def load_patterns(path: Path) -> LazyPatterns | None:
    """A `hyph_*.dic` file's patterns, indexed but not yet parsed.

    None when the file has nonstandard hyphenation, which only Pyphen's loader handles.
    """
    raw = path.read_bytes()
    first, _, body = raw.partition(b"\n")
    encoding = first.decode().strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    text = body.decode(encoding)
    if "0123456789".encode(encoding) == b"0123456789":
        # ASCII digits are single bytes that no other character's bytes contain (UTF-8 and
        # the 8-bit code pages alike): deleting them from the bytes is one C call.
        keys_text = body.translate(None, b"0123456789").decode(encoding)
    else:
        keys_text = _ASCII_DIGITS.sub("", text)
    # Removing digits leaves the line breaks alone, so keys and patterns pair line for line.
    pairs = [
        (key.strip(), pattern)
        for key, pattern in zip(
            keys_text.split("\n"),
            (line.strip() for line in text.split("\n")),
            strict=True,
        )
        if pattern and not pattern.startswith(_IGNORED)
    ]
    if any("/" in pattern for _, pattern in pairs):
        return None
    if "^^" in text or _has_other_digits(set(text)):
        # Escapes and other digits: the key is not simply the pattern less its digits.
        pairs = [
            (parse_pattern(pattern)[0], pattern)
            if "^^" in pattern or _has_other_digits(pattern)
            else (key, pattern)
            for key, pattern in pairs
        ]
    lines = dict(pairs)
    parsed: dict[str, Entry | None] = {}
    if len(lines) < len(pairs):
        # A repeated key: Pyphen keeps the last pattern for it that is not all zeros.
        seen: set[str] = set()
        for key, _pattern in pairs:
            if key in seen:
                lines.pop(key, None)
                parsed[key] = None
            seen.add(key)
        for key, pattern in pairs:
            if key in parsed:
                parsed[key] = parse_pattern(pattern)[1] or parsed[key]
    return LazyPatterns(lines, parsed)


def _has_other_digits(chars: Iterable[str]) -> bool:
    """Whether there is a digit besides 0-9 (Pyphen's `\\d` reads those too)."""
    return any(ch.isdigit() and not ch.isascii() for ch in chars)


def preload(language: str) -> None:
    """Put the dictionary WeasyPrint will use for `language` into Pyphen's cache."""
    import pyphen

    name = pyphen.language_fallback(language) if language else None
    cache: Any = getattr(pyphen, "hdcache", None)
    hyph_dict: Any = getattr(pyphen, "HyphDict", None)
    if name is None or not isinstance(cache, dict) or hyph_dict is None:
        return
    path = pyphen.LANGUAGES[name]
    if path in cache:
        return
    try:
        patterns = load_patterns(Path(str(path)))
    except (OSError, LookupError, ValueError) as exc:  # Pyphen will try, and report, itself
        log.debug("could not index %s (%s); Pyphen loads it", path, exc)
        return
    keys = patterns.keys() if patterns is not None else []
    if patterns is None or not keys:
        return
    loaded = hyph_dict.__new__(hyph_dict)
    loaded.patterns = patterns
    loaded.cache = {}
    # Pyphen counts only patterns that are not all zeros; a longer bound finds nothing more.
    loaded.maxlen = max(len(key) for key in keys)
    cache[path] = loaded
    log.debug("indexed %d hyphenation patterns for %s from %s", len(keys), language, path)
