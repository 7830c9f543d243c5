"""Work on a Dask cluster: items go to the workers, outcomes come back in order.

`run_on_cluster(cluster, fn, items)` connects to a Dask scheduler (`dask scheduler`, any
address Dask takes: tcp://, tls://, or a scheduler file), submits `fn(item)` per item and
yields an `Outcome` per item in the order of `items`, each holding its value or the error
its item raised (named after the worker, see `on_worker`). Dask reschedules the tasks of a
worker that is lost; stopping early (an error the caller raises, Ctrl-C, closing the
generator) cancels every task not yet back. `fn` and the items are pickled: `fn` must be
importable on the workers (a module-level function, or a `functools.partial` of one).

Workers keep what is costly to make (a `Builder`, an engine) per process with `checkout`,
loaded from their own environment (`BRIEFPACK_MODELS` on the worker). `briefpack build
--scheduler` (`briefpack.cluster_build`) is built on this; anything else that shares work
per item can be too. Dask is the optional extra `briefpack[cluster]`: it is imported only
here, when a cluster is used. Security (tls://) comes from Dask's own configuration, which
`Client` reads; see docs/cluster.md.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import secrets
import threading
import time
from collections.abc import Callable, Generator, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from briefpack.errors import BriefpackError, ExitStatus, InputError, OptionError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

INSTALL = "pip install 'briefpack[cluster]'"
CONNECT_TIMEOUT = 10.0  # seconds; Dask's own default (30 s) is long for a typo
# Dask raises asyncio's TimeoutError: the built-in one only from Python 3.11 on.
_TIMEOUTS = (TimeoutError, asyncio.TimeoutError)
_KEPT = 4  # kinds of things (e.g. Builders for different options) each worker keeps
_lock = threading.Lock()  # guards this process's worker state (`checkout`, `_prepare_worker`)


class ClusterError(BriefpackError):
    """The cluster cannot be reached, or lost a task it could not finish."""

    exit_status = ExitStatus.NETWORK_ERROR


@dataclass(frozen=True)
class ClusterOptions:
    """Where the scheduler is: an address, or the file `dask scheduler --scheduler-file`
    writes; and how long to try to reach it."""

    address: str | None = None
    scheduler_file: Path | None = None
    connect_timeout: float = CONNECT_TIMEOUT

    def __post_init__(self) -> None:
        if (self.address is None) == (self.scheduler_file is None):
            raise OptionError("give --scheduler or --scheduler-file, one of them")
        if not self.connect_timeout > 0:
            raise OptionError("the connect timeout must be more than 0 seconds")

    @property
    def where(self) -> str:
        return self.address or f"the address in {self.scheduler_file}"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one item gave: its value, or the error it raised."""

    index: int
    value: T | None = None
    error: BaseException | None = None

    def get(self) -> T:
        """The value; the item's error is raised instead."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


def import_distributed() -> Any:
    """The `distributed` module, or one line saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise OptionError(f"--scheduler needs Dask, briefpack's cluster extra: {INSTALL}") from None
    return distributed


def connect(cluster: ClusterOptions) -> Any:
    """A `distributed.Client` on a scheduler with at least one worker, or a ClusterError
    within the timeout (to reach it, then again for a worker to join it)."""
    distributed = import_distributed()
    timeout = cluster.connect_timeout
    try:
        if cluster.scheduler_file is not None:
            client = distributed.Client(
                scheduler_file=str(cluster.scheduler_file), timeout=timeout, set_as_default=False
            )
        else:
            client = distributed.Client(cluster.address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).split("\n", 1)[0] or type(exc).__name__
        why = "" if "timed out" in reason.lower() else f" ({reason})"
        raise ClusterError(
            f"cannot reach the Dask scheduler at {cluster.where} within {timeout:g} s{why}; "
            "check the address and that `dask scheduler` runs there"
        ) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, *_TIMEOUTS):  # WorkerStartTimeoutError, or the scheduler gone
        address = _address(client, cluster)
        client.close()
        raise ClusterError(_no_worker(address, timeout)) from None
    except BaseException:
        client.close()
        raise
    return client


