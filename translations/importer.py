"""`briefpack models import`: models of other families, made into packages of the store.

* An **OPUS-MT / Tatoeba-Challenge release** (the zip Helsinki-NLP publishes, or its
  unpacked folder: `decoder.yml`, the Marian `.npz`, `source.spm`, `target.spm`, the
  vocabulary `.yml`) is converted with CTranslate2's own `OpusMTConverter` (numpy and
  PyYAML only: no torch), int8 as Argos packages are. A multi-target model (eng-zle:
  Belarusian, Russian, Ukrainian) gets one direction per target, each with the sentence-
  initial token Marian expects on the *source* side (`>>ukr<<`). Output is decoded with
  the release's `target.spm`.
* A **CTranslate2 folder converted from NLLB-200 or M2M-100** (`ct2-transformers-converter`
  output plus the model's SentencePiece file, `sentencepiece.bpe.model`) is copied as it
  is. Each direction puts the source language token first and `</s>` last on the source,
  as those models were trained, and forces the target language token as `target_prefix`.

The result is an Argos-layout package (so the store checks, installs, lists and replaces it
as any other, atomically) whose `metadata.json` records family, licence and origin (see
`translations.packages`). NLLB-200 weights are CC-BY-NC-4.0: non-commercial use only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.errors import InputError, ModelError
from translations.packages import IMPORTED_TYPE, TEST_MODEL_MARKER, Package
from translations.store import ModelStore, install

log = logging.getLogger(__name__)

TEST_MARKER_FILE = "BRIEFPACK-TEST-MODEL"  # written by translations.testreleases only
MAX_RELEASE_BYTES = 8 * 1024**3
LICENCES = {"opus-mt": "CC-BY-4.0", "nllb-200": "CC-BY-NC-4.0", "m2m-100": "MIT"}
# ISO 639-1 -> ISO 639-3 (Marian's >>xxx<< labels) and FLORES-200 (NLLB's tokens).
_LANGUAGES = {
    "ar": ("ara", "arb_Arab"),
    "be": ("bel", "bel_Cyrl"),
    "bg": ("bul", "bul_Cyrl"),
    "cs": ("ces", "ces_Latn"),
    "da": ("dan", "dan_Latn"),
    "de": ("deu", "deu_Latn"),
    "el": ("ell", "ell_Grek"),
    "en": ("eng", "eng_Latn"),
    "es": ("spa", "spa_Latn"),
    "et": ("est", "est_Latn"),
    "fa": ("fas", "pes_Arab"),
    "fi": ("fin", "fin_Latn"),
    "fr": ("fra", "fra_Latn"),
    "he": ("heb", "heb_Hebr"),
    "hi": ("hin", "hin_Deva"),
    "hr": ("hrv", "hrv_Latn"),
    "hu": ("hun", "hun_Latn"),
    "id": ("ind", "ind_Latn"),
    "it": ("ita", "ita_Latn"),
    "ja": ("jpn", "jpn_Jpan"),
    "ka": ("kat", "kat_Geor"),
    "kk": ("kaz", "kaz_Cyrl"),
    "ko": ("kor", "kor_Hang"),
    "lt": ("lit", "lit_Latn"),
    "lv": ("lav", "lvs_Latn"),
    "nl": ("nld", "nld_Latn"),
    "nb": ("nob", "nob_Latn"),
    "pl": ("pol", "pol_Latn"),
    "pt": ("por", "por_Latn"),
    "ro": ("ron", "ron_Latn"),
    "ru": ("rus", "rus_Cyrl"),
    "sk": ("slk", "slk_Latn"),
    "sl": ("slv", "slv_Latn"),
    "sr": ("srp", "srp_Cyrl"),
    "sv": ("swe", "swe_Latn"),
    "th": ("tha", "tha_Thai"),
    "tr": ("tur", "tur_Latn"),
    "uk": ("ukr", "ukr_Cyrl"),
    "vi": ("vie", "vie_Latn"),
    "zh": ("zho", "zho_Hans"),
}
_FROM_ISO3 = {iso3: code for code, (iso3, _) in _LANGUAGES.items()}
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error)


@dataclass(frozen=True)
class _Model:
    """What an import found: everything the package's metadata and folder need."""

    family: str
    name: str
    version: str
    source: str
    directions: list[dict[str, Any]]
    origin: str
    test_model: bool


