"""ROUGE of every summarization algorithm on a JSONL evaluation file.

    .venv/bin/python -m bench.rouge --data ../shared/eval/cnndm-summeval-dev50.jsonl \\
        [--sentences 3] [--algorithms lead,default]

Each line of the file holds `id`, `text` and `reference` (one sentence per line). Scoring
follows the usual conventions (see shared/eval/README.md): rouge-score's
`RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)`, F1 x 100, prediction and
reference one sentence per line, `split_summaries=False`, averaged over documents.

Prints a table (algorithm, R1, R2, RLsum, seconds); then, when `default` and `lead` both
ran, the default's gain over LEAD-3 with a 95% paired bootstrap interval (documents
resampled with replacement, a fixed seed): on 50 documents a gain whose interval spans zero
is not distinguishable from noise. The last line is one JSON object mapping each algorithm
to its three scores. `default` is `summarize.DEFAULT_ALGORITHM`. `--half even|odd` scores
only the even- or odd-numbered documents (0-based).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
# Heads the lines (one per ROUGE type) giving the default's gain over LEAD-3.
INTERVAL_HEADING = "default - lead (95% paired bootstrap interval over documents):"


def load(path: Path) -> list[dict[str, Any]]:
    """The documents of a JSONL file, one JSON object per non-blank line."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def rouge_per_document(pairs: Iterable[tuple[str, str]]) -> list[dict[str, float]]:
    """ROUGE F1 x 100 of each (prediction, reference) pair, one sentence per line each."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True, split_summaries=False)
    per_document = []
    for prediction, reference in pairs:
        scores = scorer.score(reference, prediction)
        per_document.append({name: scores[name].fmeasure * 100 for name in ROUGE_TYPES})
    return per_document


def mean(per_document: Sequence[dict[str, float]]) -> dict[str, float]:
    """The mean of each ROUGE type over documents (0 for none)."""
    count = max(len(per_document), 1)
    return {name: sum(d[name] for d in per_document) / count for name in ROUGE_TYPES}


def rouge(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Mean ROUGE F1 x 100 over (prediction, reference) pairs, one sentence per line each."""
    return mean(rouge_per_document(pairs))


def paired_bootstrap(
    gains: Sequence[float], resamples: int = 10_000, seed: int = 0
) -> tuple[float, float]:
    """95% interval of the mean of per-document gains, by resampling the documents."""
    import numpy as np

    values = np.asarray(gains, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (resamples, len(values)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def evaluate(
    documents: Sequence[dict[str, Any]], algorithm: str, sentences: int = 3
) -> tuple[list[dict[str, float]], float]:
    """Per-document ROUGE of one algorithm, and the seconds spent summarizing."""
    from summarize import summarize

    predictions = []
    start = time.perf_counter()
    for document in documents:
        summary = summarize(document["text"], "en", algorithm=algorithm, sentences=sentences)
        predictions.append("\n".join(summary.texts))
    seconds = time.perf_counter() - start
    references = [document["reference"] for document in documents]
    return rouge_per_document(zip(predictions, references, strict=True)), seconds


def main(argv: list[str] | None = None) -> int:
    from summarize import ALGORITHM_NAMES

    parser = argparse.ArgumentParser(description="ROUGE of every summarization algorithm.")
    parser.add_argument("--data", type=Path, required=True, help="JSONL: id, text, reference")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--algorithms", default="", help="comma-separated (default: all)")
    parser.add_argument("--half", choices=("even", "odd"), help="score half the documents")
    args = parser.parse_args(argv)
    documents = load(args.data)
    if args.half:
        documents = documents[0 if args.half == "even" else 1 :: 2]
    names = [a for a in args.algorithms.split(",") if a] or ["default", *ALGORITHM_NAMES]
    unknown = sorted(set(names) - {"default", *ALGORITHM_NAMES})
    if unknown:
        parser.error(
            f"unknown algorithm(s) {', '.join(unknown)}; known: default, "
            + ", ".join(ALGORITHM_NAMES)
        )
    results: dict[str, dict[str, float]] = {}
    per_document: dict[str, list[dict[str, float]]] = {}
    print(f"{len(documents)} documents, {args.sentences} sentences")
    print(f"{'algorithm':<12}{'R1':>8}{'R2':>8}{'RLsum':>8}{'seconds':>10}")
    for name in names:
        per_document[name], seconds = evaluate(documents, name, args.sentences)
        scores = mean(per_document[name])
        results[name] = {k: round(v, 2) for k, v in scores.items()}
        print(
            f"{name:<12}{scores['rouge1']:>8.2f}{scores['rouge2']:>8.2f}"
            f"{scores['rougeLsum']:>8.2f}{seconds:>10.2f}",
            flush=True,
        )
    if "default" in per_document and "lead" in per_document:
        print(INTERVAL_HEADING)
        for metric in ROUGE_TYPES:
            gains = [
                d[metric] - b[metric]
                for d, b in zip(per_document["default"], per_document["lead"], strict=True)
            ]
            low, high = paired_bootstrap(gains)
            changed = sum(1 for g in gains if g != 0)
            print(
                f"  {metric:<10}{sum(gains) / len(gains):+7.2f}   [{low:+.2f}, {high:+.2f}]"
                f"   ({changed} of {len(gains)} documents differ)"
            )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
