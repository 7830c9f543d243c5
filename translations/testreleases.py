"""Tiny model releases of the other families, for testing `briefpack models import` offline.

* `build_opus_release`: an OPUS-MT / Tatoeba-Challenge release zip as Helsinki-NLP ships
  them (`decoder.yml`, a Marian `.npz`, `source.spm`, `target.spm`, the joint vocabulary
  `.yml`, `README.md`), with hand-set weights (`testweights.marian_npz`) that CTranslate2's
  real Marian converter turns into a working model. Several targets make a multi-target
  model that reads a `>>ukr<<`-style token at the start of the source, as eng-zle does.
* `build_ct2_folder`: a CTranslate2 folder as `ct2-transformers-converter` writes it for
  NLLB-200 (`eng_Latn` language tokens) or M2M-100 (`__en__`), with the model's
  `sentencepiece.bpe.model` beside it: the source starts with the source language token
  and ends with `</s>`, and the target starts with the target language token.

Like the test packages, these copy the input and swap a small word list, and are marked
as test models (a `BRIEFPACK-TEST-MODEL` file), which the importer carries into the
package's metadata.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from translations.importer import TEST_MARKER_FILE
from translations.testmodels import (
    _CORPUS,
    _ZIP_DATE,
    LANGUAGE_NAMES,
    SP,
    _from_english,
    _pieces,
    _train_sentencepiece,
)
from translations.testweights import copy_spec, filled_spec_converter, marian_npz, swap_mapping

RELEASE_DATE = "2021-02-18"
ISO3 = {"en": "eng", "ru": "rus", "uk": "ukr", "de": "deu"}
FLORES = {"en": "eng_Latn", "ru": "rus_Cyrl", "uk": "ukr_Cyrl", "de": "deu_Latn"}


def build_opus_release(out_dir: Path, targets: Sequence[str] = ("uk",)) -> Path:
    """Write `eng-<targets>-opus-2021-02-18.zip` (English to `targets`) into `out_dir`."""
    for code in targets:
        if code not in ISO3 or code == "en":
            raise ValueError(f"no test release words for {code!r}; use ru, uk or de")
    out_dir.mkdir(parents=True, exist_ok=True)
    swaps = {
        t: {SP + a: SP + b for a, b in _from_english(t, invert=False).items()} for t in targets
    }
    tokens = {t: f">>{ISO3[t]}<<" for t in targets} if len(targets) > 1 else {}
    source_sp = _train_sentencepiece(_CORPUS["en"], [w[1:] for w in swaps[targets[0]]])
    corpus = [line for t in targets for line in _CORPUS[t]]
    target_sp = _train_sentencepiece(corpus, [w[1:] for t in targets for w in swaps[t].values()])
    vocab = ["</s>", "<unk>", *tokens.values()]
    for piece in _pieces(source_sp) + _pieces(target_sp):
        if piece not in vocab and piece != "<s>":
            vocab.append(piece)
    name = "eng-" + "+".join(ISO3[t] for t in targets) if tokens else f"en-{targets[0]}"
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out_dir) as build:
        folder = Path(build) / "release"
        folder.mkdir()
        (folder / "source.spm").write_bytes(source_sp)
        (folder / "target.spm").write_bytes(target_sp)
        vocab_name = "opus.spm32k-spm32k.vocab.yml"
        (folder / vocab_name).write_text(
            "".join(f"{_yaml_quote(t)}: {i}\n" for i, t in enumerate(vocab)), encoding="utf-8"
        )
        npz = "opus.spm32k-spm32k.transformer-align.model1.npz.best-perplexity.npz"
        (folder / npz).write_bytes(marian_npz(vocab, swaps, tokens))
        (folder / "decoder.yml").write_text(
            f"models:\n  - {npz}\nvocabs:\n  - {vocab_name}\n  - {vocab_name}\n"
            "beam-size: 6\nnormalize: 0.6\n",
            encoding="utf-8",
        )
        labels = " ".join(tokens.values())
        (folder / "README.md").write_text(
            f"# opus-{RELEASE_DATE}.zip\n\n"
            f"* dataset: opus\n* model: transformer-align\n"
            f"* source language(s): eng\n"
            f"* target language(s): {' '.join(ISO3[t] for t in targets)}\n"
            + (f"* valid language labels: {labels}\n" if tokens else "")
            + "* pre-processing: normalization + SentencePiece (spm32k,spm32k)\n"
            + f"* download: [opus-{RELEASE_DATE}.zip](opus-{RELEASE_DATE}.zip)\n\n"
            "briefpack test model — not a real translation.\n",
            encoding="utf-8",
        )
        (folder / TEST_MARKER_FILE).write_text("test model — not a real translation\n")
        archive = out_dir / f"{name}-opus-{RELEASE_DATE}.zip"
        _zip_flat(folder, archive)
    return archive


def build_ct2_folder(out_dir: Path, target: str = "uk", *, family: str = "nllb-200") -> Path:
    """Write an English -> `target` CTranslate2 folder of `family` ("nllb-200" or "m2m-100")."""
    if target not in FLORES or target == "en":
        raise ValueError(f"no test words for {target!r}; use ru, uk or de")
    if family == "nllb-200":
        tokens = dict(FLORES)
    elif family == "m2m-100":
        tokens = {code: f"__{code}__" for code in LANGUAGE_NAMES}
    else:
        raise ValueError(f"unknown family {family!r}; use nllb-200 or m2m-100")
    words = _from_english(target, invert=False)
    sp_bytes = _train_sentencepiece(_CORPUS["en"] + _CORPUS[target], [*words, *words.values()])
    vocab = _pieces(sp_bytes) + [t for t in tokens.values()]
    mapping = swap_mapping(vocab, {SP + a: SP + b for a, b in words.items()})
    spec = copy_spec(vocab, vocab, mapping, add_source_eos=False, decoder_start_token="</s>")
    folder = out_dir / f"{family}-test-ct2"
    if folder.exists():
        shutil.rmtree(folder)
    filled_spec_converter(spec).convert(str(folder), quantization="int8", force=True)
    (folder / "sentencepiece.bpe.model").write_bytes(sp_bytes)
    (folder / TEST_MARKER_FILE).write_text("test model — not a real translation\n")
    return folder


def _yaml_quote(token: str) -> str:
    """A Marian vocabulary key: double-quoted, as Marian writes the ones that need it."""
    return '"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _zip_flat(folder: Path, archive: Path) -> None:
    """Zip the files of `folder` at the archive's top level, as OPUS-MT releases are."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(path.name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
