"""End to end: `briefpack build` on the sample article, cold (fresh process) and warm.

    .venv/bin/python -m bench.e2e [--runs 5] [--warm 5] [--no-realistic] [--json FILE]

Cold: `briefpack build examples/harbour-strike.txt --to ru,uk,de --json` (4 PDFs) as a fresh
child process, `--runs` times after one untimed run; median wall time, median peak RSS, and
the median seconds of each stage from the build's own `timings`. Warm: one process, one
`Builder`, the sample and then `--warm` generated articles (bench/articles.py); the time of
each article after the first is what a long-running caller pays.

Models: briefpack's test models, built fresh from translations/testmodels.py (whatever it
makes now). Then, unless `--no-realistic`, the translate stage on real-shape models: the
random-weight Transformer-base model of bench/translate_speed.py (6+6 layers, 50,000-piece
vocabulary, int8, ~90 MB) installed as en->ru, en->uk and en->de packages (hard links, so
each is hashed like a real one). Random weights never emit end-of-sentence, so a full
`briefpack build` with them decodes every sentence to the length cap and then again with
the loop guard: minutes, and nothing like a trained model. So this part times our engine
in a fresh process instead: import CTranslate2, load the 3 packages, hash them (the pack
records each digest), and translate the sample's title and 3 summary sentences into each
language in one batch, at 1.3 pieces per word (a real 50k vocabulary) and an output as
long as the input. The real-shape build time is then estimated as the test-model build
with its translate stage replaced by this one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    briefpack_command,
    isolated_env,
    machine,
    machine_line,
    median,
    run_child,
    test_model_store,
    write_json,
)

SAMPLE = ROOT / "examples" / "harbour-strike.txt"
DATE = "2026-01-15"
TARGET_COLD_S = 2.5
TARGET_WARM_S = 0.8


def cold(store: Path, work: Path, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """Fresh-process builds of the sample: wall, peak RSS and stage times (medians)."""
    command = [
        *briefpack_command(),
        "build",
        str(SAMPLE),
        "--to",
        "ru,uk,de",
        "--models",
        str(store),
        "--out",
        str(work / "cold"),
        "--date",
        DATE,
        "--force",
        "--json",
    ]
    results = []
    for _ in range(runs + 1):
        run = run_child(command, env=env)
        if run.returncode != 0:
            raise SystemExit(f"briefpack build failed: {run.stderr.strip()[-800:]}")
        results.append(run)
    results = results[1:]  # the first run warms the file cache
    timings = [json.loads(r.stdout)[0]["timings"] for r in results]
    return {
        "runs": runs,
        "seconds": round(median([r.seconds for r in results]), 3),
        "min_seconds": round(min(r.seconds for r in results), 3),
        "peak_mb": round(median([r.peak_mb for r in results]), 1),
        "helpers_mb": round(median([r.helpers_mb for r in results]), 1),
        "stages": {k: round(median([t[k] for t in timings]), 3) for k in timings[0]},
    }


def warm(store: Path, work: Path, count: int, env: dict[str, str]) -> dict[str, Any]:
    """One process, one Builder: the sample, then `count` generated articles."""
    articles = work / "articles"
    command = [
        sys.executable,
        "-m",
        "bench.e2e",
        "--child-warm",
        str(store),
        str(work / "warm"),
        str(articles),
        str(count),
    ]
    run = run_child(command, env=env)
    if run.returncode != 0:
        raise SystemExit(f"warm builds failed: {run.stderr.strip()[-800:]}")
    per_article = json.loads(run.stdout.strip().splitlines()[-1])
    later = per_article[1:]
    stages = {
        k: round(median([a["timings"].get(k, 0.0) for a in later]), 3) for k in later[0]["timings"]
    }
    return {
        "articles": len(per_article),
        "first_s": round(per_article[0]["seconds"], 3),
        "later_median_s": round(median([a["seconds"] for a in later]), 3),
        "later_min_s": round(min(a["seconds"] for a in later), 3),
        "later_stages": stages,
        "peak_mb": round(run.peak_mb, 1),
        "helpers_mb": round(run.helpers_mb, 1),
    }


def _child_warm(store: str, out: str, articles: str, count: str) -> int:
    from bench.articles import write_articles
    from briefpack.builder import Builder, BuildOptions
    from briefpack.options import TranslateOptions

    paths = [SAMPLE, *write_articles(Path(articles), int(count))]
    options = BuildOptions(
        translate=TranslateOptions(targets=("ru", "uk", "de"), models_dir=Path(store)),
        out_dir=Path(out),
        date=DATE,
        force=True,
    )
    start = time.perf_counter()
    builder = Builder(options)
    made = time.perf_counter() - start
    report = []
    for path in paths:
        start = time.perf_counter()
        result = builder.build(path)
        report.append({"seconds": time.perf_counter() - start, "timings": result.timings})
    report[0]["seconds"] += made
    print(json.dumps(report))
    return 0


def realistic_store(folder: Path) -> Path:
    """en->ru/uk/de packages of the real-shape random-weight model, as hard links."""
    from bench.translate_speed import SLUG, build_package, cache_root

    model = cache_root() / "packages" / SLUG
    if not (model / "model" / "model.bin").is_file():
        print(f"building the real-shape model in {model} ...", flush=True)
        build_package(model)
    store = folder / "real-shape"
    for target in ("ru", "uk", "de"):
        package = store / f"translate-en_{target}-bench"
        shutil.rmtree(package, ignore_errors=True)
        for path in sorted(model.rglob("*")):
            dest = package / path.relative_to(model)
            if path.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            elif path.name != "metadata.json":
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, dest)
                except OSError:
                    shutil.copy2(path, dest)
        metadata = json.loads((model / "metadata.json").read_text(encoding="utf-8"))
        metadata.update({"to_code": target, "to_name": target})
        (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return store


def real_shape(store: Path, env: dict[str, str], repeats: int = 3) -> dict[str, Any]:
    """Our engine on the real-shape packages, in a fresh process (see the module notes)."""
    run = run_child(
        [sys.executable, "-m", "bench.e2e", "--child-real", str(store), str(repeats)], env=env
    )
    if run.returncode != 0:
        raise SystemExit(f"real-shape timing failed: {run.stderr.strip()[-800:]}")
    figures: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    figures["peak_mb"] = round(run.peak_mb, 1)
    return figures


def _child_real(store: str, repeats: str) -> int:
    start = time.perf_counter()
    import ctranslate2  # noqa: F401

    from briefpack.ingest import read_article
    from summarize import summarize
    from translations import Engine, EngineOptions, ModelStore, package_digest

    imported = time.perf_counter() - start
    article = read_article(SAMPLE)
    summary = summarize(article.text, article.language, title=article.title)
    texts = [summary.title or summary.texts[0], *summary.texts]
    lengths = [max(1, round(1.3 * len(t.split()))) for t in texts]
    tokens = [
        [f"\u2581w{(7 * i + 3 * j) % 40_000 + 500}" for j in range(n)]
        for i, n in enumerate(lengths)
    ]
    engine = Engine(ModelStore.from_env(Path(store)), EngineOptions())
    packages = [engine.store.route("en", t).packages[0] for t in ("ru", "uk", "de")]
    start = time.perf_counter()
    loaded = [engine._load(p) for p in packages]
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    for package in packages:
        package_digest(package.info.path)
    digest_s = time.perf_counter() - start
    # Output as long as the longest input (end-of-sentence never comes with random weights).
    limit = max(lengths)
    runs = []
    for _ in range(int(repeats)):
        start = time.perf_counter()
        for package, model in zip(packages, loaded, strict=True):
            engine._decode(package, model, tokens, limit, no_repeat_ngram_size=0)
        runs.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "sentences": len(texts),
                "source_tokens": sum(lengths),
                "output_tokens_each": limit,
                "import_s": round(imported, 3),
                "load_s": round(load_s, 3),
                "digest_s": round(digest_s, 3),
                "translate_s": round(runs[0], 3),
                "translate_warm_s": round(median(runs[1:] or runs), 3),
            }
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=5, help="generated articles after the sample")
    parser.add_argument("--no-realistic", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--child-warm", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--child-real", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_warm:
        return _child_warm(*args.child_warm)
    if args.child_real:
        return _child_real(*args.child_real)

    figures: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        work = Path(tmp)
        env = isolated_env(work / "home")
        store = test_model_store(work / "test-models")
        figures["test_models"] = {
            "cold": cold(store, work / "t", args.runs, env),
            "warm": warm(store, work / "t", args.warm, env),
        }
        if not args.no_realistic:
            real = real_shape(realistic_store(work), env)
            tests = figures["test_models"]
            real["estimated_cold_s"] = round(
                tests["cold"]["seconds"]
                - tests["cold"]["stages"]["translate"]
                + real["load_s"]
                + real["digest_s"]
                + real["translate_s"],
                2,
            )
            real["estimated_warm_s"] = round(
                tests["warm"]["later_median_s"]
                - tests["warm"]["later_stages"]["translate"]
                + real["translate_warm_s"],
                2,
            )
            figures["real_shape"] = real
    figures["targets"] = {"cold_s": TARGET_COLD_S, "warm_s": TARGET_WARM_S}
    print(machine_line(figures["machine"]))
    for name in ("test_models",):
        c, w = figures[name]["cold"], figures[name]["warm"]
        print(f"[{name}] sample article, 4 PDFs (en + ru, uk, de)")
        print(
            f"  cold (fresh process, median of {c['runs']}): {c['seconds']:.2f} s wall, "
            f"{c['peak_mb']:.0f} MB peak RSS (+ render helpers {c['helpers_mb']:.0f} MB)"
        )
        print("  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in c["stages"].items()))
        print(
            f"  warm (same process, articles 2..{w['articles']}): median {w['later_median_s']:.2f}"
            f" s per article (first {w['first_s']:.2f} s), {w['peak_mb']:.0f} MB peak RSS"
            f" (+ render helpers {w['helpers_mb']:.0f} MB)"
        )
        print("  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in w["later_stages"].items()))
    if "real_shape" in figures:
        r = figures["real_shape"]
        print(
            f"[real_shape engine, fresh process] import {r['import_s']:.2f} s, load 3 models "
            f"{r['load_s']:.2f} s, hash them {r['digest_s']:.2f} s, translate {r['sentences']} "
            f"sentences x 3 languages {r['translate_s']:.2f} s (warm {r['translate_warm_s']:.2f}"
            f" s); peak {r['peak_mb']:.0f} MB"
        )
        print(
            f"  estimated build: cold {r['estimated_cold_s']:.2f} s, "
            f"warm {r['estimated_warm_s']:.2f} s per article"
        )
    print(f"targets: cold <= {TARGET_COLD_S} s, warm <= {TARGET_WARM_S} s (test models)")
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
