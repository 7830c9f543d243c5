"""Run `briefpack ARGS` in a child and measure it: exit status, output, seconds, peak memory.

The child runs under a launcher that waits for it alone, so `RUSAGE_CHILDREN` is that one
process's peak resident memory. An address-space limit guards the machine: a regression
that inflates a bomb fails with MemoryError instead of taking the memory of everyone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from tests.conftest import ROOT

_LAUNCHER = r"""
import json, resource, subprocess, sys, time
limit = int(sys.argv[1])
def guard():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.monotonic()
proc = subprocess.run(
    [sys.executable, "-m", "briefpack", *sys.argv[3:]],
    capture_output=True, text=True, preexec_fn=guard, timeout=float(sys.argv[2]),
)
seconds = time.monotonic() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
                  "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


@dataclass(frozen=True)
class Measured:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def run_measured(
    args: Sequence[str],
    env: dict[str, str] | None = None,
    *,
    timeout: float = 60,
    address_space: int = 6 * 1024**3,
) -> Measured:
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (child_env.get("PYTHONPATH", ""), str(ROOT)) if p
    )
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(address_space), str(timeout), *args],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=timeout + 30,
        check=True,
    )
    report = json.loads(proc.stdout)
    return Measured(
        report["rc"], report["stdout"], report["stderr"], report["seconds"], report["peak_mb"]
    )
