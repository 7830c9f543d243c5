"""The test-model builder: reproducible archives that say what they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.argos import archive_members
from translations.testmodels import build_test_models, word_list


def test_builds_are_byte_identical(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    again = build_test_models(tmp_path, [("en", "uk"), ("de", "en")])
    assert [p.name for p in again] == [
        "translate-en_uk-0_0_1.argosmodel",
        "translate-de_en-0_0_1.argosmodel",
    ]
    for path, pair in zip(again, [("en", "uk"), ("de", "en")], strict=True):
        assert path.read_bytes() == argos_archives[pair].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in again)


def test_archives_are_marked_as_test_models(argos_archives: dict[tuple[str, str], Path]) -> None:
    members = archive_members(argos_archives[("de", "en")])
    top = "translate-de_en-0_0_1"
    assert sorted(members) == [
        f"{top}/README.md",
        f"{top}/metadata.json",
        f"{top}/model/config.json",
        f"{top}/model/model.bin",
        f"{top}/model/shared_vocabulary.json",
        f"{top}/sentencepiece.model",
    ]
    metadata = json.loads(members[f"{top}/metadata.json"])
    assert metadata["briefpack_test_model"] is True
    assert (metadata["from_code"], metadata["to_code"], metadata["type"]) == (
        "de",
        "en",
        "translate",
    )
    assert "test model — not a real translation" in members[f"{top}/README.md"].decode()


def test_word_lists_compose_through_english() -> None:
    assert word_list("en", "ru")["Hello"] == "Привет"
    assert word_list("de", "en")["Krieg"] == "war"
    assert word_list("de", "uk")["Krieg"] == "війна"
    assert word_list("ru", "en")["мир"] == "world"  # first English word wins
    with pytest.raises(ValueError, match="no test model words for language 'fr'"):
        word_list("en", "fr")
