"""Batch and scale: `briefpack build` over 50 generated articles with --jobs 1 and --jobs 2.

    .venv/bin/python -m bench.batch [--count 50] [--jobs 1,2] [--cluster 2] [--json FILE]

The articles come from bench/articles.py (original, deterministic); the models are
briefpack's test models, built fresh. Each run is one fresh `briefpack build` process over
all articles (3 targets, 4 PDFs each); reported: wall time, articles per minute and the
speed-up over one process doing everything. That baseline is `--jobs 1` with the render
helpers off (BRIEFPACK_RENDER_PROCESSES=0): a plain `--jobs 1` already renders each
article's PDFs in two helper processes, so it uses the second core too, and is reported
beside it. For scale, the same run measures, before the builds and after them,
what this machine's cores give to any work: a pure-Python loop run once alone and then as N
copies side by side (N = the largest --jobs). On a shared machine that ratio moves with the
neighbours' load, so it brackets, rather than bounds, what N jobs can gain.

`--cluster N` (with the cluster extra) adds a run on a Dask LocalCluster of N worker
processes of one thread each on 127.0.0.1 (`build --scheduler`): the cluster is started
before the timed run, as a running cluster would be, with fresh workers that load their
models and renderer during it, as `--jobs` workers do. Its per-article overhead is its
extra wall time over `--jobs N` (the same N processes on the same machine) per article;
and, less moved by the neighbours' load, the extra time per article outside the workers'
own stage timings (wall minus their summed stage seconds over N: start-up, reading,
hand-over, writing), from each run's `--json` report. A second cluster run keeps malloc
as Dask's nanny sets it (`MALLOC_MMAP_THRESHOLD_` set on the workers, so briefpack leaves
it alone; see docs/cluster.md): the A/B of the workers' malloc settings, in one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.articles import write_articles
from bench.common import (
    briefpack_command,
    isolated_env,
    local_dask_cluster,
    machine,
    machine_line,
    run_child,
    test_model_store,
    write_json,
)

TARGET_SCALING = 1.6
ENV_HELPERS = "BRIEFPACK_RENDER_PROCESSES"
_SPIN = "x = 0\nfor i in range(15_000_000):\n    x += i\n"


def core_capacity(copies: int) -> float:
    """Throughput of `copies` CPU-bound processes side by side, relative to one alone."""
    import subprocess

    command = [sys.executable, "-c", _SPIN]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    procs = [subprocess.Popen(command) for _ in range(copies)]
    for proc in procs:
        proc.wait()
    together = time.perf_counter() - start
    return copies * alone / together


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts")
    parser.add_argument("--cluster", type=int, default=0, help="Dask workers (0: no run)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    jobs = [int(j) for j in args.jobs.split(",")]

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        env = isolated_env(work / "home")
        store = test_model_store(work / "models")
        articles = [str(p) for p in write_articles(work / "articles", args.count)]
        capacity = [core_capacity(max(jobs))]
        runs: list[tuple[int, str, dict[str, str]]] = []
        for n in jobs:
            if n == 1:
                runs.append((1, "one process (render helpers off)", {ENV_HELPERS: "0"}))
                runs.append((1, "default (2 render helpers)", {}))
            else:
                runs.append((n, f"{n} workers (each renders in-process)", {}))

        def command_for(out: Path) -> list[str]:
            return [
                *briefpack_command(),
                "build",
                *articles,
                "--to",
                "ru,uk,de",
                "--models",
                str(store),
                "--out",
                str(out),
                "--date",
                "2026-01-15",
            ]

        for n, label, extra in runs:
            command = [*command_for(work / f"out-{len(rows)}"), "--jobs", str(n)]
            if n > 1:
                command.append("--json")  # the workers' own stage timings
            run = run_child(command, env={**env, **extra}, timeout=1800)
            if run.returncode != 0:
                raise SystemExit(f"--jobs {n} failed: {run.stderr.strip()[-800:]}")
            row = {
                "jobs": n,
                "run": label,
                "helpers_off": ENV_HELPERS in extra,
                "seconds": round(run.seconds, 2),
                "peak_mb_parent": round(run.peak_mb, 1),
            }
            if n > 1:
                row.update(outside_workers(run.stdout, run.seconds, n))
            rows.append(row)
        if args.cluster:
            command = [*command_for(work / "out-cluster"), "--json"]
            rows.append(cluster_run(args.cluster, command, env))
            # The same with malloc as Dask's nanny leaves it (`MALLOC_MMAP_THRESHOLD_` set
            # beside its trim threshold: the workers then leave it alone; 128 KiB is glibc's
            # default, so this is how every worker ran before briefpack restored it).
            command = [*command_for(work / "out-cluster-nanny-malloc"), "--json"]
            rows.append(
                cluster_run(args.cluster, command, env, {"MALLOC_MMAP_THRESHOLD_": "131072"})
            )
        for row in rows:
            row["articles_per_min"] = round(60 * args.count / row["seconds"], 1)
        capacity.append(core_capacity(max(jobs)))
    base = rows[0]["seconds"]
    cluster = next((r for r in rows if r["jobs"] == "dask" and not r["nanny_malloc"]), None)
    same_n = next((r for r in rows if cluster and r["jobs"] == cluster["workers"]), None)
    if cluster and same_n:
        extra = cluster["seconds"] - same_n["seconds"]
        cluster["overhead_ms_per_article"] = round(1000 * extra / args.count, 1)
        outside = cluster["outside_ms_per_article"] - same_n["outside_ms_per_article"]
        cluster["outside_overhead_ms_per_article"] = round(outside, 1)
    for row in rows:
        row["speedup"] = round(base / row["seconds"], 2)
    info = machine()
    print(machine_line(info))
    print(f"{args.count} articles, 4 PDFs each, test models, one fresh process per run")
    print(f"{'jobs':>5}  {'run':<38}{'wall s':>9}{'art/min':>9}{'speed-up':>10}")
    for row in rows:
        print(
            f"{row['jobs']:>5}  {row['run']:<38}{row['seconds']:>9.1f}"
            f"{row['articles_per_min']:>9.1f}{row['speedup']:>9.2f}x"
        )
    if cluster and "overhead_ms_per_article" in cluster:
        print(
            f"cluster over --jobs {cluster['workers']}: wall "
            f"{cluster['overhead_ms_per_article']:+.1f} ms per article; outside the workers' "
            f"stages {cluster['outside_overhead_ms_per_article']:+.1f} ms per article "
            f"({same_n['outside_ms_per_article']:.1f} vs {cluster['outside_ms_per_article']:.1f})"
            f"; cluster start-up (not in its wall time) {cluster['startup_seconds']:.1f} s"
        )
    for row in rows:
        if "stage_seconds" in row:
            stages = ", ".join(f"{k} {v:.1f}" for k, v in row["stage_seconds"].items())
            print(f"{row['run']}: workers' stage seconds: {stages}")
    print(
        f"{max(jobs)} CPU-bound processes ran at {capacity[0]:.2f}x (before) and "
        f"{capacity[1]:.2f}x (after) the throughput of one; target {TARGET_SCALING}x"
    )
    write_json(
        args.json,
        {
            "machine": info,
            "articles": args.count,
            "rows": rows,
            "core_capacity": [round(c, 2) for c in capacity],
            "capacity_copies": max(jobs),
            "target_speedup": TARGET_SCALING,
        },
    )
    return 0


def outside_workers(report: str, seconds: float, workers: int) -> dict[str, Any]:
    """From a `build --json` report: the seconds the workers spent in briefpack's stages
    (summarize, translate, renderer, render, pack; ingest runs in the calling process), in
    all and per stage, and the wall time per article outside them (start-up, reading,
    hand-over, writing)."""
    import json

    packs = json.loads(report)
    stages: dict[str, float] = {}
    for pack in packs:
        for stage, value in pack["timings"].items():
            if ":" not in stage and stage != "ingest":  # render:LANG are parts of render
                stages[stage] = stages.get(stage, 0.0) + value
    inside = sum(stages.values())
    outside = seconds - inside / workers
    return {
        "worker_seconds": round(inside, 2),
        "stage_seconds": {stage: round(value, 2) for stage, value in stages.items()},
        "outside_ms_per_article": round(1000 * outside / len(packs), 1),
    }


def cluster_run(
    workers: int, command: list[str], env: dict[str, str], extra: dict[str, str] | None = None
) -> dict[str, Any]:
    """One timed `build --scheduler` on a fresh LocalCluster of `workers` processes (their
    nannies as `dask worker` has them), `extra` added to the workers' environment."""
    worker_env = {k: v for k, v in env.items() if k.startswith(("XDG_", "ARGOS_", "PYTHON"))}
    worker_env.update(extra or {})
    start = time.perf_counter()
    cluster = local_dask_cluster(workers, worker_env)
    startup = time.perf_counter() - start
    try:
        command = [*command, "--scheduler", cluster.scheduler_address]
        run = run_child(command, env=env, timeout=1800)
    finally:
        cluster.close()
    if run.returncode != 0:
        raise SystemExit(f"--scheduler failed: {run.stderr.strip()[-800:]}")
    return {
        "jobs": "dask",
        "workers": workers,
        "run": f"{workers}-worker Dask LocalCluster"
        + (", malloc as the nanny sets it" if extra else ""),
        "nanny_malloc": bool(extra),
        "helpers_off": False,
        "seconds": round(run.seconds, 2),
        "peak_mb_parent": round(run.peak_mb, 1),
        "startup_seconds": round(startup, 2),
        **outside_workers(run.stdout, run.seconds, workers),
    }


if __name__ == "__main__":
    raise SystemExit(main())
