"""Model store safety: an install writes only inside its package folder, never follows a
symbolic link out of the store, and a concurrent listing never sees half a package.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import snapshot

from briefpack.errors import ExitStatus, ModelError
from tests.conftest import ROOT, CliResult
from tests.fixtures.argos import archive_members
from translations.store import install, list_packages, package_size

PAIR = ("en", "de")
FOLDER = "translate-en_de-0_0_1"
LIST_COMMAND = (sys.executable, "-m", "briefpack", "models", "list", "--json")
REQUIRED = ("metadata.json", "model/model.bin", "model/config.json", "sentencepiece.model")


@pytest.fixture
def en_de(argos_archives: dict[tuple[str, str], Path]) -> Path:
    return argos_archives[PAIR]


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """tmp/outside (must never change), tmp/store (the install folder), tmp/evil (archives)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "precious.txt").write_text("keep me")
    (tmp_path / "evil").mkdir()
    return tmp_path


def _evil_archive(source: Path, target: Path, extra: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    """A real package with extra (hostile) entries added after its own."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in archive_members(source).items():
            zf.writestr(name, data)
        for info, data in extra:
            zf.writestr(info, data)
    return target


def _entry(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


LINK = stat.S_IFLNK | 0o777
HOSTILE = {
    "dot-dot": [(_entry("../outside/precious.txt"), b"overwritten")],
    "dot-dot-inside": [(_entry(f"{FOLDER}/../../outside/precious.txt"), b"overwritten")],
    "absolute": [(_entry("/tmp/briefpack-zip-slip.txt"), b"x")],
    "backslash": [(_entry(f"{FOLDER}\\..\\..\\outside\\x.txt"), b"x")],
    "drive": [(_entry("C:/outside/x.txt"), b"x")],
    "symlink-file": [(_entry(f"{FOLDER}/escape", LINK), b"../../outside/precious.txt")],
    "symlink-dir": [(_entry(f"{FOLDER}/model/link", LINK), b"/etc")],
    "symlink-then-write": [
        (_entry(f"{FOLDER}/out", LINK), b"../../outside"),
        (_entry(f"{FOLDER}/out/precious.txt"), b"overwritten"),
    ],
    "duplicate-metadata": [
        (_entry(f"{FOLDER}/metadata.json"), json.dumps({"from_code": "en"}).encode())
    ],
    "second-top-folder": [(_entry("other/file.txt"), b"x")],
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_installs_nothing_and_writes_nowhere(
    case: str, en_de: Path, sandbox: Path, run_cli: Callable[..., CliResult]
) -> None:
    archive = _evil_archive(en_de, sandbox / "evil" / "pkg.argosmodel", HOSTILE[case])
    store = sandbox / "store"
    before = snapshot(sandbox)
    with pytest.raises(ModelError) as info:
        install([archive], store)
    assert "do not install it" in str(info.value) or "top-level folder" in str(info.value)
    result = run_cli("models", "install", str(archive), "--models", str(store))
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("briefpack: error: ")
    after = snapshot(sandbox)
    assert {k: v for k, v in after.items() if k != "store"} == before
    assert not store.exists() or list(store.iterdir()) == []
    assert not Path("/tmp/briefpack-zip-slip.txt").exists()


def test_install_extracts_only_inside_the_package_folder(en_de: Path, sandbox: Path) -> None:
    store = sandbox / "store"
    before = snapshot(sandbox)
    (package,) = install([en_de], store)
    after = snapshot(sandbox)
    new = {k for k in after if k not in before}
    assert all(k == "store" or k.startswith(f"store/{FOLDER}") for k in new), sorted(new)
    assert {k: v for k, v in after.items() if k in before} == before
    assert package.info.path == store / FOLDER
    for root, dirs, files in os.walk(store):
        for name in dirs + files:
            assert not Path(root, name).is_symlink()


@pytest.mark.parametrize("replace", [False, True])
def test_symlinked_package_folder_is_never_followed(
    en_de: Path, sandbox: Path, replace: bool
) -> None:
    store = sandbox / "store"
    store.mkdir()
    (store / FOLDER).symlink_to(sandbox / "outside", target_is_directory=True)
    before = snapshot(sandbox / "outside")
    if replace:
        (package,) = install([en_de], store, replace=True)
        assert not package.info.path.is_symlink() and package.info.path.is_dir()
    else:
        with pytest.raises(ModelError, match="already installed"):
            install([en_de], store)
        assert (store / FOLDER).is_symlink()
    assert snapshot(sandbox / "outside") == before
    assert [p.name for p in store.iterdir() if p.name.startswith(".")] == []


def test_broken_symlink_in_the_way_is_a_clear_error(en_de: Path, sandbox: Path) -> None:
    store = sandbox / "store"
    store.mkdir()
    (store / FOLDER).symlink_to(sandbox / "nowhere")
    with pytest.raises(ModelError, match="already installed"):
        install([en_de], store)
    assert not (sandbox / "nowhere").exists()


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in REQUIRED)


def test_listing_during_installs_never_sees_half_a_package(en_de: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    stop = threading.Event()
    seen: list[int] = []
    problems: list[str] = []

    def lister() -> None:
        while not stop.is_set():
            try:
                packages = list_packages(store)
            except Exception as exc:  # any failure is the finding
                problems.append(repr(exc))
                return
            seen.append(len(packages))
            for package in packages:
                path = package.info.path
                # Gone meanwhile is this test uninstalling it; there but partial is the bug.
                if package.pair != PAIR or (not _complete(path) and path.exists()):
                    problems.append(f"half a package listed: {sorted(os.listdir(path))}")

    thread = threading.Thread(target=lister)
    thread.start()
    try:
        for _ in range(6):
            (package,) = install([en_de], store)
            # Uninstall the way a user should: out of sight first, then delete.
            hidden = store / f".removing-{package.info.path.name}"
            os.rename(package.info.path, hidden)
            shutil.rmtree(hidden)
    finally:
        stop.set()
        thread.join(30)
    assert problems == []
    assert 0 in seen and 1 in seen, sorted(set(seen))
    assert set(seen) == {0, 1}


def test_listing_during_replace_never_crashes(en_de: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    (package,) = install([en_de], store)
    full = package_size(package.info.path)
    stop = threading.Event()
    sizes: list[int] = []
    problems: list[str] = []

    def lister() -> None:
        while not stop.is_set():
            try:
                for listed in list_packages(store):
                    sizes.append(package_size(listed.info.path))
            except ModelError:
                continue  # metadata gone between listing and reading: a clean error
            except Exception as exc:  # any other failure is the finding
                problems.append(repr(exc))
                return

    thread = threading.Thread(target=lister)
    thread.start()
    try:
        for _ in range(6):
            install([en_de], store, replace=True)
    finally:
        stop.set()
        thread.join(30)
    assert problems == []
    assert full in sizes
    # The package is complete after every replace, and nothing is left in hiding.
    assert [p.name for p in store.iterdir()] == [FOLDER]
    assert _complete(store / FOLDER)


@pytest.mark.slow
def test_models_list_command_during_installs(en_de: Path, tmp_path: Path) -> None:
    """`briefpack models list --json` in child processes while this process installs."""
    store = tmp_path / "store"
    store.mkdir()
    stop = threading.Event()
    errors: list[BaseException] = []

    def installer() -> None:
        try:
            while not stop.is_set():
                (package,) = install([en_de], store)
                hidden = store / ".removing"
                os.rename(package.info.path, hidden)
                shutil.rmtree(hidden)
        except BaseException as exc:
            errors.append(exc)

    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    env.pop("BRIEFPACK_MODELS", None)
    thread = threading.Thread(target=installer)
    thread.start()
    counts = []
    try:
        for _ in range(4):
            proc = subprocess.run(
                [*LIST_COMMAND, "--models", str(store)],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
                check=False,
            )
            assert proc.returncode == 0, proc.stderr
            assert "Traceback" not in proc.stderr
            rows = json.loads(proc.stdout)["packages"]
            counts.append(len(rows))
            for row in rows:
                assert row["pair"] == "en-de" and row["folder"] == str(store / FOLDER)
    finally:
        stop.set()
        thread.join(60)
    assert errors == []
    assert set(counts) <= {0, 1}
