"""Installing `.argosmodel` archives: checked whole, staged beside the store, renamed in.

Argos Translate and LibreTranslate list *every* folder in the packages folder and fail on
one without a metadata.json, so nothing half-made may ever appear there. Archives are
unpacked into a staging folder *beside* the packages folder, on the same filesystem
(`<parent>/.<name>.briefpack-staging/<pid>-<random>/`), checked there, and each package
appears in the packages folder by one `rename`. Staging is removed when the install ends,
on error, Ctrl-C or SIGTERM; staging left by a killed run (its process gone) and the
`.install-*` / `.replaced-*` folders earlier versions left inside packages folders are
removed by the next install, and a package moved aside for a replace that never finished
is put back.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.errors import ModelError
from briefpack.model import Progress
from briefpack.system.archive import (
    ArchiveError,
    DamagedArchive,
    Limits,
    ProgressCallback,
    SafeArchive,
)
from briefpack.system.files import FileProblem
from briefpack.system.jsondata import load_json
from briefpack.system.signals import terminate_unwinds
from briefpack.system.text import shorten
from translations import layouts
from translations.packages import (
    Package,
    list_packages,
    metadata_problem,
    model_slot,
    read_directions,
    read_package,
)

log = logging.getLogger(__name__)

MAX_UNPACKED_BYTES = 4 * 1024**3  # real Argos packages are about 100 MB
MAX_METADATA_BYTES = 1024 * 1024
MODEL_LIMITS = Limits(
    max_entries=10_000,  # a package has ~10 files; with a stanza/ folder, a few dozen
    max_entry_bytes=MAX_UNPACKED_BYTES,
    max_total_bytes=MAX_UNPACKED_BYTES,
    max_ratio=200.0,  # real model weights deflate about 1.1:1, the test models' 68:1
)
STAGING_SUFFIX = ".briefpack-staging"
_RUN = re.compile(r"^(\d+)-[0-9a-f]{16}$")
_LEGACY_STAGING = re.compile(r"^\.install-[A-Za-z0-9_]{8}$")  # tempfile.mkdtemp's names
_LEGACY_REPLACED = re.compile(r"^\.replaced-[A-Za-z0-9_]{8}$")
_ASIDE = re.compile(r"^\d+-(.+)$")


def install(
    archives: Sequence[Path],
    store_dir: Path,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> list[Package]:
    """Install `.argosmodel` archives into `store_dir`: all of them, or none.

    Every archive is checked (entries by `briefpack.system.archive`'s rules and budget, one
    top-level folder, valid metadata, model files present, the model loads in CTranslate2)
    in staging outside `store_dir`; only when all pass is each one renamed into place. An
    installed package for the same folder name or language pair is an error unless
    `replace` is true. `progress("unpacking NAME", done, total, unit="B")` gets each
    archive's bytes as they are unpacked (`briefpack.model.Progress`).
    """
    if not archives:
        raise ModelError("no package files given; name one or more FILE.argosmodel")
    with terminate_unwinds(), contextlib.ExitStack() as stack:
        opened = [stack.enter_context(_open(Path(a))) for a in archives]
        checked = [_check_archive(Path(a), z) for a, z in zip(archives, opened, strict=True)]
        _check_no_duplicates(checked)
        try:
            store_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ModelError(
                f"cannot create model folder {store_dir} ({exc.strerror}); choose another "
                "with --models DIR"
            ) from exc
        clean_stale_staging(store_dir)
        run = stack.enter_context(_staging(store_dir))
        staged = [
            _stage(Path(archive), zipped, top, metadata, run / str(i), _bar(progress, archive))
            for i, (archive, zipped, (top, metadata)) in enumerate(
                zip(archives, opened, checked, strict=True)
            )
        ]
        replaced = _conflicts(staged, store_dir, replace=replace)
        return _commit(staged, replaced, store_dir, run)


def _bar(progress: Progress | None, archive: Path) -> ProgressCallback | None:
    """An archive's unpacking, reported as one bar of `progress`."""
    if progress is None:
        return None
    report, label = progress, f"unpacking {Path(archive).name}"

    def bar(done: int, total: int | None) -> None:
        report(label, done, total, unit="B")

    return bar


@dataclass(frozen=True)
class _Staged:
    archive: Path
    folder: Path  # the unpacked package, in staging
    pair: tuple[str, str]
    slot: tuple[str, ...]  # an installed package in the same slot is replaced (`model_slot`)


def _fail(archive: Path, problem: str, advice: str = "download it again") -> ModelError:
    return ModelError(f"cannot install {archive}: {problem}; {advice}")


