"""SIGTERM that unwinds: `finally` blocks run, so temporary folders are removed.

Python's default for SIGTERM ends the process at once, leaving whatever it was staging.
Inside `terminate_unwinds()` (main thread only) SIGTERM raises `Terminated` instead; the
CLI turns it into "briefpack: terminated" and exit status 143 (128 + SIGTERM).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(BaseException):
    """SIGTERM arrived; a BaseException so that `except Exception` does not swallow it."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextlib.contextmanager
def terminate_unwinds() -> Iterator[None]:
    """While inside, SIGTERM raises `Terminated`. A handler someone else set is kept."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
