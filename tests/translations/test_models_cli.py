"""`briefpack models list/install/download`, through `main()` as the console script runs it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefpack.errors import ExitStatus
from tests.fixtures.argos import archive_members, relabel, write_archive
from translations import package_size

RunCli = Callable[..., Any]
TOP = "translate-en_ru-0_0_1"


def tree(folder: Path) -> list[str]:
    """Every path under a folder, hidden ones included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_list_json(models_dir: Path, run_cli: RunCli) -> None:
    result = run_cli("models", "list", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["search_dirs"][0] == str(models_dir)
    assert report["install_dir"] == str(models_dir)
    rows = {row["pair"]: row for row in report["packages"]}
    assert sorted(rows) == ["de-en", "en-de", "en-ru", "en-uk"]
    ru = rows["en-ru"]
    assert ru == {
        "pair": "en-ru",
        "from_code": "en",
        "to_code": "ru",
        "name": "translate-en_ru",
        "languages": "English -> Russian",
        "version": "0.0.1",
        "size": package_size(models_dir / TOP),
        "folder": str(models_dir / TOP),
        "test_model": True,
        "family": "argos",
        "licence": "",
        "non_commercial": False,
        "active": True,
    }
    assert ru["size"] > 100_000  # model.bin, SentencePiece model, metadata
    assert report["pivot_pairs"] == [
        {
            "pair": "de-ru",
            "from_code": "de",
            "to_code": "ru",
            "pivot": "en",
            "models": ["translate-de_en", "translate-en_ru"],
        },
        {
            "pair": "de-uk",
            "from_code": "de",
            "to_code": "uk",
            "pivot": "en",
            "models": ["translate-de_en", "translate-en_uk"],
        },
    ]


def test_list_text_marks_test_models_shadowing_and_pivots(
    models_dir: Path, fresh_store: Path, run_cli: RunCli
) -> None:
    result = run_cli("models", "list", "--models", str(fresh_store))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 10  # 4 packages twice, 2 pivot pairs
    assert lines[0].startswith("de-en   German -> English")
    assert lines[0].endswith(f"{fresh_store / 'translate-de_en-0_0_1'}  [test model]")
    assert lines[4].endswith("[test model, shadowed by an earlier folder]")
    assert lines[-1] == "de-uk   through en: translate-de_en + translate-en_uk"


def test_list_with_nothing_installed(argos_env: Path, run_cli: RunCli) -> None:
    result = run_cli("models", "list")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "No translation models installed. Searched:",
        f"  {argos_env}",
        "Install with `briefpack models install FILE.argosmodel`.",
    ]


def test_install_goes_to_the_default_folder(
    argos_env: Path, argos_archives: dict[tuple[str, str], Path], run_cli: RunCli
) -> None:
    archive = argos_archives[("en", "de")]
    result = run_cli("models", "install", str(archive))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"installed en-de 0.0.1 into {argos_env / 'translate-en_de-0_0_1'}\n"
    again = run_cli("models", "install", str(archive))
    assert again.exit_code == ExitStatus.MODEL_ERROR
    assert "en->de is already installed" in again.stderr
    assert run_cli("models", "install", "--replace", str(archive)).exit_code == 0
    assert os.listdir(argos_env) == ["translate-en_de-0_0_1"]


def _truncated(good: Path, bad: Path) -> None:
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def _without(name: str) -> Callable[[Path, Path], None]:
    def build(good: Path, bad: Path) -> None:
        members = archive_members(good)
        write_archive(bad, [(n, d) for n, d in members.items() if n != f"{TOP}/{name}"])

    return build


def _plus(entry: str | zipfile.ZipInfo, data: bytes = b"x") -> Callable[[Path, Path], None]:
    def build(good: Path, bad: Path) -> None:
        write_archive(bad, [*archive_members(good).items(), (entry, data)])

    return build


def _garbage_model(good: Path, bad: Path) -> None:
    members = archive_members(good)
    members[f"{TOP}/model/model.bin"] = b"\x00garbage" * 64
    write_archive(bad, members.items())


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{TOP}/link")
    info.external_attr = 0o120777 << 16
    return info


def _metadata(text: bytes) -> Callable[[Path, Path], None]:
    def build(good: Path, bad: Path) -> None:
        members = archive_members(good)
        members[f"{TOP}/metadata.json"] = text
        write_archive(bad, members.items())

    return build


