"""Every kind of real package layout translates, exactly as argostranslate's translate() does.

Layouts (built by translations.testmodels, see its doc): `opus-port` (Argos's OPUS-MT ports:
separate vocabularies, source-only sentencepiece.model, a stanza/ folder), `bpe`
(bpe.model), `prefix` (target_prefix) and `legacy` (old folder name, .txt vocabularies).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures.argos import archive_members, argos_translate
from translations import Engine, ModelStore, install, list_packages, translate
from translations.testmodels import build_test_models

SPLIT = re.compile(r"(?<=[.!?])\s+")

# layout -> (text, source, target, our exact output)
CASES: dict[str, list[tuple[str, str, str, str]]] = {
    "opus-port": [
        ("Привіт світ. Місто новини сьогодні!", "uk", "en", "Hello world. Місто news today!"),
        (
            "Hello world. The Russian president said peace.",
            "en",
            "de",
            "Hallo Welt. The russische Präsident sagte Frieden.",
        ),
    ],
    "bpe": [
        (
            "Hallo Welt. Krieg in Moskau heute! Die Stadt sagte Frieden, Valmora & Co.",
            "de",
            "en",
            "Hello world. war in Moscow today! Die city said peace, Valmora & Co.",
        ),
        (
            "Hello world. Workers in Valmora said «peace» today.",
            "en",
            "de",
            # Moses's punctuation normalizer, as in argostranslate: «» become "".
            'Hallo Welt. Workers in Valmora sagte "Frieden" heute.',
        ),
    ],
    "prefix": [
        ("Hello world.", "en", "ru", "Привет мир."),
        ("Hello world.", "en", "uk", "Привіт світ."),
    ],
    "legacy": [
        (
            "Hello world. The city news today!",
            "en",
            "de",
            "Hallo Welt. The Stadt Nachrichten heute!",
        ),
        ("Hallo Welt. Krieg in Moskau heute!", "de", "en", "Hello world. war in Moscow today!"),
    ],
}


def ours(store: Path, text: str, source: str, target: str) -> tuple[str, list[str]]:
    sentences = SPLIT.split(text)
    engine = Engine(ModelStore((store,), store))
    result = translate(sentences[0], sentences[1:], source, target, engine=engine)
    out = [result.title, *result.sentences]
    return " ".join(out), out


@pytest.mark.parametrize("layout", ["opus-port", "bpe", "legacy"])
def test_each_layout_gives_argostranslates_output(
    layout: str,
    layout_store: Callable[[str], Path],
    tmp_path: Path,
    netguard_dir: Path,
) -> None:
    store = layout_store(layout)
    cases = [(text, source, target) for text, source, target, _ in CASES[layout]]
    theirs = argos_translate(cases, store, tmp_path, netguard_dir)
    for (text, source, target, expected), their in zip(CASES[layout], theirs, strict=True):
        mine, _ = ours(store, text, source, target)
        assert mine == expected
        assert mine == their


def test_an_opus_port_decodes_without_sentencepiece_marks(
    layout_store: Callable[[str], Path],
) -> None:
    store = layout_store("opus-port")
    folder = next(p.info.path for p in list_packages(store) if p.pair == ("uk", "en"))
    # The package's only SentencePiece model is the Ukrainian one: it does not know the
    # English pieces, and decodes them as they are. That is the "▁Hello▁world." bug.
    import sentencepiece as spm

    source_only = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    assert source_only.decode_pieces(["▁Hello", "▁world", "."]) == "▁Hello▁world."
    assert json.loads((folder / "model" / "config.json").read_text())["add_source_eos"]
    assert sorted(p.name for p in (folder / "model").glob("*vocabulary*")) == [
        "source_vocabulary.json",
        "target_vocabulary.json",
    ]
    mine, _ = ours(store, "Привіт світ. Привіт, Київ!", "uk", "en")
    assert mine == "Hello world. Hello, Kyiv!"
    assert "▁" not in mine


def test_a_bpe_package_joins_its_subword_pieces(layout_store: Callable[[str], Path]) -> None:
    store = layout_store("bpe")
    package = next(p for p in list_packages(store) if p.pair == ("de", "en"))
    assert package.tokenizer == "bpe"
    engine = Engine(ModelStore((store,), store))
    codec = engine._load(package).codec
    tokens = codec.encode(["Die Stadt Valmora sagte Frieden."])[0]
    # The listed words are whole tokens; the others are split with "@@" marks.
    assert "Frieden" in tokens and "Stadt" in tokens
    assert any(t.endswith("@@") for t in tokens)
    assert "".join(tokens).replace("@@", "") == "DieStadtValmorasagteFrieden."
    mine, _ = ours(store, "Die Stadt Valmora sagte Frieden.", "de", "en")
    assert mine == "Die city Valmora said peace."
    assert "@@" not in mine


def test_a_lone_trailing_bpe_mark_is_dropped(layout_store: Callable[[str], Path]) -> None:
    store = layout_store("bpe")
    package = next(p for p in list_packages(store) if p.pair == ("de", "en"))
    codec = Engine(ModelStore((store,), store))._load(package).codec
    assert codec.decode(["Val@@", "mora", "said", "pea@@"]) == "Valmora said pea"


def test_target_prefix_tokens_never_reach_the_text(
    layout_store: Callable[[str], Path], tmp_path: Path, netguard_dir: Path
) -> None:
    store = layout_store("prefix")
    text = "Hello world. The city news today!"
    _, sentences = ours(store, text, "en", "ru")
    assert sentences == ["Привет мир.", "The город новости сегодня!"]
    for text_case, source, target, expected in CASES["prefix"]:
        assert ours(store, text_case, source, target)[0] == expected
    # argostranslate decodes the prefix token with the text and turns its "_" into spaces
    # before it looks for the prefix to remove, so every sentence keeps a " ru " in front:
    # a bug we do not copy.
    (theirs,) = argos_translate([(text, "en", "ru")], store, tmp_path, netguard_dir)
    assert theirs == "".join(f"  ru   {s}" for s in sentences)[1:]


def test_legacy_layout_archive_and_listing(layout_store: Callable[[str], Path]) -> None:
    store = layout_store("legacy")
    packages = {p.pair: p for p in list_packages(store)}
    assert {p.info.path.name for p in packages.values()} == {"en_de", "de_en"}
    folder = packages[("en", "de")].info.path
    assert (folder / "model" / "shared_vocabulary.txt").is_file()
    assert (folder / "stanza" / "resources.json").is_file()  # present, never read
    assert "type" not in json.loads((folder / "metadata.json").read_text())


def test_layouts_build_reproducibly_and_unknown_ones_are_refused(tmp_path: Path) -> None:
    first = build_test_models(tmp_path / "a", [("en", "de")], layout="bpe")
    again = build_test_models(tmp_path / "b", [("en", "de")], layout="bpe")
    assert first[0].name == "translate-en_de-0_0_1-bpe.argosmodel"
    assert first[0].read_bytes() == again[0].read_bytes()
    members = archive_members(first[0])
    assert "translate-en_de-0_0_1-bpe/bpe.model" in members
    assert not any(name.endswith("sentencepiece.model") for name in members)
    with pytest.raises(ValueError, match="unknown test-model layout 'nmt'"):
        build_test_models(tmp_path, [("en", "de")], layout="nmt")


def test_a_model_from_before_ctranslate2_3_needs_no_config_json(
    tmp_path: Path, layout_store: Callable[[str], Path]
) -> None:
    # CTranslate2 before 3.0 wrote no model/config.json (its model.bin format version was
    # 5 or less) and .txt vocabularies: the legacy package made so, by rewriting the
    # format number of its model.bin. Without config.json the source gets no </s>, so the
    # copying test model does not know where to stop: only its start is exact.
    import struct

    (archive,) = build_test_models(tmp_path / "a", [("en", "de")], layout="legacy")
    members = archive_members(archive)
    top = "en_de"
    del members[f"{top}/model/config.json"]
    model = members[f"{top}/model/model.bin"]
    assert struct.unpack("I", model[:4]) == (6,)
    members[f"{top}/model/model.bin"] = struct.pack("I", 5) + model[4:]
    old = tmp_path / "old.argosmodel"
    with zipfile.ZipFile(old, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    store = tmp_path / "store"
    (package,) = install([old], store)
    assert not (package.info.path / "model" / "config.json").exists()
    mine, _ = ours(store, "Hello world.", "en", "de")
    assert mine.startswith("Hallo Welt.")


@pytest.mark.parametrize(
    "extra",
    [
        "not an object",
        {"directions": "en-uk"},
        {"directions": [{"from": "en", "to": "uk", "source_prefix": 5}]},
        {"directions": [{"from": "en", "to": "uk", "source_prefix": ["two words"]}]},
        {"directions": [{"from": "en", "to": 7}]},
        {"directions": [7]},
        {"family": ["opus-mt"]},
        {"target_sentencepiece": "../../etc/passwd"},
        {"target_sentencepiece": "missing.spm"},
    ],
)
def test_hostile_briefpack_metadata_is_a_clear_error(
    extra: object, installed_models: Path, tmp_path: Path
) -> None:
    import shutil

    from briefpack.errors import ModelError
    from translations import read_package

    folder = tmp_path / "pkg"
    shutil.copytree(installed_models / "translate-en_uk-0_0_1", folder)
    metadata = json.loads((folder / "metadata.json").read_text())
    (folder / "metadata.json").write_text(json.dumps({**metadata, "briefpack": extra}))
    with pytest.raises(ModelError, match=r"metadata.json|names|has no"):
        read_package(folder)
    assert list_packages(tmp_path) == []  # listed as unreadable, never a crash
