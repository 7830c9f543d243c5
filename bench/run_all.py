"""Run every benchmark and write bench/RESULTS.md (what `make bench` does).

    .venv/bin/python -m bench.run_all [--out bench/RESULTS.md] [--quick]

Benchmarks print figures, not pass/fail, and are not part of `make test`. Each one runs as
its own process (see its module for what it measures and how); this collects their figures
into one Markdown file with a table per benchmark, the machine and date, and every ratio
taken against a baseline measured in the same run. The ROUGE table needs the shared
evaluation set (../shared/eval); without it that section says so. `--quick` shortens every
benchmark (fewer runs, fewer articles) for a smoke test; its figures are not for RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import ROOT, machine, machine_line
from bench.rouge import INTERVAL_HEADING, ROUGE_TYPES

ROUGE_DATA = ROOT.parent / "shared" / "eval" / "cnndm-summeval-dev50.jsonl"
GPU_RECORD = ROOT / "bench" / "gpu-results.json"


def _run(args: Sequence[str], json_path: Path | None = None) -> tuple[int, str, str]:
    """Run `python ARGS` in the repository root, echo its output, return (status, out, err)."""
    command = [sys.executable, *args]
    if json_path is not None:
        command += ["--json", str(json_path)]
    print(f"\n$ {' '.join(args)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    print(done.stdout, end="", flush=True)
    if done.stderr.strip():
        print(done.stderr.strip()[-2000:], file=sys.stderr, flush=True)
    print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)
    return done.returncode, done.stdout, done.stderr


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def startup_section(data: dict[str, Any]) -> list[str]:
    rows = [
        [
            f"`{name}`",
            f"{r['seconds']:.3f}",
            f"{r['min_seconds']:.3f}",
            f"{r['peak_mb']:.1f}",
            f"{r['vs_argos_import']:.2f}x",
        ]
        for name, r in data["rows"].items()
    ]
    help_s = data["rows"]["briefpack --help"]["seconds"]
    return [
        "## Start-up",
        "",
        f"Fresh process each run; median of {data['runs']} runs after one untimed run. Peak "
        "RSS is that process's own `ru_maxrss`. Baseline: importing argostranslate.translate "
        "in the same run. `python -m bench.startup`.",
        "",
        *_table(
            ["command", "wall s (median)", "min s", "peak RSS MB", "time vs argos import"], rows
        ),
        "",
        f"Target `briefpack --help` <= {data['target_s']} s: **{help_s:.3f} s**.",
    ]


def translate_section(data: dict[str, Any], cuda: dict[str, Any] | None) -> list[str]:
    n, length = data["sentences"], data["output_tokens_each"]
    rows = [
        [
            "briefpack engine (beam 4, int8, one call, split across cores)",
            f"{data['ours_s']:.2f}",
            data["ours_tokens_per_s"],
            "1.00x",
        ],
        [
            "argostranslate `translate()` (beam 4)",
            f"{data['argos_s']:.2f}",
            data["argos_tokens_per_s"],
            f"{data['ours_s'] / data['argos_s']:.2f}x",
        ],
    ]
    rows += [
        [
            f"briefpack, {v['variant']}",
            f"{v['seconds']:.2f}",
            v["tokens_per_s"],
            f"{v['vs_default']:.2f}x",
        ]
        for v in data["variants"]
    ]
    lines = [
        "## Translation throughput",
        "",
        f"Random-weight model of the real Argos shape (Transformer base, 6+6 layers, 50k "
        f"vocabulary, int8); {n} sentences ({data['source_tokens']} source tokens), every "
        f"output exactly {length} tokens; best of {data['repeats']} alternating runs; "
        f"CTranslate2 {data['ctranslate2']}. Ratios are against our default in the same run "
        "(above 1 = faster). `python bench/translate_speed.py --variants`.",
        "",
        *_table(["run", "seconds", "output tokens/s", "speed vs our default"], rows),
        "",
        f"**Speed-up over argostranslate at the same beam: {data['speedup']:.2f}x** "
        f"(target 4x; same output ignoring spaces: {data['same_output']}).",
        "",
        "### GPU",
        "",
    ]
    if cuda is None or "error" in cuda:
        message = (cuda or {}).get("error", "no result")
        lines += [
            "No GPU was lent to this run, so the CUDA figures could not be measured here. "
            "`python bench/translate_speed.py --device cuda` without a GPU ends with our "
            "engine's error (exit status 1):",
            "",
            f"    GPU run not possible: {message}",
            "",
        ]
        recorded = _load(GPU_RECORD) if GPU_RECORD.is_file() else None
        if recorded and "rows" in recorded:
            lines += [
                f"Last GPU check, run on a lent machine with `bench/gpu_check.sh` and kept in "
                f"`bench/{GPU_RECORD.name}` ({recorded['gpu']}, {recorded['cpus']} CPU cores, "
                f"{recorded['date']}, CTranslate2 {recorded['ctranslate2']}):",
                "",
                *cuda_table(recorded),
            ]
    else:
        lines += [f"On {cuda['gpu']}, {cuda['cpus']} CPU cores, in this run:", ""]
        lines += cuda_table(cuda)
    return lines


def cuda_table(cuda: dict[str, Any]) -> list[str]:
    """Our engine on the GPU beside the same machine's CPU (the first row of each batch)."""
    rows = [
        [
            r["batch"],
            r["run"],
            f"{r['seconds']:.3f}",
            r["tokens_per_s"],
            f"{r['vs_cpu']:.2f}x",
        ]
        for r in cuda["rows"]
    ]
    return [
        *_table(["input", "run", "seconds", "output tokens/s", "speed vs that CPU"], rows),
        "",
        f"Same random-weight model and sentences as above, {cuda['output_tokens_each']} output "
        f"tokens each, best of {cuda['repeats']}.",
    ]