BROKEN = {
    "truncated": (_truncated, "not a readable zip archive"),
    "no-metadata": (_without("metadata.json"), "the package has no metadata.json"),
    "no-tokenizer": (_without("sentencepiece.model"), "no sentencepiece.model or bpe.model"),
    "two-folders": (_plus("other/README.md"), "exactly one top-level folder, found other, "),
    "loose-file": (_plus("README.md"), "file 'README.md' outside the package folder"),
    "garbage-model": (_garbage_model, "CTranslate2 cannot load its model"),
    "zip-slip": (_plus(f"{TOP}/../../evil.txt"), "unsafe path 'translate-en_ru-0_0_1/../../"),
    "absolute": (_plus("/tmp/evil.txt"), "unsafe path '/tmp/evil.txt'"),
    "symlink": (_plus(_symlink(), b"/etc/passwd"), "symbolic link 'translate-en_ru-0_0_1/link'"),
    "bad-json": (_metadata(b"{not json"), "metadata.json is not valid JSON"),
    "no-codes": (_metadata(b'{"package_version": "1"}'), "metadata.json lacks from_code, to_code"),
    "sbd-package": (
        _metadata(b'{"type": "sbd", "from_code": "en", "to_code": "en", "package_version": "1"}'),
        "it is a 'sbd' package, not a translation model",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_archives_are_refused_and_nothing_changes(
    kind: str,
    argos_archives: dict[tuple[str, str], Path],
    fresh_store: Path,
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    build, message = BROKEN[kind]
    bad = tmp_path / f"{kind}.argosmodel"
    build(argos_archives[("en", "ru")], bad)
    # The broken file installs a pair the store lacks, so only the breakage can stop it.
    shutil.rmtree(fresh_store / TOP)
    before = tree(fresh_store)
    result = run_cli("models", "install", "--models", str(fresh_store), str(bad))
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"briefpack: error: cannot install {bad}: ")
    assert message in result.stderr
    assert tree(fresh_store) == before


def test_one_bad_file_installs_nothing(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path, run_cli: RunCli
) -> None:
    bad = tmp_path / "bad.argosmodel"
    _garbage_model(argos_archives[("en", "ru")], bad)
    store = tmp_path / "store"
    good = [str(argos_archives[pair]) for pair in (("en", "uk"), ("en", "de"))]
    result = run_cli("models", "install", "--models", str(store), *good, str(bad))
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "bad.argosmodel: CTranslate2 cannot load its model" in result.stderr
    assert tree(store) == []


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_download_offline_fails_fast_with_advice(
    argos_env: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    # pytest-socket refuses every socket here, which is what a machine offline looks like.
    monkeypatch.setenv("BRIEFPACK_INDEX_URL", "http://192.0.2.1/index.json")  # TEST-NET-1
    start = time.monotonic()
    result = run_cli("models", "download", "en:ru,uk,de")
    assert time.monotonic() - start < 15
    assert result.exit_code == ExitStatus.NETWORK_ERROR
    assert result.stderr.count("\n") == 1
    assert "cannot reach the package index http://192.0.2.1/index.json" in result.stderr
    assert "run `briefpack models install FILE.argosmodel`" in result.stderr
    assert not argos_env.exists()


@pytest.mark.enable_socket
def test_download_from_a_refusing_server_is_a_network_error(
    argos_env: Path, run_cli: RunCli
) -> None:
    with socket.socket() as probe:  # a local port that is certainly closed once released
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/index.json"
    start = time.monotonic()
    result = run_cli("models", "download", "en:ru", "--index-url", url)
    assert time.monotonic() - start < 15
    assert result.exit_code == ExitStatus.NETWORK_ERROR
    assert "Connection refused" in result.stderr


def _index(tmp_path: Path, entries: list[tuple[Path, str, str, str]]) -> str:
    index = [
        {
            "type": "translate",
            "from_code": src,
            "to_code": tgt,
            "package_version": version,
            "links": [archive.as_uri()],
        }
        for archive, src, tgt, version in entries
    ]
    path = tmp_path / "index.json"
    path.write_text(json.dumps(index), encoding="utf-8")
    return path.as_uri()


def test_download_installs_updates_and_skips(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path, run_cli: RunCli, argos_env: Path
) -> None:
    store = tmp_path / "store"
    ru, uk = argos_archives[("en", "ru")], argos_archives[("en", "uk")]
    url = _index(tmp_path, [(ru, "en", "ru", "0.0.1"), (uk, "en", "uk", "0.0.1")])
    args = ("models", "download", "en:ru,uk", "--models", str(store), "--index-url", url)
    first = run_cli(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"installed: en-ru 0.0.1 ({store / 'translate-en_ru-0_0_1'})",
        f"installed: en-uk 0.0.1 ({store / 'translate-en_uk-0_0_1'})",
    ]
    newer = relabel(
        ru, tmp_path / "ru2.argosmodel", "translate-en_ru-0_0_10", package_version="0.0.10"
    )
    url = _index(
        tmp_path,
        [(ru, "en", "ru", "0.0.1"), (newer, "en", "ru", "0.0.10"), (uk, "en", "uk", "0.0.1")],
    )
    second = run_cli(*args[:-1], url)
    assert second.exit_code == 0, second.stderr
    assert second.stdout.splitlines() == [
        f"up to date: en-uk 0.0.1 ({store / 'translate-en_uk-0_0_1'})",
        f"updated: en-ru 0.0.10 ({store / 'translate-en_ru-0_0_10'})",
    ]
    assert sorted(os.listdir(store)) == ["translate-en_ru-0_0_10", "translate-en_uk-0_0_1"]
    missing = run_cli("models", "download", "en:fr", "--models", str(store), "--index-url", url)
    assert missing.exit_code == ExitStatus.MODEL_ERROR
    assert "has no en->fr package" in missing.stderr


@pytest.mark.parametrize("spec", ["en", "en:", "en:ru;uk", "english:ru", "en:en"])
def test_download_spec_errors(argos_env: Path, run_cli: RunCli, spec: str) -> None:
    result = run_cli("models", "download", spec)
    assert result.exit_code == ExitStatus.INPUT_ERROR
    assert "e.g. en:ru" in result.stderr or "drop en" in result.stderr
