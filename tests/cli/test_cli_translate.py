"""`briefpack translate`: exact outputs with the test models, pivots, model reporting."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack.errors import ExitStatus
from tests.conftest import CliResult

EN = "Hello world today\n\nHello world. The city news today!\n"
DE = "Hallo Welt heute\n\nHallo Welt. Die Stadt Nachrichten heute!\n"


@pytest.fixture
def en_article(tmp_path: Path) -> Path:
    path = tmp_path / "en.txt"
    path.write_text(EN, encoding="utf-8")
    return path


def test_exact_translations_with_models_named(
    models_dir: Path, en_article: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("translate", str(en_article), "--to", "ru,uk,de", "-f", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["source_language"] == "en"
    got = {t["language"]: t for t in payload["translations"]}
    assert got["ru"]["title"] == "Привет мир сегодня"
    assert got["ru"]["sentences"] == ["Привет мир.", "The город новости сегодня!"]
    assert got["uk"]["sentences"] == ["Привіт світ.", "The місто новини сьогодні!"]
    assert got["de"]["sentences"] == ["Hallo Welt.", "The Stadt Nachrichten heute!"]
    for code in ("ru", "uk", "de"):
        assert got[code]["models"] == [
            {
                "name": f"translate-en_{code}",
                "version": "0.0.1",
                "pair": f"en-{code}",
                "family": "argos",
                "licence": "",
            }
        ]
        assert got[code]["pivot"] is None
        assert got[code]["test_model"] is True


def test_german_reaches_ukrainian_through_english(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = tmp_path / "de.txt"
    article.write_text(DE, encoding="utf-8")
    result = run_cli("translate", str(article), "--to", "uk", "-f", "json", "-l", "de")
    assert result.exit_code == 0, result.stderr
    (uk,) = json.loads(result.stdout)["translations"]
    assert uk["pivot"] == "en"
    assert [m["pair"] for m in uk["models"]] == ["de-en", "en-uk"]
    assert uk["sentences"][0] == "Привіт світ."
    text = run_cli("translate", str(article), "--to", "uk", "-l", "de")
    assert "translate-de_en 0.0.1 + translate-en_uk 0.0.1, via en" in text.stdout


def test_text_output_warns_about_test_models(
    models_dir: Path, en_article: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("translate", str(en_article), "--to", "de")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "[de] (translate-en_de 0.0.1) — test model, not a real translation",
        "Hallo Welt heute",
    ]


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["--to", "fr"], ExitStatus.MODEL_ERROR, "no translation model for en->fr"),
        (["--to", "de", "--device", "cuda"], ExitStatus.MODEL_ERROR, "cuda"),
        (["--to", "de", "--beam", "0"], ExitStatus.USAGE_ERROR, "--beam"),
    ],
)
def test_translate_errors(
    models_dir: Path,
    en_article: Path,
    run_cli: Callable[..., CliResult],
    args: list[str],
    status: ExitStatus,
    needle: str,
) -> None:
    result = run_cli("translate", str(en_article), *args)
    assert result.exit_code == status, result.stderr
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1
