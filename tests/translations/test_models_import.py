"""`briefpack models import`: OPUS-MT releases (through CTranslate2's real Marian converter)
and NLLB-200 / M2M-100 CTranslate2 folders become packages that translate, and say so."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefpack.errors import ExitStatus, InputError, ModelError
from tests.fixtures.argos import archive_members, argos_run
from translations import Engine, ModelStore, install, list_packages, translate
from translations.importer import import_model

RunCli = Callable[..., Any]
ARTICLE = "Hello world\n\nHello world. The Russian president said peace in Kyiv today.\n"


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def one(store: Path, text: str, source: str, target: str, **kwargs: Any) -> tuple[str, str]:
    """(translation, name of the model used) for one sentence."""
    engine = Engine(ModelStore.from_env(store, env={}, **kwargs))
    result = translate(text, [], source, target, engine=engine)
    return result.title, result.models[0].name


def test_an_opus_mt_release_translates_and_says_so(
    opus_releases: dict[str, Path], models_dir: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    store = tmp_path / "store"
    result = run_cli("models", "import", str(opus_releases["en-uk"]), "--models", str(store))
    assert result.exit_code == 0, result.stderr
    folder = store / "opus-mt-en-uk-2021-02-18"
    assert result.stdout == (
        f"imported en-uk opus-mt-en-uk 2021-02-18 (opus-mt, CC-BY-4.0) into {folder}\n"
    )
    # CTranslate2's Marian converter wrote the model: Marian adds </s> to every source.
    assert json.loads((folder / "model" / "config.json").read_text())["add_source_eos"] is True
    assert (folder / "sentencepiece.model").read_bytes() == _member(
        opus_releases["en-uk"], "source.spm"
    )
    metadata = json.loads((folder / "metadata.json").read_text())
    assert metadata["type"] == "briefpack-translate"  # argostranslate leaves it alone
    assert metadata["briefpack"]["target_sentencepiece"] == "target.spm"
    assert "OpusMTConverter" in metadata["briefpack"]["origin"]
    assert metadata["briefpack_test_model"] is True
    # The Argos test en->uk package (BRIEFPACK_MODELS) is installed too: imported first.
    (tmp_path / "a.txt").write_text(ARTICLE)
    out = run_cli("translate", str(tmp_path / "a.txt"), "--to", "uk", "--models", str(store))
    assert out.exit_code == 0, out.stderr
    assert out.stdout.splitlines()[:3] == [
        "[uk] (opus-mt-en-uk 2021-02-18) — test model, not a real translation",
        "Привіт світ",
        "Привіт світ.",
    ]
    argos = run_cli(
        "translate", str(tmp_path / "a.txt"), "--to", "uk", "--models", str(store),
        "--model-family", "argos",
    )  # fmt: skip
    assert argos.stdout.splitlines()[0] == (
        "[uk] (translate-en_uk 0.0.1) — test model, not a real translation"
    )
    assert one(store, "The Russian president said peace.", "en", "uk") == (
        "The російський президент сказав миру.",
        "opus-mt-en-uk",
    )


def test_a_multi_target_release_puts_its_language_token_on_the_source(
    opus_releases: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    packages = import_model(opus_releases["eng-zle"], ModelStore.from_env(store, env={}))
    assert {p.pair: p.source_prefix for p in packages} == {
        ("en", "ru"): (">>rus<<",),
        ("en", "uk"): (">>ukr<<",),
    }
    assert len({p.info.path for p in packages}) == 1  # one model serves both
    assert one(store, "Hello world.", "en", "uk")[0] == "Привіт світ."
    assert one(store, "Hello world.", "en", "ru")[0] == "Привет мир."
    engine = Engine(ModelStore.from_env(store, env={}))
    both = [
        translate("Kyiv said war.", ["Moscow said peace."], "en", t, engine=engine)
        for t in ("uk", "ru")
    ]
    assert [(t.title, t.sentences) for t in both] == [
        ("Київ сказав війна.", ("Москва сказав миру.",)),
        ("Киев сказал война.", ("Москва сказал мира.",)),
    ]
    assert len(engine._translators) == 1  # loaded once for both directions
    # Without its token the model copies from the wrong position: the token is what works.
    package = next(p for p in packages if p.pair == ("en", "uk"))
    loaded = engine._load(package)
    untagged = loaded.translator.translate_batch(
        loaded.codec.encode(["Hello world."]), beam_size=1, max_decoding_length=8
    )[0].hypotheses[0]
    assert loaded.codec.decode(untagged) != "Привіт світ."


def test_readme_languages_without_a_token_are_skipped(
    opus_releases: dict[str, Path], tmp_path: Path
) -> None:
    # eng-zle's README lists "bel bel_Latn orv_Cyrl rue rus ukr": Old East Slavic and
    # Rusyn have no ISO 639-1 code and no label we would find; they are left out.
    release = tmp_path / "release"
    with zipfile.ZipFile(opus_releases["eng-zle"]) as zf:
        zf.extractall(release)
    readme = (release / "README.md").read_text()
    (release / "README.md").write_text(
        readme.replace("target language(s): rus ukr", "target language(s): orv_Cyrl rue rus ukr")
    )
    packages = import_model(release, ModelStore.from_env(tmp_path / "store", env={}))
    assert sorted(p.pair for p in packages) == [("en", "ru"), ("en", "uk")]


def test_import_chooses_targets_and_refuses_unknown_ones(
    opus_releases: dict[str, Path], tmp_path: Path
) -> None:
    store = ModelStore.from_env(tmp_path / "store", env={})
    only_uk = import_model(opus_releases["eng-zle"], store, targets=["uk"], name="zle-uk")
    assert [(p.pair, p.info.name) for p in only_uk] == [(("en", "uk"), "zle-uk")]
    with pytest.raises(InputError, match=r"no >>de<< language token \(it has >>rus<< >>ukr<<\)"):
        import_model(opus_releases["eng-zle"], store, targets=["de"])
    assert [p.name for p in (tmp_path / "store").iterdir()] == ["zle-uk-2021-02-18"]


def test_reimporting_needs_replace_and_leaves_the_store_alone(
    opus_releases: dict[str, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    store = tmp_path / "store"
    args = ("models", "import", str(opus_releases["en-uk"]), "--models", str(store))
    assert run_cli(*args).exit_code == 0
    before = tree(store)
    again = run_cli(*args)
    assert again.exit_code == ExitStatus.MODEL_ERROR
    assert "en->uk is already installed" in again.stderr
    assert "--replace" in again.stderr
    assert tree(store) == before
    assert run_cli(*args, "--replace").exit_code == 0
    assert tree(store) == before


def test_nllb_and_m2m_folders_use_language_tokens(
    ct2_folders: dict[str, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    store = tmp_path / "store"
    for family, folder in ct2_folders.items():
        result = run_cli(
            "models", "import", str(folder), "--from", "en", "--to", "uk", "--models", str(store)
        )
        assert result.exit_code == 0, result.stderr
        licence = {"nllb-200": "CC-BY-NC-4.0", "m2m-100": "MIT"}[family]
        assert f"({family}, {licence})" in result.stdout
        assert ("non-commercial use only" in result.stderr) is (family == "nllb-200")
    packages = {p.info.family: p for p in list_packages(store)}
    nllb, m2m = packages["nllb-200"], packages["m2m-100"]
    assert (nllb.source_prefix, nllb.source_suffix, nllb.target_prefix) == (
        ("eng_Latn",),
        ("</s>",),
        "ukr_Cyrl",
    )
    assert (m2m.source_prefix, m2m.target_prefix) == (("__en__",), "__uk__")
    for family in ("nllb-200", "m2m-100"):
        assert one(store, "Hello world. Kyiv said peace!", "en", "uk", families=[family]) == (
            "Привіт світ. Київ сказав миру!",
            ct2_folders[family].name,
        )
    listing = json.loads(run_cli("models", "list", "--json", "--models", str(store)).stdout)
    rows = {row["family"]: row for row in listing["packages"]}
    assert rows["nllb-200"]["licence"] == "CC-BY-NC-4.0"
    assert rows["nllb-200"]["non_commercial"] is True
    assert rows["m2m-100"]["non_commercial"] is False
    text = run_cli("models", "list", "--models", str(store)).stdout
    assert "nllb-200, CC-BY-NC-4.0, non-commercial use only" in text


@pytest.mark.slow
def test_the_pack_names_the_imported_model_and_its_licence(
    ct2_folders: dict[str, Path], argos_env: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    store = tmp_path / "store"
    folder = ct2_folders["nllb-200"]
    assert run_cli("models", "import", str(folder), "--from", "en", "--to", "uk",
                   "--models", str(store)).exit_code == 0  # fmt: skip
    (tmp_path / "a.txt").write_text(ARTICLE)
    built = run_cli(
        "build", str(tmp_path / "a.txt"), "--to", "uk", "--models", str(store),
        "--out", str(tmp_path / "dist"), "--date", "2026-11-27", "--json",
    )  # fmt: skip
    assert built.exit_code == 0, built.stderr
    pack = Path(json.loads(built.stdout)[0]["pack"])
    manifest = json.loads((pack / "manifest.json").read_text())
    (record,) = manifest["translations"][0]["models"]
    assert record["name"] == folder.name
    assert record["family"] == "nllb-200"
    assert record["licence"] == "CC-BY-NC-4.0"
    assert record["note"] == "test model — not a real translation"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no-languages", r"name the pairs it should serve, e\.g\. --from en --to uk,ru"),
        ("no-sentencepiece", r"copy the model's sentencepiece\.bpe\.model into the folder"),
        ("no-tokens", r"no NLLB-200 \(eng_Latn\) or M2M-100 \(__en__\) language tokens"),
        ("unknown-language", r"the model has no token for 'xx'"),
    ],
)
def test_bad_ct2_folders_are_refused_clearly(
    change: str, message: str, ct2_folders: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "nllb"
    shutil.copytree(ct2_folders["nllb-200"], folder)
    source, targets = "en", ["uk"]
    if change == "no-languages":
        source, targets = "", []
    elif change == "no-sentencepiece":
        (folder / "sentencepiece.bpe.model").unlink()
    elif change == "no-tokens":
        vocab = json.loads((folder / "shared_vocabulary.json").read_text())
        vocab = [f"x{t}" if "_" in t and t[0].islower() else t for t in vocab]
        (folder / "shared_vocabulary.json").write_text(json.dumps(vocab))
    else:
        targets = ["xx"]
    store = tmp_path / "store"
    with pytest.raises(InputError, match=message):
        import_model(folder, ModelStore.from_env(store, env={}), source=source, targets=targets)
    assert tree(store) == []


def test_bad_releases_are_refused_clearly(
    opus_releases: dict[str, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    store = tmp_path / "store"
    release = opus_releases["en-uk"]
    members = archive_members(release)

    def variant(name: str, drop: str = "", add: dict[str, bytes] | None = None) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            for member, data in {**members, **(add or {})}.items():
                if member != drop:
                    zf.writestr(member, data)
        return path

    npz = next(m for m in members if m.endswith(".npz"))
    cases = [
        (tmp_path / "missing.zip", ExitStatus.INPUT_ERROR, "no such file or folder"),
        (variant("x.zip", drop="decoder.yml"), ExitStatus.INPUT_ERROR, "neither an OPUS-MT"),
        (
            variant("bpe.zip", drop="source.spm", add={"source.bpe": b"a b\n"}),
            ExitStatus.INPUT_ERROR,
            "BPE releases need Moses truecasing",
        ),
        (
            variant("cut.zip", add={npz: members[npz][:2000]}),
            ExitStatus.MODEL_ERROR,
            "CTranslate2 cannot convert",
        ),
    ]
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really")
    cases.append((tmp_path / "junk.zip", ExitStatus.INPUT_ERROR, "not a readable zip archive"))
    for path, status, message in cases:
        result = run_cli("models", "import", str(path), "--models", str(store))
        assert result.exit_code == status, (path, result.stderr)
        assert result.stderr.startswith("briefpack: error: ") and message in result.stderr, (
            result.stderr
        )
        assert "Traceback" not in result.stderr
        assert tree(store) == []


def test_the_choice_between_models_is_predictable(
    opus_releases: dict[str, Path], installed_models: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    import_model(opus_releases["en-uk"], ModelStore.from_env(mine, env={}))

    def chosen(**kwargs: Any) -> str:
        store = ModelStore((mine, installed_models), mine, **kwargs)
        package = store.route("en", "uk").packages[0]
        return f"{package.info.family}:{package.info.name}"

    assert chosen() == "opus-mt:opus-mt-en-uk"  # imported families before Argos
    # What `models download` compares index versions with: the Argos package only.
    argos_only = ModelStore((mine, installed_models), mine).active(family="argos")
    assert argos_only[("en", "uk")].info.name == "translate-en_uk"
    assert chosen(families=("argos",)) == "argos:translate-en_uk"
    assert chosen(families=("nllb-200", "argos")) == "argos:translate-en_uk"
    # Same family, same folder: the newest version wins, whatever the folder names.
    newer = mine / "aaa-copy"
    shutil.copytree(mine / "opus-mt-en-uk-2021-02-18", newer)
    metadata = json.loads((newer / "metadata.json").read_text())
    metadata["package_version"] = "2022-03-17"
    metadata["briefpack"]["name"] = "opus-mt-en-uk-newer"
    (newer / "metadata.json").write_text(json.dumps(metadata))
    assert chosen() == "opus-mt:opus-mt-en-uk-newer"
    # A real model before a test model, whatever its family.
    metadata["briefpack_test_model"] = False
    metadata["package_version"] = "2000-01-01"
    (newer / "metadata.json").write_text(json.dumps(metadata))
    assert chosen(families=("argos",)) == "opus-mt:opus-mt-en-uk-newer"


ARGOS_PAIRS = """
import json, sys
import argostranslate.package as ap
import argostranslate.translate as at