def _address(client: Any, cluster: ClusterOptions) -> str:
    scheduler = getattr(client, "scheduler", None)
    return str(getattr(scheduler, "address", None) or cluster.where)


def _no_worker(address: str, seconds: float, after: str = "") -> str:
    return (
        f"the Dask scheduler at {address} has had no worker for {seconds:g} s"
        f"{f' ({after})' if after else ''}; "
        f"start `dask worker {address}` where the models are (docs/cluster.md)"
    )


def route_dask_logs() -> None:
    """For a process briefpack's CLI owns: Dask's client logs (its own handlers print
    tracebacks on stderr when the scheduler goes away) go to briefpack's log instead,
    shown with -v; the error that follows is briefpack's one line. Nothing without Dask."""
    try:
        import distributed  # noqa: F401  (it installs its handlers on import)
    except ImportError:
        return
    for name in ("distributed", "distributed.client"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
    logging.getLogger("distributed").addHandler(logging.NullHandler())


def run_on_cluster(
    cluster: ClusterOptions | str,
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    name: str = "briefpack",
    noun: str = "item",
) -> Generator[Outcome[R], None, None]:
    """`fn(item)` on the cluster's workers for each item; outcomes in the order of `items`.

    Connects first (a ClusterError if the scheduler cannot be reached or has no worker),
    submits every item, then yields each outcome as soon as it and those before it are in.
    A scheduler lost mid-run, or left without a worker for the connect timeout, raises a
    ClusterError (what `noun`s were back is in its message). The tasks not yet back are
    cancelled when the generator stops for any reason; close it (or use
    `contextlib.closing`) when not reading it to the end. `cluster` may be just the
    scheduler's address.
    """
    if isinstance(cluster, str):
        cluster = ClusterOptions(cluster)
    client = connect(cluster)
    futures: list[Any] = []
    try:
        token = secrets.token_hex(4)
        futures = [
            client.submit(on_worker, fn, item, key=f"{name}-{token}-{i}", pure=False)
            for i, item in enumerate(items)
        ]
        count = len(futures)
        for i, future in enumerate(futures):
            try:
                value = _wait(client, future, cluster)
            except _Stopped as exc:
                after = f"after {i} of {count} {noun if count == 1 else _plural(noun)}"
                raise ClusterError(exc.message(_address(client, cluster), after)) from None
            except Exception as exc:  # the item's own error, raised on its worker
                yield Outcome(i, error=_client_side(exc, i, noun))
            else:
                yield Outcome(i, value=value)
            futures[i] = None  # its result is ours: let the cluster forget it
    finally:
        pending = [f for f in futures if f is not None]
        try:
            if pending and client.status == "running":
                client.cancel(pending)
        finally:
            client.close()


_POLL = 1.0  # seconds between looks at whether the cluster still has a worker


def _plural(noun: str) -> str:
    return f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"


class _Stopped(Exception):
    """The cluster cannot finish the run: the scheduler is lost, or has no worker."""

    def __init__(self, no_worker_for: float | None = None) -> None:
        super().__init__()
        self.no_worker_for = no_worker_for

    def message(self, address: str, after: str) -> str:
        if self.no_worker_for is not None:
            return _no_worker(address, self.no_worker_for, after)
        return (
            f"lost the connection to the Dask scheduler at {address} {after}; "
            "check that `dask scheduler` still runs there, then run again"
        )


def _wait(client: Any, future: Any, cluster: ClusterOptions) -> Any:
    """The future's value (or the item's error); `_Stopped` when the scheduler is lost or
    has had no worker for the connect timeout (tasks would wait for one for ever)."""
    from distributed import CancelledError

    alone_since: float | None = None
    while True:
        try:
            return future.result(timeout=_POLL)
        except _TIMEOUTS:
            if future.done():
                raise  # the item's own TimeoutError
        except CancelledError as exc:
            if client.status != "running" or "connection-lost" in str(getattr(exc, "reason", "")):
                raise _Stopped() from None
            raise
        workers = client.scheduler_info(n_workers=0).get("n_workers", 1)
        if workers:
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
            log.info("the Dask scheduler has no worker; waiting for one")
        elif time.monotonic() - alone_since > cluster.connect_timeout:
            raise _Stopped(cluster.connect_timeout)


def _client_side(exc: Exception, index: int, noun: str = "item") -> BaseException:
    """The item's error as the caller should see it: briefpack's own errors as they are,
    the cluster's failures (a task that killed its workers) as a ClusterError, anything
    else (a bug) unchanged."""
    if isinstance(exc, BriefpackError):
        return exc
    kind = type(exc)
    if kind.__name__ == "KilledWorker":
        tries = exc.args[2] + 1 if len(exc.args) > 2 and isinstance(exc.args[2], int) else 0
        return ClusterError(
            f"{noun} {index + 1}: the {tries or 'several'} workers that ran it died while "
            "running it (Dask's distributed.scheduler.allowed-failures); "
            "see the workers' logs (out of memory?)"
        )
    if kind.__module__.split(".")[0] == "distributed" or isinstance(exc, OSError):
        return ClusterError(f"{noun} {index + 1} was not finished by the cluster: {kind.__name__}")
    if kind.__name__ == "CancelledError":
        return ClusterError(f"{noun} {index + 1} was cancelled on the cluster")
    return exc


def on_worker(fn: Callable[[T], R], item: T) -> R:
    """Run `fn(item)` on a worker; briefpack's errors that depend on the worker (a model
    missing from its store, a renderer it lacks) name the worker. Input errors do not."""
    _prepare_worker()
    try:
        return fn(item)
    except BriefpackError as exc:
        if isinstance(exc, InputError):
            raise
        named = _named(exc)
        if named is exc:
            raise
        raise named from None


_prepared = False
_malloc_restored = False  # what `_prepare_worker` did in this process


def _prepare_worker() -> None:
    """Once per worker process, before its first item: glibc's adaptive malloc thresholds
    back where Dask's nanny turned them off (`briefpack.system.memory`)."""
    global _prepared, _malloc_restored
    with _lock:
        if _prepared:
            return
        _prepared = True
        from briefpack.system.memory import restore_adaptive_malloc

        _malloc_restored = restore_adaptive_malloc()
    if _malloc_restored:
        log.info("malloc thresholds set as glibc's adaptive ones reach (Dask's nanny fixed them)")


def _named(exc: BriefpackError) -> BriefpackError:
    try:
        from distributed import get_worker

        address = get_worker().address
    except (ImportError, ValueError):  # not on a worker (a test calling it directly)
        return exc
    try:
        return type(exc)(f"on worker {address}: {exc}")
    except TypeError:  # a subclass with another signature: keep it as it is
        return exc


_kept: dict[Hashable, list[Any]] = {}  # key -> idle instances, oldest key first
_cleanup_registered = False


@contextmanager
def checkout(key: Hashable, make: Callable[[], T]) -> Iterator[T]:
    """A per-process instance for `key` (made with `make()` when none is idle), kept for the
    next task: one per worker thread that needs it at once, at most `_KEPT` keys per
    process (the oldest one's instances are closed first)."""
    global _cleanup_registered
    with _lock:
        idle = _kept.pop(key, [])
        _kept[key] = idle  # most recent last
        thing = idle.pop() if idle else None
        evicted = []
        while len(_kept) > _KEPT:
            evicted += _kept.pop(next(iter(_kept)))
        if not _cleanup_registered:
            # Let the Builders clean up (WeasyPrint removes its font folder) while the
            # interpreter still works: at the process's final teardown that would fail.
            atexit.register(forget)
            _cleanup_registered = True
    _close(evicted)
    if thing is None:
        thing = make()
    try:
        yield thing
    finally:
        with _lock:
            _kept.setdefault(key, []).append(thing)


def forget() -> None:
    """Drop (and close) everything `checkout` keeps in this process."""
    with _lock:
        things = [thing for idle in _kept.values() for thing in idle]
        _kept.clear()
    _close(things)


def _close(things: list[Any]) -> None:
    for thing in things:
        close = getattr(thing, "close", None)
        if callable(close):
            close()
