"""Download packages from the Argos package index: the only code in briefpack that uses the network.

Runs only when a user asks (`briefpack models download en:ru,uk,de`). Each download lands in
a temporary file and is installed through the store's checked install, so a broken or
truncated download never reaches the model folder.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import shutil
import tempfile
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.errors import InputError, ModelError, NetworkError
from translations.packages import ARGOS_FAMILY
from translations.store import ModelStore, Package

log = logging.getLogger(__name__)

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_ENV = "BRIEFPACK_INDEX_URL"
TIMEOUT_S = 5.0  # per connection attempt and per read; offline, the index fails within it
_OFFLINE_HINT = (
    "without network access, copy the .argosmodel files here and run "
    "`briefpack models install FILE.argosmodel`"
)
# Everything a failed fetch can raise. RuntimeError: sandboxes that refuse to open
# sockets (and pytest-socket) raise it instead of an OSError.
_FETCH_ERRORS = (OSError, http.client.HTTPException, ValueError, RuntimeError)
_SPEC = re.compile(r"^([A-Za-z]{2,3}):([A-Za-z]{2,3}(?:,[A-Za-z]{2,3})*)$")


@dataclass(frozen=True)
class Downloaded:
    """What `download` did for one pair: "installed", "updated" or "up to date"."""

    pair: tuple[str, str]
    status: str
    package: Package


def index_url(explicit: str | None = None) -> str:
    """The package index to use: explicit > `BRIEFPACK_INDEX_URL` > the Argos index."""
    return explicit or os.environ.get(INDEX_ENV) or DEFAULT_INDEX_URL


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


def fetch_index(url: str, *, timeout: float = TIMEOUT_S) -> list[dict[str, Any]]:
    """Read the package index (a JSON list of package metadata)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except _FETCH_ERRORS as exc:
        raise NetworkError(
            f"cannot reach the package index {url} ({exc}); {_OFFLINE_HINT}"
        ) from exc
    try:
        index = json.loads(data)
    except ValueError as exc:
        raise NetworkError(f"the package index {url} is not JSON; {_OFFLINE_HINT}") from exc
    if not isinstance(index, list):
        raise NetworkError(f"the package index {url} is not a list of packages; {_OFFLINE_HINT}")
    return [entry for entry in index if isinstance(entry, dict)]


def download(
    specs: Sequence[str],
    store: ModelStore,
    *,
    url: str | None = None,
    timeout: float = TIMEOUT_S,
) -> list[Downloaded]:
    """Download and install the newest index package for each pair unless already current."""
    pairs = parse_specs(specs)
    source_url = index_url(url)
    index = fetch_index(source_url, timeout=timeout)
    active = store.active(family=ARGOS_FAMILY)  # imported models are not the index's to update
    wanted: list[tuple[tuple[str, str], dict[str, Any], str]] = []
    results: list[Downloaded] = []
    for pair in pairs:
        entry = _newest(index, pair)
        if entry is None:
            raise ModelError(
                f"the package index {source_url} has no {pair[0]}->{pair[1]} package; "
                f"pivot through English with {pair[0]}:en and en:{pair[1]}"
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
        files = [_fetch_package(entry, Path(tmp), timeout) for _, entry, _ in wanted]
        # Only pairs found outdated are replaced; new pairs cannot clash.
        installed = store.install(files, replace=any(s == "updated" for *_, s in wanted))
    for (pair, _, status), package in zip(wanted, installed, strict=True):
        results.append(Downloaded(pair, status, package))
    return results


def _newest(index: Sequence[dict[str, Any]], pair: tuple[str, str]) -> dict[str, Any] | None:
    matches = [
        e
        for e in index
        if (e.get("from_code"), e.get("to_code")) == pair
        and e.get("type", "translate") == "translate"
        and e.get("links")
        and e.get("package_version")
    ]
    return max(matches, key=lambda e: _version_key(str(e["package_version"])), default=None)


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[._-]", version))


def _fetch_package(entry: dict[str, Any], folder: Path, timeout: float) -> Path:
    name = f"translate-{entry['from_code']}_{entry['to_code']}.argosmodel"
    target = folder / name
    problems = []
    for link in entry["links"]:
        log.info("downloading %s", link)
        try:
            with (
                urllib.request.urlopen(str(link), timeout=timeout) as response,
                target.open("wb") as fh,
            ):
                shutil.copyfileobj(response, fh, 1 << 20)
            return target
        except _FETCH_ERRORS as exc:
            problems.append(f"{link}: {exc}")
    raise NetworkError(f"cannot download {name} ({'; '.join(problems)}); {_OFFLINE_HINT}")
