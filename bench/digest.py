"""The digest: 20 articles into ru,uk,de as ONE `briefpack digest` vs 20 separate builds.

    .venv/bin/python -m bench.digest [--count 20] [--json FILE] [--section]

All in one run, on generated articles (bench/articles.py) and briefpack's test models:

* `builds`: 20 separate `briefpack build ARTICLE` processes, one after another (what a
  newsroom script does today); wall time summed, peak memory the largest;
* `build (one process)`: one `briefpack build` of all 20 (20 packs, models loaded once);
* `digest`: one `briefpack digest --no-merge` of all 20 (one pack of 20 stories, every
  language's sentences in one batched call, 4 PDFs). `--no-merge` keeps the work equal:
  the generated articles share templates and some would merge.

Then the translate stage on the real-shape models (the random-weight Transformer-base
packages of bench/e2e.py, ~90 MB each; they never end a sentence, so whole runs with them
would time the length cap): in one fresh process, each article's title and summary
translated per article (3 calls each, as 20 builds do) vs all 20 in one call per
language (as the digest does), at 1.3 pieces per word, outputs as long as the inputs.
The real-shape totals are estimated as the test-model runs with their translate stage
replaced by these. Peak memory: the main process's own, plus the render helpers' sum.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.articles import write_articles
from bench.common import (
    briefpack_command,
    isolated_env,
    machine,
    machine_line,
    median,
    run_child,
    test_model_store,
    write_json,
)

DATE = "2026-01-15"
TARGET_RATIO = 1.5
TARGETS = "ru,uk,de"


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, dict[str, Any]]:
    """(wall s, peak MB main + helpers, the --json report) of one briefpack process."""
    run = run_child([*briefpack_command(), *args, "--json"], env=env, timeout=1800)
    if run.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {run.stderr.strip()[-800:]}")
    return run.seconds, run.peak_mb + run.helpers_mb, json.loads(run.stdout)


def _translate_seconds(reports: list[dict[str, Any]]) -> float:
    return sum(float(r["timings"].get("translate", 0.0)) for r in reports)


def whole_runs(work: Path, store: Path, articles: list[str], env: dict[str, str]) -> dict[str, Any]:
    common = ["--to", TARGETS, "--models", str(store), "--date", DATE]
    seconds, peak, builds_translate = 0.0, 0.0, 0.0
    for index, path in enumerate(articles):
        s, mb, report = _run(["build", path, "--out", str(work / f"one-{index}"), *common], env)
        seconds, peak = seconds + s, max(peak, mb)
        builds_translate += _translate_seconds(report)
    batch_s, batch_mb, batch = _run(["build", *articles, "--out", str(work / "all"), *common], env)
    digest_s, digest_mb, digest = _run(
        ["digest", *articles, "--no-merge", "--out", str(work / "digest"), *common], env
    )
    return {
        "builds": {
            "seconds": round(seconds, 2),
            "peak_mb": round(peak, 1),
            "translate_s": round(builds_translate, 3),
        },
        "build_one_process": {
            "seconds": round(batch_s, 2),
            "peak_mb": round(batch_mb, 1),
            "translate_s": round(_translate_seconds(batch), 3),
        },
        "digest": {
            "seconds": round(digest_s, 2),
            "peak_mb": round(digest_mb, 1),
            "translate_s": round(float(digest["timings"].get("translate", 0.0)), 3),
            "stories": len(digest["stories"]),
        },
    }


def real_shape(store: Path, articles: list[str], env: dict[str, str]) -> dict[str, Any]:
    run = run_child(
        [sys.executable, "-m", "bench.digest", "--child-real", str(store), *articles],
        env=env,
        timeout=1800,
    )
    if run.returncode != 0:
        raise SystemExit(f"real-shape timing failed: {run.stderr.strip()[-800:]}")
    figures: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    figures["peak_mb"] = round(run.peak_mb, 1)
    return figures


def _child_real(store: str, paths: list[str]) -> int:
    from briefpack.ingest import read_article
    from summarize import summarize
    from translations import Engine, EngineOptions, ModelStore

    batches = []
    for path in paths:
        article = read_article(path)
        summary = summarize(article.text, article.language, title=article.title)
        texts = [summary.title or summary.texts[0], *summary.texts]
        lengths = [max(1, round(1.3 * len(t.split()))) for t in texts]
        batches.append(
            [
                [f"\u2581w{(7 * i + 3 * j + len(batches)) % 40_000 + 500}" for j in range(n)]
                for i, n in enumerate(lengths)
            ]
        )
    engine = Engine(ModelStore.from_env(Path(store)), EngineOptions())
    packages = [engine.store.route("en", t).packages[0] for t in TARGETS.split(",")]
    loaded = [engine._load(p) for p in packages]

    def decode(groups: list[list[list[str]]]) -> float:
        start = time.perf_counter()
        for package, model in zip(packages, loaded, strict=True):
            for tokens in groups:
                limit = max(len(t) for t in tokens)
                engine._decode(package, model, tokens, limit, no_repeat_ngram_size=0)
        return time.perf_counter() - start

    everything = [tokens for batch in batches for tokens in batch]
    per_article, batched = [], []
    for _ in range(3):  # alternating, so both see the same machine
        per_article.append(decode(batches))
        batched.append(decode([everything]))
    print(
        json.dumps(
            {
                "sentences": len(everything),
                "source_tokens": sum(len(t) for t in everything),
                "per_article_s": round(median(per_article), 3),
                "batched_s": round(median(batched), 3),
            }
        )
    )
    return 0


def digest_section(data: dict[str, Any]) -> list[str]:
    """The RESULTS.md section (run_all writes it; so can `--section`)."""
    runs, real = data["runs"], data["real_shape"]
    b, one, d = runs["builds"], runs["build_one_process"], runs["digest"]
    est = data["estimated"]
    rows = [
        [
            f"{data['articles']} separate `briefpack build` processes",
            b["seconds"],
            b["translate_s"],
            est["builds_s"],
            b["peak_mb"],
            "1.00x",
        ],
        [
            f"one `briefpack build` of all {data['articles']} ({data['articles']} packs)",
            one["seconds"],
            one["translate_s"],
            est["build_one_process_s"],
            one["peak_mb"],
            f"{b['seconds'] / one['seconds']:.2f}x",
        ],
        [
            f"`briefpack digest --no-merge` (1 pack, {d['stories']} stories)",
            d["seconds"],
            d["translate_s"],
            est["digest_s"],
            d["peak_mb"],
            f"{b['seconds'] / d['seconds']:.2f}x",
        ],
    ]
    header = [
        "run",
        "wall s (test models)",
        "translate s",
        "est. s (real-shape)",
        "peak MB (main + helpers)",
        "speed vs separate builds",
    ]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [
        "## Digest",
        "",
        f"{data['articles']} generated articles (bench/articles.py) into {TARGETS}, all in one "
        f"run: {data['articles']} separate builds ({4 * data['articles']} PDFs), one build "
        f"process of all {data['articles']}, and one "
        "digest (4 PDFs, 1 pack). Wall seconds with briefpack's test models; the real-shape "
        "column replaces each run's translate stage by the real-shape models' time for the "
        f"same work, per article ({real['per_article_s']} s) or in one batch per language "
        f"({real['batched_s']} s, {real['sentences']} sentences, {real['source_tokens']} "
        "source tokens). `python -m bench.digest`.",
        "",
        *table,
        "",
        f"Digest vs {data['articles']} builds: **{data['ratio']:.2f}x** with test models, "
        f"**{data['ratio_real']:.2f}x** estimated on the real-shape models (target "
        f"{TARGET_RATIO}x); vs one build process of all {data['articles']}: "
        f"{data['ratio_one']:.2f}x and "
        f"{data['ratio_one_real']:.2f}x. Peak memory of the digest: {d['peak_mb']} MB with "
        f"test models; the real-shape timing process (3 models of ~90 MB loaded) peaked at "
        f"{real['peak_mb']} MB.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--section", action="store_true", help="print the RESULTS.md section")
    parser.add_argument("--no-realistic", action="store_true", help="skip real-shape models")
    parser.add_argument("--child-real", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_real:
        return _child_real(args.child_real[0], args.child_real[1:])
    with tempfile.TemporaryDirectory(prefix="bench-digest-") as tmp:
        work = Path(tmp)
        env = isolated_env(work / "home")
        store = test_model_store(work / "models")
        articles = [str(p) for p in write_articles(work / "articles", args.count)]
        runs = whole_runs(work, store, articles, env)
        if args.no_realistic:
            real = {
                "per_article_s": 0.0,
                "batched_s": 0.0,
                "sentences": 0,
                "source_tokens": 0,
                "peak_mb": 0.0,
            }
        else:
            from bench.e2e import realistic_store

            real = real_shape(realistic_store(work), articles, env)
    b, one, d = runs["builds"], runs["build_one_process"], runs["digest"]
    estimated = {
        "builds_s": round(b["seconds"] - b["translate_s"] + real["per_article_s"], 2),
        "build_one_process_s": round(
            one["seconds"] - one["translate_s"] + real["per_article_s"], 2
        ),
        "digest_s": round(d["seconds"] - d["translate_s"] + real["batched_s"], 2),
    }
    info = machine()
    data = {
        "machine": info,
        "articles": args.count,
        "runs": runs,
        "real_shape": real,
        "estimated": estimated,
        "ratio": round(b["seconds"] / d["seconds"], 2),
        "ratio_one": round(one["seconds"] / d["seconds"], 2),
        "ratio_real": round(estimated["builds_s"] / estimated["digest_s"], 2),
        "ratio_one_real": round(estimated["build_one_process_s"] / estimated["digest_s"], 2),
        "target_ratio": TARGET_RATIO,
    }
    print(machine_line(info))
    print(json.dumps({k: v for k, v in data.items() if k != "machine"}, indent=2))
    if args.section:
        print("\n".join(digest_section(data)))
    write_json(args.json, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
