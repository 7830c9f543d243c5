"""The summarization algorithms by name: `lead-plus` (the default), `lead` and sumy's eight.

Every algorithm scores every sentence; the summary is the best-scored N, in article order.
sumy summarizers are driven through a sumy document built from our own offline sentence
splitter, and their internal ratings are captured so every sentence gets a score.

Long inputs. sumy's LexRank, TextRank, Reduction, LSA, SumBasic and KL grow with the square
(or cube) of the sentence count: minutes, and gigabytes for LSA, at 5,000 sentences. Above
`FAST_ABOVE[name]` sentences (300; 100 for KL, whose sumy form is cubic) a numpy
re-implementation computes the same ratings instead:

- lex-rank, text-rank, reduction: the same graph from one sparse matrix product
  (summarize.centrality), then the same power method or row sums;
- lsa: with sumy's settings (all singular values kept) a sentence's rank
  sqrt(sum_k sigma_k^2 v_ki^2) equals the length of its column in the term matrix, which is
  computed directly instead of a full SVD;
- sum-basic, kl: the same greedy, one sentence per step, with every candidate's average word
  probability or KL divergence computed in one vectorized step.

These give sumy's ratings up to floating-point rounding (KL divergences are compared after
rounding to 10 decimals, so exact ties go to the earlier sentence as in sumy). Below the
thresholds sumy itself runs, unchanged; Luhn only gets its significant-word tuple turned into a
set, which changes speed, not output.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from summarize import centrality
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
    """A ranker running sumy's `name` summarizer and capturing its rating of every sentence;
    above `FAST_ABOVE[name]` sentences, the equivalent numpy re-implementation instead."""

    def rank(sentences: Sequence[str], title: str, language: str) -> list[float]:
        fast = _FAST.get(name)
        if fast is not None and len(sentences) > FAST_ABOVE[name]:
            return fast(sentences, title, language)
        return _run_sumy(name, sentences, title, language)

    return rank


def _run_sumy(name: str, sentences: Sequence[str], title: str, language: str) -> list[float]:
    document = build_sumy_document(sentences, title, language)
    summarizer = _make_sumy_summarizer(name, title, language)
    order = {id(s): i for i, s in enumerate(document.sentences)}
    scores = [0.0] * len(sentences)

    def capture(
        candidates: Sequence[Any], count: Any, rating: Any, *args: Any, **kwargs: Any
    ) -> tuple[Any, ...]:
        for sentence in candidates:
            value = (
                rating[sentence] if isinstance(rating, dict) else rating(sentence, *args, **kwargs)
            )
            scores[order[id(sentence)]] = float(value)
        return ()

    # sumy computes its ratings then hands them to `_get_best_sentences`; intercepting
    # that one call gives the full rating table without re-implementing any algorithm.
    summarizer._get_best_sentences = capture
    if name == "luhn":
        # Luhn tests every word for membership in a tuple of significant words: a set gives
        # the same answers in constant time.
        significant = summarizer._get_significant_words
        summarizer._get_significant_words = lambda words: frozenset(significant(words))
    summarizer(document, len(sentences))
    return scores


def _keyed_by_text(sentences: Sequence[str], scores: list[float], add: bool) -> list[float]:
    """sumy keeps ratings in a dict keyed by sentence, and equal texts are equal keys: the
    last duplicate's value wins (`add`: the duplicates' values add up, as in Reduction)."""
    table: dict[str, float] = {}
    for sentence, score in zip(sentences, scores, strict=True):
        table[sentence] = table.get(sentence, 0.0) + score if add else score
    return [table[s] for s in sentences]


def _content_ranker(
    score: Callable[[Sequence[Sequence[str]]], list[float]], add: bool = False
) -> Ranker:
    def rank(sentences: Sequence[str], title: str, language: str) -> list[float]:
        scores = score(centrality.content_words(sentences, language))
        return _keyed_by_text(sentences, scores, add)

    return rank


def lsa_scores(sentences: Sequence[str], title: str, language: str) -> list[float]:
    """sumy's LSA ranks without the SVD: the length of each sentence's column in sumy's
    smoothed term-frequency matrix (0.4 + 0.6 * count / max count, 0.4 for absent words)."""
    stops = textproc.stop_words(language)
    stem = textproc.stemmer(language)
    words = [[w.lower() for w in textproc.split_words(s)] for s in sentences]
    heading = [w.lower() for w in textproc.split_words(title)] if title.strip() else []
    dictionary = {stem(w) for ws in [heading, *words] for w in ws if w not in stops}
    scores = [0.0] * len(sentences)
    for i, ws in enumerate(words):
        counts = Counter(t for t in map(stem, ws) if t in dictionary)
        if not counts:
            continue
        top = max(counts.values())
        present = sum((0.4 + 0.6 * (c / top)) ** 2 for c in counts.values())
        scores[i] = math.sqrt((len(dictionary) - len(counts)) * 0.16 + present)
    return scores


def _ids(words: Sequence[str], vocabulary: dict[str, int]) -> list[int]:
    return [vocabulary.setdefault(w, len(vocabulary)) for w in words]


def sum_basic_scores(sentences: Sequence[str], title: str, language: str) -> list[float]:
    """sumy's SumBasic greedy, vectorized: each step picks the sentence with the highest mean
    word probability, then squares the probability of its words (once per occurrence).
    Ratings are -step, as in sumy
    (see `_keyed_by_text` for repeated sentences)."""
    words = centrality.content_words(sentences, language)
    vocabulary: dict[str, int] = {}
    flat = np.array([t for ws in words for t in _ids(ws, vocabulary)], dtype=np.int64)
    owner = np.repeat(np.arange(len(words)), [len(ws) for ws in words])
    lengths = np.array([len(ws) for ws in words], dtype=np.float64)
    freq = np.bincount(flat, minlength=len(vocabulary)) / max(len(flat), 1)
    remaining = np.ones(len(words), dtype=bool)
    ratings: dict[str, float] = {}
    for _ in range(len(words)):
        sums = np.bincount(owner, weights=freq[flat], minlength=len(words))
        mean = np.divide(sums, lengths, out=np.zeros_like(sums), where=lengths > 0)
        best = int(np.argmax(np.where(remaining, mean, -np.inf)))
        remaining[best] = False
        ratings[sentences[best]] = -float(len(ratings))
        for term in _ids(words[best], vocabulary):
            freq[term] *= freq[term]
    return [ratings[s] for s in sentences]


def kl_scores(sentences: Sequence[str], title: str, language: str) -> list[float]:
    """sumy's KL-Sum greedy, vectorized: each step adds the sentence whose words, joined with
    the summary so far, have the lowest KL(document || summary + sentence); divergences equal
    to 10 decimals go to the earlier sentence. sumy's quirks are kept: no stemming; document
    frequencies drop stop words before lower-casing; the summary side counts its raw words
    (stop words and case included). Ratings are -step."""
    stops = textproc.stop_words(language)
    raw = [textproc.split_words(s) for s in sentences]
    vocabulary: dict[str, int] = {}
    document = [w.lower() for ws in raw for w in ws if w not in stops]
    doc_ids = np.array(_ids(document, vocabulary), dtype=np.int64)
    candidates = [[w.lower() for w in ws] for ws in raw]
    candidates = [[w for w in ws if w not in stops] for ws in candidates]
    pairs = [Counter(_ids(ws, vocabulary)) for ws in candidates]
    raw_ids = [_ids(ws, vocabulary) for ws in raw]
    size = len(vocabulary)
    f = np.bincount(doc_ids, minlength=size) / max(len(doc_ids), 1)
    log_f = np.log(np.where(f > 0, f, 1.0))
    owner = np.repeat(np.arange(len(pairs)), [len(p) for p in pairs])
    term = np.array([t for p in pairs for t in p], dtype=np.int64)
    count = np.array([c for p in pairs for c in p.values()], dtype=np.float64)
    lengths = np.array([len(ws) for ws in candidates], dtype=np.float64)
    f_term, log_f_term = f[term], log_f[term]
    own = np.where(f_term > 0, f_term * (log_f_term - np.log(count)), 0.0)
    summary = np.zeros(size)
    summary_length = 0.0
    remaining = np.ones(len(pairs), dtype=bool)
    ratings: dict[str, float] = {}
    n = len(pairs)
    for _ in range(n):
        in_summary = summary > 0
        useful = in_summary & (f > 0)
        base = float(np.sum(f[useful] * (log_f[useful] - np.log(summary[useful]))))
        mass = float(np.sum(f[useful]))
        s_term = summary[term]
        shared = s_term > 0
        safe = np.where(shared, s_term, 1.0)
        joint = np.where(shared, f_term * (np.log(safe) - np.log(count + s_term)), own)
        joint = np.where(f_term > 0, joint, 0.0)
        new_mass = np.where(shared, 0.0, f_term)
        total = lengths + summary_length
        kl = (
            base
            + np.bincount(owner, weights=joint, minlength=n)
            + np.log(np.where(total > 0, total, 1.0))
            * (mass + np.bincount(owner, weights=new_mass, minlength=n))
        )
        kl = np.where(total > 0, np.round(kl, 10), 0.0)
        best = int(np.argmin(np.where(remaining, kl, np.inf)))
        remaining[best] = False
        ratings[sentences[best]] = -float(len(ratings))
        np.add.at(summary, raw_ids[best], 1.0)
        summary_length += len(raw_ids[best])
    return [ratings[s] for s in sentences]


# Above this many sentences an algorithm switches to its numpy re-implementation.
FAST_ABOVE: dict[str, int] = {
    "lex-rank": 300,
    "text-rank": 300,
    "reduction": 300,
    "lsa": 300,
    "sum-basic": 300,
    "kl": 100,
}
_FAST: dict[str, Ranker] = {
    "lex-rank": _content_ranker(centrality.lexrank_scores),
    "text-rank": _content_ranker(centrality.textrank_scores),
    "reduction": _content_ranker(centrality.reduction_scores, add=True),
    "lsa": lsa_scores,
    "sum-basic": sum_basic_scores,
    "kl": kl_scores,
}


def registry() -> dict[str, Ranker]:
    """Every algorithm by CLI name."""
    rankers: dict[str, Ranker] = {
        "lead-plus": centrality.lead_plus_scores,
        "lead": lead_scores,
    }
    rankers.update({name: sumy_scores(name) for name in _SUMY_CLASSES})
    return rankers


ALGORITHM_NAMES: tuple[str, ...] = ("lead-plus", "lead", *_SUMY_CLASSES)
