"""What made a pack: the typed `Manifest` (written as `manifest.json`) and its `Signature`.

The signature is one flat sacrebleu-style line of every setting that shapes the output,
`key:value|key:value|...`, in a fixed order::

    briefpack:0.1.0|sum:lead-plus|n:3|ratio:-|src:en|to:ru,de|models:en-ru@1.9+0123456789ab,...
    |ct2:4.5.0|device:cpu|compute:int8|beam:4|...|tpl:0123456789ab|weasyprint:66.0
    |pdf:pdf/ua-1|date:2026-03-14

The translation engine's own settings (from `ct2` to `maxlen`, written by
`translations.Engine.settings()`) sit flat in the middle. `Signature.parse(str(s)) == s`
always holds: `%`, `|` and `,` inside a value are written `%25`, `%7C` and `%2C`. The pack
id hashes the inputs with the signature, so same inputs and settings give the same pack.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, TypeVar

from briefpack import __version__
from briefpack.model import TEST_MODEL_NOTE, Article, ModelInfo, Summary, Translation

_HEAD = ("briefpack", "sum", "n", "ratio", "src", "to", "models")
_TAIL = ("tpl", "weasyprint", "pdf", "date")
_ESCAPES = (("%", "%25"), ("|", "%7C"), (",", "%2C"))
_KEY = re.compile(r"[A-Za-z0-9_]+")


def _escape(value: str) -> str:
    for char, code in _ESCAPES:
        value = value.replace(char, code)
    return value


def _unescape(value: str) -> str:
    for char, code in (("-", "%2D"), *reversed(_ESCAPES)):
        value = value.replace(code, char)
    return value


def _join(values: Sequence[str]) -> str:
    """Comma-separated, "-" for none (so an item that is just "-" is written "%2D")."""
    return ",".join("%2D" if v == "-" else _escape(v) for v in values) if values else "-"


def _split(value: str) -> tuple[str, ...]:
    return () if value == "-" else tuple(_unescape(v) for v in value.split(","))


def _pairs(text: str) -> list[tuple[str, str]]:
    """`key:value|...` as (key, value) pairs, values still escaped."""
    pairs = []
    for part in text.split("|"):
        key, colon, value = part.partition(":")
        if not colon or not key:
            raise ValueError(f"not a signature: {part!r} is not key:value")
        pairs.append((key, value))
    return pairs


@dataclass(frozen=True)
class Signature:
    """Every setting that shapes a pack's bytes, formatted by `str()`, read by `parse()`."""

    algorithm: str
    sentences: int
    ratio: float | None
    source: str  # the article's language
    targets: tuple[str, ...]
    models: tuple[str, ...]  # "FROM-TO@VERSION+DIGEST12" for every model used, in order
    engine: tuple[tuple[str, str], ...]  # the engine's own key:value pairs; () untranslated
    template: str  # the first 12 hex digits of the templates' digest
    weasyprint: str
    pdf_variant: str
    date: str
    version: str = __version__

    def __post_init__(self) -> None:
        keys = {key for key, _value in self.engine}
        if keys & {*_HEAD, *_TAIL}:
            raise ValueError(f"engine settings may not use the signature's own keys {keys}")
        if not all(_KEY.fullmatch(key) for key in keys):
            raise ValueError(f"engine setting names must be letters and digits, got {keys}")

    def __str__(self) -> str:
        ratio = "-" if self.ratio is None else repr(self.ratio)
        values = [
            ("briefpack", _escape(self.version)),
            ("sum", _escape(self.algorithm)),
            ("n", str(self.sentences)),
            ("ratio", ratio),
            ("src", _escape(self.source)),
            ("to", _join(self.targets)),
            ("models", _join(self.models)),
            *((key, _escape(value)) for key, value in self.engine),
            ("tpl", _escape(self.template)),
            ("weasyprint", _escape(self.weasyprint)),
            ("pdf", _escape(self.pdf_variant)),
            ("date", _escape(self.date)),
        ]
        return "|".join(f"{key}:{value}" for key, value in values)

    @classmethod
    def parse(cls, text: str) -> Signature:
        """The signature `text` was formatted from; ValueError if it is not one."""
        pairs = _pairs(text)
        head, tail = pairs[: len(_HEAD)], pairs[-len(_TAIL) :]
        engine = pairs[len(_HEAD) : -len(_TAIL)]
        if len(pairs) < len(_HEAD) + len(_TAIL) or (
            tuple(k for k, _ in head) != _HEAD or tuple(k for k, _ in tail) != _TAIL
        ):
            raise ValueError(f"not a briefpack signature: {text[:80]!r}")
        raw = dict(head + tail)
        try:
            sentences = int(raw["n"])
            ratio = None if raw["ratio"] == "-" else float(raw["ratio"])
        except ValueError:
            raise ValueError(f"not a briefpack signature: {text[:80]!r}") from None
        return cls(
            version=_unescape(raw["briefpack"]),
            algorithm=_unescape(raw["sum"]),
            sentences=sentences,
            ratio=ratio,
            source=_unescape(raw["src"]),
            targets=_split(raw["to"]),
            models=_split(raw["models"]),
            engine=tuple((key, _unescape(value)) for key, value in engine),
            template=_unescape(raw["tpl"]),
            weasyprint=_unescape(raw["weasyprint"]),
            pdf_variant=_unescape(raw["pdf"]),
            date=_unescape(raw["date"]),
        )


