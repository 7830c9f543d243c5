"""`briefpack.system.memory`: glibc's adaptive malloc thresholds back where the
environment (Dask's nanny) fixed them. Observed through page faults, not time: with the
thresholds fixed, every 1 MiB block is mapped afresh and faulted in page by page."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pytest

from briefpack.system.memory import malloc_fixed_by_environment
from tests.conftest import ROOT

SCRIPT = """
import ctypes, json, resource
from briefpack.system.memory import restore_adaptive_malloc

libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(200):
        block = libc.malloc(1 << 20)
        ctypes.memset(block, 1, 1 << 20)
        libc.free(block)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

fixed = faults()
restored = restore_adaptive_malloc()
faults()  # the heap grows once
print(json.dumps({"fixed": fixed, "restored": restored, "after": faults()}))
"""


def _run(**env: str) -> dict[str, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, int] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")
def test_thresholds_fixed_by_the_nanny_are_restored_and_blocks_are_reused() -> None:
    seen = _run(MALLOC_TRIM_THRESHOLD_="65536")  # what Dask's nanny sets
    assert seen["restored"]
    assert seen["fixed"] > 200 * 128  # each 1 MiB block mapped and faulted in afresh
    assert seen["after"] < seen["fixed"] / 20  # one heap, reused


def test_thresholds_are_left_alone_unless_the_environment_fixed_them() -> None:
    assert not _run()["restored"]  # glibc adapts by itself
    assert not _run(MALLOC_TRIM_THRESHOLD_="65536", MALLOC_MMAP_THRESHOLD_="131072")["restored"]
    assert malloc_fixed_by_environment({"MALLOC_TRIM_THRESHOLD_": "0"})
    assert not malloc_fixed_by_environment(
        {"MALLOC_MMAP_THRESHOLD_": "1", "MALLOC_TRIM_THRESHOLD_": "0"}
    )
