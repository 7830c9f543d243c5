"""The summarization algorithms by name: sumy's eight plus `lead`.

Every algorithm scores every sentence; the summary is the best-scored N, in article order.
sumy summarizers are driven through a sumy document built from our own offline sentence
splitter, and their internal ratings are captured so every sentence gets a score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from summarize import text as textproc

# A ranker takes the sentences (already split), the title and the language, and returns one
# score per sentence (higher is better).
Ranker = Callable[[Sequence[str], str, str], list[float]]

_SUMY_CLASSES: dict[str, tuple[str, str]] = {
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "edmundson": ("sumy.summarizers.edmundson", "EdmundsonSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "text-rank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "lex-rank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "sum-basic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "reduction": ("sumy.summarizers.reduction", "ReductionSummarizer"),
}


def lead_scores(sentences: Sequence[str], title: str, language: str) -> list[float]:
    """LEAD: earlier is better. Score 1/(1+position)."""
    return [1.0 / (1 + i) for i in range(len(sentences))]


def build_sumy_document(sentences: Sequence[str], title: str, language: str) -> Any:
    """A sumy document: the title as a heading, then one paragraph of the given sentences."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = textproc.Tokenizer(language)
    parts = [Sentence(title, tokenizer, is_heading=True)] if title.strip() else []
    parts += [Sentence(s, tokenizer) for s in sentences]
    return ObjectDocumentModel([Paragraph(parts)])


def _make_sumy_summarizer(name: str, title: str, language: str) -> Any:
    import importlib

    module_name, class_name = _SUMY_CLASSES[name]
    cls = getattr(importlib.import_module(module_name), class_name)
    summarizer = cls(textproc.stemmer(language))
    stops = textproc.stop_words(language)
    if name == "edmundson":
        # Cue words: the headline's content words signal importance (bonus); sumy needs
        # both sets non-empty, and wire junk is the natural stigma.
        title_words = [w for w in textproc.split_words(title) if w.lower() not in stops]
        summarizer.bonus_words = title_words or ["said"]
        summarizer.stigma_words = ["comments", "advertisement", "subscribe", "click"]
        summarizer.null_words = stops
    else:
        summarizer.stop_words = stops
    return summarizer


def sumy_scores(name: str) -> Ranker:
    """A ranker running sumy's `name` summarizer and capturing its rating of every sentence."""

    def rank(sentences: Sequence[str], title: str, language: str) -> list[float]:
        document = build_sumy_document(sentences, title, language)
        summarizer = _make_sumy_summarizer(name, title, language)
        order = {id(s): i for i, s in enumerate(document.sentences)}
        scores = [0.0] * len(sentences)

        def capture(
            candidates: Sequence[Any], count: Any, rating: Any, *args: Any, **kwargs: Any
        ) -> tuple[Any, ...]:
            for sentence in candidates:
                value = (
                    rating[sentence]
                    if isinstance(rating, dict)
                    else rating(sentence, *args, **kwargs)
                )
                scores[order[id(sentence)]] = float(value)
            return ()

        # sumy computes its ratings then hands them to `_get_best_sentences`; intercepting
        # that one call gives the full rating table without re-implementing any algorithm.
        summarizer._get_best_sentences = capture
        summarizer(document, len(sentences))
        return scores

    return rank


def registry() -> dict[str, Ranker]:
    """Every algorithm by CLI name."""
    rankers: dict[str, Ranker] = {"lead": lead_scores}
    rankers.update({name: sumy_scores(name) for name in _SUMY_CLASSES})
    return rankers


ALGORITHM_NAMES: tuple[str, ...] = ("lead", *_SUMY_CLASSES)
