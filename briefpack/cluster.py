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

import atexit
import secrets
import threading
from collections.abc import Callable, Generator, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from briefpack.errors import BriefpackError, ExitStatus, InputError, OptionError

T = TypeVar("T")
R = TypeVar("R")

INSTALL = "pip install 'briefpack[cluster]'"
CONNECT_TIMEOUT = 10.0  # seconds; Dask's own default (30 s) is long for a typo
_KEPT = 4  # kinds of things (e.g. Builders for different options) each worker keeps


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
    """A `distributed.Client` on the scheduler, or a ClusterError within the timeout."""
    distributed = import_distributed()
    timeout = cluster.connect_timeout
    try:
        if cluster.scheduler_file is not None:
            return distributed.Client(
                scheduler_file=str(cluster.scheduler_file), timeout=timeout, set_as_default=False
            )
        return distributed.Client(cluster.address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).split("\n", 1)[0] or type(exc).__name__
        why = "" if "timed out" in reason.lower() else f" ({reason})"
        raise ClusterError(
            f"cannot reach the Dask scheduler at {cluster.where} within {timeout:g} s{why}; "
            "check the address and that `dask scheduler` runs there"
        ) from None


def run_on_cluster(
    cluster: ClusterOptions | str,
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    name: str = "briefpack",
) -> Generator[Outcome[R], None, None]:
    """`fn(item)` on the cluster's workers for each item; outcomes in the order of `items`.

    Connects first (a ClusterError if the scheduler cannot be reached), submits every item,
    then yields each outcome as soon as it and those before it are in. The tasks not yet
    back are cancelled when the generator stops for any reason; close it (or use
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
        for i, future in enumerate(futures):
            try:
                value = future.result()
            except Exception as exc:  # the item's own error, raised on its worker
                yield Outcome(i, error=_client_side(exc, i))
            else:
                yield Outcome(i, value=value)
            futures[i] = None  # its result is ours: let the cluster forget it
    finally:
        pending = [f for f in futures if f is not None]
        try:
            if pending:
                client.cancel(pending)
        finally:
            client.close()


def _client_side(exc: Exception, index: int) -> BaseException:
    """The item's error as the caller should see it: briefpack's own errors as they are,
    the cluster's failures (a task that killed its workers, a lost scheduler) as a
    ClusterError, anything else (a bug) unchanged."""
    if isinstance(exc, BriefpackError):
        return exc
    kind = type(exc)
    if kind.__module__.split(".")[0] == "distributed" or isinstance(exc, OSError):
        return ClusterError(f"item {index + 1} was not finished by the cluster: {kind.__name__}")
    if kind.__name__ == "CancelledError":
        return ClusterError(f"item {index + 1} was cancelled by the cluster (scheduler lost?)")
    return exc


def on_worker(fn: Callable[[T], R], item: T) -> R:
    """Run `fn(item)` on a worker; briefpack's errors that depend on the worker (a model
    missing from its store, a renderer it lacks) name the worker. Input errors do not."""
    try:
        return fn(item)
    except BriefpackError as exc:
        if isinstance(exc, InputError):
            raise
        named = _named(exc)
        if named is exc:
            raise
        raise named from None


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
_lock = threading.Lock()
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
