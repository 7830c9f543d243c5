"""Render processes: the briefings of a pack rendered side by side, off the main process.

WeasyPrint is pure Python above Pango: importing it and laying out a page hold the GIL, so a
thread cannot overlap them with anything. A `RenderProcesses` starts its helpers (plain
`python -m briefpack.render.processes` children, talking pickled frames over their stdin and
stdout) as soon as a `Builder` is made: they import WeasyPrint and load the fonts on the
other cores while the main process ingests, summarizes and translates, and then render the
pack's PDFs in parallel, one briefing per helper at a time. The main process never imports
WeasyPrint.

The bytes are those the in-process `Renderer` writes (same code, same fonts; a test
compares them). A helper that cannot start, or dies, is not an error of the build: its
briefings are rendered in the main process instead, where a real problem (WeasyPrint
missing, say) is reported as it always is. A `RenderError` in a helper is raised again in
the main process with the same message; log records come back with each PDF.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from briefpack.errors import BriefpackError, RenderError
from briefpack.model import Briefing, DigestPage
from briefpack.system import usable_cores

log = logging.getLogger(__name__)

_HEADER = struct.Struct("<Q")
ENV_COUNT = "BRIEFPACK_RENDER_PROCESSES"


def default_count() -> int:
    """How many helpers a build starts: `BRIEFPACK_RENDER_PROCESSES`, else 2 on 2+ cores.

    0 renders in the main process. Two helpers render a 4-language pack in two rounds; more
    would each cost ~100 MB and a WeasyPrint import for little.
    """
    value = os.environ.get(ENV_COUNT, "").strip()
    if value:
        try:
            return max(0, min(int(value), 8))
        except ValueError:
            log.warning("ignoring %s=%r: not a whole number", ENV_COUNT, value)
    return 2 if usable_cores() >= 2 else 0


def _write(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the other side closed the pipe")
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe mid-message")
    return pickle.loads(data)


class _Helper:
    """The parent's end of one helper: its two pipes, and its process if it is our child."""

    def __init__(
        self, send: IO[bytes], receive: IO[bytes], process: subprocess.Popen[bytes] | None
    ) -> None:
        self._send, self._receive, self.process = send, receive, process
        self.ready: dict[str, str] | None = None

    def send(self, message: object) -> None:
        _write(self._send, message)

    def receive(self) -> Any:
        return _read(self._receive)

    def fileno(self) -> int:
        return self._receive.fileno()

    def close_pipes(self) -> None:
        """Closing its pipes tells the helper to leave."""
        for stream in (self._send, self._receive):
            with contextlib.suppress(OSError):
                stream.close()

    def wait(self) -> None:
        if self.process is not None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self.close_pipes()
        self.wait()


def _start(pdf_variant: str, log_level: int, forks: int) -> list[_Helper]:
    """One helper process, and `forks` more that it forks once WeasyPrint is loaded.

    Forked helpers share the first one's imports and fonts (copy on write), so only one
    WeasyPrint import competes with the main process for the CPU. The first helper is
    single-threaded when it forks (WeasyPrint and Pango start no threads).
    """
    root = str(Path(__file__).resolve().parents[2])  # where briefpack/ itself lives
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    pipes = [(os.pipe(), os.pipe()) for _ in range(forks)]  # (to helper, from helper)
    theirs = [fd for (to_r, _to_w), (_from_r, from_w) in pipes for fd in (to_r, from_w)]
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefpack.render.processes",
                pdf_variant,
                str(log_level),
                *[f"{to_r},{from_w}" for (to_r, _), (_, from_w) in pipes],
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            pass_fds=theirs,
        )
    except BaseException:
        for (to_r, to_w), (from_r, from_w) in pipes:
            for fd in (to_r, to_w, from_r, from_w):
                os.close(fd)
        raise
    for fd in theirs:
        os.close(fd)
    assert process.stdin is not None and process.stdout is not None
    helpers = [_Helper(process.stdin, process.stdout, process)]
    for (_to_r, to_w), (from_r, _from_w) in pipes:
        helpers.append(_Helper(open(to_w, "wb"), open(from_r, "rb"), None))  # noqa: SIM115
    return helpers