@contextlib.contextmanager
def _open(archive: Path) -> Any:
    try:
        zipped = SafeArchive(archive, MODEL_LIMITS)
    except FileProblem as exc:
        advice = "check the path" if exc.kind in ("missing", "loop") else "give the file itself"
        raise _fail(archive, exc.reason, advice) from None
    except DamagedArchive as exc:
        raise _fail(archive, str(exc)) from None
    except ArchiveError as exc:
        raise _fail(archive, str(exc), "do not install it") from None
    with zipped:
        yield zipped


def _check_archive(archive: Path, zipped: SafeArchive) -> tuple[str, dict[str, Any]]:
    """Structure and metadata checks that read the zip but write nothing."""
    tops = {entry.parts[0] for entry in zipped.entries}
    loose = [e for e in zipped.entries if len(e.parts) == 1 and not e.is_dir]
    if loose:
        raise _fail(archive, f"file {shorten(loose[0].name, 120)!r} outside the package folder")
    if len(tops) != 1:
        found = ", ".join(shorten(t, 60) for t in sorted(tops)[:5]) or "nothing"
        raise _fail(archive, f"expected exactly one top-level folder, found {found}")
    (top,) = tops
    if top.startswith("."):
        raise _fail(archive, f"the package folder {shorten(top, 60)!r} is hidden")
    problem = layouts.archive_problem((e.name for e in zipped.files), top)
    if problem:
        raise _fail(archive, problem)
    entry = zipped.get(f"{top}/metadata.json")
    assert entry is not None
    try:
        metadata = load_json(zipped.read(entry, MAX_METADATA_BYTES))
    except ArchiveError as exc:
        raise _fail(archive, f"metadata.json cannot be read ({exc})") from None
    except ValueError as exc:
        raise _fail(archive, f"metadata.json {exc}") from None
    problem = metadata_problem(metadata)
    if problem == "not-translate":
        kind = shorten(str(metadata.get("type")), 40)
        raise _fail(archive, f"it is a {kind!r} package, not a translation model")
    if problem:
        raise _fail(archive, f"metadata.json {problem}")
    return top, metadata


def _check_no_duplicates(checked: Sequence[tuple[str, dict[str, Any]]]) -> None:
    seen: set[object] = set()
    for folder_name, metadata in checked:
        extra = metadata.get("briefpack") or {}
        pair = (metadata["from_code"], metadata["to_code"], extra.get("name", ""))
        for key, shown in ((folder_name, folder_name), (pair, f"{pair[0]}->{pair[1]}")):
            if key in seen:
                raise ModelError(f"two of the given files install {shown}; give only one of them")
            seen.add(key)


def _stage(
    archive: Path,
    zipped: SafeArchive,
    folder_name: str,
    metadata: dict[str, Any],
    workdir: Path,
    progress: ProgressCallback | None,
) -> _Staged:
    workdir.mkdir()
    try:
        zipped.extract_all(workdir, progress)
    except DamagedArchive as exc:
        raise _fail(archive, f"cannot unpack it ({exc})") from None
    except ArchiveError as exc:
        raise _fail(archive, str(exc), "do not install it") from None
    except OSError as exc:
        raise ModelError(
            f"cannot unpack {archive} into {workdir.parent} ({exc.strerror or exc}); free "
            "some space or choose another folder with --models DIR"
        ) from exc
    folder = workdir / folder_name
    _check_loads(archive, folder)
    pair = (metadata["from_code"], metadata["to_code"])
    try:
        unpacked = read_package(folder)
    except ModelError as exc:
        raise _fail(archive, f"the unpacked package is unreadable ({exc})") from None
    if unpacked is None or unpacked.pair != pair:
        raise _fail(
            archive, "the unpacked package differs from the checked one", "do not install it"
        )
    return _Staged(archive, folder, pair, model_slot(unpacked))