def e2e_section(data: dict[str, Any]) -> list[str]:
    tests = data["test_models"]
    cold, warm = tests["cold"], tests["warm"]
    stages = list(cold["stages"])
    rows = [
        [
            f"cold: fresh process (median of {cold['runs']})",
            f"{cold['seconds']:.2f}",
            f"{cold['peak_mb']:.0f}",
            f"{cold.get('helpers_mb', 0):.0f}",
            *(f"{cold['stages'][s]:.2f}" for s in stages),
        ],
        [
            f"warm: articles 2-{warm['articles']} in one process (median)",
            f"{warm['later_median_s']:.2f}",
            f"{warm['peak_mb']:.0f}",
            f"{warm.get('helpers_mb', 0):.0f}",
            *(
                f"{warm['later_stages'].get(s, 0.0):.2f}" if s in warm["later_stages"] else "-"
                for s in stages
            ),
        ],
    ]
    targets = data["targets"]
    lines = [
        "## End to end",
        "",
        "`briefpack build examples/harbour-strike.txt --to ru,uk,de` (4 PDFs), briefpack's "
        "test models as `translations/testmodels.py` builds them today. Seconds; stage times "
        "come from the build's own `timings` (`--json`). The PDFs are rendered by two "
        "helper processes (briefpack/render/processes.py): one imports WeasyPrint and loads "
        "the fonts while the main process ingests, summarizes and translates, then forks the "
        "second; `renderer` is the main process's wait for them (first article only), "
        "`render:LANG` each PDF's time in its helper, `render` the wall time of all four. "
        "Peak RSS: the main process's own; helpers: the sum of the helpers' peaks, the pages "
        "they share counted in each. `python -m bench.e2e`.",
        "",
        *_table(["run", "wall s", "peak RSS MB", "helpers MB", *stages], rows),
        "",
        f"Targets: cold <= {targets['cold_s']} s: **{cold['seconds']:.2f} s**; warm <= "
        f"{targets['warm_s']} s: **{warm['later_median_s']:.2f} s** (first article in that "
        f"process {warm['first_s']:.2f} s).",
    ]
    real = data.get("real_shape")
    if real:
        lines += [
            "",
            "Real-shape models (the random-weight Transformer-base model above, installed as "
            "en->ru/uk/de packages of ~90 MB each): random weights never end a sentence, so a "
            "whole build with them would time the length cap and the loop guard, not a "
            "model. Measured instead in a fresh process: our engine on those packages, "
            f"translating the sample's {real['sentences']} sentences (title + summary) into 3 "
            "languages at 1.3 pieces per word, output as long as the input; the build is "
            "estimated as the cold/warm build above with its translate stage replaced.",
            "",
            *_table(
                [
                    "import CTranslate2 s",
                    "load 3 models s",
                    "hash 3 packages s",
                    "translate, first s",
                    "translate, warm s",
                    "peak RSS MB",
                    "est. build cold s",
                    "est. build warm s",
                ],
                [
                    [
                        real["import_s"],
                        real["load_s"],
                        real["digest_s"],
                        real["translate_s"],
                        real["translate_warm_s"],
                        f"{real['peak_mb']:.0f}",
                        real["estimated_cold_s"],
                        real["estimated_warm_s"],
                    ]
                ],
            ),
        ]
    return lines


