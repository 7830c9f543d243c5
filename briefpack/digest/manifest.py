"""A digest pack's `manifest.json`: the typed `DigestManifest` and its flat signature.

The signature is the build's (`briefpack.manifest.Signature`, one `key:value|...` line)
with `src` listing every source language and `models` every model used; what only a
digest has (its title, story order and merge threshold) is recorded under `digest` and
hashed into the pack id with the inputs, so same inputs and settings give the same pack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from briefpack import __version__
from briefpack.digest.stories import Story
from briefpack.manifest import (
    FileRecord,
    InputRecord,
    ModelRecord,
    RendererRecord,
    Signature,
    SummarizerRecord,
    _jsonable,
    pack_id,
)
from briefpack.model import TEST_MODEL_NOTE, ModelInfo, Translation


@dataclass(frozen=True)
class DigestSettings:
    title: str  # "" when not given (each PDF then says "Daily digest" in its language)
    order: str  # "input" or "sources"
    merge_threshold: float | None  # None: --no-merge

    def key(self) -> str:
        threshold = "-" if self.merge_threshold is None else repr(self.merge_threshold)
        return f"title:{self.title}|order:{self.order}|merge:{threshold}"


@dataclass(frozen=True)
class StoryRecord:
    headline: str
    language: str
    sources: tuple[str, ...]  # input names
    points: int


@dataclass(frozen=True)
class LanguageRecord:
    """One language's PDF: which models translated stories into it, and from where."""

    language: str
    sources: tuple[str, ...]  # the source languages translated from
    pivots: tuple[str, ...]
    models: tuple[ModelRecord, ...]


@dataclass(frozen=True)
class DigestManifest:
    pack_id: str
    date: str
    digest: DigestSettings
    inputs: tuple[InputRecord, ...]
    summarizers: tuple[SummarizerRecord, ...]  # one per input, in the same order
    stories: tuple[StoryRecord, ...]
    languages: tuple[str, ...]
    translations: tuple[LanguageRecord, ...]
    renderer: RendererRecord
    signature: Signature
    engine_settings: dict[str, Any] = field(default_factory=dict)
    files: tuple[FileRecord, ...] = ()
    tool_version: str = __version__

    @property
    def test_models(self) -> bool:
        return any(m.test_model for t in self.translations for m in t.models)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tool": {"name": "briefpack", "version": self.tool_version},
            "kind": "digest",
            "pack_id": self.pack_id,
            "date": self.date,
            "digest": _jsonable(self.digest),
            "inputs": _jsonable(self.inputs),
            "summarizers": _jsonable(self.summarizers),
            "stories": _jsonable(self.stories),
            "languages": list(self.languages),
            "translations": _jsonable(self.translations),
            "engine_settings": _jsonable(self.engine_settings),
            "renderer": _jsonable(self.renderer),
            "signature": str(self.signature),
            "test_models": self.test_models,
        }
        if self.test_models:
            data["warning"] = f"{TEST_MODEL_NOTE}: install real Argos models (see README)"
        if self.files:
            data["files"] = _jsonable(self.files)
        return data


def _models(translations: Sequence[Translation]) -> list[ModelInfo]:
    found: dict[tuple[str, str, str], ModelInfo] = {}
    for translation in translations:
        for model in translation.models:
            found.setdefault((model.from_code, model.to_code, model.sha256), model)
    return list(found.values())


def digest_signature(
    stories: Sequence[Story],
    languages: Sequence[str],
    *,
    date: str,
    renderer: RendererRecord,
) -> Signature:
    """The flat signature of a digest of `stories` into `languages`."""
    from briefpack.manifest import _pairs

    summary = stories[0].draft.summaries[0]
    translations = [t for story in stories for t in story.translations]
    settings = translations[0].settings if translations else {}
    engine = tuple(_pairs(settings["signature"])) if settings.get("signature") else ()
    sources = list(dict.fromkeys(s.language for s in stories))
    return Signature(
        algorithm=summary.algorithm,
        sentences=int(summary.parameters.get("sentences", 0)),
        ratio=summary.parameters.get("ratio"),
        source="+".join(sources),
        targets=tuple(code for code in languages if code not in sources),
        models=tuple(
            f"{m.from_code}-{m.to_code}@{m.version}+{m.sha256[:12]}" for m in _models(translations)
        ),
        engine=engine,
        template=renderer.template_sha256[:12],
        weasyprint=renderer.weasyprint,
        pdf_variant=renderer.pdf_variant,
        date=date,
    )


def digest_pack_id(stories: Sequence[Story], settings: DigestSettings, signature: Signature) -> str:
    digests = [a.sha256 for story in stories for a in story.draft.articles]
    return pack_id([*digests, settings.key()], signature)


def make_digest_manifest(
    stories: Sequence[Story],
    languages: Sequence[str],
    settings: DigestSettings,
    signature: Signature,
    renderer: RendererRecord,
    pid: str,
) -> DigestManifest:
    records = []
    for language in languages:
        into = [t for story in stories for t in story.translations if t.language == language]
        records.append(
            LanguageRecord(
                language=language,
                sources=tuple(dict.fromkeys(t.source_language for t in into)),
                pivots=tuple(dict.fromkeys(t.pivot for t in into if t.pivot)),
                models=tuple(ModelRecord.of(m) for m in _models(into)),
            )
        )
    translations = [t for story in stories for t in story.translations]
    return DigestManifest(
        pack_id=pid,
        date=signature.date,
        digest=settings,
        inputs=tuple(InputRecord.of(a) for story in stories for a in story.draft.articles),
        summarizers=tuple(
            SummarizerRecord.of(s) for story in stories for s in story.draft.summaries
        ),
        stories=tuple(
            StoryRecord(
                s.headline,
                s.language,
                tuple(a.source for a in s.draft.articles),
                len(s.draft.points),
            )
            for s in stories
        ),
        languages=tuple(languages),
        translations=tuple(records),
        renderer=renderer,
        signature=signature,
        engine_settings=dict(translations[0].settings) if translations else {},
    )