def _check_loads(archive: Path, folder: Path) -> None:
    """Load the unpacked model and tokenizer the way translation will."""
    import ctranslate2

    try:
        ctranslate2.Translator(str(folder / "model"), device="cpu", compute_type="default")
    except (RuntimeError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(archive, f"CTranslate2 cannot load its model ({shorten(reason)})") from exc
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
        final = store_dir / item.folder.name
        clash = [p.info.path for p in installed if model_slot(p) == item.slot]
        if os.path.lexists(final) and final not in clash:
            clash.append(final)
        if clash and not replace:
            raise _fail(
                item.archive,
                f"{item.pair[0]}->{item.pair[1]} is already installed in {clash[0]}",
                "pass --replace to replace it",
            )
        doomed += [c for c in clash if c not in doomed]
    return doomed


def _commit(
    staged: Sequence[_Staged], replaced: Sequence[Path], store_dir: Path, run: Path
) -> list[Package]:
    # Replaced packages are moved aside into staging first, so each new folder appears
    # complete in one rename; on any failure (SIGTERM too) the old ones come back.
    aside_dir = run / "replaced"
    aside_dir.mkdir()
    moved: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for i, old in enumerate(replaced):
            aside = aside_dir / f"{i}-{old.name}"
            os.rename(old, aside)
            moved.append((old, aside))
        for item in staged:
            final = store_dir / item.folder.name
            os.rename(item.folder, final)
            placed.append(final)
    except BaseException as exc:
        for path in placed:
            with contextlib.suppress(OSError):
                os.rename(path, run / f"undo-{path.name}")
        for old, aside in moved:
            with contextlib.suppress(OSError):
                os.rename(aside, old)
        if not isinstance(exc, OSError):
            raise
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
            raise ModelError(
                f"cannot install into {store_dir}: {exc.filename2 or exc.filename} was created "
                "meanwhile (another install?); run `briefpack models list`, then retry"
            ) from exc
        raise ModelError(f"cannot install into {store_dir}: {exc.strerror or exc}") from exc
    installed = [read_package(path) for path in placed]
    for item in staged:
        log.info("installed %s into %s", item.archive, store_dir / item.folder.name)
    return [pkg for pkg in installed if pkg is not None]


# --------------------------------------------------------------------------- staging


def staging_root(store_dir: Path) -> Path:
    """Where installs into `store_dir` stage: a hidden sibling, on the same filesystem."""
    return store_dir.parent / f".{store_dir.name}{STAGING_SUFFIX}"


@contextlib.contextmanager
def _staging(store_dir: Path) -> Any:
    """A fresh staging folder for this run, removed when the block ends however it ends."""
    root = staging_root(store_dir)
    run = root / f"{os.getpid()}-{secrets.token_hex(8)}"
    try:
        for _ in range(3):  # another install may remove an empty root meanwhile
            root.mkdir(exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                run.mkdir()
                break
        if os.stat(root).st_dev != os.stat(store_dir).st_dev:
            raise ModelError(
                f"cannot stage the install beside {store_dir}: its parent folder is on "
                "another filesystem (is the packages folder a mount point?); install into a "
                "subfolder of it with --models DIR"
            )
    except OSError as exc:
        shutil.rmtree(run, ignore_errors=True)
        raise ModelError(
            f"cannot create the staging folder {root} ({exc.strerror or exc}); the folder "
            f"above {store_dir} must be writable, or choose another with --models DIR"
        ) from exc
    try:
        yield run
    finally:
        shutil.rmtree(run, ignore_errors=True)
        with contextlib.suppress(OSError):
            root.rmdir()  # only when no other install is staging there


def clean_stale_staging(store_dir: Path) -> None:
    """Remove staging of installs whose process is gone, and earlier versions' leftovers.

    A package a killed replace had moved aside comes back when its name and pair are free.
    """
    root = staging_root(store_dir)
    with contextlib.suppress(OSError):
        for run in root.iterdir():
            match = _RUN.match(run.name)
            if match and not _alive(int(match.group(1))):
                _restore_aside(run / "replaced", store_dir)
                log.info("removing staging left by a stopped install: %s", run)
                shutil.rmtree(run, ignore_errors=True)
    with contextlib.suppress(OSError):
        for entry in store_dir.iterdir():
            if entry.is_symlink() or not entry.is_dir():
                continue
            if _LEGACY_REPLACED.match(entry.name):
                _restore_aside(entry, store_dir)
            elif not _LEGACY_STAGING.match(entry.name):
                continue
            log.info("removing a leftover of an earlier briefpack install: %s", entry)
            shutil.rmtree(entry, ignore_errors=True)


def _restore_aside(aside_dir: Path, store_dir: Path) -> None:
    try:
        entries = sorted(aside_dir.iterdir())
    except OSError:
        return
    served = None
    for aside in entries:
        match = _ASIDE.match(aside.name)
        if not match or aside.is_symlink() or not aside.is_dir():
            continue
        target = store_dir / match.group(1)
        try:
            package = read_package(aside)
        except ModelError:
            continue
        if served is None:
            served = {p.pair for p in list_packages(store_dir)}
        if package is None or os.path.lexists(target) or package.pair in served:
            continue
        with contextlib.suppress(OSError):
            os.rename(aside, target)
            served.add(package.pair)
            log.warning("put back %s, which an interrupted replace had moved aside", target)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