def batch_section(data: dict[str, Any]) -> list[str]:
    rows = [
        [
            "`--scheduler`" if r["jobs"] == "dask" else r["jobs"],
            r.get("run", ""),
            f"{r['seconds']:.1f}",
            f"{r['articles_per_min']:.1f}",
            f"{r['speedup']:.2f}x",
        ]
        for r in data["rows"]
    ]
    best = max(r["speedup"] for r in data["rows"])
    default_1 = next(
        (r for r in data["rows"] if r["jobs"] == 1 and not r.get("helpers_off", True)), None
    )
    two = next((r for r in data["rows"] if r["jobs"] == 2), None)  # the Dask row: "dask"
    before, after = data["core_capacity"]
    lines = [
        "## Batch and scale",
        "",
        f"`briefpack build` over {data['articles']} generated articles (bench/articles.py), "
        "test models, 4 PDFs each, one fresh process per run; `--jobs N` runs N worker "
        "processes, each with its own models and 1 CTranslate2 thread, rendering in-process. "
        "The baseline is one process doing everything (`--jobs 1` with "
        "`BRIEFPACK_RENDER_PROCESSES=0`); a plain `--jobs 1` renders in two helper processes "
        "and so already uses the second core. The Dask rows build with `--scheduler` on a "
        "LocalCluster of 2 one-thread worker processes (with their nannies) on 127.0.0.1, "
        "started before the timed run, fresh: as briefpack runs them, and with malloc left as "
        "the nanny sets it (how they ran before briefpack restored glibc's adaptive "
        "thresholds; docs/cluster.md). `python -m bench.batch --cluster 2`.",
        "",
        *_table(["--jobs", "run", "wall s", "articles/min", "speed-up vs one process"], rows),
        "",
        f"Best speed-up over one process **{best:.2f}x** (target {data['target_speedup']}x).",
    ]
    if default_1 and two:
        lines[-1] += (
            f" `--jobs 2` over the default `--jobs 1`: "
            f"{default_1['seconds'] / two['seconds']:.2f}x."
        )
    cluster = next((r for r in data["rows"] if r["jobs"] == "dask"), None)
    if cluster and "overhead_ms_per_article" in cluster:
        lines[-1] += (
            f" The {cluster['workers']}-worker Dask cluster over `--jobs {cluster['workers']}`"
            f" (the same number of processes): **{cluster['overhead_ms_per_article']:+.1f} ms"
            f" per article** of wall time (its start-up, {cluster['startup_seconds']:.1f} s, not "
            "counted)"
        )
        if "outside_overhead_ms_per_article" in cluster:
            jobs_outside = (
                cluster["outside_ms_per_article"] - cluster["outside_overhead_ms_per_article"]
            )
            lines[-1] += (
                f"; outside the workers' own stage timings (wall minus their stage seconds "
                f"over {cluster['workers']}, per article) "
                f"**{cluster['outside_overhead_ms_per_article']:+.1f} ms per article** "
                f"({cluster['outside_ms_per_article']:.1f} ms against {jobs_outside:.1f}; the "
                "`--jobs` figure includes starting its workers, the cluster's were started "
                "before)"
            )
        lines[-1] += "."
    lines[-1] += (
        f" For scale: in the same run, {data['capacity_copies']} copies of a pure-Python "
        f"loop side by side ran at **{before:.2f}x** (before the builds) and **{after:.2f}x** "
        "(after) the throughput of one: what this shared machine's second core gave at "
        "those moments."
    )
    staged = [r for r in data["rows"] if "stage_seconds" in r]
    if staged:
        stages = list(dict.fromkeys(k for r in staged for k in r["stage_seconds"]))
        lines += [
            "",
            "The workers' own seconds per stage, summed over the articles (from `--json`):",
            "",
            *_table(
                ["run", *stages],
                [
                    [r["run"], *(f"{r['stage_seconds'].get(k, 0):.1f}" for k in stages)]
                    for r in staged
                ],
            ),
        ]
    return lines


def summarize_section(stdout: str, sizes: str) -> list[str]:
    return [
        "## Summarization speed",
        "",
        f"Every algorithm on synthetic articles of {sizes} sentences, each in its own process "
        "(seconds for `summarize()`, peak RSS MB of that process). `lead` is the baseline. "
        f"Targets at 5,000 sentences: the default <= 3 s and <= 500 MB, every algorithm "
        f"<= 30 s. `python bench/summarize_speed.py --sizes {sizes}`.",
        "",
        "```",
        stdout.strip(),
        "```",
    ]


