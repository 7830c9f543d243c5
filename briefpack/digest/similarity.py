"""Which articles report the same story: TF-IDF cosine over stemmed content words.

Each article becomes a vector of its stemmed content words (the summarizer's tokens: stop
words dropped, Snowball stems; character bigrams in Chinese, Japanese and Thai), title and
body, where a name or number (a capitalised word inside a sentence, or a word with a digit)
counts `NAME_WEIGHT` times; weighted by sublinear term frequency (1 + ln tf) times a
smoothed inverse document frequency over the articles of the digest,
ln((1 + N) / (1 + df)) + 1. Two articles are the same story when the cosine of
their vectors is at least `MERGE_THRESHOLD`; only articles in the same language are
compared. Grouping is greedy in input order and average-linked: an article joins the
earliest story whose members it matches on average at or above the threshold, so one
loose match cannot chain two different events together. docs/digest.md gives the figures
on the test wires that set the threshold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from briefpack.model import Article

MERGE_THRESHOLD = 0.45
# A capitalised word inside a sentence, or one with a digit, counts this many times.
NAME_WEIGHT = 3
# Two key points are the same statement when the cosine of their stemmed content words
# (plain counts) is at least this; the summarizer's own redundancy threshold.
REPEAT_THRESHOLD = 0.5

Vector = dict[str, float]


def tokens(text: str, language: str) -> list[str]:
    """Stemmed content words of a text, in order (numbers kept: they tell events apart)."""
    from summarize.centrality import content_words

    return [w for sentence in content_words([text], language) for w in sentence if len(w) > 1]


def terms(article: Article) -> Counter[str]:
    """An article's weighted stemmed content words: the title and body, each word once,
    a name or number (`NAME_WEIGHT`) counting more: they tell one event from another."""
    from summarize import split_sentences
    from summarize.text import split_words, stemmer, stop_words

    stops, stem = stop_words(article.language), stemmer(article.language)
    found: Counter[str] = Counter()
    for sentence in split_sentences(f"{article.title}.\n\n{article.text}", article.language):
        for position, word in enumerate(split_words(sentence)):
            lowered = word.lower()
            if lowered in stops or len(lowered) < 2:
                continue
            name = any(c.isdigit() for c in word) or (position > 0 and word[:1].isupper())
            found[stem(lowered)] += NAME_WEIGHT if name else 1
    return found


def article_vectors(articles: Sequence[Article]) -> list[Vector]:
    """One unit-length TF-IDF vector per article, IDF over `articles`."""
    counts = [terms(a) for a in articles]
    documents = Counter(term for count in counts for term in count)
    total = len(articles)
    vectors = []
    for count in counts:
        vector = {
            term: (1 + math.log(tf)) * (math.log((1 + total) / (1 + documents[term])) + 1)
            for term, tf in count.items()
        }
        vectors.append(_unit(vector))
    return vectors


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """The cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def similarities(articles: Sequence[Article]) -> list[list[float]]:
    """The cosine of every pair of articles (0 across languages), as a square matrix."""
    vectors = article_vectors(articles)
    size = len(articles)
    matrix = [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            if articles[i].language == articles[j].language:
                matrix[i][j] = matrix[j][i] = cosine(vectors[i], vectors[j])
    return matrix


def group_articles(
    articles: Sequence[Article], threshold: float | None = MERGE_THRESHOLD
) -> list[list[int]]:
    """The articles' indices grouped into stories, each story and its members in input order.

    `threshold` None: no merging, one story per article.
    """
    if threshold is None:
        return [[i] for i in range(len(articles))]
    matrix = similarities(articles)
    groups: list[list[int]] = []
    for index in range(len(articles)):
        best, best_score = None, threshold
        for group in groups:
            score = sum(matrix[index][member] for member in group) / len(group)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = group, score
        if best is None:
            groups.append([index])
        else:
            best.append(index)
    return groups


def point_vector(text: str, language: str) -> Vector:
    """A key point's stemmed content words as a unit count vector."""
    return _unit({k: float(v) for k, v in Counter(tokens(text, language)).items()})


def repeats(text: str, chosen: Sequence[Vector], language: str) -> bool:
    """Whether a key point says what one of the `chosen` ones (point vectors) says."""
    vector = point_vector(text, language)
    return not vector or any(cosine(vector, other) >= REPEAT_THRESHOLD for other in chosen)
