"""ROUGE of every summarization algorithm on a JSONL evaluation file.

    .venv/bin/python -m bench.rouge --data ../shared/eval/cnndm-summeval-dev50.jsonl \\
        [--sentences 3] [--algorithms lead,default]

Each line of the file holds `id`, `text` and `reference` (one sentence per line). Scoring
follows the usual conventions (see shared/eval/README.md): rouge-score's
`RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)`, F1 x 100, prediction and
reference one sentence per line, `split_summaries=False`, averaged over documents.

Prints a table (algorithm, R1, R2, RLsum, seconds) and, as the last line, one JSON object
mapping each algorithm to its three scores. `default` is `summarize.DEFAULT_ALGORITHM`.
`--half even|odd` scores only the even- or odd-numbered documents (0-based).
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


def load(path: Path) -> list[dict[str, Any]]:
    """The documents of a JSONL file, one JSON object per non-blank line."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def rouge(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Mean ROUGE F1 x 100 over (prediction, reference) pairs, one sentence per line each."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True, split_summaries=False)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    count = 0
    for prediction, reference in pairs:
        scores = scorer.score(reference, prediction)
        for name in ROUGE_TYPES:
            totals[name] += scores[name].fmeasure * 100
        count += 1
    return {name: total / max(count, 1) for name, total in totals.items()}


def evaluate(
    documents: Sequence[dict[str, Any]], algorithm: str, sentences: int = 3
) -> tuple[dict[str, float], float]:
    """ROUGE of one algorithm over the documents, and the seconds spent summarizing."""
    from summarize import summarize

    predictions = []
    start = time.perf_counter()
    for document in documents:
        summary = summarize(document["text"], "en", algorithm=algorithm, sentences=sentences)
        predictions.append("\n".join(summary.texts))
    seconds = time.perf_counter() - start
    references = [document["reference"] for document in documents]
    return rouge(zip(predictions, references, strict=True)), seconds


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
    print(f"{len(documents)} documents, {args.sentences} sentences")
    print(f"{'algorithm':<12}{'R1':>8}{'R2':>8}{'RLsum':>8}{'seconds':>10}")
    for name in names:
        scores, seconds = evaluate(documents, name, args.sentences)
        results[name] = {k: round(v, 2) for k, v in scores.items()}
        print(
            f"{name:<12}{scores['rouge1']:>8.2f}{scores['rouge2']:>8.2f}"
            f"{scores['rougeLsum']:>8.2f}{seconds:>10.2f}",
            flush=True,
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
