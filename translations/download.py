"""Download packages from the Argos package index: the only code in briefpack that uses the network.

Runs only when a user asks (`briefpack models download en:ru,uk,de`). A careful client:

- The index is `--index-url`, else `BRIEFPACK_INDEX_URL`, else Argos's `ARGOS_PACKAGE_INDEX`
  (environment, then settings.json; a base URL, "index.json" is appended as Argos does), else
  Argos's own index.
- https only. Plain http only for a *local mirror the user names* as the index (a loopback
  or private-network address, `localhost`, a one-word host name or one under `.local`,
  `.lan`, `.internal`, `.home.arpa`), and then only to that same host: links and redirects
  elsewhere must be https. `file://`, `ftp://` and every other scheme are never read.
- Argos's User-Agent ("ArgosTranslate"); each package's links in random order, each tried
  up to 3 times with exponential backoff (jittered) on connection errors, timeouts, HTTP 5xx
  and 429; other 4xx go straight to the next link.
- One deadline for the whole command; a per-read timeout; a minimum rate after a grace
  period (a server that drips a byte at a time is dropped); a size cap checked against
  Content-Length and while reading, for the index and for each package.
- Each download lands in a temporary file and is installed through the store's checked
  install, so a broken, truncated or hostile download never reaches the model folder.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import os
import random
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from briefpack.errors import InputError, ModelError, NetworkError
from briefpack.model import Progress
from briefpack.system.jsondata import load_json
from briefpack.system.signals import terminate_unwinds
from briefpack.system.text import shorten
from translations.argos_settings import argos_setting
from translations.packages import ARGOS_FAMILY
from translations.store import ModelStore, Package

log = logging.getLogger(__name__)

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_ENV = "BRIEFPACK_INDEX_URL"
ARGOS_INDEX_ENV = "ARGOS_PACKAGE_INDEX"
USER_AGENT = "ArgosTranslate"  # what argostranslate sends (servers answered urllib's with 403)
TIMEOUT_S = 5.0  # per connection attempt and per read; offline, the index fails within it
LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".home.arpa", ".localhost")
_OFFLINE_HINT = (
    "without network access, copy the .argosmodel files here and run "
    "`briefpack models install FILE.argosmodel`"
)
# Everything a failed fetch can raise. RuntimeError: sandboxes that refuse to open
# sockets (and pytest-socket) raise it instead of an OSError.
_FETCH_ERRORS = (OSError, http.client.HTTPException, ValueError, RuntimeError)
_SPEC = re.compile(r"^([A-Za-z]{2,3}):([A-Za-z]{2,3}(?:,[A-Za-z]{2,3})*)$")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Policy:
    """How patient and how generous a download is. Tests shrink every number."""

    timeout: float = TIMEOUT_S
    deadline: float = 3600.0  # the whole command: index and every package
    attempts: int = 3  # per link
    backoff: float = 1.0  # seconds before the 2nd attempt; doubled after each
    max_index_bytes: int = 8 * 1024 * 1024  # Argos's index is about 100 KB
    max_package_bytes: int = 2 * 1024**3  # real packages are 100-300 MB
    min_rate: float = 1024.0  # bytes per second, averaged over a transfer ...
    rate_grace: float = 30.0  # ... once it has run this long


@dataclass(frozen=True)
class Downloaded:
    """What `download` did for one pair: "installed", "updated" or "up to date"."""

    pair: tuple[str, str]
    status: str
    package: Package


class _Refused(Exception):
    """A URL the rules refuse, or a transfer that broke a limit: never retried."""


class _Retryable(Exception):
    """A failure worth another attempt at the same link."""


class _OutOfTime(Exception):
    """The command's deadline passed: stop everything."""


def index_url(explicit: str | None = None) -> str:
    """The package index: explicit > BRIEFPACK_INDEX_URL > ARGOS_PACKAGE_INDEX > Argos's."""
    chosen = explicit or os.environ.get(INDEX_ENV)
    if chosen:
        return chosen
    argos = argos_setting(ARGOS_INDEX_ENV)
    if argos:
        if argos.endswith(".json"):
            return argos
        return argos if argos.endswith("/index.json") else argos.rstrip("/") + "/index.json"
    return DEFAULT_INDEX_URL


