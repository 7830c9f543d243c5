"""How each kind of package turns text into model tokens and back, as argostranslate does.

* `sentencepiece.model` shared by both sides (most Argos packages): SentencePiece pieces in;
  out, that model's `decode_pieces`, then any "▁" left becomes a space.
* `sentencepiece.model` of the *source* side only (Argos's OPUS-MT ports: uk->en and
  fr/pt/pl/cs->en 1.9): the same. Target pieces that the source model does not know come
  back from `decode_pieces` as they are ("▁Hello▁world."); the "▁" -> space step, which
  argostranslate does too, is what turns them into text.
* the same plus a target SentencePiece model named in the metadata (what `briefpack models
  import` writes for OPUS-MT releases): the output is decoded with the target model.
* `bpe.model` (subword-nmt codes: es->en 1.9 and other OPUS-MT BPE ports): in, the Moses
  punctuation normalizer and tokenizer of the source language, then BPE with "@@" marks;
  out, the tokens joined with the "@@ " joins removed, then the Moses detokenizer of the
  target language.

argostranslate also turns every "_" into a space; we keep underscores ("file_name_v2"). A
`bpe` output that ends in a lone "@@" mark (argostranslate leaves it) loses it here.
`stanza/`, `minisbd/` and `spacy/` folders inside packages are sentence splitters that
briefpack does not use (it splits sentences itself); they are never read.

sacremoses and subword-nmt (pure Python) load with the first `bpe` package only: importing
sacremoses takes about 0.7 s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from briefpack.errors import ModelError

SENTENCEPIECE = "sentencepiece.model"
BPE = "bpe.model"
TOKENIZER_FILES = (SENTENCEPIECE, BPE)  # argostranslate's order: the first found is used
MODEL_FILES = ("model/model.bin",)  # model/config.json: only from CTranslate2 3.0 on
SP_SPACE = "\u2581"
_BPE_JOIN = re.compile(r"@@( |$)")


class Codec(Protocol):
    """Text <-> model tokens for one package direction."""

    def encode(self, sentences: Sequence[str]) -> list[list[str]]: ...

    def decode(self, tokens: Sequence[str]) -> str: ...


def tokenizer_kind(folder: Path) -> str:
    """ "sentencepiece" or "bpe": what an installed package folder tokenizes with."""
    if (folder / SENTENCEPIECE).is_file():
        return "sentencepiece"
    if (folder / BPE).is_file():
        return "bpe"
    raise ModelError(f"{folder} has no {SENTENCEPIECE} or {BPE}; reinstall it")


def check_file_name(folder: Path, name: str) -> Path:
    """`folder / name` for a file a package's metadata names; an error if it is not in it."""
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or len(rel.parts) != 1 or name.startswith("."):
        raise ModelError(f"{folder}/metadata.json names an unsafe file {name!r}; reinstall it")
    if not (folder / name).is_file():
        raise ModelError(f"{folder} has no {name}, which its metadata names; reinstall it")
    return folder / name


def archive_problem(names: Iterable[str], top: str) -> str:
    """What an archive lacks to be a package (member names as in the zip), "" if nothing."""
    present = {n.rstrip("/") for n in names}
    for required in ("metadata.json", *MODEL_FILES):
        if f"{top}/{required}" not in present:
            return f"the package has no {required}"
    if not any(f"{top}/{name}" in present for name in TOKENIZER_FILES):
        return f"the package has no {SENTENCEPIECE} or {BPE}"
    return ""


def check_tokenizer(folder: Path) -> None:
    """Load an unpacked package's tokenizer files the way translating will (for installs)."""
    kind = tokenizer_kind(folder)
    if kind == "sentencepiece":
        _sentencepiece(folder / SENTENCEPIECE)
    else:
        _bpe_codes(folder / BPE)


def load_codec(
    folder: Path,
    kind: str,
    source_code: str,
    target_code: str,
    target_sentencepiece: str = "",
) -> Codec:
    """The codec of one direction of the package in `folder`."""
    if kind == "bpe":
        return BPECodec(folder / BPE, source_code, target_code)
    source = _sentencepiece(folder / SENTENCEPIECE)
    target = source
    if target_sentencepiece:
        target = _sentencepiece(check_file_name(folder, target_sentencepiece))
    return SentencePieceCodec(source, target)


class SentencePieceCodec:
    """SentencePiece on both sides; the target model may be the source one (see module doc)."""

    def __init__(self, source: Any, target: Any) -> None:
        self.source = source  # sentencepiece.SentencePieceProcessor
        self.target = target

    def encode(self, sentences: Sequence[str]) -> list[list[str]]:
        pieces: list[list[str]] = self.source.encode(list(sentences), out_type=str)
        return pieces

    def decode(self, tokens: Sequence[str]) -> str:
        text: str = self.target.decode_pieces(list(tokens))
        return text.replace(SP_SPACE, " ").strip()


class BPECodec:
    """Moses tokenization plus subword-nmt BPE, exactly as argostranslate's BPETokenizer."""

    def __init__(self, codes: Path, source_code: str, target_code: str) -> None:
        from sacremoses.normalize import MosesPunctNormalizer
        from sacremoses.tokenize import MosesDetokenizer, MosesTokenizer

        self.normalizer = MosesPunctNormalizer(source_code)
        self.tokenizer = MosesTokenizer(source_code)
        self.detokenizer = MosesDetokenizer(target_code)
        self.bpe = _bpe_codes(codes)

    def encode(self, sentences: Sequence[str]) -> list[list[str]]:
        out = []
        for sentence in sentences:
            normalized = self.normalizer.normalize(sentence)
            words = " ".join(self.tokenizer.tokenize(normalized)).strip("\r\n ").split(" ")
            out.append(list(self.bpe.segment_tokens(words)))
        return out

    def decode(self, tokens: Sequence[str]) -> str:
        words = _BPE_JOIN.sub("", " ".join(tokens)).split(" ")
        text: str = self.detokenizer.detokenize(words)
        return text.strip()


def _sentencepiece(path: Path) -> Any:
    import sentencepiece as spm

    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (RuntimeError, OSError) as exc:
        raise ModelError(f"cannot load {path} ({exc}); reinstall the package") from exc


def _bpe_codes(path: Path) -> Any:
    import io

    from subword_nmt.apply_bpe import BPE as SubwordBPE

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"cannot read the BPE codes {path} ({exc}); reinstall it") from exc
    lines = text.rstrip("\n").split("\n")
    first = 1
    if lines and lines[0].startswith("#version:"):
        if not re.fullmatch(r"#version: ?\d+(\.\d+)*\s*", lines[0]):
            raise ModelError(f"the BPE codes {path} have a bad version line; reinstall it")
        lines, first = lines[1:], 2
    for number, line in enumerate(lines, first):
        if len(line.strip("\r\n ").split(" ")) != 2:
            # subword-nmt would print this and exit the process; say it here instead.
            raise ModelError(f"line {number} of the BPE codes {path} is not a pair; reinstall it")
    return SubwordBPE(io.StringIO(text))