def make_signature(
    summary: Summary,
    translations: Sequence[Translation],
    *,
    date: str,
    template_digest: str,
    weasyprint: str,
    pdf_variant: str,
) -> Signature:
    """The signature of a pack made from `summary` and its `translations`."""
    settings = translations[0].settings if translations else {}
    engine = tuple(_pairs(settings["signature"])) if settings.get("signature") else ()
    return Signature(
        algorithm=summary.algorithm,
        sentences=int(summary.parameters.get("sentences", 0)),
        ratio=summary.parameters.get("ratio"),
        source=summary.language,
        targets=tuple(t.language for t in translations),
        models=tuple(
            f"{m.from_code}-{m.to_code}@{m.version}+{m.sha256[:12]}"
            for t in translations
            for m in t.models
        ),
        engine=engine,
        template=template_digest[:12],
        weasyprint=weasyprint,
        pdf_variant=pdf_variant,
        date=date,
    )


def pack_id(input_digests: Sequence[str], signature: Signature) -> str:
    """Eight hex digits naming a pack: its inputs' SHA-256 digests and its signature."""
    return hashlib.sha256("|".join([*input_digests, str(signature)]).encode()).hexdigest()[:8]


def _field(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    """`data[key]`, checked to be of `kind`: a manifest read back is untrusted."""
    if not isinstance(data, Mapping):
        raise ValueError(f"manifest: expected an object holding {key!r}")
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"manifest: {key!r} is missing or has the wrong type")
    return value


def _jsonable(value: Any) -> Any:
    """Records as JSON-ready dicts and lists, field by field (a model's own way)."""
    if isinstance(value, ModelRecord):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {key: _jsonable(v) for key, v in value.items()}
    return value


_Plain = TypeVar("_Plain", "InputRecord", "RendererRecord", "FileRecord")


def _plain(cls: type[_Plain], data: Mapping[str, Any]) -> _Plain:
    """A record of strings (and a size) from its dict, every field checked."""
    return cls(*(_field(data, f.name, int if f.name == "size" else str) for f in fields(cls)))


@dataclass(frozen=True)
class ModelRecord:
    pair: str  # "en-ru"
    name: str
    version: str
    sha256: str
    test_model: bool = False
    family: str = "argos"
    licence: str = ""  # "" when the package does not say
    origin: str = ""  # where an imported model came from

    @classmethod
    def of(cls, info: ModelInfo) -> ModelRecord:
        pair = f"{info.from_code}-{info.to_code}"
        known = (info.test_model, info.family, info.licence, info.origin)
        return cls(pair, info.name, info.version, info.sha256, *known)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"pair": self.pair, "name": self.name, "version": self.version}
        record |= {"sha256": self.sha256, "family": self.family}
        record |= {k: v for k, v in (("licence", self.licence), ("origin", self.origin)) if v}
        if self.test_model:
            record["note"] = TEST_MODEL_NOTE
        elif "-NC" in self.licence.upper():
            record["note"] = f"licence {self.licence}: non-commercial use only"
        return record

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelRecord:
        pair, name, version, sha256 = (
            _field(data, k, str) for k in ("pair", "name", "version", "sha256")
        )
        family, licence, origin = (str(data.get(k) or "") for k in ("family", "licence", "origin"))
        test_model = data.get("note") == TEST_MODEL_NOTE
        return cls(pair, name, version, sha256, test_model, family or "argos", licence, origin)