def is_local_host(host: str) -> bool:
    """Whether `host` names a machine on this network (for a plain-http mirror)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return bool(host) and "." not in host and ":" not in host  # a one-word name
    return address.is_loopback or address.is_private or address.is_link_local


def mirror_host(url: str) -> str | None:
    """For the index URL the user named: the host plain http may reach, or None (https).

    InputError for a URL that may not be used at all.
    """
    parts = urllib.parse.urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme == "https" and host:
        return None
    if scheme == "http" and host and is_local_host(host):
        return host.lower()
    if scheme == "http":
        raise InputError(
            f"the package index {shorten(url, 120)} is plain http; use https, or plain http "
            "only for a local mirror (localhost, a private address, a .lan/.local name)"
        )
    raise InputError(
        f"the package index {shorten(url, 120)} is not an https URL; briefpack never reads "
        f"{scheme or 'scheme-less'} URLs: {_OFFLINE_HINT}"
    )


def _check_link(url: str, mirror: str | None) -> None:
    parts = urllib.parse.urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme == "https" and host:
        return
    if scheme == "http" and host and mirror is not None and host == mirror:
        return
    if scheme == "http":
        raise _Refused("plain http outside the local mirror is never used")
    raise _Refused(f"{scheme or 'scheme-less'} links are never followed")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, mirror: str | None) -> None:
        self.mirror = mirror

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        _check_link(newurl, self.mirror)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class _Fetcher:
    """Fetches URLs under one `Policy` and deadline, for one index (and its mirror rule)."""

    policy: Policy
    mirror: str | None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.ends = self.clock() + self.policy.deadline
        self.opener = urllib.request.build_opener(_CheckedRedirects(self.mirror))

    def left(self) -> float:
        left = self.ends - self.clock()
        if left <= 0:
            raise _OutOfTime
        return left

    def get(
        self,
        links: Sequence[str],
        out: BinaryIO,
        limit: int,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> str:
        """Fetch the first link that works (random order, with retries) into `out`.

        Returns the link used; raises NetworkError saying why each failed.
        """
        problems = []
        for link in self.rng.sample(list(links), len(links)):
            for attempt in range(self.policy.attempts):
                out.seek(0)
                out.truncate()
                try:
                    _check_link(link, self.mirror)
                    self._once(link, out, limit, progress)
                    return link
                except _Refused as exc:
                    problems.append(f"{shorten(link, 100)}: {exc}")
                    break
                except _Retryable as exc:
                    problem = f"{shorten(link, 100)}: {exc}"
                    if attempt + 1 == self.policy.attempts:
                        problems.append(problem)
                        break
                    log.info("%s; retrying", problem)
                    pause = (
                        self.policy.backoff * 2**attempt * (0.75 + self.rng.random() / 2)
                    )  # ±25 %
                    self.sleep(min(pause, self.left()))
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise NetworkError("; ".join(problems[:3]) + more)

    def _once(
        self,
        url: str,
        out: BinaryIO,
        limit: int,
        progress: Callable[[int, int | None], None] | None,
    ) -> None:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        started = self.clock()
        try:
            with self.opener.open(request, timeout=min(self.policy.timeout, self.left())) as reply:
                total = _content_length(reply)
                if total is not None and total > limit:
                    raise _Refused(f"it is {total} bytes, over the limit of {limit}")
                done = 0
                # read1: whatever has arrived, so a drip-feed is timed byte by byte
                read = getattr(reply, "read1", reply.read)
                while chunk := read(_CHUNK):
                    done += len(chunk)
                    if done > limit:
                        raise _Refused(f"it sent over {limit} bytes, the limit")
                    out.write(chunk)
                    if progress is not None:
                        progress(done, total)
                    self._check_pace(started, done)
                if total is not None and done < total:
                    raise _Retryable(f"the transfer stopped after {done} of {total} bytes")
        except urllib.error.HTTPError as exc:
            if exc.code in (408, 425, 429) or exc.code >= 500:
                raise _Retryable(f"HTTP {exc.code} {shorten(str(exc.reason), 60)}") from None
            raise _Refused(f"HTTP {exc.code} {shorten(str(exc.reason), 60)}") from None
        except (_Refused, _Retryable, _OutOfTime):
            raise
        except _FETCH_ERRORS as exc:
            reason = getattr(exc, "reason", None) or exc
            raise _Retryable(shorten(" ".join(str(reason).split()), 160)) from None

    def _check_pace(self, started: float, done: int) -> None:
        self.left()
        elapsed = self.clock() - started
        if elapsed > self.policy.rate_grace and done / elapsed < self.policy.min_rate:
            raise _Refused(
                f"the server sends too slowly ({done / elapsed:.0f} bytes/s after {elapsed:.0f} s)"
            )


def _content_length(reply: Any) -> int | None:
    value = reply.headers.get("Content-Length")
    if value is None or not str(value).strip().isdigit():
        return None
    return int(value)


def parse_specs(specs: Sequence[str]) -> list[tuple[str, str]]:
    """Turn ["en:ru,uk,de", "de:en"] into language pairs, in order, without repeats."""
    pairs: list[tuple[str, str]] = []
    for spec in specs:
        match = _SPEC.match(spec.strip())
        if not match:
            raise InputError(
                f"cannot read model spec {spec!r}; write FROM:TO[,TO...], e.g. en:ru,uk"
            )
        source = match.group(1).lower()
        for target in match.group(2).lower().split(","):
            if target == source:
                raise InputError(f"model spec {spec!r} asks for {source}->{target}; drop {target}")
            if (source, target) not in pairs:
                pairs.append((source, target))
    if not pairs:
        raise InputError("no model spec given; write FROM:TO[,TO...], e.g. en:ru,uk,de")
    return pairs


def fetch_index(
    url: str, *, timeout: float = TIMEOUT_S, policy: Policy | None = None
) -> list[dict[str, Any]]:
    """Read the package index (a JSON list of package metadata)."""
    policy = policy or Policy(timeout=timeout)
    fetcher = _Fetcher(policy, mirror_host(url))
    return _read_index(fetcher, url)


def _read_index(fetcher: _Fetcher, url: str) -> list[dict[str, Any]]:
    shown = shorten(url, 120)
    with tempfile.TemporaryFile() as buffer:
        try:
            fetcher.get([url], buffer, fetcher.policy.max_index_bytes)
        except NetworkError as exc:
            raise NetworkError(
                f"cannot reach the package index {shown} ({exc}); {_OFFLINE_HINT}"
            ) from None
        except _OutOfTime:
            raise NetworkError(
                f"the package index {shown} took too long; {_OFFLINE_HINT}"
            ) from None
        buffer.seek(0)
        data = buffer.read()
    try:
        index = load_json(data)
    except ValueError as exc:
        raise NetworkError(f"the package index {shown} {exc}; {_OFFLINE_HINT}") from None
    if not isinstance(index, list):
        raise NetworkError(f"the package index {shown} is not a list of packages; {_OFFLINE_HINT}")
    return [entry for entry in index if isinstance(entry, dict)]


def download(
    specs: Sequence[str],
    store: ModelStore,
    *,
    url: str | None = None,
    timeout: float = TIMEOUT_S,
    policy: Policy | None = None,
    progress: Progress | None = None,
) -> list[Downloaded]:
    """Download and install the newest index package for each pair unless already current.

    `progress(NAME, done, total, unit="B")` gets each file's bytes as they arrive, then
    the install's unpacking (`briefpack.model.Progress`).
    """
    pairs = parse_specs(specs)
    source_url = index_url(url)
    fetcher = _Fetcher(policy or Policy(timeout=timeout), mirror_host(source_url))
    with terminate_unwinds():
        index = _read_index(fetcher, source_url)
        active = store.active(family=ARGOS_FAMILY)  # imported models: not the index's
        wanted: list[tuple[tuple[str, str], dict[str, Any], str]] = []
        results: list[Downloaded] = []
        for pair in pairs:
            entry = _newest(index, pair)
            if entry is None:
                raise ModelError(
                    f"the package index {shorten(source_url, 120)} has no {pair[0]}->{pair[1]} "
                    f"package; pivot through English with {pair[0]}:en and en:{pair[1]}"
                )
            current = active.get(pair)
            if current is None:
                wanted.append((pair, entry, "installed"))
            elif _version_key(current.info.version) >= _version_key(str(entry["package_version"])):
                results.append(Downloaded(pair, "up to date", current))
            else:
                wanted.append((pair, entry, "updated"))
        if not wanted:
            return results
        with tempfile.TemporaryDirectory(prefix="briefpack-download-") as tmp:
            files = [_fetch_package(fetcher, entry, Path(tmp), progress) for _, entry, _ in wanted]
            # Only pairs found outdated are replaced; new pairs cannot clash.
            replace = any(s == "updated" for *_, s in wanted)
            installed = store.install(files, replace=replace, progress=progress)
    for (pair, _, status), package in zip(wanted, installed, strict=True):
        results.append(Downloaded(pair, status, package))
    return results


def _newest(index: Sequence[dict[str, Any]], pair: tuple[str, str]) -> dict[str, Any] | None:
    matches = [
        e
        for e in index
        if (e.get("from_code"), e.get("to_code")) == pair
        and e.get("type", "translate") == "translate"
        and isinstance(e.get("links"), list)
        and any(isinstance(link, str) for link in e["links"])
        and isinstance(e.get("package_version"), str | int | float)
        and not isinstance(e.get("package_version"), bool)
    ]
    return max(matches, key=lambda e: _version_key(str(e["package_version"])), default=None)


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(p)) if p.isdigit() and len(p) < 20 else (1, p) for p in re.split(r"[._-]", version)
    )


def _fetch_package(
    fetcher: _Fetcher, entry: dict[str, Any], folder: Path, progress: Progress | None
) -> Path:
    name = f"translate-{entry['from_code']}_{entry['to_code']}.argosmodel"
    target = folder / name
    links = [link for link in entry["links"] if isinstance(link, str)][:20]
    report = None
    if progress is not None:
        bar = progress

        def report(done: int, total: int | None) -> None:
            bar(name, done, total, unit="B")

    with target.open("w+b") as out:
        try:
            used = fetcher.get(links, out, fetcher.policy.max_package_bytes, report)
        except NetworkError as exc:
            raise NetworkError(f"cannot download {name} ({exc}); {_OFFLINE_HINT}") from None
        except _OutOfTime:
            raise NetworkError(
                f"downloading {name} took too long (over {fetcher.policy.deadline:g} s in all); "
                f"{_OFFLINE_HINT}"
            ) from None
    log.info("downloaded %s from %s", name, used)
    return target
