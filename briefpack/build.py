"""`build()`: the product's main job, article files in, one verifiable pack per article out.

For each article: ingest, summarize once, translate into each target (all sentences of a
language in one batched call; models loaded once for all articles), render one PDF per
language (source language included) with one renderer, write the pack atomically.

With `jobs` > 1, articles are shared out to that many worker processes, each with its own
`Builder` (models and fonts loaded once per worker), and results come back in input order.
Each result carries the seconds spent per stage (`BuildResult.timings`); they are logged and
reported, never written into the pack, which stays reproducible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack import __version__
from briefpack.errors import InputError
from briefpack.ingest import ARTICLE_SUFFIXES
from briefpack.model import Article, Briefing, ModelInfo, Summary, Translation
from briefpack.pack import Pack, prepare_out_dir, write_pack
from briefpack.pipeline import summarize_article, translate_summary

if TYPE_CHECKING:
    from briefpack.render import Renderer
    from briefpack.render.processes import RenderProcesses

log = logging.getLogger(__name__)

DEFAULT_TARGETS: tuple[str, ...] = ("ru", "uk", "de")
TEST_MODEL_NOTE = "test model — not a real translation"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LATIN_SPELLINGS = (
    "a b v g g d e ie e zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia"
)
_CYRILLIC_LATIN = {
    cyrillic: latin.strip("_")
    for cyrillic, latin in zip(
        "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя", _LATIN_SPELLINGS.split(), strict=True
    )
} | {"ß": "ss"}


@dataclass(frozen=True)
class BuildOptions:
    """Every setting of a build; those that shape the output go into the signature."""

    targets: tuple[str, ...] = DEFAULT_TARGETS
    out_dir: Path = Path("dist")
    sentences: int | None = None
    ratio: float | None = None
    algorithm: str = "default"
    language: str | None = None
    encoding: str | None = None
    date: str | None = None
    pdf_variant: str = "pdf/ua-1"
    models_dir: Path | None = None
    force: bool = False
    device: str = "cpu"
    beam: int = 4
    threads: int = 0
    model_families: tuple[str, ...] = ()  # preferred model families, in order
    render_processes: int | None = None  # helpers rendering PDFs; None: 2 on 2+ cores
    extra_env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildResult:
    article: Article
    summary: Summary
    translations: tuple[Translation, ...]
    pack: Pack
    manifest: dict[str, Any]
    # Seconds per stage, in pipeline order: ingest, summarize, translate (models load on
    # first use), renderer (WeasyPrint and fonts, first article only), render:LANG, pack.
    timings: dict[str, float] = field(default_factory=dict, compare=False)


def resolve_date(date: str | None, env: dict[str, str] | None = None) -> str:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC)."""
    env = dict(os.environ) if env is None else env
    if date is not None:
        try:
            if not _DATE.match(date):
                raise ValueError
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"invalid date {date!r}; use YYYY-MM-DD, e.g. 2026-11-27") from None
        return date
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds")
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return dt.datetime.now(tz=dt.timezone.utc).date().isoformat()


