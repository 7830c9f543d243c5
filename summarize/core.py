"""`summarize()`: split, score with the chosen algorithm, keep the best N in article order."""

from __future__ import annotations

import logging
import math
import re
import unicodedata

from briefpack.errors import InputError
from briefpack.model import Summary, SummarySentence
from summarize.algorithms import ALGORITHM_NAMES, registry
from summarize.text import split_sentences

log = logging.getLogger(__name__)

# LEAD with a short-sentence penalty and redundancy control: edges LEAD-3 on the dev set
# (bench.rouge; within the noise of 50 articles), where every sumy algorithm is 6-10 R1
# points below it. What else was tried: docs/summarization-experiments.md.
DEFAULT_ALGORITHM = "lead-plus"


def repeats_title(sentence: str, title: str) -> bool:
    """The sentence says the headline again: 70% of their words shared, or one holds every
    word of the other (when that one has 4 or more)."""
    mine, theirs = set(_words(sentence)), set(_words(title))
    if not mine or not theirs:
        return False
    if len(mine & theirs) / len(mine | theirs) >= 0.7:
        return True
    return (len(theirs) >= 4 and theirs <= mine) or (len(mine) >= 4 and mine <= theirs)


# Words for comparing a sentence with the title: quotes and apostrophes dropped, so "Let's"
# and "Lets", «Wir» and "Wir" match.
_QUOTES = re.compile(r"[\u2018\u2019\u201c\u201d\u00ab\u00bb\"'`´„‚]")
_TITLE_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _TITLE_WORD.findall(_QUOTES.sub("", unicodedata.normalize("NFKC", text).casefold()))


def sentence_count(total: int, sentences: int | None, ratio: float | None) -> int:
    """How many sentences to keep: an explicit count, or a ratio of the total (at least 1)."""
    if sentences is not None and ratio is not None:
        raise InputError("give either a sentence count or a ratio, not both")
    if ratio is not None:
        if not 0.0 < ratio <= 1.0:
            raise InputError(f"ratio must be in (0, 1], got {ratio}; try --ratio 0.2")
        return max(1, math.ceil(total * ratio - 1e-9))
    count = 3 if sentences is None else sentences
    if count < 1:
        raise InputError(f"sentence count must be at least 1, got {count}; try --sentences 3")
    return min(count, total)


def summarize(
    text: str,
    language: str = "en",
    *,
    title: str = "",
    algorithm: str = DEFAULT_ALGORITHM,
    sentences: int | None = None,
    ratio: float | None = None,
) -> Summary:
    """Summarize `text` extractively; sentences come back in article order with scores."""
    if algorithm == "default":
        algorithm = DEFAULT_ALGORITHM
    rankers = registry()
    if algorithm not in rankers:
        known = ", ".join(ALGORITHM_NAMES)
        raise InputError(f"unknown algorithm {algorithm!r}; choose one of: {known}")
    all_sentences = split_sentences(text, language)
    if not all_sentences:
        raise InputError("the article has no sentences to summarize; check the file's contents")
    count = sentence_count(len(all_sentences), sentences, ratio)
    log.info("summarizing %d sentences with %s", len(all_sentences), algorithm)
    scores = rankers[algorithm](all_sentences, title, language)
    if title.strip():
        # The headline again (with a date or site name around it) tells the reader nothing
        # new: it comes after every other sentence, whatever the algorithm thought of it.
        scores = [
            s * 1e-6 if repeats_title(t, title) else s
            for s, t in zip(scores, all_sentences, strict=True)
        ]
    # Stable: ties go to the earlier sentence.
    best = sorted(range(len(all_sentences)), key=lambda i: (-scores[i], i))[:count]
    chosen = tuple(
        SummarySentence(index=i, text=all_sentences[i], score=round(scores[i], 6))
        for i in sorted(best)
    )
    parameters: dict[str, object] = {"sentences": count}
    if ratio is not None:
        parameters["ratio"] = ratio
    return Summary(
        title=title,
        language=language,
        algorithm=algorithm,
        parameters=parameters,
        sentences=chosen,
        total_sentences=len(all_sentences),
    )
