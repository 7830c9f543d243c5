"""The engine on tiny real Argos packages: exact outputs, pivoting, batching, options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import ctranslate2
import pytest

from briefpack.errors import InputError, ModelError
from tests.fixtures.argos import relabel
from translations import Engine, EngineOptions, ModelStore, install, translate, translate_many

EXPECTED = {
    "ru": ("Привет мир.", "The город новости сегодня!"),
    "uk": ("Привіт світ.", "The місто новини сьогодні!"),
    "de": ("Hallo Welt.", "The Stadt Nachrichten heute!"),
}


class CountingTranslator:
    """Wraps a real ctranslate2.Translator and records every translate_batch call."""

    calls: ClassVar[list[tuple[str, int]]] = []

    def __init__(self, path: str, **kwargs: Any) -> None:
        self.path = path
        self.inner = REAL_TRANSLATOR(path, **kwargs)
        CountingTranslator.calls.append((Path(path).parent.name, -1))  # -1: a model load

    def translate_batch(self, tokens: list[list[str]], **kwargs: Any) -> Any:
        CountingTranslator.calls.append((Path(self.path).parent.name, len(tokens)))
        return self.inner.translate_batch(tokens, **kwargs)


REAL_TRANSLATOR = ctranslate2.Translator


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    CountingTranslator.calls = []
    monkeypatch.setattr(ctranslate2, "Translator", CountingTranslator)
    return CountingTranslator.calls


@pytest.mark.parametrize("target", sorted(EXPECTED))
def test_exact_output_of_the_test_models(models_dir: Path, target: str) -> None:
    result = translate("Hello world.", ["The city news today!"], "en", target, engine=Engine())
    assert (result.title, result.sentences) == (EXPECTED[target][0], (EXPECTED[target][1],))
    assert result.pivot is None
    assert [m.name for m in result.models] == [f"translate-en_{target}"]
    assert result.models[0].path == models_dir / f"translate-en_{target}-0_0_1"
    assert result.test_model
    assert result.settings["compute_type"] == "int8"
    assert result.settings["signature"].startswith(f"ct2:{ctranslate2.__version__}|device:cpu|")


def test_german_reaches_ukrainian_through_english(models_dir: Path) -> None:
    result = translate("Hallo Welt.", ["Krieg in Moskau heute."], "de", "uk", engine=Engine())
    assert result.title == "Привіт світ."
    assert result.sentences == ("війна in Москва сьогодні.",)
    assert result.pivot == "en"
    assert [m.name for m in result.models] == ["translate-de_en", "translate-en_uk"]


def test_underscores_survive(models_dir: Path) -> None:
    result = translate("file_name_v2", ["Hello file_name_v2 world."], "en", "ru", engine=Engine())
    assert result.title == "file_name_v2"
    assert result.sentences == ("Привет file_name_v2 мир.",)


def test_terminal_controls_never_come_out_of_a_model(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A package's vocabulary is written by whoever made it: a piece may decode to an
    # escape sequence or BEL (SentencePiece drops them from the input, not from its pieces).
    engine = Engine()
    package = engine.store.route("en", "de").packages[0]
    codec = engine._load(package).codec
    real_decode = codec.decode
    monkeypatch.setattr(codec, "decode", lambda p: "\x1b]0;pwned\x07" + real_decode(p) + "\x1b[2J")
    assert engine.translate_sentences(package, ["Hello world."]) == ["Hallo Welt."]


def test_blank_sentences_stay_blank_and_keep_their_place(models_dir: Path) -> None:
    result = translate("", ["Hello world.", "  ", "city"], "en", "de", engine=Engine())
    assert (result.title, result.sentences) == ("", ("Hallo Welt.", "", "Stadt"))


def test_one_batch_per_model_and_one_load_per_model(
    models_dir: Path, counting: list[tuple[str, int]]
) -> None:
    engine = Engine()
    sentences = ["Hello world.", "The city news today!", "Kyiv said peace."]
    translate("Russia today", sentences, "en", "ru", engine=engine)
    translate("Russia today", sentences, "en", "ru", engine=engine)
    assert counting == [
        ("translate-en_ru-0_0_1", -1),
        ("translate-en_ru-0_0_1", 4),  # title + 3 sentences, in one call
        ("translate-en_ru-0_0_1", 4),
    ]


def test_shared_first_leg_runs_once(models_dir: Path, counting: list[tuple[str, int]]) -> None:
    results = translate_many(
        "Hallo Welt.", ["Krieg heute."], "de", ["ru", "uk", "en"], engine=Engine()
    )
    assert [(r.language, r.title, r.sentences, r.pivot) for r in results] == [
        ("ru", "Привет мир.", ("война сегодня.",), "en"),
        ("uk", "Привіт світ.", ("війна сьогодні.",), "en"),
        ("en", "Hello world.", ("war today.",), None),
    ]
    batches = [name for name, size in counting if size >= 0]
    assert batches == ["translate-de_en-0_0_1", "translate-en_ru-0_0_1", "translate-en_uk-0_0_1"]


def test_output_length_is_bounded(models_dir: Path) -> None:
    engine = Engine(options=EngineOptions(max_length_cap=4))
    result = translate("Hello world.", ["The city news today!"], "en", "ru", engine=engine)
    assert result.title == "Привет мир."  # 3 tokens: within the cap
    assert result.sentences == ("The город новости",)  # cut after 4 tokens
    assert result.settings["max_decoding_length"] == "2n+10<=4"


def test_looping_output_is_decoded_again_with_the_guard(models_dir: Path) -> None:
    loop = "news " * 12
    legit = "the city and the city and the city and the city"  # repeats, but not a loop
    guarded = translate(legit, [loop], "en", "ru", engine=Engine())
    assert guarded.title == "the город and the город and the город and the город"
    words = guarded.sentences[0].split()
    assert words.count("новости") < 12
    grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    assert len(grams) == len(set(grams))  # no 4-gram repeats
    unguarded = Engine(options=EngineOptions(loop_guard_ngram_size=0))
    plain = translate("", [loop], "en", "ru", engine=unguarded)
    assert plain.sentences == (" ".join(["новости"] * 12),)


@pytest.mark.parametrize("prefix", ["\u2581city", "__xx__"])  # in the vocabulary, and not
def test_target_prefix_is_forced_and_removed(fresh_store: Path, prefix: str) -> None:
    folder = fresh_store / "translate-en_ru-0_0_1"
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    metadata["target_prefix"] = prefix
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    engine = Engine(ModelStore((fresh_store,), fresh_store))
    # The copy model's step 0 is now the forced prefix, so source token 0 is skipped.
    assert translate("Hello world.", [], "en", "ru", engine=engine).title == "мир."


def test_cuda_without_a_gpu_is_a_model_error(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    engine = Engine(options=EngineOptions(device="cuda"))
    with pytest.raises(ModelError, match="no CUDA GPU; use --device cpu"):
        translate("Hello world.", [], "en", "ru", engine=engine)
    auto = Engine(options=EngineOptions(device="auto"))
    assert translate("Hello world.", [], "en", "ru", engine=auto).settings["device"] == "cpu"


def test_bad_options_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown device 'tpu'"):
        EngineOptions(device="tpu")
    with pytest.raises(InputError, match="beam size"):
        EngineOptions(beam_size=0)


def test_a_bpe_model_that_is_not_bpe_codes_is_a_clear_error(fresh_store: Path) -> None:
    folder = fresh_store / "translate-en_ru-0_0_1"
    (folder / "sentencepiece.model").rename(folder / "bpe.model")  # binary, not codes
    engine = Engine(ModelStore((fresh_store,), fresh_store))
    with pytest.raises(ModelError, match=r"cannot read the BPE codes .*bpe.model .*reinstall"):
        translate("Hello world.", [], "en", "ru", engine=engine)
    (folder / "bpe.model").write_text("#version: 0.2\nH e\nthree items here\n")
    with pytest.raises(ModelError, match=r"line 3 of the BPE codes .* is not a pair"):
        translate("Hello world.", [], "en", "ru", engine=Engine(engine.store))


def test_same_language_and_missing_pairs(models_dir: Path) -> None:
    engine = Engine()
    with pytest.raises(InputError, match="both 'en'"):
        translate("Hello", [], "en", "en", engine=engine)
    with pytest.raises(
        ModelError, match=r"no translation model for ru->de .*models download ru:de"
    ):
        translate("Привет", [], "ru", "de", engine=engine)


def test_a_package_installed_while_running_is_used(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    store = ModelStore((tmp_path / "models",), tmp_path / "models")
    engine = Engine(store)
    with pytest.raises(ModelError, match="no translation model for en->de"):
        translate("Hello world.", [], "en", "de", engine=engine)
    install([argos_archives[("en", "de")]], store.install_dir)
    assert translate("Hello world.", [], "en", "de", engine=engine).title == "Hallo Welt."


def test_a_replaced_package_is_loaded_afresh(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    store = ModelStore((tmp_path / "models",), tmp_path / "models")
    install([argos_archives[("en", "ru")]], store.install_dir)
    engine = Engine(store)
    assert translate("Hello world.", [], "en", "ru", engine=engine).title == "Привет мир."
    # The uk model under the ru model's folder name and pair: same path, new files.
    impostor = relabel(
        argos_archives[("en", "uk")],
        tmp_path / "x.argosmodel",
        "translate-en_ru-0_0_1",
        to_code="ru",
    )
    install([impostor], store.install_dir, replace=True)
    assert translate("Hello world.", [], "en", "ru", engine=engine).title == "Привіт світ."
