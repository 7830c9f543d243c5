"""The library's front door: whole-stage calls the CLI (and scripts) make.

Each takes the option records of `briefpack.options` for the stages it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from briefpack.model import Article, Summary, Translation
from briefpack.options import ReadOptions, SummaryOptions, TranslateOptions

if TYPE_CHECKING:
    from translations import Engine


def read_article(
    path: str | Path, options: ReadOptions | None = None, *, stdin: BinaryIO | None = None
) -> Article:
    """Ingest one article from a file, or from stdin when `path` is "-"."""
    from briefpack import ingest

    options = options or ReadOptions()
    return ingest.read_article(
        path, language=options.language, encoding=options.encoding, stdin=stdin
    )


def summarize_file(
    path: str | Path,
    read: ReadOptions | None = None,
    summary: SummaryOptions | None = None,
    *,
    stdin: BinaryIO | None = None,
) -> tuple[Article, Summary]:
    """Ingest and summarize one article."""
    article = read_article(path, read, stdin=stdin)
    return article, summarize_article(article, summary)


def summarize_article(article: Article, options: SummaryOptions | None = None) -> Summary:
    """The summary of an ingested article, its title kept for the headline."""
    from summarize import summarize

    options = options or SummaryOptions()
    return summarize(
        article.text,
        article.language,
        title=article.title,
        algorithm=options.algorithm,
        sentences=options.sentences,
        ratio=options.ratio,
    )


def make_engine(options: TranslateOptions) -> Engine:
    """A translation engine over the model folders `options` names (models load on use)."""
    from translations import Engine, ModelStore

    store = ModelStore.from_env(options.models_dir, families=options.model_families)
    return Engine(store, options.engine_options())


def translate_summary(
    summary: Summary, targets: Sequence[str], engine: Engine
) -> list[Translation]:
    """Headline and key points in every target language but the summary's own."""
    from translations import translate_many

    wanted = [t for t in targets if t != summary.language]
    return translate_many(summary.headline, summary.texts, summary.language, wanted, engine=engine)


def translate_file(
    path: str | Path,
    translate: TranslateOptions | None = None,
    read: ReadOptions | None = None,
    summary: SummaryOptions | None = None,
) -> tuple[Article, Summary, list[Translation]]:
    """Ingest, summarize and translate one article into the targets (the source is skipped)."""
    translate = translate or TranslateOptions()
    article, summarized = summarize_file(path, read, summary)
    translations = translate_summary(summarized, translate.targets, make_engine(translate))
    return article, summarized, translations
