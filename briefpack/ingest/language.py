"""Language detection for the languages briefpack summarizes: script first, then stop words."""

from __future__ import annotations

import re

from briefpack.errors import InputError

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "de", "ru", "uk", "fr", "es", "it", "pt", "pl", "cs")

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_UKRAINIAN_ONLY = re.compile(r"[ґєіїҐЄІЇ]")
_RUSSIAN_ONLY = re.compile(r"[ёыэъЁЫЭЪ]")
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Best guess among SUPPORTED_LANGUAGES; raise InputError when the text has no letters."""
    sample = text[:20000]
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic == 0 and latin == 0:
        raise InputError(
            "could not detect the article's language (no Latin or Cyrillic letters); "
            "give --language"
        )
    if cyrillic > latin:
        uk = len(_UKRAINIAN_ONLY.findall(sample))
        ru = len(_RUSSIAN_ONLY.findall(sample))
        if uk != ru:
            return "uk" if uk > ru else "ru"
        return _by_stop_words(sample, ("ru", "uk"))
    return _by_stop_words(sample, tuple(c for c in SUPPORTED_LANGUAGES if c not in ("ru", "uk")))


def _by_stop_words(sample: str, candidates: tuple[str, ...]) -> str:
    from summarize.text import stop_words

    words = [w.lower() for w in _WORD.findall(sample)]
    best, best_hits = candidates[0], -1
    for code in candidates:
        stops = _core_stop_words(code, stop_words(code))
        hits = sum(w in stops for w in words)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def _core_stop_words(code: str, words: frozenset[str]) -> frozenset[str]:
    # Long stop lists share short tokens across languages ("a", "in", "die"...); the
    # shortest, most frequent function words separate languages best.
    return frozenset(w for w in words if 2 <= len(w) <= 5)
