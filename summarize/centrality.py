"""Sentence-similarity scoring with numpy: the default `lead-plus`, and fast, faithful versions
of sumy's LexRank, TextRank and Reduction for long articles.

sumy compares every pair of sentences in pure Python, which takes minutes on a 5,000-sentence
input. Here a document becomes a sparse term-count matrix C (sentences x terms) and every
pairwise overlap comes from one matrix product C @ C.T, computed in blocks of terms. Only terms
that occur in two or more sentences can make two sentences overlap, so the product runs over
those alone; the diagonal (a sentence with itself) is added exactly from the row sums.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from summarize import text as textproc

FloatArray = npt.NDArray[np.float64]

# Terms per block of the matrix product: bounds the dense block to n x 1024 floats.
_BLOCK = 1024

# lead-plus: a sentence with fewer content words than this rarely states a whole fact
# ("Thursday.", "It was shocking, he said."); its score shrinks in proportion.
SHORT_SENTENCE_WORDS = 8
# lead-plus: two sentences whose TF-IDF cosine reaches this share most of their weighted
# vocabulary, i.e. say the same thing; the lower-ranked one is demoted.
REDUNDANCY_THRESHOLD = 0.5
# lead-plus: how many of the best-placed sentences are checked for redundancy; summaries are
# read from the top of the ranking, so the check never needs the whole of a long document.
REDUNDANCY_WINDOW = 200


def content_words(sentences: Sequence[str], language: str) -> list[list[str]]:
    """Stemmed content words per sentence, exactly as sumy's `_to_words_set` builds them."""
    stops = textproc.stop_words(language)
    stem = textproc.stemmer(language)
    stems: dict[str, str] = {}  # a long text repeats its words: stem each form once
    words: list[list[str]] = []
    for sentence in sentences:
        kept = []
        for word in textproc.split_words(sentence):
            lowered = word.lower()
            if lowered in stops:
                continue
            if lowered not in stems:
                stems[lowered] = stem(lowered)
            kept.append(stems[lowered])
        words.append(kept)
    return words


class TermMatrix:
    """Sparse sentences x terms matrix in coordinate form (one entry per sentence and term)."""

    def __init__(self, tokens: Sequence[Sequence[str]]) -> None:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[float] = []
        lengths: list[int] = []
        for row, words in enumerate(tokens):
            seen: dict[int, int] = {}
            for word in words:
                col = vocabulary.setdefault(word, len(vocabulary))
                seen[col] = seen.get(col, 0) + 1
            rows.extend([row] * len(seen))
            cols.extend(seen)
            counts.extend(float(c) for c in seen.values())
            lengths.append(len(words))
        self.n = len(tokens)
        self.n_terms = len(vocabulary)
        self.rows = np.asarray(rows, dtype=np.int64)
        self.cols = np.asarray(cols, dtype=np.int64)
        self.counts = np.asarray(counts, dtype=np.float64)
        self.lengths = np.asarray(lengths, dtype=np.float64)
        self.df = np.bincount(self.cols, minlength=self.n_terms).astype(np.float64)

    def gram(self, values: FloatArray) -> FloatArray:
        """G = V @ V.T for the sparse matrix V holding `values` at this matrix's entries."""
        gram = np.zeros((self.n, self.n))
        shared = self.df[self.cols] >= 2
        rows, cols, vals = self.rows[shared], self.cols[shared], values[shared]
        order = np.argsort(cols, kind="stable")
        rows, cols, vals = rows[order], cols[order], vals[order]
        # Renumber the shared terms 0..k-1 so blocks are contiguous.
        _, local = np.unique(cols, return_inverse=True)
        n_shared = int(local.max()) + 1 if local.size else 0
        for start in range(0, n_shared, _BLOCK):
            lo, hi = np.searchsorted(local, [start, start + _BLOCK])
            block = np.zeros((self.n, min(_BLOCK, n_shared - start)))
            block[rows[lo:hi], local[lo:hi] - start] = vals[lo:hi]
            gram += block @ block.T
        diagonal = np.bincount(self.rows, weights=values * values, minlength=self.n)
        np.fill_diagonal(gram, diagonal)
        return gram


def _overlap_edges(matrix: TermMatrix) -> tuple[FloatArray, FloatArray]:
    """Word-overlap counts and sumy's edge normaliser log|s1| + log|s2| for every pair."""
    overlap = matrix.gram(matrix.counts)
    with np.errstate(divide="ignore"):
        logs = np.log(matrix.lengths)
    return overlap, logs[:, None] + logs[None, :]


