"""The model store: where installed Argos packages live, how to find and check them.

Search order (all folders are searched; for a language pair the first one found wins):

1. an explicit folder (`--models DIR`),
2. `BRIEFPACK_MODELS` (folders separated by `os.pathsep`),
3. Argos Translate's own packages folder, found as argostranslate finds it:
   `ARGOS_PACKAGES_DIR`, else `ARGOS_PACKAGES_DIR` in Argos's settings.json, else
   `$XDG_DATA_HOME/argos-translate/packages` (default `~/.local/share/...`).

New packages go into the first of these folders (see translations.installer). Everything is
resolved when called and folders are listed on every call, so a package installed while a
process runs is visible to it. Folders whose name starts with "." are never listed. A folder
that cannot be read is a warning while another folder serves the request, and the error
when none does.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.errors import ModelError
from briefpack.model import ModelInfo
from briefpack.system.archive import ProgressCallback
from briefpack.system.files import FileProblem, read_regular
from briefpack.system.jsondata import load_json
from briefpack.system.text import shorten
from translations.argos_settings import argos_setting, data_dir

log = logging.getLogger(__name__)

MODELS_ENV = "BRIEFPACK_MODELS"
ARGOS_ENV = "ARGOS_PACKAGES_DIR"
PIVOT_LANGUAGE = "en"
TEST_MODEL_MARKER = "briefpack_test_model"
REQUIRED_FIELDS = ("from_code", "to_code", "package_version")
MAX_METADATA_BYTES = 1024 * 1024  # a real metadata.json is under 2 KB
_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Package:
    """An installed translation package, as read from its folder."""

    info: ModelInfo
    from_name: str
    to_name: str
    target_prefix: str  # token forced at the start of every output, "" for none
    tokenizer: str  # "sentencepiece" or "bpe"

    @property
    def pair(self) -> tuple[str, str]:
        return (self.info.from_code, self.info.to_code)


@dataclass(frozen=True)
class Route:
    """How to translate `source` -> `target`: one package, or two through `pivot`."""

    source: str
    target: str
    packages: tuple[Package, ...]
    pivot: str | None = None


@dataclass(frozen=True)
class ModelStore:
    """The folders searched for packages, and the one new packages are installed into."""

    search_dirs: tuple[Path, ...]
    install_dir: Path
    _warned: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def from_env(
        cls, models_dir: Path | None = None, env: Mapping[str, str] | None = None
    ) -> ModelStore:
        """Resolve the folders from an explicit folder and the environment (see module doc)."""
        env = os.environ if env is None else env
        dirs: list[Path] = []
        if models_dir is not None:
            dirs.append(Path(models_dir))
        dirs += [Path(p) for p in env.get(MODELS_ENV, "").split(os.pathsep) if p.strip()]
        argos_dir = argos_setting(ARGOS_ENV, env)
        dirs.append(Path(argos_dir) if argos_dir else data_dir(env) / "packages")
        unique = tuple(dict.fromkeys(p.expanduser() for p in dirs))
        return cls(search_dirs=unique, install_dir=unique[0])

    def _scan(self) -> tuple[list[Package], list[ModelError]]:
        """Every readable translation package in search order, and the unreadable folders."""
        found: list[Package] = []
        problems: list[ModelError] = []
        for folder in self.search_dirs:
            try:
                found += list_packages(folder)
            except ModelError as exc:
                problems.append(exc)
        return found, problems

    def _warn(self, problems: Sequence[ModelError]) -> None:
        for problem in problems:
            if str(problem) not in self._warned:
                self._warned.add(str(problem))
                log.warning("%s; skipping it", problem)

    def packages(self) -> list[Package]:
        """Every readable translation package, in search order (shadowed ones included).

        A folder that cannot be read is skipped with a warning.
        """
        found, problems = self._scan()
        self._warn(problems)
        return found

    def active(self) -> dict[tuple[str, str], Package]:
        """The package used for each pair: the first found in search order."""
        return _first_per_pair(self.packages())

    def pivot_routes(self) -> list[Route]:
        """Pairs with no package of their own that English links: x->en plus en->y."""
        return _pivot_routes(self.active())

    def route(self, source: str, target: str) -> Route:
        """The packages that translate `source` -> `target`, preferring a direct one.

        Unreadable folders are warnings when the route is found, the error when it is not.
        """
        found, problems = self._scan()
        active = _first_per_pair(found)
        chosen = active.get((source, target))
        if chosen is not None:
            self._warn(problems)
            return Route(source, target, (chosen,))
        for candidate in _pivot_routes(active):
            if (candidate.source, candidate.target) == (source, target):
                self._warn(problems)
                return candidate
        if problems:
            raise ModelError(
                f"{problems[0]}, and no other model folder has {source}->{target}; fix its "
                "permissions, or name a folder that has the model with --models DIR"
            )
        searched = os.pathsep.join(str(p) for p in self.search_dirs)
        via = ""
        if PIVOT_LANGUAGE not in (source, target):
            via = f" (or {source}->{PIVOT_LANGUAGE} and {PIVOT_LANGUAGE}->{target})"
        raise ModelError(
            f"no translation model for {source}->{target} in {searched}: install "
            f"translate-{source}_{target}{via} with `briefpack models install FILE.argosmodel`"
            f" or `briefpack models download {source}:{target}`"
        )

    def install(
        self,
        archives: Sequence[Path],
        *,
        replace: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[Package]:
        """Validate every archive, then install them all into `install_dir` (see `install`)."""
        return install(archives, self.install_dir, replace=replace, progress=progress)


def list_packages(folder: Path) -> list[Package]:
    """The translation packages in one folder, sorted by folder name; [] if it is missing."""
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ModelError(f"cannot read model folder {folder}: {exc.strerror}") from exc
    found = []
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            pkg = read_package(entry)
        except ModelError as exc:
            log.warning("skipping %s: %s", entry, exc)
            continue
        if pkg is not None:
            found.append(pkg)
    return found


def read_package(folder: Path) -> Package | None:
    """Read an installed package folder; None for a package that is not a translation model."""
    try:
        metadata = load_json(read_regular(folder / "metadata.json", MAX_METADATA_BYTES))
    except FileProblem as exc:
        if exc.kind == "missing":
            raise ModelError(f"{folder} has no metadata.json; reinstall the package") from exc
        raise ModelError(f"{folder}/metadata.json {exc.reason}; reinstall it") from exc
    except ValueError as exc:
        raise ModelError(f"{folder}/metadata.json {exc}; reinstall it") from exc
    problem = metadata_problem(metadata)
    if problem == "not-translate":
        return None
    if problem:
        raise ModelError(f"{folder}/metadata.json {problem}; reinstall the package")
    if (folder / "sentencepiece.model").is_file():
        tokenizer = "sentencepiece"
    elif (folder / "bpe.model").is_file():
        tokenizer = "bpe"
    else:
        raise ModelError(f"{folder} has no sentencepiece.model or bpe.model; reinstall it")
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    info = ModelInfo(
        from_code=from_code,
        to_code=to_code,
        name=f"translate-{from_code}_{to_code}",
        version=str(metadata["package_version"]),
        path=folder,
        test_model=metadata.get(TEST_MODEL_MARKER) is True,
    )
    return Package(
        info=info,
        from_name=str(metadata.get("from_name") or from_code),
        to_name=str(metadata.get("to_name") or to_code),
        target_prefix=str(metadata.get("target_prefix") or ""),
        tokenizer=tokenizer,
    )


def metadata_problem(metadata: Any) -> str:
    """What is wrong with a package's metadata, "" if nothing.

    Returns "not-translate" for a well-formed package of another type (e.g. "sbd").
    """
    if not isinstance(metadata, dict):
        return "is not a JSON object"
    if metadata.get("type", "translate") != "translate":
        return "not-translate"  # e.g. Argos's "sbd" (sentence splitter) packages
    missing = [k for k in REQUIRED_FIELDS if not metadata.get(k)]
    if missing:
        return f"lacks {', '.join(missing)}"
    for key in ("from_code", "to_code"):
        if not isinstance(metadata[key], str) or not _CODE.match(metadata[key]):
            return f"has an invalid {key} {shorten(repr(metadata[key]), 60)}"
    return ""


def package_digest(folder: Path) -> str:
    """SHA-256 over a package's files: sorted relative paths, each with its size and bytes."""
    digest = hashlib.sha256()
    try:
        for rel, path in _package_files(folder):
            digest.update(f"{rel}\0{path.stat().st_size}\0".encode())
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    except OSError as exc:
        raise ModelError(
            f"cannot read the package in {folder} ({exc.strerror or exc}); was it replaced or "
            "removed meanwhile? run again, or reinstall it"
        ) from exc
    return digest.hexdigest()