@dataclass(frozen=True)
class TranslationRecord:
    language: str
    pivot: str | None
    settings: Mapping[str, Any]  # the engine's settings (`translations.Engine.settings()`)
    models: tuple[ModelRecord, ...]

    @classmethod
    def of(cls, translation: Translation) -> TranslationRecord:
        models = tuple(ModelRecord.of(m) for m in translation.models)
        return cls(translation.language, translation.pivot, translation.settings, models)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TranslationRecord:
        models = tuple(ModelRecord.from_dict(m) for m in _field(data, "models", list))
        pivot = data.get("pivot")
        if pivot is not None and not isinstance(pivot, str):
            raise ValueError("manifest: 'pivot' has the wrong type")
        return cls(_field(data, "language", str), pivot, _field(data, "settings", dict), models)


@dataclass(frozen=True)
class InputRecord:
    name: str
    sha256: str
    media_type: str
    encoding: str
    language: str
    title: str

    @classmethod
    def of(cls, a: Article) -> InputRecord:
        return cls(a.source, a.sha256, a.media_type, a.encoding, a.language, a.title)


@dataclass(frozen=True)
class SummarizerRecord:
    algorithm: str
    parameters: Mapping[str, Any]
    total_sentences: int
    sentences: tuple[int, ...]  # the chosen sentences' indices among all the article's

    @classmethod
    def of(cls, summary: Summary) -> SummarizerRecord:
        chosen = tuple(s.index for s in summary.sentences)
        return cls(summary.algorithm, summary.parameters, summary.total_sentences, chosen)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SummarizerRecord:
        chosen = _field(data, "sentences", list)
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in chosen):
            raise ValueError("manifest: 'sentences' must list whole numbers")
        return cls(
            _field(data, "algorithm", str),
            _field(data, "parameters", dict),
            _field(data, "total_sentences", int),
            tuple(chosen),
        )


@dataclass(frozen=True)
class RendererRecord:
    weasyprint: str
    template_sha256: str
    pdf_variant: str


@dataclass(frozen=True)
class FileRecord:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """`manifest.json`: `to_dict()` is what is written, `from_dict()` reads it back."""

    pack_id: str
    date: str
    input: InputRecord
    summarizer: SummarizerRecord
    translations: tuple[TranslationRecord, ...]
    renderer: RendererRecord
    signature: Signature
    files: tuple[FileRecord, ...] = ()  # every file of the pack but the manifest and checksums
    tool_version: str = field(default=__version__)

    @property
    def languages(self) -> tuple[str, ...]:
        """The source language, then every translation's, in the order of the PDFs."""
        return (self.input.language, *(t.language for t in self.translations))

    @property
    def test_models(self) -> bool:
        return any(m.test_model for t in self.translations for m in t.models)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tool": {"name": "briefpack", "version": self.tool_version},
            "pack_id": self.pack_id,
            "date": self.date,
            "input": _jsonable(self.input),
            "summarizer": _jsonable(self.summarizer),
            "translations": _jsonable(self.translations),
            "renderer": _jsonable(self.renderer),
            "languages": list(self.languages),
            "signature": str(self.signature),
            "test_models": self.test_models,
        }
        if self.test_models:
            data["warning"] = f"{TEST_MODEL_NOTE}: install real Argos models (see README)"
        if self.files:
            data["files"] = _jsonable(self.files)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        """The manifest `data` (parsed JSON) holds; ValueError naming what is wrong."""
        tool = _field(data, "tool", dict)
        return cls(
            pack_id=_field(data, "pack_id", str),
            date=_field(data, "date", str),
            input=_plain(InputRecord, _field(data, "input", dict)),
            summarizer=SummarizerRecord.from_dict(_field(data, "summarizer", dict)),
            translations=tuple(
                TranslationRecord.from_dict(t) for t in _field(data, "translations", list)
            ),
            renderer=_plain(RendererRecord, _field(data, "renderer", dict)),
            signature=Signature.parse(_field(data, "signature", str)),
            files=tuple(_plain(FileRecord, f) for f in data.get("files") or ()),
            tool_version=_field(tool, "version", str),
        )


def make_manifest(
    article: Article,
    summary: Summary,
    translations: Sequence[Translation],
    signature: Signature,
    renderer: RendererRecord,
    pack_id: str,
    files: Sequence[FileRecord] = (),
) -> Manifest:
    """The manifest of a pack of one article (`pack_id([article.sha256], signature)`)."""
    return Manifest(
        pack_id=pack_id,
        date=signature.date,
        input=InputRecord.of(article),
        summarizer=SummarizerRecord.of(summary),
        translations=tuple(TranslationRecord.of(t) for t in translations),
        renderer=renderer,
        signature=signature,
        files=tuple(files),
    )
