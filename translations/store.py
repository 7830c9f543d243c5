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

from briefpack.errors import ModelError
from briefpack.model import ModelInfo
from briefpack.verify import ZIP_ERRORS

log = logging.getLogger(__name__)

MODELS_ENV = "BRIEFPACK_MODELS"
ARGOS_ENV = "ARGOS_PACKAGES_DIR"
PIVOT_LANGUAGE = "en"
TEST_MODEL_MARKER = "briefpack_test_model"
REQUIRED_FIELDS = ("from_code", "to_code", "package_version")
MAX_UNPACKED_BYTES = 4 * 1024**3  # real Argos packages are about 100 MB
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
        if env.get(ARGOS_ENV):
            dirs.append(Path(env[ARGOS_ENV]))
        else:
            data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
            dirs.append(Path(data_home) / "argos-translate" / "packages")
        unique = tuple(dict.fromkeys(p.expanduser() for p in dirs))
        return cls(search_dirs=unique, install_dir=unique[0])

    def packages(self) -> list[Package]:
        """Every readable translation package, in search order (shadowed ones included)."""
        found = []
        for folder in self.search_dirs:
            found += list_packages(folder)
        return found

    def active(self) -> dict[tuple[str, str], Package]:
        """The package used for each pair: the first found in search order."""
        chosen: dict[tuple[str, str], Package] = {}
        for pkg in self.packages():
            chosen.setdefault(pkg.pair, pkg)
        return chosen

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
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{folder} has no metadata.json; reinstall the package") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{folder}/metadata.json is unreadable ({exc}); reinstall it") from exc
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
    missing = [k for k in REQUIRED_FIELDS if not metadata.get(k)]
    if missing:
        return f"lacks {', '.join(missing)}"
    for key in ("from_code", "to_code"):
        if not isinstance(metadata[key], str) or not _CODE.match(metadata[key]):
            return f"has an invalid {key} {metadata[key]!r}"
    if metadata.get("type", "translate") != "translate":
        return "not-translate"
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
            names = {m.filename.rstrip("/") for m in members}
            for required in ("metadata.json", "model/model.bin", "model/config.json"):
                if f"{folder_name}/{required}" not in names:
                    raise _fail(archive, f"the package has no {required}")
            if not {f"{folder_name}/sentencepiece.model", f"{folder_name}/bpe.model"} & names:
                raise _fail(archive, "the package has no sentencepiece.model or bpe.model")
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


def _check_no_duplicates(checked: Sequence[tuple[str, dict[str, Any]]]) -> None:
    seen: set[object] = set()
    for folder_name, metadata in checked:
        pair = (metadata["from_code"], metadata["to_code"])
        for key in (folder_name, pair):
            if key in seen:
                raise ModelError(f"two of the given files install {key}; give only one of them")
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
    return _Staged(archive, workdir, folder_name, (metadata["from_code"], metadata["to_code"]))


def _check_loads(archive: Path, folder: Path) -> None:
    """Load the unpacked model and tokenizer the way translation will."""
    import ctranslate2

    try:
        ctranslate2.Translator(str(folder / "model"), device="cpu", compute_type="default")
    except (RuntimeError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(archive, f"CTranslate2 cannot load its model ({reason})") from exc
    sp_model = folder / "sentencepiece.model"
    if sp_model.is_file():
        import sentencepiece as spm

        try:
            spm.SentencePieceProcessor(model_file=str(sp_model))
        except (RuntimeError, OSError) as exc:
            raise _fail(archive, "its sentencepiece.model cannot be loaded") from exc


def _conflicts(staged: Sequence[_Staged], store_dir: Path, *, replace: bool) -> list[Path]:
    """Installed folders the staged packages would replace; an error unless `replace`."""
    installed = list_packages(store_dir)
    doomed: list[Path] = []
    for item in staged:
        clash = [p.info.path for p in installed if p.pair == item.pair]
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
