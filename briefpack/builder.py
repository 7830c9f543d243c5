"""`Builder`: one verifiable pack per article, with what several articles share loaded once.

For each article: summarize once, translate into each target (all sentences of a language
in one batched call; models loaded once for all articles), render one PDF per language
(source language included), write the pack atomically. The steps are methods and functions
of their own (`Builder.translate`, `Rendering`, `article_briefings`, `pack_files`), so a
pack of several articles can be made from the same pieces.

Each result carries the seconds spent per stage (`BuildResult.timings`); they are logged and
reported, never written into the pack, which stays reproducible.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.dates import resolve_date
from briefpack.manifest import (
    FileRecord,
    Manifest,
    RendererRecord,
    make_manifest,
    make_signature,
    pack_id,
)
from briefpack.model import Article, Briefing, DigestPage, Summary, Translation
from briefpack.options import ReadOptions, SummaryOptions, TranslateOptions
from briefpack.pack import Pack, file_records, pack_name, write_pack
from briefpack.pipeline import make_engine, read_article, summarize_article, translate_summary

if TYPE_CHECKING:
    from briefpack.render import Renderer
    from briefpack.render.processes import RenderProcesses

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """Every setting of a build; those that shape the output go into the signature."""

    read: ReadOptions = field(default_factory=ReadOptions)
    summary: SummaryOptions = field(default_factory=SummaryOptions)
    translate: TranslateOptions = field(default_factory=TranslateOptions)
    out_dir: Path = Path("dist")
    date: str | None = None  # None: SOURCE_DATE_EPOCH, else today (see `briefpack.dates`)
    pdf_variant: str = "pdf/ua-1"
    force: bool = False
    render_processes: int | None = None  # helpers rendering PDFs; None: 2 on 2+ cores

    def for_worker(self) -> BuildOptions:
        """The options one of several worker processes builds with: one CTranslate2 thread
        unless `threads` says otherwise (N workers x N threads would oversubscribe), and
        its PDFs rendered in its own process."""
        translate = self.translate
        if translate.threads == 0:
            translate = replace(translate, threads=1)
        return replace(self, translate=translate, render_processes=0)


@dataclass(frozen=True)
class BuildResult:
    article: Article
    summary: Summary
    translations: tuple[Translation, ...]
    pack: Pack
    manifest: Manifest
    # Seconds per stage, in pipeline order: ingest, summarize, translate (models load on
    # first use), renderer (WeasyPrint and fonts, first article only), render:LANG, pack.
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def pack_id(self) -> str:
        return self.manifest.pack_id

    @property
    def signature(self) -> str:
        return str(self.manifest.signature)

    @property
    def test_models(self) -> bool:
        return self.manifest.test_models


@dataclass(frozen=True)
class Made:
    """One article's pack, made but not yet written: what a cluster worker sends back."""

    article: Article
    summary: Summary
    translations: tuple[Translation, ...]
    manifest: Manifest
    name: str
    date: str
    files: dict[str, bytes]  # all but manifest.json and SHA256SUMS (see `write_pack`)
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def write(self, out_dir: Path, force: bool = False) -> BuildResult:
        """Write the pack atomically into `out_dir` (`briefpack.pack.write_pack`)."""
        timings = dict(self.timings)
        start = time.perf_counter()
        manifest = self.manifest.to_dict()
        pack = write_pack(out_dir, self.name, self.files, manifest, self.date, force=force)
        timings["pack"] = round(timings.get("pack", 0.0) + time.perf_counter() - start, 4)
        log.info("wrote %s", pack.folder)
        log.info("timings: %s", ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
        return BuildResult(
            self.article, self.summary, self.translations, pack, self.manifest, timings
        )


class Builder:
    """Holds what several articles share: the model store, the engine, the renderer.

    Models load when first used, the renderer with the first article, so a Builder is cheap
    to make and the cost shows in that article's stage timings. Making one starts the render
    helper processes (see `briefpack.render.processes`); `close()` stops them (they also
    stop when the Builder is collected or this process exits).
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.engine = make_engine(options.translate)
        self.rendering = Rendering(options.pdf_variant, options.render_processes)
        self._digests: dict[Path, str] = {}

    def translate(self, summary: Summary) -> list[Translation]:
        """Headline and key points in every target, each model's digest recorded."""
        return self.with_digests(
            translate_summary(summary, self.options.translate.targets, self.engine)
        )

    def with_digests(self, translations: Sequence[Translation]) -> list[Translation]:
        """The translations with each model's package digest filled in, for the manifest
        (each package is hashed once per Builder)."""
        return [
            replace(t, models=tuple(replace(m, sha256=self._digest(m.path)) for m in t.models))
            for t in translations
        ]

    def build(self, article: Article | str | Path, ingest_seconds: float = 0.0) -> BuildResult:
        """Build the pack of one article (an `Article`, or a file to ingest first)."""
        return self.make(article, ingest_seconds).write(self.options.out_dir, self.options.force)

    def make(self, article: Article | str | Path, ingest_seconds: float = 0.0) -> Made:
        """Everything of one article's pack but writing it: its files, in memory."""
        opts = self.options
        timings: dict[str, float] = {"ingest": ingest_seconds}  # imports count in each stage
        date = resolve_date(opts.date)
        if not isinstance(article, Article):
            with timed(timings, "ingest"):
                article = read_article(article, opts.read)
        with timed(timings, "summarize"):
            summary = summarize_article(article, opts.summary)
        with timed(timings, "translate"):
            translations = self.translate(summary)
        renderer = self.rendering.start(timings)
        signature = make_signature(
            summary,
            translations,
            date=date,
            template_digest=renderer.template_sha256,
            weasyprint=renderer.weasyprint,
            pdf_variant=opts.pdf_variant,
        )
        pid = pack_id([article.sha256], signature)
        briefings = article_briefings(article, summary, translations, date, pid)
        pdfs = self.rendering.render(briefings, timings)
        with timed(timings, "pack"):
            files = pack_files(summary.headline, briefings, pdfs)
            records = [FileRecord(**record) for record in file_records(files)]
            manifest = make_manifest(
                article, summary, translations, signature, renderer, pid, records
            )
        name = pack_name(summary.headline, date, pid)
        return Made(article, summary, tuple(translations), manifest, name, date, files, timings)

    def close(self) -> None:
        """Stop the render helpers (a Builder is usable again afterwards, rendering here)."""
        self.rendering.close()

    def _digest(self, path: Path) -> str:
        from translations import package_digest

        if path not in self._digests:
            self._digests[path] = package_digest(path)
        return self._digests[path]


class Rendering:
    """Briefings to PDF: in helper processes while they work, else in this process.

    The helpers import WeasyPrint and load the fonts on the other cores while this process
    ingests, summarizes and translates, then render a pack's PDFs side by side.
    """

    def __init__(self, pdf_variant: str, processes: int | None = None) -> None:
        from briefpack.render.processes import RenderProcesses, default_count

        self.pdf_variant = pdf_variant
        count = default_count() if processes is None else processes
        self._helpers: RenderProcesses | None = None
        if count > 0:
            self._helpers = RenderProcesses(pdf_variant, count)
        self._renderer: Renderer | None = None
        self._record: RendererRecord | None = None

    def start(self, timings: dict[str, float]) -> RendererRecord:
        """Wait until a renderer is ready (timed as "renderer"); what it is, for the manifest."""
        if self._record is None:
            with timed(timings, "renderer"):
                ready = self._helpers.start() if self._helpers is not None else None
                if ready is not None:
                    weasyprint, digest = ready["weasyprint"], ready["template"]
                else:
                    self._helpers = None
                    self._renderer = self._new_renderer()
                    weasyprint, digest = _versions()
            self._record = RendererRecord(weasyprint, digest, self.pdf_variant)
        return self._record

    def render(
        self, briefings: Sequence[Briefing | DigestPage], timings: dict[str, float]
    ) -> list[bytes]:
        """Every briefing's PDF, by the helper processes if there are any, else here."""
        if self._helpers is not None:
            start = time.perf_counter()
            rendered = self._helpers.render(briefings)
            if rendered is not None:
                for briefing, (_pdf, seconds) in zip(briefings, rendered, strict=True):
                    timings[f"render:{briefing.language}"] = round(seconds, 4)
                timings["render"] = round(time.perf_counter() - start, 4)
                return [pdf for pdf, _seconds in rendered]
            self._helpers = None  # they failed (and said why in the log): render here
        renderer = self._renderer
        if renderer is None:
            with timed(timings, "renderer"):
                renderer = self._renderer = self._new_renderer()
        pdfs = []
        start = time.perf_counter()
        for briefing in briefings:
            with timed(timings, f"render:{briefing.language}"):
                pdfs.append(renderer.render(briefing))
        timings["render"] = round(time.perf_counter() - start, 4)
        return pdfs

    def close(self) -> None:
        if self._helpers is not None:
            self._helpers.close()
            self._helpers = None

    def _new_renderer(self) -> Renderer:
        """Importing WeasyPrint is the slowest step of all: done once, when first needed."""
        from briefpack.render import Renderer

        return Renderer(self.pdf_variant)


def _versions() -> tuple[str, str]:
    """The WeasyPrint version and the templates' digest, as the manifest records them."""
    from briefpack.render import template_hash, weasyprint_version

    return weasyprint_version(), template_hash()


def article_briefings(
    article: Article,
    summary: Summary,
    translations: Sequence[Translation],
    date: str,
    pack_id: str,
) -> list[Briefing]:
    """What each PDF shows: the source language first, then each translation."""
    source = Briefing(
        language=article.language,
        title=summary.headline,
        points=summary.texts,
        source_name=article.source,
        source_language=article.language,
        date=date,
        pack_id=pack_id,
    )
    return [source] + [
        replace(source, language=t.language, title=t.title, points=t.sentences, translation=t)
        for t in translations
    ]


def pack_files(
    title: str, briefings: Sequence[Briefing], pdfs: Sequence[bytes]
) -> dict[str, bytes]:
    """A pack's files but manifest and checksums: per language a PDF and its Markdown, and
    an index page linking them."""
    from briefpack.render import render_index
    from briefpack.render.markdown import summary_markdown
    from briefpack.render.strings import language_name

    files: dict[str, bytes] = {}
    rows = []
    for briefing, pdf in zip(briefings, pdfs, strict=True):
        code = briefing.language
        files[f"briefing-{code}.pdf"] = pdf
        files[f"summary-{code}.md"] = summary_markdown(briefing).encode()
        rows.append((code, language_name(code, code), f"briefing-{code}.pdf", f"summary-{code}.md"))
    date, pid = briefings[0].date, briefings[0].pack_id
    files["index.html"] = render_index(title, date, pid, rows).encode()
    return files


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Record the seconds the block took as `timings[stage]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 4)
