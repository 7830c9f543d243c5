"""Sharing Argos's packages folder (issue 13 part 2, issue 15 item 5): staging outside it,
SIGKILL and SIGTERM mid-install, earlier versions' leftovers, settings.json, broken folders.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import check_failure, snapshot

import translations.installer as install_module
from briefpack.errors import ExitStatus, ModelError
from tests.conftest import EXAMPLE, ROOT, CliResult
from translations.installer import clean_stale_staging, staging_root
from translations.store import ModelStore, install

FOLDERS = {"translate-en_de-0_0_1", "translate-en_ru-0_0_1", "translate-en_uk-0_0_1"}

# A child that installs en->de and stops, mid-install, once the package is unpacked in
# staging: it writes READY and sleeps, to be killed there.
_PAUSED_INSTALL = """
import sys, time
from pathlib import Path
import translations.installer as m
real = m._check_loads
def paused(archive, folder):
    real(archive, folder)
    Path(sys.argv[3]).write_text(str(folder))
    time.sleep(60)
m._check_loads = paused
from briefpack.cli import main
sys.exit(main(["models", "install", "--models", sys.argv[1], sys.argv[2]]))
"""


def _argos_listing(store: Path) -> list[str]:
    """What argostranslate itself lists in `store` (it raises on a folder without metadata)."""
    from argostranslate import package

    return sorted(p.package_path.name for p in package.get_installed_packages(path=[store]))


def _only_packages(store: Path) -> None:
    for entry in store.iterdir():
        assert not entry.name.startswith("."), entry
        assert (entry / "metadata.json").is_file(), entry


@pytest.fixture
def store(fresh_store: Path, argos_env: Path) -> Path:
    """A writable store holding en->ru, en->uk and en->de (de->en removed)."""
    shutil.rmtree(fresh_store / "translate-de_en-0_0_1")
    shutil.rmtree(fresh_store / "translate-en_de-0_0_1")
    return fresh_store


def _start_paused(store: Path, archive: Path, ready: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _PAUSED_INSTALL, str(store), str(archive), str(ready)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the install never got to staging"
        time.sleep(0.05)
    return proc


def test_during_an_install_argos_lists_only_complete_packages(
    store: Path, argos_archives: dict[tuple[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    real = install_module._check_loads

    def look(archive: Path, folder: Path) -> None:
        real(archive, folder)
        assert folder.is_relative_to(staging_root(store))  # a sibling, not inside
        seen.append(_argos_listing(store))
        _only_packages(store)

    monkeypatch.setattr(install_module, "_check_loads", look)
    install([argos_archives[("en", "de")]], store)
    assert seen == [sorted(FOLDERS - {"translate-en_de-0_0_1"})]
    assert _argos_listing(store) == sorted(FOLDERS)
    assert not staging_root(store).exists()


def test_after_sigkill_argos_still_lists_and_the_next_install_cleans_up(
    store: Path, argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    proc = _start_paused(store, argos_archives[("en", "de")], tmp_path / "ready")
    staged = Path((tmp_path / "ready").read_text())
    assert staged.is_dir() and staged.is_relative_to(staging_root(store))
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Killed with the package unpacked in staging: Argos never sees it.
    assert _argos_listing(store) == sorted(FOLDERS - {"translate-en_de-0_0_1"})
    assert staged.exists()  # the leftover, for the next install to remove
    install([argos_archives[("de", "en")]], store)
    assert not staging_root(store).exists()
    _only_packages(store)
    assert _argos_listing(store) == sorted(
        (FOLDERS - {"translate-en_de-0_0_1"}) | {"translate-de_en-0_0_1"}
    )


def test_sigterm_removes_staging_and_changes_nothing(
    store: Path, argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    before = snapshot(store)
    proc = _start_paused(store, argos_archives[("en", "de")], tmp_path / "ready")
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == ExitStatus.TERMINATED == 143
    assert stderr == "briefpack: terminated\n"
    assert snapshot(store) == before
    assert not staging_root(store).exists()


def test_leftovers_of_earlier_versions_are_removed_or_put_back(
    store: Path, argos_archives: dict[tuple[str, str], Path]
) -> None:
    # Earlier versions staged inside the packages folder, which broke Argos's listing.
    shutil.copytree(store / "translate-en_uk-0_0_1", store / ".install-ab12cd_3")
    aside = store / ".replaced-zz99yy_8"
    aside.mkdir()
    os.rename(store / "translate-en_ru-0_0_1", aside / "0-translate-en_ru-0_0_1")
    with pytest.raises(FileNotFoundError, match=r"no metadata\.json"):
        _argos_listing(store)
    install([argos_archives[("en", "de")]], store)
    _only_packages(store)
    assert _argos_listing(store) == sorted(FOLDERS)  # en->ru came back from `.replaced-*`


def test_staging_of_a_live_install_is_kept(store: Path) -> None:
    root = staging_root(store)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    gone = root / f"{int(dead.stdout)}-{'0' * 16}"
    live = root / f"1-{'1' * 16}"  # pid 1 is always alive
    for folder in (gone, live):
        (folder / "0" / "pkg").mkdir(parents=True)
    clean_stale_staging(store)
    assert not gone.exists() and live.exists()


# --------------------------------------------------------------- where the store is


def test_argos_settings_json_is_honoured_in_argos_order(tmp_path: Path) -> None:
    config = tmp_path / "config" / "argos-translate"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"ARGOS_PACKAGES_DIR": "/from/settings"}))
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": "/xdg"}
    assert ModelStore.from_env(env=env).search_dirs == (Path("/from/settings"),)
    env_wins = ModelStore.from_env(env={**env, "ARGOS_PACKAGES_DIR": "/from/env"})
    assert env_wins.search_dirs == (Path("/from/env"),)
    first = ModelStore.from_env(env={**env, "BRIEFPACK_MODELS": "/mine"})
    assert first.search_dirs == (Path("/mine"), Path("/from/settings"))


@pytest.mark.parametrize("content", ["{broken", "[1, 2]", '{"ARGOS_PACKAGES_DIR": 7}'])
def test_a_broken_settings_json_is_a_warning(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "argos-translate"
    config.mkdir()
    (config / "settings.json").write_text(content)
    env = {"XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": "/xdg"}
    with caplog.at_level(logging.WARNING):
        store = ModelStore.from_env(env=env)
    assert store.search_dirs == (Path("/xdg/argos-translate/packages"),)
    assert "ignoring" in caplog.text and "settings.json" in caplog.text


def test_a_broken_search_folder_is_a_warning_when_another_serves(
    models_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: Callable[..., CliResult],
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)  # cannot be listed (root reads anything, so no chmod 000 here)
    monkeypatch.setenv("BRIEFPACK_MODELS", os.pathsep.join([str(loop), str(models_dir)]))
    result = run_cli("translate", str(EXAMPLE), "--to", "de")
    assert result.exit_code == 0, result.stderr
    assert "[de]" in result.stdout
    listing = run_cli("models", "list")
    assert listing.exit_code == 0 and "en-de" in listing.stdout
    monkeypatch.setenv("BRIEFPACK_MODELS", str(loop))
    result = run_cli("translate", str(EXAMPLE), "--to", "de")
    check_failure(
        result,
        ExitStatus.MODEL_ERROR,
        ("cannot read model folder", "no other model folder has en->de"),
    )


def test_a_broken_package_is_skipped_everywhere(
    fresh_store: Path,
    argos_env: Path,
    run_cli: Callable[..., CliResult],
    caplog: pytest.LogCaptureFixture,
) -> None:
    planted = shutil.copytree(fresh_store / "translate-en_ru-0_0_1", fresh_store / "evil")
    (planted / "metadata.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    sbd = shutil.copytree(fresh_store / "translate-en_uk-0_0_1", fresh_store / "sbd-en")
    (sbd / "metadata.json").write_text(json.dumps({"type": "sbd", "from_code": "en"}))
    with caplog.at_level(logging.WARNING):
        listing = run_cli("models", "list", "--json", "--models", str(fresh_store))
        build = run_cli("translate", str(EXAMPLE), "--to", "ru", "--models", str(fresh_store))
    assert listing.exit_code == 0, listing.stderr
    assert len(json.loads(listing.stdout)["packages"]) == 4
    assert build.exit_code == 0, build.stderr
    assert "evil/metadata.json is nested deeper than 32 levels" in caplog.text
    assert "sbd" not in caplog.text  # Argos's sentence-splitter packages are no problem


def test_no_install_when_the_staging_place_is_not_writable(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (tmp_path / ".store.briefpack-staging").write_text("a file in the way")
    with pytest.raises(ModelError, match="cannot create the staging folder"):
        install([argos_archives[("en", "de")]], store)
    assert list(store.iterdir()) == []