def import_model(
    path: Path,
    store: ModelStore,
    *,
    source: str | None = None,
    targets: Sequence[str] = (),
    name: str | None = None,
    replace: bool = False,
) -> list[Package]:
    """Import a release zip or folder into `store.install_dir`; returns what was installed.

    `source` and `targets` (ISO 639-1 codes) choose the pairs: needed for NLLB-200 and
    M2M-100 folders, optional for OPUS-MT releases (whose README names its languages).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"cannot import {path}: no such file or folder; check the path")
    with tempfile.TemporaryDirectory(prefix="briefpack-import-") as tmp:
        work = Path(tmp)
        folder = _unpack(path, work / "release") if path.is_file() else path
        digest = _digest(path) if path.is_file() else ""
        package = work / "package"
        if (folder / "decoder.yml").is_file():
            model = _opus_mt(folder, package, path, digest, source, targets, name)
        elif (folder / "model.bin").is_file():
            model = _ct2_folder(folder, package, path, source, targets, name)
        else:
            raise InputError(
                f"cannot import {path}: it is neither an OPUS-MT release (no decoder.yml) "
                "nor a CTranslate2 model folder (no model.bin); see docs/models.md"
            )
        _write_metadata(package, model)
        top = f"{model.name}-{model.version}"
        archive = work / f"{top}.argosmodel"
        _zip_package(package, top, archive)
        installed = install([archive], store.install_dir, replace=replace)
    paths = {p.info.path for p in installed}
    from translations.packages import read_directions

    return [pkg for folder_path in sorted(paths) for pkg in read_directions(folder_path)]


def _unpack(archive: Path, into: Path) -> Path:
    """Unpack a release zip (flat, or one top folder); the folder that holds its files."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if sum(m.file_size for m in members) > MAX_RELEASE_BYTES:
                raise InputError(f"cannot import {archive}: it unpacks to over 8 GB")
            for member in members:
                parts = Path(member.filename.replace("\\", "/")).parts
                if member.filename.startswith("/") or ".." in parts or ":" in member.filename:
                    raise InputError(f"cannot import {archive}: unsafe path {member.filename!r}")
            zf.extractall(into)
    except _ZIP_ERRORS as exc:
        raise InputError(f"cannot import {archive}: not a readable zip archive ({exc})") from exc
    except OSError as exc:
        raise InputError(f"cannot import {archive}: {exc.strerror or exc}") from exc
    entries = [p for p in into.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _opus_mt(
    folder: Path,
    package: Path,
    given: Path,
    digest: str,
    source: str | None,
    targets: Sequence[str],
    name: str | None,
) -> _Model:
    import ctranslate2
    from ctranslate2.converters import OpusMTConverter

    for required in ("source.spm", "target.spm"):
        if not (folder / required).is_file():
            bpe = " (BPE releases need Moses truecasing, which briefpack does not do)"
            raise InputError(
                f"cannot import {given}: no {required}; only SentencePiece OPUS-MT releases "
                f"are supported{bpe if list(folder.glob('*.bpe')) else ''}"
            )
    readme = _read_text(folder / "README.md")
    languages = _readme_languages(readme)
    src = source or _to_iso1(languages.get("source", [""])[0])
    if not src:
        raise InputError(f"cannot import {given}: its README names no source language; pass --from")
    wanted = list(targets) or [_to_iso1(t) for t in languages.get("target", [])]
    wanted = [t for t in dict.fromkeys(wanted) if t]
    if not wanted:
        raise InputError(f"cannot import {given}: its README names no target language; pass --to")
    vocab = _marian_vocab_tokens(folder)
    labels = {t for t in vocab if re.fullmatch(r">>[^<>\s]+<<", t)}
    directions: list[dict[str, Any]] = []
    for target in wanted:
        prefix: list[str] = []
        if labels:
            label = next((f">>{c}<<" for c in _label_codes(target) if f">>{c}<<" in labels), "")
            if not label and not targets:  # a README language we have no code for: skip it
                log.info("%s: no language token for %s, skipped", given, target)
                continue
            if not label:
                known = " ".join(sorted(labels))
                raise InputError(
                    f"cannot import {given} for {target}: the model has no >>{target}<< "
                    f"language token (it has {known}); pass --to with codes it serves"
                )
            prefix = [label]
        directions.append({"from": src, "to": target, "source_prefix": prefix})
    if not directions:
        raise InputError(f"cannot import {given}: no target language it names is known; pass --to")
    wanted = [str(d["to"]) for d in directions]
    model_dir = package / "model"
    package.mkdir(parents=True)
    try:
        OpusMTConverter(str(folder)).convert(str(model_dir), quantization="int8", force=True)
    except (ValueError, KeyError, OSError, RuntimeError, *_ZIP_ERRORS) as exc:  # .npz: a zip
        raise ModelError(f"CTranslate2 cannot convert {given} ({exc}); is it complete?") from exc
    shutil.copyfile(folder / "source.spm", package / "sentencepiece.model")
    shutil.copyfile(folder / "target.spm", package / "target.spm")
    for extra in ("README.md", "LICENSE"):
        if (folder / extra).is_file():
            shutil.copyfile(folder / extra, package / f"ORIGINAL-{extra}")
    date = _DATE.search(f"{given.name} {readme}")
    pair_name = f"{src}-{'+'.join(wanted)}"
    origin = (
        f"{given.name}"
        + (f" (sha256 {digest})" if digest else "")
        + f", converted by CTranslate2 {ctranslate2.__version__} OpusMTConverter, int8"
    )
    return _Model(
        family="opus-mt",
        name=name or f"opus-mt-{pair_name}",
        version=date.group(1) if date else "1.0",
        source=src,
        directions=directions,
        origin=origin,
        test_model=(folder / TEST_MARKER_FILE).is_file(),
    )


def _ct2_folder(
    folder: Path,
    package: Path,
    given: Path,
    source: str | None,
    targets: Sequence[str],
    name: str | None,
) -> _Model:
    if not source or not targets:
        raise InputError(
            f"cannot import {given}: name the pairs it should serve, e.g. --from en --to uk,ru"
        )
    vocab = set(_ct2_vocab_tokens(folder))
    if any(re.fullmatch(r"[a-z]{3}_[A-Z][a-z]{3}", t) for t in vocab):
        family = "nllb-200"
    elif any(re.fullmatch(r"__[a-z]{2,3}__", t) for t in vocab):
        family = "m2m-100"
    else:
        raise InputError(
            f"cannot import {given}: its vocabulary has no NLLB-200 (eng_Latn) or M2M-100 "
            "(__en__) language tokens; only those multilingual models are supported"
        )
    sp_model = next(
        (
            folder / n
            for n in ("sentencepiece.bpe.model", "sentencepiece.model")
            if (folder / n).is_file()
        ),
        None,
    )
    if sp_model is None:
        raise InputError(
            f"cannot import {given}: copy the model's sentencepiece.bpe.model into the folder "
            "(it comes with the original model; ct2-transformers-converter --copy_files)"
        )

    def token(code: str) -> str:
        return _LANGUAGES.get(code, ("", ""))[1] if family == "nllb-200" else f"__{code}__"

    codes = [source, *[t for t in targets if t != source]]
    for code in codes:
        if token(code) not in vocab:
            raise InputError(f"cannot import {given}: the model has no token for {code!r}")
    directions = [
        {
            "from": source,
            "to": target,
            "source_prefix": [token(source)],
            "source_suffix": ["</s>"],
            "target_prefix": token(target),
        }
        for target in codes[1:]
    ]
    model_dir = package / "model"
    model_dir.mkdir(parents=True)
    for item in sorted(folder.iterdir()):
        if item.name in ("model.bin", "config.json") or "vocabulary" in item.name:
            shutil.copyfile(item, model_dir / item.name)
    shutil.copyfile(sp_model, package / "sentencepiece.model")
    return _Model(
        family=family,
        name=name or folder.name,
        version=_version_of(folder),
        source=source,
        directions=directions,
        origin=f"CTranslate2 folder {folder.name}",
        test_model=(folder / TEST_MARKER_FILE).is_file(),
    )


def _version_of(folder: Path) -> str:
    date = _DATE.search(folder.name)
    return date.group(1) if date else "1.0"


def _write_metadata(package: Path, model: _Model) -> None:
    first = model.directions[0]
    metadata: dict[str, Any] = {
        "package_version": model.version,
        "argos_version": "1.9.0",
        "from_code": first["from"],
        "to_code": first["to"],
        "type": IMPORTED_TYPE,
        "briefpack": {
            "family": model.family,
            "name": model.name,
            "licence": LICENCES[model.family],
            "origin": model.origin,
            "directions": model.directions,
        },
    }
    if first.get("target_prefix"):
        metadata["target_prefix"] = first["target_prefix"]
    if (package / "target.spm").is_file():
        metadata["briefpack"]["target_sentencepiece"] = "target.spm"
    if model.test_model:
        metadata[TEST_MODEL_MARKER] = True
    (package / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _zip_package(package: Path, top: str, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:  # models do not compress
        for path in sorted(p for p in package.rglob("*") if p.is_file()):
            zf.write(path, f"{top}/{path.relative_to(package).as_posix()}")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _readme_languages(readme: str) -> dict[str, list[str]]:
    """`* source language(s): eng` and `* target language(s): bel rus ukr` lines."""
    found: dict[str, list[str]] = {}
    for side in ("source", "target"):
        match = re.search(rf"^\W*{side} language\(s\):\s*(.+)$", readme, re.MULTILINE | re.I)
        if match:
            found[side] = match.group(1).split()
    return found


def _to_iso1(code: str) -> str:
    code = code.split("_")[0].lower()
    return _FROM_ISO3.get(code, code) if len(code) == 3 else code


def _label_codes(code: str) -> list[str]:
    """The labels Marian models may use for a language: "ukr", then "uk"."""
    iso3 = _LANGUAGES.get(code, ("", ""))[0]
    return [c for c in (iso3, code) if c]


def _marian_vocab_tokens(folder: Path) -> list[str]:
    import yaml

    try:
        config = yaml.safe_load((folder / "decoder.yml").read_text(encoding="utf-8"))
        vocab_path = folder / config["vocabs"][0]
        from ctranslate2.converters.marian import load_vocab

        tokens: list[str] = load_vocab(str(vocab_path))
    except (OSError, KeyError, TypeError, IndexError, ValueError, yaml.YAMLError) as exc:
        raise InputError(
            f"cannot read the vocabulary named by {folder}/decoder.yml ({exc})"
        ) from exc
    return tokens


def _ct2_vocab_tokens(folder: Path) -> list[str]:
    for name in ("shared_vocabulary.json", "source_vocabulary.json"):
        if (folder / name).is_file():
            try:
                tokens: list[str] = json.loads((folder / name).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"cannot read {folder / name} ({exc})") from exc
            return tokens
    for name in ("shared_vocabulary.txt", "source_vocabulary.txt"):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8").splitlines()
    raise InputError(f"cannot import {folder}: it has no CTranslate2 vocabulary file")
