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

from summarize.languages import MAY_END, NEVER_ENDS, ORDINAL_DOT, UNSPACED, info

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
# Scripts written without spaces between words (Han, kana, Thai): runs of them become
# overlapping character bigrams, the usual word features for CJK retrieval.
_UNSPACED_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]+")
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
    """The English name of a language (as sumy and stop-words spell it); English for unknown."""
    return info(code).name


def split_sentences(text: str, language: str) -> list[str]:
    """Split text into sentences offline; paragraphs (blank-line separated) never merge."""
    from sentencex import segment

    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        if not flat:
            continue
        start = len(sentences)
        for piece in _pieces(segment, language, flat):
            piece = piece.strip()
            if not _HAS_LETTER.search(piece):
                if len(sentences) > start and piece:
                    sentences[-1] = f"{sentences[-1]} {piece}"  # "p. 5.": the number stays
                continue
            if len(sentences) > start and _continues(sentences[-1], piece, language):
                sentences[-1] = f"{sentences[-1]} {piece}"
            else:
                sentences.append(piece)
    return sentences


def _pieces(segment: Callable[[str, str], list[str]], language: str, flat: str) -> list[str]:
    pieces = list(segment(language, flat))
    if language == "th":
        # Thai ends sentences with a space, not a mark: sentencex returns whole paragraphs.
        return [part for piece in pieces for part in _THAI_BREAK.split(piece)]
    return pieces


# A space between two Thai letters is where Thai writers end a sentence or clause.
_THAI_BREAK = re.compile(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])")
# A piece that opens with a lower-case word continues the sentence before it when that one
# ends in an abbreviation-like token; "iPhone"-style names open real sentences.
_OPENERS = "\"'“„«("
_CAMEL_START = re.compile(r"^[a-z]+[A-Z]")
_DIGIT_START = re.compile(r"^[\"'“„«(]?\d")
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,3}\.$")
_SINGLE_LETTER_END = re.compile(r"(?:^|[\s(])[^\W\d_]\.$")


def _continues(previous: str, piece: str, language: str = "en") -> bool:
    """True when sentencex ended `previous` too early and `piece` is the rest of it."""
    if _SPEECH_END.search(previous):
        return piece.lstrip(_DASHES)[:1].islower()
    if _CLOCK_END.search(previous) and _CLOCK_NEXT.match(piece):
        return True
    if not previous.endswith("."):
        return False
    last = previous.split()[-1].lstrip(_OPENERS).lower()
    first = piece.lstrip(_OPENERS)[:1]
    lower_next = first.islower() and not _CAMEL_START.match(piece)  # scripts without case: never
    if last in NEVER_ENDS.get(language, ()):
        return True  # "tzw. reforma", "z. B. gut", "M. Dupont"
    if (lower_next or _DIGIT_START.match(piece)) and last in MAY_END.get(language, ()):
        return True  # "3,1 proc. w maju", "т. д. и"
    if lower_next and (len(last) <= 4 or "." in last[:-1]):
        return True  # an abbreviation sentencex does not know, before a lower-case word
    if _SINGLE_LETTER_END.search(previous) and language not in UNSPACED:
        return True  # an initial or one-letter abbreviation: "J. Smith", "т. е."
    # "im 4. Stock", "am 3. Oktober": the dot makes the number an ordinal.
    return language in ORDINAL_DOT and bool(_ORDINAL_END.search(previous)) and piece[:1].isalpha()


def split_words(sentence: str) -> list[str]:
    """Words of a sentence: runs of letters/digits, keeping inner apostrophes and hyphens.

    Runs of Han, kana or Thai letters (no spaces between words) become character bigrams.
    """
    words: list[str] = _WORD.findall(sentence)
    if not _UNSPACED_RUN.search(sentence):
        return words
    out: list[str] = []
    for word in words:
        position = 0
        for run in _UNSPACED_RUN.finditer(word):
            if run.start() > position:
                out.append(word[position : run.start()])
            chars = run.group()
            out.extend(chars[i : i + 2] for i in range(max(1, len(chars) - 1)))
            position = run.end()
        if position < len(word):
            out.append(word[position:])
    return out


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
    words: set[str] = set()
    for name in info(language).stop_lists:
        # sumy's own lists, read straight from its package data: importing `sumy.utils` for
        # them would pull in requests (0.3 s) on every run.
        with suppress(OSError, FileNotFoundError):
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
    snowball = info(language).snowball
    if snowball is not None:
        import snowballstemmer

        stem_word: Callable[[str], str] = snowballstemmer.stemmer(snowball).stemWord

        @lru_cache(maxsize=65536)
        def snowball_stem(word: str) -> str:
            return stem_word(word.lower())  # NLTK lower-cased first; Snowball does not

        return snowball_stem
    if language == "uk":
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
