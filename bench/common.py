"""Helpers the benchmarks share: the machine, child processes with their peak memory, medians.

Benchmarks print figures, never pass/fail. Each one that `bench/run_all.py` runs takes
`--json FILE` and writes its figures there for RESULTS.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_mb: float  # the child's own peak resident memory (ru_maxrss of that process)
    returncode: int
    stdout: str
    stderr: str
    # Its own child processes (briefpack's render helpers): the sum of each one's peak
    # resident memory (VmHWM, sampled), pages they share counted in each: an upper bound.
    helpers_mb: float = 0.0


def run_child(
    command: Sequence[str],
    env: dict[str, str] | None = None,
    timeout: float = 600,
    cwd: Path | None = None,
) -> ChildRun:
    """Run a command; wall time from start to exit and the peak RSS of that process alone.

    `os.wait4` returns the resource usage of exactly that child, so runs do not mix
    (`RUSAGE_CHILDREN` would report the largest child so far).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        deadline = start + timeout
        helpers: dict[int, int] = {}  # pid -> peak kB seen
        polls = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            polls += 1
            if polls % 10 == 0:
                _sample_descendants(proc.pid, helpers)
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            seconds=seconds,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=proc.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            helpers_mb=sum(helpers.values()) / 1024,
        )


def _sample_descendants(root: int, peaks: dict[int, int]) -> None:
    """Record the peak RSS (VmHWM, kB) of every process below `root` (Linux /proc)."""
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
            for task in tasks:
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            continue
        if pid == root:
            continue
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
        except (OSError, ValueError):
            pass


def briefpack_command() -> list[str]:
    """The installed console script (what users run), else `python -m briefpack`."""
    script = BIN / "briefpack"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefpack"]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, Python and the date (UTC) of this run."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = float("nan")
    with contextlib.suppress(ValueError, OSError, AttributeError):
        ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from briefpack.system import usable_cores

    cores = usable_cores()
    return {
        "cpu": cpu,
        "cores": cores,
        "ram_gb": round(ram_gb, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "date": dt.datetime.now(tz=dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, "
        f"Python {info['python']}, {info['os']}; {info['date']}"
    )


def test_model_store(folder: Path) -> Path:
    """Build briefpack's test models (whatever translations/testmodels.py makes now)."""
    sys.path.insert(0, str(ROOT))
    from translations import install
    from translations.testmodels import build_test_models

    store = folder / "store"
    install(build_test_models(folder / "archives"), store)
    return store


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment with XDG folders and model variables pointed into `home`."""
    env = dict(os.environ)
    for var in ("BRIEFPACK_MODELS", "BRIEFPACK_INDEX_URL"):
        env.pop(var, None)
    env.update(
        {
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def write_json(path: Path | None, figures: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


def local_dask_cluster(workers: int, env: dict[str, str]) -> Any:
    """A Dask LocalCluster of `workers` one-thread worker processes on 127.0.0.1, each with
    its nanny (as `dask worker` runs them) and `env` in its environment; spawned, as
    CTranslate2 is not fork-safe (Dask's default, made explicit). Needs the cluster extra."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
            env=env,
        )