class RenderProcesses:
    """A few helper processes, each holding one `Renderer`; started at once, used later."""

    def __init__(self, pdf_variant: str, count: int) -> None:
        level = logging.getLogger().getEffectiveLevel()
        self.pdf_variant = pdf_variant
        self._helpers: list[_Helper] = []
        try:
            if sys.platform.startswith("linux"):  # fork after Pango: known safe on Linux
                self._helpers = _start(pdf_variant, level, count - 1)
            else:
                for _ in range(count):
                    self._helpers += _start(pdf_variant, level, 0)
        except OSError as exc:
            log.info("render helpers could not start (%s); rendering here", exc)
            self.close()

    @property
    def pids(self) -> list[int]:
        """The process ids of the helpers that said they are ready."""
        return [int(h.ready["pid"]) for h in self._helpers if h.ready and "pid" in h.ready]

    def start(self) -> dict[str, str] | None:
        """Wait until every helper is ready: what WeasyPrint and templates they run, or None.

        None when no helper works: the caller then renders in its own process.
        """
        working = []
        for helper in self._helpers:
            if helper.ready is None:
                try:
                    kind, payload = helper.receive()
                except (EOFError, OSError, pickle.UnpicklingError, ValueError) as exc:
                    log.info("a render helper did not start (%s)", exc)
                    helper.close()
                    continue
                if kind != "ready":
                    log.info("a render helper did not start (%s)", payload)
                    helper.close()
                    continue
                helper.ready = payload
            working.append(helper)
        self._helpers = working
        return self._helpers[0].ready if self._helpers else None

    def render(
        self, briefings: Sequence[Briefing | DigestPage]
    ) -> list[tuple[bytes, float]] | None:
        """Each briefing's PDF and the seconds it took, in order; None if the helpers failed.

        Each helper has one briefing at a time (so no pipe ever fills both ways) and gets
        the next one as soon as it replies.
        """
        import selectors

        if not self._helpers:
            return None
        results: list[tuple[bytes, float] | None] = [None] * len(briefings)
        # The first PDF in a language indexes its hyphenation dictionary (German: 1 MB,
        # ~0.2 s): start those languages first, so the longest jobs do not come last.
        todo = sorted(range(len(briefings)), key=lambda i: -_dictionary_size(briefings[i]))
        busy: dict[_Helper, int] = {}
        error: str | None = None

        def next_job(helper: _Helper) -> None:
            if todo and error is None:
                index = todo.pop(0)
                helper.send(("render", briefings[index]))
                busy[helper] = index

        with selectors.DefaultSelector() as selector:
            try:
                for helper in self._helpers:
                    selector.register(helper, selectors.EVENT_READ, helper)
                    next_job(helper)
                while busy:
                    for key, _events in selector.select():
                        helper = key.data
                        kind, payload, records = helper.receive()
                        index = busy.pop(helper)
                        for name, level, text in records:
                            logging.getLogger(name).log(level, "%s", text)
                        if kind == "error":
                            error = error or payload
                        else:
                            results[index] = payload  # its records said "rendered ..."
                        next_job(helper)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError) as exc:
                log.info("a render helper failed (%s); rendering here", exc)
                self.close()
                return None
        if error is not None:
            raise RenderError(error)
        return [result for result in results if result is not None]

    def close(self) -> None:
        """Stop every helper: all pipes first (the first helper waits for the others)."""
        helpers, self._helpers = self._helpers, []
        for helper in helpers:
            helper.close_pipes()
        for helper in helpers:
            helper.wait()

    def __del__(self) -> None:
        self.close()


def _dictionary_size(briefing: Briefing | DigestPage) -> int:
    """The size of the hyphenation dictionary a briefing's language uses (0 if none)."""
    try:
        import pyphen

        name = pyphen.language_fallback(briefing.language)
        return Path(str(pyphen.LANGUAGES[name])).stat().st_size if name else 0
    except (ImportError, KeyError, OSError):
        return 0


# ----------------------------------------------------------------------------- the helper


class _Records(logging.Handler):
    """Keeps this helper's log records, to send back with the next reply."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.records.append((record.name, record.levelno, record.getMessage()))
        except Exception:  # a record that cannot format itself is not worth a crash
            self.handleError(record)

    def take(self) -> list[tuple[str, int, str]]:
        records, self.records = self.records, []
        return records


def _serve(pdf_variant: str, log_level: int, forks: Sequence[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and closes us
    sys.stdout = sys.stderr  # nothing but replies may reach the parent's pipes
    records = _Records()
    logging.getLogger().addHandler(records)
    logging.getLogger().setLevel(log_level)
    # WeasyPrint's own chatter stays quiet unless the parent logs at debug level.
    logging.getLogger("weasyprint").setLevel(max(log_level, logging.ERROR))
    # Move the parent's pipes off stdin and stdout, and put /dev/null there: a library
    # that prints to file descriptor 1 cannot corrupt the replies.
    own = (os.dup(0), os.dup(1))
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    channels = [own] + [tuple(int(fd) for fd in pair.split(",")) for pair in forks]
    try:
        from briefpack.render import Renderer, template_hash, weasyprint_version

        renderer = Renderer(pdf_variant)
        ready: tuple[str, Any] = (
            "ready",
            {"weasyprint": weasyprint_version(), "template": template_hash()},
        )
    except BaseException as exc:  # the parent renders in its own process and reports it
        ready = ("failed", f"{type(exc).__name__}: {exc}")
    mine = channels[0]
    forked: list[int] = []  # in the first helper: the ones it forked
    for channel in channels[1:]:
        if ready[0] == "ready":
            pid = os.fork()
            if pid == 0:
                mine, forked = channel, []
                renderer.forked()
                break
            forked.append(pid)
    for channel in channels:  # keep only this process's own pipes open
        if channel != mine:
            for fd in channel:
                os.close(fd)
    reader, writer = os.fdopen(mine[0], "rb"), os.fdopen(mine[1], "wb")
    if ready[0] == "ready":
        ready = ("ready", {**ready[1], "pid": str(os.getpid())})
    _write(writer, ready)
    if ready[0] != "ready":
        return 1
    while True:
        try:
            _kind, briefing = _read(reader)
        except EOFError:
            # Done: leave at once, without the interpreter's teardown of WeasyPrint's
            # objects (a few tenths of a second the parent would wait for). The font folder
            # all helpers share is the first one's to remove, once the others have left.
            writer.close()
            if mine == channels[0]:
                for pid in forked:
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(pid, 0)
            renderer.close()  # a forked helper's own folder, if it loaded fonts later
            os._exit(0)
        start = time.perf_counter()
        try:
            pdf = renderer.render(briefing)
        except BriefpackError as exc:
            _write(writer, ("error", str(exc), records.take()))
            continue
        _write(writer, ("ok", (pdf, time.perf_counter() - start), records.take()))


if __name__ == "__main__":
    try:
        sys.exit(_serve(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
