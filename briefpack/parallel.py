"""`briefpack build --jobs N`: articles built side by side in worker processes.

Each worker holds one `Builder` (models and fonts loaded once per worker) and runs
CTranslate2 on one thread, so N workers use N cores without oversubscribing them.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

from briefpack.builder import Builder, BuildOptions, BuildResult
from briefpack.errors import BriefpackError
from briefpack.model import Article


def build_in_pool(
    articles: Sequence[Article],
    options: BuildOptions,
    jobs: int,
    counted: Callable[[int], None] | None = None,
) -> list[BuildResult]:
    """Build `articles` in `jobs` worker processes; results in input order, `counted` told
    how many are in after each."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    options = options.for_worker()
    root = logging.getLogger()
    log_level = root.level if root.handlers else None
    # "spawn": fresh workers on every platform; forking a process whose CTranslate2 thread
    # pools are running (a library caller may have translated already) is not safe.
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    executor = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(options, log_level, stop),
    )
    try:
        futures = [executor.submit(_build_in_worker, article) for article in articles]
        results = []
        for future in futures:
            results.append(future.result())
            if counted is not None:
                counted(len(results))
    except BaseException:
        # A failed article or Ctrl-C: start nothing more (articles already queued to a
        # worker skip themselves), and interrupt the ones being built so that they clean up
        # and stop (there is no public API for the workers before Python 3.14).
        stop.set()
        workers = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            with suppress(OSError):
                os.kill(worker.pid, signal.SIGINT)
        raise
    executor.shutdown()
    return results


_worker: Builder | BriefpackError | None = None
_stop: Any = None  # a multiprocessing Event: set when the parent gives up on the build


def _start_worker(options: BuildOptions, log_level: int | None, stop: Any) -> None:
    """Per worker process: one Builder for every article it gets.

    Ctrl-C is ignored while the worker waits for work and stops the article it is building
    (the parent passes it on, see `build_in_pool`).
    """
    global _worker, _stop
    _stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if log_level is not None:  # the parent logs (`briefpack -v`): so do the workers
        logging.basicConfig(level=log_level, format="briefpack: %(message)s")
    try:
        _worker = Builder(options)
    except BriefpackError as exc:  # raised again with the first article, as one line
        _worker = exc
    # Let the renderer clean up (WeasyPrint removes its font folder) while the interpreter
    # still works: at the worker's final teardown its __del__ would fail.
    atexit.register(_stop_worker)


def _stop_worker() -> None:
    global _worker
    _worker = None


def _build_in_worker(article: Article) -> BuildResult:
    if isinstance(_worker, BriefpackError):
        raise _worker
    if _worker is None:
        raise RuntimeError("a build worker ran without its initializer")
    if _stop is not None and _stop.is_set():
        raise RuntimeError(f"{article.source}: not built, the build was stopped")  # never shown
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return _worker.build(article)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