def rouge_section(stdout: str | None) -> list[str]:
    lines = ["## Summarization quality (ROUGE)", ""]
    if stdout is None:
        return [
            *lines,
            f"Skipped: the evaluation set {ROUGE_DATA} is not on this machine (it lives in "
            "the shared folder next to the repository, never in it).",
        ]
    scores: dict[str, dict[str, float]] = json.loads(stdout.strip().splitlines()[-1])
    lead = scores.get("lead", {}).get("rouge1")
    rows = [
        [
            name,
            f"{s['rouge1']:.2f}",
            f"{s['rouge2']:.2f}",
            f"{s['rougeLsum']:.2f}",
            f"{s['rouge1'] - lead:+.2f}" if lead is not None else "-",
        ]
        for name, s in scores.items()
    ]
    output = stdout.strip().splitlines()
    interval = []
    if INTERVAL_HEADING in output:
        start = output.index(INTERVAL_HEADING)
        interval = ["", "```", *output[start : start + 1 + len(ROUGE_TYPES)], "```"]
    return [
        *lines,
        "50 CNN/DailyMail articles with SummEval references, 3 sentences, rouge-score with "
        "stemming, F1 x 100. Baseline: LEAD-3 (`lead`). "
        "`python -m bench.rouge --data ../shared/eval/cnndm-summeval-dev50.jsonl`.",
        "",
        *_table(["algorithm", "R1", "R2", "RLsum", "R1 vs lead"], rows),
        *interval,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args(argv)
    quick = args.quick
    started = time.perf_counter()
    info = machine()
    sizes = "500" if quick else "500,2000,5000"
    sections: list[list[str]] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-all-") as tmp:
        work = Path(tmp)

        def figures(name: str, args: list[str]) -> dict[str, Any] | None:
            path = work / f"{name}.json"
            status, _out, err = _run(args, path)
            if status != 0 or not path.is_file():
                failures.append(f"{name}: exit {status}: {err.strip()[-300:]}")
                return None
            return _load(path)

        data = figures("startup", ["-m", "bench.startup", "--runs", "3" if quick else "9"])
        if data:
            sections.append(startup_section(data))
        translate_args = ["bench/translate_speed.py", "--variants", "--repeats", "3"]
        if quick:
            translate_args += ["--length", "16", "--repeats", "1"]
        data = figures("translate", translate_args)
        cuda_path = work / "cuda.json"
        _run(["bench/translate_speed.py", "--device", "cuda"], cuda_path)
        cuda = _load(cuda_path) if cuda_path.is_file() else None
        if data:
            sections.append(translate_section(data, cuda))
        e2e_args = ["-m", "bench.e2e"] + (["--runs", "1", "--warm", "1"] if quick else [])
        data = figures("e2e", e2e_args)
        if data:
            sections.append(e2e_section(data))
        data = figures(
            "batch", ["-m", "bench.batch", "--count", "6" if quick else "50", "--cluster", "2"]
        )
        if data:
            sections.append(batch_section(data))
        digest_args = ["-m", "bench.digest"] + (["--count", "4", "--no-realistic"] if quick else [])
        data = figures("digest", digest_args)
        if data:
            from bench.digest import digest_section

            sections.append(digest_section(data))
        status, out, err = _run(["bench/summarize_speed.py", "--sizes", sizes])
        if status == 0:
            sections.append(summarize_section(out, sizes))
        else:
            failures.append(f"summarize_speed: exit {status}: {err.strip()[-300:]}")
        rouge_out = None
        if ROUGE_DATA.is_file():
            status, rouge_out, err = _run(["-m", "bench.rouge", "--data", str(ROUGE_DATA)])
            if status != 0:
                failures.append(f"rouge: exit {status}: {err.strip()[-300:]}")
                rouge_out = None
        sections.append(rouge_section(rouge_out))

    minutes = (time.perf_counter() - started) / 60
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine_line(info)}. Written by `make bench` (`python -m bench.run_all`) "
        f"in {minutes:.1f} minutes. Figures, not pass/fail: the machine is shared and noisy, "
        "so compare the ratios within one run rather than seconds across runs.",
    ]
    if quick:
        lines += ["", "**Quick smoke run (`--quick`): shortened benchmarks, not for comparison.**"]
    for section in sections:
        lines += ["", *section]
    if failures:
        lines += ["", "## Benchmarks that failed", "", *(f"- {f}" for f in failures)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({minutes:.1f} min)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
