"""Offline text processing for the summarize stage: sentences, words, stems, stop words.

Nothing here needs NLTK data or a download. Sentences come from sentencex (rule based,
offline), words from a Unicode regex, stems from Snowball (en, de, ru, ...) or sumy's own
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

# Languages stemmed by Snowball; Ukrainian (no Snowball stemmer) by sumy's own module.
_SNOWBALL = frozenset(
    {
        "english",
        "german",
        "russian",
        "french",
        "spanish",
        "italian",
        "portuguese",
        "polish",
        "czech",
    }
)
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_HAS_LETTER = re.compile(r"[^\W\d_]")

# sentencex ends a sentence at a question or exclamation mark, or at a closing quote, even
# when the speech tag follows: "'Why us?' she asked.", «Почему?» — спросила она. A piece that
# opens in lower case (after an optional dash) there continues the sentence before it.
_SPEECH_END = re.compile(r"(?:[?!…]|[.?!…][\"'’”»“]+)$")
_DASHES = "—–- "
# It also ends one after "a.m."/"p.m." when a day or time zone follows ("at 11:30 a.m.
# Thursday."), leaving a fragment that states nothing. Other capitalised words there
# ("Today", "Local") open real sentences, so only days and time zones are joined.
_CLOCK_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_CLOCK_NEXT = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|[ECMP][SD]?T|GMT|BST|UTC|CES?T)\b"
)


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
        start = len(sentences)
        for piece in segment(language, flat):
            piece = piece.strip()
            if not _HAS_LETTER.search(piece):
                continue
            if len(sentences) > start and _continues(sentences[-1], piece):
                sentences[-1] = f"{sentences[-1]} {piece}"
            else:
                sentences.append(piece)
    return sentences


def _continues(previous: str, piece: str) -> bool:
    """True when sentencex ended `previous` too early and `piece` is the rest of it."""
    if _SPEECH_END.search(previous):
        return piece.lstrip(_DASHES)[:1].islower()
    return bool(_CLOCK_END.search(previous) and _CLOCK_NEXT.match(piece))


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
    """A stemming function for an ISO code (lower-casing only where none exists).

    Snowball stemmers come from `snowballstemmer` (PyStemmer's C code when installed): the
    current Snowball algorithms, imported in milliseconds, where NLTK's ports take 0.6 s to
    import. Ukrainian, which Snowball lacks, uses sumy's own stemmer module, loaded without
    sumy's stemmer package (that package imports NLTK).
    """
    name = language_name(language)
    if name in _SNOWBALL:
        import snowballstemmer

        stem_word: Callable[[str], str] = snowballstemmer.stemmer(name).stemWord

        @lru_cache(maxsize=65536)
        def snowball_stem(word: str) -> str:
            return stem_word(word.lower())  # NLTK lower-cased first; Snowball does not

        return snowball_stem
    if name == "ukrainian":
        return _sumy_ukrainian_stemmer()
    return _lower


def _lower(word: str) -> str:
    return word.lower()


def _sumy_ukrainian_stemmer() -> Callable[[str], str]:
    """sumy's Ukrainian `stem_word`, loaded from its file: importing it as
    `sumy.nlp.stemmers.ukrainian` would run that package's `__init__`, which imports NLTK.
    (`stemmer()` caches the result, so the file is read once per process.)"""
    import importlib.util

    package = importlib.util.find_spec("sumy")
    if package is None or not package.submodule_search_locations:
        raise ImportError("sumy is not installed")
    folder = next(iter(package.submodule_search_locations))
    spec = importlib.util.spec_from_file_location(
        "_briefpack_sumy_ukrainian", f"{folder}/nlp/stemmers/ukrainian.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError("sumy has no Ukrainian stemmer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stem_word: Callable[[str], str] = module.stem_word
    return stem_word