def package_size(folder: Path) -> int:
    """Bytes used by a package's files (files removed meanwhile, by a replace, count 0)."""
    total = 0
    for _, path in _package_files(folder):
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def _package_files(folder: Path) -> list[tuple[str, Path]]:
    """Regular files under `folder`, by relative path; symbolic links are never followed."""
    files: list[tuple[str, Path]] = []
    for root, _dirs, names in os.walk(folder):  # os.walk does not descend into links
        for name in names:
            path = Path(root, name)
            if not path.is_symlink() and path.is_file():
                files.append((path.relative_to(folder).as_posix(), path))
    return sorted(files)


def _first_per_pair(packages: Iterable[Package]) -> dict[tuple[str, str], Package]:
    chosen: dict[tuple[str, str], Package] = {}
    for pkg in packages:
        chosen.setdefault(pkg.pair, pkg)
    return chosen


def _pivot_routes(active: Mapping[tuple[str, str], Package]) -> list[Route]:
    routes = []
    for (source, middle), first in active.items():
        if middle != PIVOT_LANGUAGE:
            continue
        for (start, target), second in active.items():
            if start == PIVOT_LANGUAGE and target != source and (source, target) not in active:
                routes.append(Route(source, target, (first, second), PIVOT_LANGUAGE))
    return sorted(routes, key=lambda r: (r.source, r.target))


def install(
    archives: Sequence[Path],
    store_dir: Path,
    *,
    replace: bool = False,
    progress: ProgressCallback | None = None,
) -> list[Package]:
    """Install `.argosmodel` archives into `store_dir`, all or none (see translations.installer)."""
    from translations.installer import install as install_archives

    return install_archives(archives, store_dir, replace=replace, progress=progress)
