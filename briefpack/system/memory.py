"""glibc's malloc thresholds, where a parent process fixed them for us.

Dask's nanny starts every worker with `MALLOC_TRIM_THRESHOLD_=65536` (its
`distributed.nanny.pre-spawn-environ`) so that freed memory goes back to the system at
once. Setting any of glibc's `MALLOC_*_THRESHOLD_` variables also turns off its adaptive
mmap threshold: every block over 128 KiB is then mapped, faulted in page by page and
unmapped again. CTranslate2 allocates its decoding buffers at every step, so translation
on such a worker was 1.6-1.8x as slow on a Transformer-base model (bench/RESULTS.md,
docs/cluster.md). `restore_adaptive_malloc` sets the thresholds that glibc's adaptive ones
reach at most, which measured as fast as an untouched process, at the same peak memory on
a large batch.
"""

from __future__ import annotations

import ctypes
import os
import platform
from collections.abc import Mapping

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit machines
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # what the adaptive rule pairs with it


def malloc_fixed_by_environment(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a trim threshold from the environment turned the adaptive thresholds off,
    with no mmap threshold chosen alongside it (whoever sets that has chosen both)."""
    environ = os.environ if environ is None else environ
    return "MALLOC_TRIM_THRESHOLD_" in environ and "MALLOC_MMAP_THRESHOLD_" not in environ


def restore_adaptive_malloc(environ: Mapping[str, str] | None = None) -> bool:
    """Where `malloc_fixed_by_environment`, on glibc: set the mmap and trim thresholds to
    what the adaptive ones reach at most. True when they were set."""
    if not malloc_fixed_by_environment(environ) or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