def parse_targets(spec: str | Sequence[str]) -> tuple[str, ...]:
    """ "ru,uk,de" -> ("ru", "uk", "de"); codes validated, duplicates dropped."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    codes = tuple(dict.fromkeys(c.strip().lower() for c in items if c.strip()))
    for code in codes:
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise InputError(f"invalid language code {code!r} in --to; use ISO codes like ru,uk,de")
    if not codes:
        raise InputError("--to names no language; give codes like ru,uk,de")
    return codes


def slugify(title: str, fallback: str = "briefing", limit: int = 48) -> str:
    """An ASCII file-name slug of a title (Cyrillic transliterated)."""
    lowered = "".join(_CYRILLIC_LATIN.get(ch, ch) for ch in title.lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or fallback


def signature(
    summary: Summary,
    translations: Sequence[Translation],
    options: BuildOptions,
    date: str,
    template_digest: str,
    weasyprint: str,
) -> str:
    """One sacrebleu-style string of every setting that shapes the output."""
    models = ",".join(
        f"{m.from_code}-{m.to_code}@{m.version}+{m.sha256[:12]}"
        for t in translations
        for m in t.models
    )
    settings = translations[0].settings if translations else {}
    parts = [
        f"briefpack:{__version__}",
        f"sum:{summary.algorithm}",
        f"n:{summary.parameters.get('sentences')}",
        f"ratio:{summary.parameters.get('ratio', '-')}",
        f"src:{summary.language}",
        f"to:{','.join(t.language for t in translations) or '-'}",
        f"models:{models or '-'}",
        f"mt:{settings.get('signature', '-')}",
        f"tpl:{template_digest[:12]}",
        f"weasyprint:{weasyprint}",
        f"pdf:{options.pdf_variant}",
        f"date:{date}",
    ]
    return "|".join(parts)


def _model_record(info: ModelInfo) -> dict[str, Any]:
    record: dict[str, Any] = {
        "pair": f"{info.from_code}-{info.to_code}",
        "name": info.name,
        "version": info.version,
        "sha256": info.sha256,
        "family": info.family,
    }
    if info.licence:
        record["licence"] = info.licence
    if info.origin:
        record["origin"] = info.origin
    if info.test_model:
        record["note"] = TEST_MODEL_NOTE
    elif info.non_commercial:
        record["note"] = f"licence {info.licence}: non-commercial use only"
    return record


def summary_markdown(briefing: Briefing) -> str:
    lines = [f"# {briefing.title}", ""]
    lines += [f"- {point}" for point in briefing.points]
    lines.append("")
    if briefing.translation is not None:
        models = ", ".join(f"{m.name} {m.version}" for m in briefing.translation.models)
        note = f"Machine translation from {briefing.source_language} ({models})"
        if briefing.translation.test_model:
            note += f": {TEST_MODEL_NOTE}"
        lines += [f"_{note}; the original prevails._", ""]
    lines += [f"Source: {briefing.source_name} · {briefing.date} · pack {briefing.pack_id}", ""]
    return "\n".join(lines)


class Builder:
    """Holds what several articles share: the model store, the engine, the renderer.

    Models load when first used, the renderer with the first article, so a Builder is cheap
    to make and the cost shows in that article's stage timings. Making one starts the render
    helper processes (see `briefpack.render.processes`); `close()` stops them (they also
    stop when the Builder is collected or this process exits).
    """

    def __init__(self, options: BuildOptions) -> None:
        from translations import Engine, EngineOptions, ModelStore

        self.options = options
        self.store = ModelStore.from_env(options.models_dir, families=options.model_families)
        self.engine = Engine(
            self.store,
            EngineOptions(device=options.device, beam_size=options.beam, threads=options.threads),
        )
        self._renderer: Renderer | None = None
        # Helper processes import WeasyPrint and load the fonts on the other cores while
        # this one ingests, summarizes and translates, then render the PDFs side by side.
        from briefpack.render.processes import RenderProcesses, default_count

        count = options.render_processes
        if count is None:
            count = default_count()
        self._helpers: RenderProcesses | None = None
        if count > 0:
            self._helpers = RenderProcesses(options.pdf_variant, count)
        self.template_digest = ""
        self.weasyprint = ""
        self._digests: dict[Path, str] = {}

    def _new_renderer(self) -> Renderer:
        """Made with the first article: importing WeasyPrint is the slowest step of all."""
        from briefpack.render import Renderer, template_hash, weasyprint_version

        renderer = Renderer(self.options.pdf_variant)
        self.template_digest = template_hash()
        self.weasyprint = weasyprint_version()
        return renderer

    def build(self, article: Article | str | Path, ingest_seconds: float = 0.0) -> BuildResult:
        """Build the pack of one article (an `Article`, or a file to ingest first)."""
        opts = self.options
        timings: dict[str, float] = {"ingest": ingest_seconds}  # imports count in each stage
        date = resolve_date(opts.date)
        if not isinstance(article, Article):
            with _timed(timings, "ingest"):
                ((article, _),) = read_articles([str(article)], opts)
        with _timed(timings, "summarize"):
            summary = summarize_article(
                article, sentences=opts.sentences, ratio=opts.ratio, algorithm=opts.algorithm
            )
        title = summary.headline
        with _timed(timings, "translate"):
            translations = translate_summary(summary, opts.targets, engine=self.engine)
            # Record every model's digest (packages are hashed once per process).
            translations = [
                replace(t, models=tuple(replace(m, sha256=self._digest(m.path)) for m in t.models))
                for t in translations
            ]
        if not self.weasyprint:
            with _timed(timings, "renderer"):
                ready = self._helpers.start() if self._helpers is not None else None
                if ready is not None:
                    self.weasyprint, self.template_digest = ready["weasyprint"], ready["template"]
                else:
                    self._helpers = None
                    self._renderer = self._new_renderer()
        sig = signature(summary, translations, opts, date, self.template_digest, self.weasyprint)
        pack_id = hashlib.sha256(f"{article.sha256}|{sig}".encode()).hexdigest()[:8]
        name = f"{slugify(title)}-{date}-{pack_id}"

        briefings = [
            Briefing(
                language=article.language,
                title=title,
                points=summary.texts,
                source_name=article.source,
                source_language=article.language,
                date=date,
                pack_id=pack_id,
            )
        ]
        briefings += [
            Briefing(
                language=t.language,
                title=t.title,
                points=t.sentences,
                source_name=article.source,
                source_language=article.language,
                date=date,
                pack_id=pack_id,
                translation=t,
            )
            for t in translations
        ]
        files: dict[str, bytes] = {}
        for briefing, pdf in zip(briefings, self._render(briefings, timings), strict=True):
            files[f"briefing-{briefing.language}.pdf"] = pdf
            files[f"summary-{briefing.language}.md"] = summary_markdown(briefing).encode()
        with _timed(timings, "pack"):
            files["index.html"] = self._index(title, date, pack_id, briefings).encode()
            manifest = self._manifest(article, summary, translations, sig, date, pack_id)
            pack = write_pack(opts.out_dir, name, files, manifest, date, force=opts.force)
        log.info("wrote %s", pack.folder)
        log.info("timings: %s", ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
        return BuildResult(article, summary, tuple(translations), pack, manifest, timings)

    def _render(self, briefings: list[Briefing], timings: dict[str, float]) -> list[bytes]:
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
        if self._renderer is None:
            with _timed(timings, "renderer"):
                self._renderer = self._new_renderer()
        pdfs = []
        start = time.perf_counter()
        for briefing in briefings:
            with _timed(timings, f"render:{briefing.language}"):
                pdfs.append(self._renderer.render(briefing))
        timings["render"] = round(time.perf_counter() - start, 4)
        return pdfs

    def close(self) -> None:
        """Stop the render helpers (a Builder is usable again afterwards, rendering here)."""
        if self._helpers is not None:
            self._helpers.close()
            self._helpers = None

    def _digest(self, path: Path) -> str:
        from translations import package_digest

        if path not in self._digests:
            self._digests[path] = package_digest(path)
        return self._digests[path]

    def _index(self, title: str, date: str, pack_id: str, briefings: list[Briefing]) -> str:
        from briefpack.render import render_index
        from briefpack.render.strings import language_name

        rows = [
            (
                b.language,
                language_name(b.language, b.language),
                f"briefing-{b.language}.pdf",
                f"summary-{b.language}.md",
            )
            for b in briefings
        ]
        return render_index(title, date, pack_id, rows)

    def _manifest(
        self,
        article: Article,
        summary: Summary,
        translations: list[Translation],
        sig: str,
        date: str,
        pack_id: str,
    ) -> dict[str, Any]:
        test_models = any(t.test_model for t in translations)
        manifest: dict[str, Any] = {
            "tool": {"name": "briefpack", "version": __version__},
            "pack_id": pack_id,
            "date": date,
            "input": {
                "name": article.source,
                "sha256": article.sha256,
                "media_type": article.media_type,
                "encoding": article.encoding,
                "language": article.language,
                "title": article.title,
            },
            "summarizer": {
                "algorithm": summary.algorithm,
                "parameters": summary.parameters,
                "total_sentences": summary.total_sentences,
                "sentences": [s.index for s in summary.sentences],
            },
            "translations": [
                {
                    "language": t.language,
                    "pivot": t.pivot,
                    "settings": t.settings,
                    "models": [_model_record(m) for m in t.models],
                }
                for t in translations
            ],
            "renderer": {
                "weasyprint": self.weasyprint,
                "template_sha256": self.template_digest,
                "pdf_variant": self.options.pdf_variant,
            },
            "languages": [article.language, *(t.language for t in translations)],
            "signature": sig,
            "test_models": test_models,
        }
        if test_models:
            manifest["warning"] = f"{TEST_MODEL_NOTE}: install real Argos models (see README)"
        return manifest


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 4)


def collect_articles(paths: Sequence[str | Path]) -> list[str]:
    """The article files named: a folder stands for the article files directly inside it."""
    if not paths:
        raise InputError("no article given; pass one or more files")
    found: list[str] = []
    for path in paths:
        folder = Path(path)
        if str(path) != "-" and folder.is_dir():
            inside = sorted(
                str(f)
                for f in folder.iterdir()
                if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not inside:
                suffixes = ", ".join(ARTICLE_SUFFIXES)
                raise InputError(
                    f"{folder} is a folder with no article in it ({suffixes}); "
                    "give article files or a folder that holds them"
                )
            found += inside
        else:
            found.append(str(path))
    if found.count("-") > 1:
        raise InputError("stdin (-) can be given only once")
    return found


def read_articles(paths: Sequence[str], options: BuildOptions) -> list[tuple[Article, float]]:
    """Ingest every article, with the seconds each took; the first unusable one raises."""
    from briefpack.ingest import read_article

    articles = []
    for path in paths:
        start = time.perf_counter()
        article = read_article(path, language=options.language, encoding=options.encoding)
        articles.append((article, time.perf_counter() - start))
    return articles


def build(paths: Sequence[str | Path], options: BuildOptions, jobs: int = 1) -> list[BuildResult]:
    """Build one pack per article; models and fonts are loaded once per process.

    Every article is read and checked, and the output folder made, before any is built: a
    bad article or folder stops the build with nothing written. Folders stand for the
    articles inside them. `jobs` > 1 builds in that many worker processes (never more than
    there are articles), each running CTranslate2 on one thread unless `options.threads`
    says otherwise. Results come back in the order of `paths`.
    """
    if jobs < 1:
        raise InputError(f"--jobs {jobs} is not a number of processes; use 1 or more")
    files = collect_articles(paths)
    jobs = min(jobs, len(files))
    builder = Builder(options) if jobs == 1 else None  # starts loading WeasyPrint meanwhile
    articles = read_articles(files, options)
    prepare_out_dir(options.out_dir)
    if builder is not None:
        try:
            return [builder.build(article, seconds) for article, seconds in articles]
        finally:
            builder.close()
    from briefpack.parallel import build_in_pool

    return build_in_pool([article for article, _ in articles], options, jobs)
