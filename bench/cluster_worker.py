"""What a Dask worker process costs briefpack's work, against a plain process.

    .venv/bin/python -m bench.cluster_worker [--repeats 3] [--articles 8] [--json FILE]
    .venv/bin/python -m bench.cluster_worker --section FILE.json   # its RESULTS.md section

The same two jobs, timed inside the process that runs them (warm: models and renderer
loaded by an untimed first round), in five settings, each a fresh process per repeat:

* `process`: a plain Python process (what `--jobs` workers are);
* `process, nanny malloc`: the same with `MALLOC_TRIM_THRESHOLD_=65536`, as Dask's nanny
  starts its workers; `..., restored`: and briefpack's fix applied first
  (`briefpack.system.memory.restore_adaptive_malloc`, what each Dask worker does);
* `Dask worker`: a nanny-started worker of a 1-worker, 1-thread LocalCluster, the jobs sent
  with `briefpack.cluster.run_on_cluster` (what `--scheduler` does: the worker's malloc
  thresholds restored before its first task, see docs/cluster.md);
* `Dask worker, nanny malloc`: the same with `MALLOC_MMAP_THRESHOLD_` set on the worker, so
  briefpack leaves malloc as the nanny set it (how every worker ran before);
* `Dask worker, profiler off`: as `Dask worker`, with Dask's statistical profiler off
  (`DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False` on the worker);
* `Dask worker, quieter`: the profiler off, and the worker's memory and system monitors
  every 2 s instead of every 0.1 s and 0.5 s (`..._WORKER__MEMORY__MONITOR_INTERVAL`,
  `..._ADMIN__SYSTEM_MONITOR__INTERVAL`).

The jobs: `make` (`Builder.make` of the generated articles, bench/articles.py: summarize,
translate with the test models into ru,uk,de, render 4 PDFs; no writing), and
`translate` and `translate20` (the real-shape random-weight Transformer-base model of
bench/e2e.py: a batch of 5 and of 20 sentences into 3 languages, outputs as long as the
inputs, 1 CTranslate2 thread). Reported: the median seconds of each and its ratio to
`process`, and the median peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    local_dask_cluster,
    machine,
    machine_line,
    median,
    test_model_store,
    write_json,
)

RESTORE = "BENCH_RESTORE_MALLOC"  # 1: the child restores malloc first, as a worker does
JOBS = ("make", "translate", "translate20")
SETTINGS = (
    ("process", "process", {}),
    ("process, nanny malloc", "process", {"MALLOC_TRIM_THRESHOLD_": "65536"}),
    (
        "process, nanny malloc, restored",
        "process",
        {"MALLOC_TRIM_THRESHOLD_": "65536", RESTORE: "1"},
    ),
    ("Dask worker", "dask", {}),
    ("Dask worker, nanny malloc", "dask", {"MALLOC_MMAP_THRESHOLD_": "131072"}),
    ("Dask worker, profiler off", "dask", {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}),
    (
        "Dask worker, quieter",
        "dask",
        {
            "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
            "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "2s",
            "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "2s",
        },
    ),
)
LENGTHS = (14, 30, 26, 38, 22)  # pieces per sentence of the real-shape batch


def jobs(spec: str) -> dict[str, float]:
    """The jobs, warm, in this process: seconds of each (`JOBS`) and the process's peak
    resident memory ("peak_mb"). `spec` is JSON: the article files, the test-model store
    and the real-shape store."""
    import resource

    if os.environ.get(RESTORE) == "1":
        from briefpack.system.memory import restore_adaptive_malloc

        assert restore_adaptive_malloc()

    from briefpack.builder import Builder, BuildOptions
    from briefpack.options import TranslateOptions
    from translations import Engine, EngineOptions, ModelStore

    given = json.loads(spec)
    options = BuildOptions(
        translate=TranslateOptions(targets=("ru", "uk", "de"), models_dir=Path(given["models"])),
        render_processes=0,
        date="2026-01-15",
    )
    builder = Builder(options)
    engine = Engine(ModelStore.from_env(Path(given["real"])), EngineOptions(threads=1))
    packages = [engine.store.route("en", t).packages[0] for t in ("ru", "uk", "de")]
    loaded = [engine._load(p) for p in packages]

    def translate(sentences: int) -> None:
        lengths = [LENGTHS[i % len(LENGTHS)] for i in range(sentences)]
        tokens = [
            [f"\u2581w{(7 * i + 3 * j) % 40_000 + 500}" for j in range(n)]
            for i, n in enumerate(lengths)
        ]
        for package, model in zip(packages, loaded, strict=True):
            engine._decode(package, model, tokens, max(lengths), no_repeat_ngram_size=0)

    builder.make(given["articles"][0])  # warm: the renderer, the test models
    translate(len(LENGTHS))
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    for article in given["articles"]:
        builder.make(article)
    seconds["make"] = time.perf_counter() - start
    for job, sentences in (("translate", len(LENGTHS)), ("translate20", 4 * len(LENGTHS))):
        start = time.perf_counter()
        translate(sentences)
        seconds[job] = time.perf_counter() - start
    builder.close()
    seconds["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {key: round(value, 3) for key, value in seconds.items()}


# As this process started: a nanny sets its workers' variables (MALLOC_TRIM_THRESHOLD_,
# OMP_NUM_THREADS, ...) in the os.environ of the process it runs in, which is this one.
BASE_ENV = dict(os.environ)


def in_process(spec: str, env: dict[str, str]) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.cluster_worker", "--child", spec]
    child_env = {**BASE_ENV, "PYTHONPATH": str(ROOT), **env}
    done = subprocess.run(command, env=child_env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"child failed: {done.stderr.strip()[-800:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def on_worker(spec: str, env: dict[str, str]) -> dict[str, float]:
    from briefpack.cluster import run_on_cluster

    cluster = local_dask_cluster(1, {"PYTHONPATH": str(ROOT), **env})
    try:
        (outcome,) = run_on_cluster(cluster.scheduler_address, jobs, [spec])
        return outcome.get()
    finally:
        cluster.close()


def worker_section(data: dict[str, Any]) -> list[str]:
    """The RESULTS.md section (`--section` prints it)."""
    rows = [
        [
            r["setting"],
            *(f"{r[job]:.2f} ({r[job + '_ratio']:.2f}x)" for job in JOBS),
            f"{r['peak_mb']:.0f}",
        ]
        for r in data["rows"]
    ]
    header = ["setting", "make s", "translate s", "translate20 s", "peak MB"]
    return [
        "## A Dask worker process",
        "",
        f"Run alone (`python -m bench.cluster_worker`), not in `make bench`: "
        f"{machine_line(data['machine'])}. The same work in a plain process and in a "
        f"nanny-started Dask worker (1 worker, 1 thread), warm, medians of {data['repeats']} "
        f"fresh processes, each with its ratio to `process`: `make` is {data['articles']} "
        "articles made with the test models (summarize, translate into ru,uk,de, render 4 "
        "PDFs), `translate` and `translate20` a batch of 5 and of 20 sentences into 3 "
        "languages on the real-shape model; peak MB is the process's peak resident memory "
        "(the worker's, Dask included). 'nanny malloc': `MALLOC_TRIM_THRESHOLD_=65536`, as "
        "Dask's nanny sets it; 'restored': briefpack's fix of it, which every Dask worker "
        "applies; 'quieter': Dask's profiler off and its memory and system monitors every "
        "2 s (docs/cluster.md).",
        "",
        *_table(header, rows),
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--section", type=Path, help="print the RESULTS.md section of a --json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(jobs(args.child)))
        return 0
    if args.section:
        print("\n".join(worker_section(json.loads(args.section.read_text(encoding="utf-8")))))
        return 0
    from bench.articles import write_articles
    from bench.e2e import realistic_store

    info = machine()
    with tempfile.TemporaryDirectory(prefix="bench-worker-") as tmp:
        work = Path(tmp)
        spec = json.dumps(
            {
                "articles": [str(p) for p in write_articles(work / "articles", args.articles)],
                "models": str(test_model_store(work / "models")),
                "real": str(realistic_store(work)),
            }
        )
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _kind, _env in SETTINGS}
        for _ in range(args.repeats):  # interleaved, so drift hits every setting alike
            for name, kind, env in SETTINGS:
                run = in_process if kind == "process" else on_worker
                runs[name].append(run(spec, env))
    rows = []
    for name, _kind, env in SETTINGS:
        row: dict[str, Any] = {"setting": name, "env": env}
        for job in (*JOBS, "peak_mb"):
            row[job] = round(median([r[job] for r in runs[name]]), 3)
            row[f"{job}_runs"] = [r[job] for r in runs[name]]
        rows.append(row)
    base = rows[0]
    for row in rows:
        for job in JOBS:
            row[f"{job}_ratio"] = round(row[job] / base[job], 2)
    print(machine_line(info))
    print(f"{args.articles} articles made (test models, 4 PDFs), real-shape batches, warm")
    print(f"{'setting':<34}" + "".join(f"{job + ' s':>15}" for job in JOBS) + f"{'peak MB':>9}")
    for row in rows:
        cells = "".join(f"{row[job]:>8.2f} {row[job + '_ratio']:>5.2f}x" for job in JOBS)
        print(f"{row['setting']:<34}{cells}{row['peak_mb']:>9.0f}")
    write_json(
        args.json,
        {"machine": info, "articles": args.articles, "repeats": args.repeats, "rows": rows},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
