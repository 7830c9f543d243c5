"""The model store: where installed Argos packages live, how to find, check and install them.

Search order (all folders are searched; for a language pair the first one found wins):

1. an explicit folder (`--models DIR`),
2. `BRIEFPACK_MODELS` (folders separated by `os.pathsep`),
3. `ARGOS_PACKAGES_DIR`, else `$XDG_DATA_HOME/argos-translate/packages`
   (default `~/.local/share/argos-translate/packages`), where Argos Translate itself installs.

New packages go into the first of these folders. Everything is resolved when called and
folders are listed on every call, so a package installed while a process runs is visible to
it. Folders whose name starts with "." are in-progress installs and never listed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from briefpack.errors import InputError, ModelError
from briefpack.verify import ZIP_ERRORS
from translations import layouts
from translations.packages import (
    DEFAULT_FAMILY_ORDER,
    TEST_MODEL_MARKER,
    Package,
    family_rank,
    metadata_problem,
    read_directions,
    read_package,
    version_key,
)

log = logging.getLogger(__name__)

MODELS_ENV = "BRIEFPACK_MODELS"
ARGOS_ENV = "ARGOS_PACKAGES_DIR"
PIVOT_LANGUAGE = "en"
MAX_UNPACKED_BYTES = 4 * 1024**3  # real Argos packages are about 100 MB
__all__ = ["TEST_MODEL_MARKER", "ModelStore", "Package", "Route", "read_package"]


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
        if env.get(ARGOS_ENV):
            dirs.append(Path(env[ARGOS_ENV]))
        else:
            data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
            dirs.append(Path(data_home) / "argos-translate" / "packages")
        unique = tuple(dict.fromkeys(p.expanduser() for p in dirs))
        for family in families:
            if family not in DEFAULT_FAMILY_ORDER:
                known = ", ".join(DEFAULT_FAMILY_ORDER)
                raise InputError(f"unknown model family {family!r}; use {known}")
        return cls(search_dirs=unique, install_dir=unique[0], families=tuple(families))

    def packages(self) -> list[Package]:
        """Every readable translation package, in search order (shadowed ones included)."""
        found = []
        for folder in self.search_dirs:
            found += list_packages(folder)
        return found

    def active(self, *, family: str | None = None) -> dict[tuple[str, str], Package]:
        """The package used for each pair (of `family` only, if given), when several serve
        it chosen in this order:

        1. a real model before a test model;
        2. the family: those in `families` first, in their order, then the default order
           (`packages.DEFAULT_FAMILY_ORDER`: imported OPUS-MT, NLLB-200, M2M-100, Argos);
        3. the folder: earlier in the search order first (`--models DIR` before the rest);
        4. the newest version, then the folder name.
        """
        candidates: dict[tuple[str, str], list[tuple[tuple[Any, ...], Package]]] = {}
        for index, folder in enumerate(self.search_dirs):
            for pkg in list_packages(folder):
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
        """The packages that translate `source` -> `target`, preferring a direct one."""
        active = self.active()
        if (source, target) in active:
            return Route(source, target, (active[(source, target)],))
        for candidate in _pivot_routes(active):
            if (candidate.source, candidate.target) == (source, target):
                return candidate
        searched = os.pathsep.join(str(p) for p in self.search_dirs)
        via = ""
        if PIVOT_LANGUAGE not in (source, target):
            via = f" (or {source}->{PIVOT_LANGUAGE} and {PIVOT_LANGUAGE}->{target})"
        raise ModelError(
            f"no translation model for {source}->{target} in {searched}: install "
            f"translate-{source}_{target}{via} with `briefpack models install FILE.argosmodel`"
            f" or `briefpack models download {source}:{target}`"
        )

    def install(self, archives: Sequence[Path], *, replace: bool = False) -> list[Package]:
        """Validate every archive, then install them all into `install_dir` (see `install`)."""
        return install(archives, self.install_dir, replace=replace)


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
            pkg = read_directions(entry)
        except ModelError as exc:
            log.warning("skipping %s: %s", entry, exc)
            continue
        found += pkg
    return found


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


# --------------------------------------------------------------------------- install


@dataclass(frozen=True)
class _Staged:
    archive: Path
    workdir: Path  # hidden temporary folder inside the store folder
    folder_name: str  # the archive's single top-level folder
    pair: tuple[str, str]
    slot: tuple[str, ...]  # an installed package in the same slot is replaced (`model_slot`)


def install(archives: Sequence[Path], store_dir: Path, *, replace: bool = False) -> list[Package]:
    """Install `.argosmodel` archives into `store_dir`: all of them, or none.

    Every archive is checked (a zip with one top-level folder, no absolute, `..` or symlink
    entries, valid metadata, model files present, the model loads in CTranslate2) by
    unpacking it into a hidden folder inside `store_dir`; only when all pass is each one
    renamed into place. An installed package for the same folder name or language pair is
    an error unless `replace` is true.
    """
    if not archives:
        raise ModelError("no package files given; name one or more FILE.argosmodel")
    checked = [_check_archive(Path(a)) for a in archives]  # cheap checks, nothing written
    _check_no_duplicates(checked)
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"cannot create model folder {store_dir} ({exc.strerror}); choose another with "
            "--models DIR"
        ) from exc
    staged: list[_Staged] = []
    try:
        for archive, (folder_name, metadata) in zip(archives, checked, strict=True):
            staged.append(_stage(Path(archive), folder_name, metadata, store_dir))
        replaced = _conflicts(staged, store_dir, replace=replace)
        return _commit(staged, replaced, store_dir)
    finally:
        for item in staged:
            shutil.rmtree(item.workdir, ignore_errors=True)


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _fail(archive: Path, problem: str, advice: str = "download it again") -> ModelError:
    return ModelError(f"cannot install {archive}: {problem}; {advice}")


def _check_archive(archive: Path) -> tuple[str, dict[str, Any]]:
    """Structure and metadata checks that read the zip but write nothing."""
    if not archive.is_file():
        raise _fail(archive, "no such file", "check the path")
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            folder_name = _check_members(archive, members)
            problem = layouts.archive_problem((m.filename for m in members), folder_name)
            if problem:
                raise _fail(archive, problem)
            try:
                metadata = json.loads(zf.read(f"{folder_name}/metadata.json").decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise _fail(archive, f"metadata.json is not valid JSON ({exc})") from exc
    except OSError as exc:
        raise _fail(archive, f"cannot read it ({exc.strerror or exc})", "check the file") from exc
    except ZIP_ERRORS as exc:
        raise _fail(archive, f"not a readable zip archive ({_reason(exc)})") from exc
    problem = metadata_problem(metadata)
    if problem == "not-translate":
        raise _fail(archive, f"it is a {metadata.get('type')!r} package, not a translation model")
    if problem:
        raise _fail(archive, f"metadata.json {problem}")
    return folder_name, metadata


def _check_members(archive: Path, members: Iterable[zipfile.ZipInfo]) -> str:
    tops = set()
    total = 0
    seen: set[str] = set()
    for member in members:
        name = member.filename
        if name.rstrip("/") in seen:
            # Which copy a reader takes is unspecified: the one checked may not be installed.
            raise _fail(archive, f"{name!r} appears twice in the archive", "do not install it")
        seen.add(name.rstrip("/"))
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise _fail(archive, f"unsafe path {name!r} in the archive", "do not install it")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise _fail(archive, f"symbolic link {name!r} in the archive", "do not install it")
        if len(parts) == 1 and not member.is_dir():
            raise _fail(archive, f"file {name!r} outside the package folder")
        tops.add(parts[0] if parts else "")
        total += member.file_size
    if len(tops) != 1 or "" in tops:
        found = ", ".join(sorted(tops)) or "nothing"
        raise _fail(archive, f"expected exactly one top-level folder, found {found}")
    if total > MAX_UNPACKED_BYTES:
        raise _fail(archive, f"it would unpack to {total} bytes, over the limit")
    (top,) = tops
    if top.startswith("."):
        raise _fail(archive, f"the package folder {top!r} is hidden")
    return str(top)


def model_slot(package: Package) -> tuple[str, ...]:
    """Packages in one slot replace each other: same pair, same family and (for imported
    models) the same model name. An Argos en->uk and an imported OPUS-MT en->uk coexist,
    and `ModelStore.active` chooses between them."""
    info = package.info
    return (info.from_code, info.to_code, info.family, info.name)


def _check_no_duplicates(checked: Sequence[tuple[str, dict[str, Any]]]) -> None:
    seen: set[object] = set()
    for folder_name, metadata in checked:
        extra = metadata.get("briefpack") or {}
        pair = (metadata["from_code"], metadata["to_code"], extra.get("name", ""))
        for key, shown in ((folder_name, folder_name), (pair, f"{pair[0]}->{pair[1]}")):
            if key in seen:
                raise ModelError(f"two of the given files install {shown}; give only one of them")
            seen.add(key)


def _stage(archive: Path, folder_name: str, metadata: dict[str, Any], store_dir: Path) -> _Staged:
    workdir = Path(tempfile.mkdtemp(prefix=".install-", dir=store_dir))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(workdir)
        except ZIP_ERRORS as exc:
            raise _fail(archive, f"cannot unpack it ({_reason(exc)})") from exc
        _check_loads(archive, workdir / folder_name)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    package = read_package(workdir / folder_name)
    if package is None:  # metadata was checked: cannot happen
        raise _fail(archive, "it is not a translation model")
    return _Staged(archive, workdir, folder_name, package.pair, model_slot(package))


def _check_loads(archive: Path, folder: Path) -> None:
    """Load the unpacked model and tokenizer the way translation will."""
    import ctranslate2

    try:
        ctranslate2.Translator(str(folder / "model"), device="cpu", compute_type="default")
    except (RuntimeError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(archive, f"CTranslate2 cannot load its model ({reason})") from exc
    try:
        layouts.check_tokenizer(folder)
        read_directions(folder)  # every file its metadata names is there
    except ModelError as exc:
        raise _fail(archive, f"its tokenizer cannot be loaded ({exc})") from exc


def _conflicts(staged: Sequence[_Staged], store_dir: Path, *, replace: bool) -> list[Path]:
    """Installed folders the staged packages would replace; an error unless `replace`."""
    installed = list_packages(store_dir)
    doomed: list[Path] = []
    for item in staged:
        clash = [p.info.path for p in installed if model_slot(p) == item.slot]
        if (
            os.path.lexists(store_dir / item.folder_name)
            and store_dir / item.folder_name not in clash
        ):
            clash.append(store_dir / item.folder_name)
        if clash and not replace:
            raise _fail(
                item.archive,
                f"{item.pair[0]}->{item.pair[1]} is already installed in {clash[0]}",
                "pass --replace to replace it",
            )
        doomed += [c for c in clash if c not in doomed]
    return doomed


def _commit(staged: Sequence[_Staged], replaced: Sequence[Path], store_dir: Path) -> list[Package]:
    # Replaced packages are moved aside first (renames within one folder are atomic), so
    # each new folder appears complete in one step; on failure the old ones come back.
    graveyard = Path(tempfile.mkdtemp(prefix=".replaced-", dir=store_dir))
    moved: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for i, old in enumerate(replaced):
            aside = graveyard / f"{i}-{old.name}"
            os.rename(old, aside)
            moved.append((old, aside))
        for item in staged:
            final = store_dir / item.folder_name
            os.rename(item.workdir / item.folder_name, final)
            placed.append(final)
    except OSError as exc:
        for path in placed:
            shutil.rmtree(path, ignore_errors=True)
        for old, aside in moved:
            os.rename(aside, old)
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
            raise ModelError(
                f"cannot install into {store_dir}: {exc.filename2 or exc.filename} was created "
                "meanwhile (another install?); run `briefpack models list`, then retry"
            ) from exc
        raise ModelError(f"cannot install into {store_dir}: {exc.strerror or exc}") from exc
    shutil.rmtree(graveyard, ignore_errors=True)
    installed = [read_package(path) for path in placed]
    for item in staged:
        log.info("installed %s into %s", item.archive, store_dir / item.folder_name)
    return [pkg for pkg in installed if pkg is not None]
