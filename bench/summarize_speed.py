"""Time every summarization algorithm on synthetic articles of 500, 2,000 and 5,000 sentences.

    .venv/bin/python bench/summarize_speed.py [--sizes 500,2000,5000] [--algorithms a,b]
        [--timeout 120]

Each (algorithm, size) runs in its own subprocess, so the peak resident memory it reports
(`ru_maxrss` of the child) belongs to that run alone; it includes the interpreter and the
imports (about 35 MB, 75 MB once sumy is imported). The time is `summarize()` end to end:
sentence splitting, scoring and selection of 3 sentences. A run past --timeout shows as ">N".

The text is generated, deterministic and English-like: a fixed list of English stop words
mixed with made-up content words drawn from a Zipf distribution, so that stemming, stop-word
filtering and word overlap behave roughly as in real prose.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "was",
    "with",
    "he",
    "it",
    "as",
    "at",
    "by",
    "from",
    "his",
    "be",
    "an",
    "have",
    "are",
    "which",
    "they",
    "but",
    "this",
    "not",
    "were",
    "had",
    "their",
    "has",
    "its",
    "been",
    "who",
    "after",
    "also",
    "more",
    "said",
    "will",
    "one",
    "would",
    "she",
    "about",
    "up",
    "out",
    "into",
    "when",
    "there",
    "two",
    "than",
    "over",
    "new",
    "first",
    "other",
]
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ren",
    "to",
    "sa",
    "vel",
    "dor",
    "ni",
    "qua",
    "bre",
    "tin",
    "os",
    "ul",
    "par",
    "zen",
    "fi",
    "gor",
    "he",
    "lu",
)


def synthetic_sentences(count: int, seed: int = 7, vocabulary: int = 3000) -> list[str]:
    """`count` deterministic English-like sentences (same arguments, same sentences)."""
    rng = random.Random(seed)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < vocabulary:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1.0 / (rank + 1) for rank in range(vocabulary)]
    sentences = []
    for _ in range(count):
        length = rng.randint(8, 30)
        picked = []
        for _ in range(length):
            if rng.random() < 0.45:
                picked.append(rng.choice(_FUNCTION_WORDS))
            else:
                picked.append(rng.choices(words, weights)[0])
        picked[0] = picked[0].capitalize()
        sentences.append(" ".join(picked) + ".")
    return sentences


def synthetic_article(count: int, seed: int = 7) -> str:
    """A one-paragraph article of `count` synthetic sentences."""
    return " ".join(synthetic_sentences(count, seed))


def _child(algorithm: str, size: int) -> None:
    sys.path.insert(0, str(ROOT))
    from summarize import summarize

    text = synthetic_article(size)
    start = time.perf_counter()
    summary = summarize(text, "en", algorithm=algorithm, sentences=3)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "total": summary.total_sentences}))


def _run(algorithm: str, size: int, timeout: float) -> dict[str, float] | None:
    command = [sys.executable, __file__, "--child", algorithm, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--algorithms", default="")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--child", nargs=2, metavar=("ALGORITHM", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    sys.path.insert(0, str(ROOT))
    from summarize import ALGORITHM_NAMES

    names = [a for a in args.algorithms.split(",") if a] or list(ALGORITHM_NAMES)
    sizes = [int(s) for s in args.sizes.split(",")]
    header = f"{'algorithm':<16}" + "".join(f"{f'{n} s':>10}{'MB':>7}" for n in sizes)
    print(header)
    print("-" * len(header))
    for name in names:
        cells = []
        for size in sizes:
            result = _run(name, size, args.timeout)
            if result is None:
                cells.append(f"{f'>{args.timeout:.0f}':>10}{'-':>7}")
            else:
                cells.append(f"{result['seconds']:>10.2f}{result['peak_mb']:>7.0f}")
        print(f"{name:<16}" + "".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
