"""The model store: where it looks, what it lists, digests, and all-or-nothing installs."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest

from briefpack.errors import ModelError
from tests.fixtures.argos import relabel
from translations import ModelStore, install, list_packages, package_digest, read_package


def test_search_order_explicit_then_env_then_argos(tmp_path: Path) -> None:
    env = {
        "BRIEFPACK_MODELS": os.pathsep.join(["/b1", "", "/b2", "/x"]),
        "ARGOS_PACKAGES_DIR": "/argos",
        "XDG_DATA_HOME": "/xdg",
    }
    store = ModelStore.from_env(Path("/x"), env=env)
    assert store.search_dirs == (Path("/x"), Path("/b1"), Path("/b2"), Path("/argos"))
    assert store.install_dir == Path("/x")
    assert ModelStore.from_env(env=env).install_dir == Path("/b1")


def test_argos_default_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    xdg = ModelStore.from_env(env={"XDG_DATA_HOME": "/xdg"})
    assert xdg.search_dirs == (Path("/xdg/argos-translate/packages"),)
    monkeypatch.setenv("HOME", str(tmp_path))
    home = ModelStore.from_env(env={})
    assert home.search_dirs == (tmp_path / ".local/share/argos-translate/packages",)


def test_env_is_read_when_called(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ModelStore.from_env().install_dir == models_dir
    monkeypatch.setenv("BRIEFPACK_MODELS", "/elsewhere")
    assert ModelStore.from_env().install_dir == Path("/elsewhere")


def test_listing_skips_hidden_broken_and_other_packages(
    fresh_store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copytree(fresh_store / "translate-en_de-0_0_1", fresh_store / ".install-abc")
    (fresh_store / "half-written").mkdir()
    sbd = shutil.copytree(fresh_store / "translate-de_en-0_0_1", fresh_store / "sbd-pkg")
    (sbd / "metadata.json").write_text(
        json.dumps({"type": "sbd", "from_code": "en", "to_code": "en", "package_version": "1"}),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        names = [p.info.path.name for p in list_packages(fresh_store)]
    assert names == [
        "translate-de_en-0_0_1",
        "translate-en_de-0_0_1",
        "translate-en_ru-0_0_1",
        "translate-en_uk-0_0_1",
    ]
    assert "half-written has no metadata.json" in caplog.text
    assert list_packages(fresh_store / "missing") == []


def test_first_folder_wins_and_pivots_are_found(fresh_store: Path, installed_models: Path) -> None:
    store = ModelStore((fresh_store, installed_models), fresh_store)
    assert len(store.packages()) == 8
    assert {p.info.path.parent for p in store.active().values()} == {fresh_store}
    routes = [(r.source, r.target, r.pivot) for r in store.pivot_routes()]
    assert routes == [("de", "ru", "en"), ("de", "uk", "en")]
    route = store.route("de", "uk")
    assert [p.info.name for p in route.packages] == ["translate-de_en", "translate-en_uk"]
    assert store.route("en", "uk").pivot is None


def test_metadata_fields_and_test_marker(fresh_store: Path) -> None:
    folder = fresh_store / "translate-en_uk-0_0_1"
    package = read_package(folder)
    assert package is not None
    assert (package.from_name, package.to_name, package.tokenizer) == (
        "English",
        "Ukrainian",
        "sentencepiece",
    )
    assert (package.info.version, package.info.test_model, package.target_prefix) == (
        "0.0.1",
        True,
        "",
    )
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    del metadata["briefpack_test_model"]
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    unmarked = read_package(folder)
    assert unmarked is not None and not unmarked.info.test_model
    (folder / "metadata.json").write_text('{"from_code": "en"}', encoding="utf-8")
    with pytest.raises(ModelError, match=r"metadata\.json lacks to_code, package_version"):
        read_package(folder)


def test_digest_covers_names_and_bytes(fresh_store: Path, tmp_path: Path) -> None:
    folder = fresh_store / "translate-en_ru-0_0_1"
    digest = package_digest(folder)
    assert len(digest) == 64
    copy = shutil.copytree(folder, tmp_path / "elsewhere")
    assert package_digest(copy) == digest  # the folder's own name and place do not count
    readme = copy / "README.md"
    readme.write_bytes(readme.read_bytes() + b" ")
    changed = package_digest(copy)
    assert changed != digest
    readme.rename(copy / "README.txt")
    assert package_digest(copy) not in (digest, changed)


def test_install_leaves_no_temporary_folders(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    store_dir = tmp_path / "new" / "models"
    installed = install(list(argos_archives.values()), store_dir)
    assert [p.info.name for p in installed] == [
        "translate-en_ru",
        "translate-en_uk",
        "translate-en_de",
        "translate-de_en",
    ]
    assert sorted(os.listdir(store_dir)) == sorted(p.info.path.name for p in installed)


def test_existing_pair_needs_replace(
    argos_archives: dict[tuple[str, str], Path], fresh_store: Path, tmp_path: Path
) -> None:
    newer = relabel(
        argos_archives[("en", "ru")],
        tmp_path / "newer.argosmodel",
        "translate-en_ru-0_0_2",
        package_version="0.0.2",
    )
    before = sorted(os.listdir(fresh_store))
    with pytest.raises(ModelError, match=r"en->ru is already installed .*pass --replace"):
        install([newer], fresh_store)
    assert sorted(os.listdir(fresh_store)) == before
    install([newer], fresh_store, replace=True)
    ru = [p for p in list_packages(fresh_store) if p.pair == ("en", "ru")]
    assert [(p.info.version, p.info.path.name) for p in ru] == [("0.0.2", "translate-en_ru-0_0_2")]
    assert not [name for name in os.listdir(fresh_store) if name.startswith(".")]


def test_the_same_pair_twice_in_one_install_is_refused(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    archive = argos_archives[("en", "ru")]
    with pytest.raises(ModelError, match="two of the given files install"):
        install([archive, archive], tmp_path / "models")
    assert not (tmp_path / "models").exists()
