"""The model store: where installed Argos packages live, how to find and choose them.

Search order (all folders are searched; which package serves a pair: see `ModelStore.active`):

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.errors import InputError, ModelError
from briefpack.model import Progress
from translations.argos_settings import argos_setting, data_dir
from translations.packages import (
    DEFAULT_FAMILY_ORDER,
    TEST_MODEL_MARKER,
    Package,
    family_rank,
    list_packages,
    model_slot,
    read_package,
    version_key,
)

log = logging.getLogger(__name__)

MODELS_ENV = "BRIEFPACK_MODELS"
ARGOS_ENV = "ARGOS_PACKAGES_DIR"
PIVOT_LANGUAGE = "en"
__all__ = [
    "TEST_MODEL_MARKER",
    "ModelStore",
    "Package",
    "Route",
    "list_packages",
    "model_slot",
    "read_package",
]


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
    families: tuple[str, ...] = ()  # model families to prefer, in order (see `active`)
    _warned: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def from_env(
        cls,
        models_dir: Path | None = None,
        env: Mapping[str, str] | None = None,
        *,
        families: Sequence[str] = (),
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
        for family in families:
            if family not in DEFAULT_FAMILY_ORDER:
                known = ", ".join(DEFAULT_FAMILY_ORDER)
                raise InputError(f"unknown model family {family!r}; use {known}")
        return cls(search_dirs=unique, install_dir=unique[0], families=tuple(families))

    def _scan(self) -> tuple[list[tuple[int, Package]], list[ModelError]]:
        """Every readable package with its folder's place in the search order, and the
        folders that could not be read."""
        found: list[tuple[int, Package]] = []
        problems: list[ModelError] = []
        for index, folder in enumerate(self.search_dirs):
            try:
                found += [(index, pkg) for pkg in list_packages(folder)]
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
        return [pkg for _, pkg in found]

    def active(self, *, family: str | None = None) -> dict[tuple[str, str], Package]:
        """The package used for each pair (of `family` only, if given), when several serve
        it chosen in this order:

        1. a real model before a test model;
        2. the family: those in `families` first, in their order, then the default order
           (`packages.DEFAULT_FAMILY_ORDER`: imported OPUS-MT, NLLB-200, M2M-100, Argos);
        3. the folder: earlier in the search order first (`--models DIR` before the rest);
        4. the newest version, then the folder name.
        """
        found, problems = self._scan()
        self._warn(problems)
        return self._choose(found, family)

    def _choose(
        self, found: Iterable[tuple[int, Package]], family: str | None
    ) -> dict[tuple[str, str], Package]:
        candidates: dict[tuple[str, str], list[tuple[tuple[Any, ...], Package]]] = {}
        for index, pkg in found:
            info = pkg.info
            if family is not None and info.family != family:
                continue
            rank = (
                info.test_model,
                family_rank(info.family, self.families),
                index,
                tuple(-n for n in version_key(info.version)),
                info.path.name,
            )
            candidates.setdefault(pkg.pair, []).append((rank, pkg))
        return {pair: min(ranked, key=lambda r: r[0])[1] for pair, ranked in candidates.items()}

    def pivot_routes(self) -> list[Route]:
        """Pairs with no package of their own that English links: x->en plus en->y."""
        return _pivot_routes(self.active())

    def route(self, source: str, target: str) -> Route:
        """The packages that translate `source` -> `target`, preferring a direct one.

        Unreadable folders are warnings when the route is found, the error when it is not.
        """
        found, problems = self._scan()
        active = self._choose(found, None)
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
        progress: Progress | None = None,
    ) -> list[Package]:
        """Validate every archive, then install them all into `install_dir` (see `install`)."""
        return install(archives, self.install_dir, replace=replace, progress=progress)


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
    progress: Progress | None = None,
) -> list[Package]:
    """Install `.argosmodel` archives into `store_dir`, all or none (see translations.installer)."""
    from translations.installer import install as install_archives

    return install_archives(archives, store_dir, replace=replace, progress=progress)