json.load(sys.stdin)
print(json.dumps({
    "packages": sorted(p.package_path.name for p in ap.get_installed_packages()),
    "pairs": sorted(
        [t.from_lang.code, t.to_lang.code]
        for language in at.get_installed_languages()
        for t in language.translations_from
        if t.from_lang.code != t.to_lang.code
    ),
}))
"""


def test_argostranslate_lists_imported_packages_but_never_translates_with_them(
    opus_releases: dict[str, Path], argos_archives: dict[tuple[str, str], Path], tmp_path: Path,
    netguard_dir: Path,
) -> None:  # fmt: skip
    # It would translate a multi-target model without its >>ukr<< token: wrong language.
    store = tmp_path / "store"
    import_model(opus_releases["eng-zle"], ModelStore.from_env(store, env={}))
    install([argos_archives[("de", "en")]], store)
    seen = argos_run(ARGOS_PAIRS, None, store, tmp_path, netguard_dir)
    assert seen == {
        "packages": ["opus-mt-en-ru+uk-2021-02-18", "translate-de_en-0_0_1"],
        "pairs": [["de", "en"]],
    }


def test_a_conversion_failure_is_a_model_error_not_a_traceback(tmp_path: Path) -> None:
    release = tmp_path / "release"
    release.mkdir()
    (release / "decoder.yml").write_text("models: [missing.npz]\nvocabs: [v.yml, v.yml]\n")
    for name in ("source.spm", "target.spm"):
        (release / name).write_bytes(b"x")
    (release / "v.yml").write_text('"</s>": 0\n"<unk>": 1\n')
    with pytest.raises((InputError, ModelError)):
        import_model(release, ModelStore.from_env(tmp_path / "store", env={}), source="en",
                     targets=["uk"])  # fmt: skip
    assert not (tmp_path / "store").exists() or tree(tmp_path / "store") == []


def _member(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def test_unknown_model_families_are_refused(models_dir: Path, run_cli: RunCli) -> None:
    result = run_cli("translate", "-", "--model-family", "opus")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "unknown model family 'opus'; use opus-mt, nllb-200, m2m-100, argos" in result.stderr
    with pytest.raises(InputError, match="unknown model family 'marian'"):
        ModelStore.from_env(models_dir, env={}, families=["marian"])


def test_subword_nmt_segments_as_argostranslates_copy_does(
    layout_store: Callable[[str], Path],
) -> None:
    # argostranslate carries an older copy of subword-nmt's apply_bpe.py; we use the
    # library. On the test codes and every word of the corpus plus unseen ones, the two
    # segmentations agree.
    from argostranslate.apply_bpe import BPE as ArgosBPE
    from subword_nmt.apply_bpe import BPE

    from translations.testmodels import _CORPUS

    store = layout_store("bpe")
    codes = next(p.info.path for p in list_packages(store) if p.pair == ("de", "en")) / "bpe.model"
    with codes.open(encoding="utf-8") as a, codes.open(encoding="utf-8") as b:
        ours, theirs = BPE(a), ArgosBPE(b)
    words = [w for line in _CORPUS["de"] + _CORPUS["en"] for w in line.split()]
    words += ["Valmora", "Hallowelt", "a", "Welt@@", "Kriegsende", "ÄÖÜ", "x" * 40]
    assert ours.segment_tokens(words) == theirs.segment_tokens(words)
