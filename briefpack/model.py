"""Frozen records passed between stages: ingest, summarize, translate, render, pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

# Shown wherever a test model's output appears (PDF banner text lives with the templates).
TEST_MODEL_NOTE = "test model — not a real translation"


@dataclass(frozen=True)
class Article:
    """A cleaned article, ready to summarize."""

    title: str
    text: str  # body only, paragraphs separated by blank lines, junk removed
    language: str  # ISO 639-1 code
    source: str  # file name as given, or "<stdin>"
    sha256: str  # of the raw input bytes
    encoding: str  # how the bytes were decoded
    media_type: str  # "text/plain", "text/markdown", "text/html", "application/pdf", ...

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.text.split("\n\n") if p.strip())


@dataclass(frozen=True)
class SummarySentence:
    index: int  # position among all the article's sentences, from 0
    text: str
    score: float


@dataclass(frozen=True)
class Summary:
    """An extractive summary: sentences in article order."""

    title: str
    language: str
    algorithm: str
    parameters: dict[str, Any]
    sentences: tuple[SummarySentence, ...]
    total_sentences: int

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.sentences)

    @property
    def headline(self) -> str:
        """The article's title, or its first key point when it has none."""
        return self.title or self.texts[0]


# Model families briefpack reads, in the default order of preference where several serve a
# pair (imported models where Argos is weak, then Argos; see docs/models.md).
MODEL_FAMILIES: tuple[str, ...] = ("opus-mt", "nllb-200", "m2m-100", "argos")


@dataclass(frozen=True)
class ModelInfo:
    """One installed model package (Argos, or imported), as used for a translation."""

    from_code: str
    to_code: str
    name: str  # package name, e.g. "translate-en_ru", or an imported model's, "opus-mt-eng-zle"
    version: str
    path: Path
    sha256: str = ""  # digest over the package's files, filled when recorded in a manifest
    test_model: bool = False  # built by briefpack's test-model builder: not a real translation
    family: str = "argos"  # "argos", "opus-mt", "nllb-200", "m2m-100"
    licence: str = ""  # SPDX-style id when known ("CC-BY-4.0", "CC-BY-NC-4.0"), else ""
    origin: str = ""  # where an imported model came from

    @property
    def non_commercial(self) -> bool:
        """Whether its licence forbids commercial use (NLLB-200 and M2M-100 weights do)."""
        return "-NC" in self.licence.upper()


@dataclass(frozen=True)
class Translation:
    """A title and summary sentences in one target language."""

    source_language: str
    language: str
    title: str
    sentences: tuple[str, ...]
    models: tuple[ModelInfo, ...]  # one model, or two when pivoting
    pivot: str | None = None  # "en" when translated through English
    settings: dict[str, Any] = field(default_factory=dict)  # beam, compute type, ...

    @property
    def test_model(self) -> bool:
        return any(m.test_model for m in self.models)


@dataclass(frozen=True)
class Briefing:
    """Everything one language's PDF shows."""

    language: str  # language of this briefing
    title: str
    points: tuple[str, ...]  # the key points: summary sentences, translated when not the source
    source_name: str  # the article's file name (or "<stdin>")
    source_language: str
    date: str  # YYYY-MM-DD, the briefing date
    pack_id: str  # short id shown in the footer
    translation: Translation | None = None  # None for the source-language briefing


class Progress(Protocol):
    """How a long library call reports how far it is: `progress(label, done, total)`.

    `done` of `total` units (None: not known) of the job named `label` ("articles",
    "en-ru 1.9"); each label is one bar, finished when `done` reaches `total`. `unit`
    names the units ("B" for bytes). Calls come from the thread that does the work.
    """

    def __call__(self, label: str, done: int, total: int | None, *, unit: str = "") -> None: ...


@dataclass(frozen=True)
class SourceRef:
    """One article a digest story was made from, as its PDF lists it."""

    name: str  # file name as given
    title: str
    language: str
    outlet: str = ""  # when the article says (a web page's site name, an e-mail's sender)
    published: str = ""  # YYYY-MM-DD or as written, when known
    url: str = ""


@dataclass(frozen=True)
class DigestStory:
    """One story of a digest in one language: its headline, key points and sources."""

    headline: str
    points: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    source_language: str
    translation: Translation | None = None  # None where the story is in its own language


@dataclass(frozen=True)
class DigestPage:
    """Everything one language's digest PDF shows."""

    language: str
    title: str
    date: str
    pack_id: str
    stories: tuple[DigestStory, ...]
    languages: tuple[str, ...]  # every language of the pack, in the order of the PDFs
