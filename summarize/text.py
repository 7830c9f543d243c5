"""Offline text processing for the summarize stage: sentences, words, stems, stop words.

Nothing here needs NLTK data or a download. Sentences come from sentencex (rule based,
offline), words from a Unicode regex, stems from Snowball (en, de, ru) or sumy's own
Ukrainian stemmer, stop words from sumy's lists or the `stop-words` package.
"""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Callable
from contextlib import suppress
from functools import lru_cache

# ISO 639-1 code -> the language name sumy and stop-words use.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "english",
    "de": "german",
    "ru": "russian",
    "uk": "ukrainian",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "pl": "polish",
    "cs": "czech",
}

# Languages whose stemmer is NLTK's Snowball one (the others come from sumy's own modules).
_SNOWBALL = frozenset(
    {"english", "german", "russian", "french", "spanish", "italian", "portuguese"}
)
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def language_name(code: str) -> str:
    """The sumy language name for an ISO code; English for unknown codes."""
    return LANGUAGE_NAMES.get(code, "english")


def split_sentences(text: str, language: str) -> list[str]:
    """Split text into sentences offline; paragraphs (blank-line separated) never merge."""
    from sentencex import segment

    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        if not flat:
            continue
        for piece in segment(language, flat):
            piece = piece.strip()
            if _HAS_LETTER.search(piece):
                sentences.append(piece)
    return sentences


def split_words(sentence: str) -> list[str]:
    """Words of a sentence: runs of letters/digits, keeping inner apostrophes and hyphens."""
    return _WORD.findall(sentence)


class Tokenizer:
    """A sumy-compatible tokenizer (`to_sentences`, `to_words`) that never touches NLTK data."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph, self.language))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(split_words(sentence))


@lru_cache(maxsize=16)
def stop_words(language: str) -> frozenset[str]:
    """Lower-case stop words for an ISO code (empty for languages with no list)."""
    name = language_name(language)
    words: set[str] = set()
    # sumy's own lists, read straight from its package data: importing `sumy.utils` for
    # them would pull in requests (0.3 s) on every run.
    with suppress(OSError):
        data = pkgutil.get_data("sumy", f"data/stopwords/{name}.txt") or b""
        words.update(w.strip() for w in data.decode("utf-8").splitlines() if w.strip())
    try:
        from stop_words import get_stop_words as more_stop_words

        words.update(more_stop_words(name))
    except Exception:  # the package raises its own error type for unknown languages
        pass
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=16)
def stemmer(language: str) -> Callable[[str], str]:
    """A stemming function for an ISO code (lower-casing only where none exists)."""
    name = language_name(language)
    if name in _SNOWBALL:
        # Exactly what sumy's Stemmer wraps for these languages; importing NLTK's module
        # directly skips `sumy.utils`, which pulls in requests (0.16 s) for nothing.
        from nltk.stem import snowball

        snowball_stem: Callable[[str], str] = getattr(
            snowball, f"{name.capitalize()}Stemmer"
        )().stem
        return snowball_stem
    from sumy.nlp.stemmers import Stemmer, null_stemmer

    try:
        stem: Callable[[str], str] = Stemmer(language_name(language))
        stem("probe")  # some sumy stemmers (Polish) need an optional package at first use
    except (LookupError, ValueError, ImportError):
        stem = null_stemmer
    return stem