def lexrank_scores(
    tokens: Sequence[Sequence[str]], threshold: float = 0.1, epsilon: float = 0.1
) -> list[float]:
    """sumy's LexRank, vectorized: same TF (count / max count), IDF log(N / (1 + df)),
    thresholded idf-modified cosine, row-normalised graph and power method."""
    matrix = TermMatrix(tokens)
    n = matrix.n
    if n == 0:
        return []
    max_tf = np.zeros(n)
    np.maximum.at(max_tf, matrix.rows, matrix.counts)
    idf = np.log(n / (1.0 + matrix.df))
    weights = matrix.counts / max_tf[matrix.rows] * idf[matrix.cols]
    gram = matrix.gram(weights)
    norms = np.sqrt(np.diag(gram).copy())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    gram *= inverse[:, None]  # in place: the cosine matrix, without another n x n array
    gram *= inverse[None, :]
    graph = (gram > threshold).astype(np.float64)
    del gram
    degrees = graph.sum(axis=1)
    degrees[degrees == 0] = 1
    graph /= degrees[:, None]
    transposed = graph.T
    p_vector = np.full(n, 1.0 / n)
    change = 1.0
    while change > epsilon:
        next_p = transposed @ p_vector
        next_p /= np.linalg.norm(next_p)
        change = float(np.linalg.norm(next_p - p_vector))
        p_vector = next_p
    return [float(x) for x in p_vector]


def textrank_scores(
    tokens: Sequence[Sequence[str]], damping: float = 0.85, epsilon: float = 1e-4
) -> list[float]:
    """sumy's TextRank, vectorized: edge = common words / (log|s1| + log|s2|), rows
    normalised, PageRank with damping by the power method. The dense teleport matrix
    (1 - d) / n is never built: its product with p is (1 - d) / n * sum(p)."""
    matrix = TermMatrix(tokens)
    n = matrix.n
    if n == 0:
        return []
    weights, norm = _overlap_edges(matrix)
    divide = (weights != 0) & (norm > 1e-8)  # one-word pairs (norm 0) keep the raw count
    np.divide(weights, norm, out=weights, where=divide)
    del norm, divide
    weights /= weights.sum(axis=1)[:, None] + 1e-7
    transposed = weights.T
    p_vector = np.full(n, 1.0 / n)
    change = 1.0
    while change > epsilon:
        next_p = (1.0 - damping) / n * p_vector.sum() + damping * (transposed @ p_vector)
        change = float(np.linalg.norm(next_p - p_vector))
        p_vector = next_p
    return [float(x) for x in p_vector]


def reduction_scores(tokens: Sequence[Sequence[str]]) -> list[float]:
    """sumy's Reduction, vectorized: each sentence's summed edge weight (common words /
    (log|s1| + log|s2|), 0 when that normaliser is 0) to every other sentence."""
    matrix = TermMatrix(tokens)
    if matrix.n == 0:
        return []
    edges, norm = _overlap_edges(matrix)
    zero = norm == 0
    np.divide(edges, norm, out=edges, where=~zero)
    edges[zero] = 0.0
    del norm, zero
    np.fill_diagonal(edges, 0.0)
    return [float(x) for x in edges.sum(axis=1)]


def _tfidf_rows(matrix: TermMatrix, rows: list[int]) -> FloatArray:
    """L2-normalised TF-IDF vectors (smooth IDF over the document) for the given sentences."""
    idf = np.log((1.0 + matrix.n) / (1.0 + matrix.df)) + 1.0
    position = {row: k for k, row in enumerate(rows)}
    take = np.isin(matrix.rows, rows)
    dense = np.zeros((len(rows), matrix.n_terms))
    local = np.array([position[int(r)] for r in matrix.rows[take]], dtype=np.int64)
    dense[local, matrix.cols[take]] = matrix.counts[take] * idf[matrix.cols[take]]
    norms: FloatArray = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    dense /= norms
    return dense


def lead_plus_scores(sentences: Sequence[str], title: str, language: str) -> list[float]:
    """LEAD with two repairs: short sentences shrink, repeated content is demoted.

    score = 1 / (1 + position) * min(1, content words / 8). Then, best first, a sentence
    whose TF-IDF cosine with a better-ranked kept sentence is at least 0.5 is redundant: its
    score is divided by a million, so it comes after every non-redundant sentence. Only the
    best 200 are checked (summaries come from the top). `title` is unused: headline overlap
    could not be measured on the evaluation set, which has no titles.
    """
    tokens = content_words(sentences, language)
    n = len(tokens)
    if n == 0:
        return []
    lengths = np.array([len(t) for t in tokens], dtype=np.float64)
    scores = np.minimum(1.0, lengths / SHORT_SENTENCE_WORDS) / (1.0 + np.arange(n))
    order = sorted(range(n), key=lambda i: (-scores[i], i))[:REDUNDANCY_WINDOW]
    vectors = _tfidf_rows(TermMatrix(tokens), order)
    similarity = vectors @ vectors.T
    kept: list[int] = []
    for k, sentence in enumerate(order):
        if kept and float(similarity[k, kept].max()) >= REDUNDANCY_THRESHOLD:
            scores[sentence] *= 1e-6
        else:
            kept.append(k)
    return [float(x) for x in scores]
