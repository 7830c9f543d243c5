"""The library's front door: whole-stage calls the CLI (and scripts) make."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from briefpack.model import Article, Summary, Translation

if TYPE_CHECKING:
    from translations import Engine


def summarize_file(
    path: str | Path,
    *,
    sentences: int | None = None,
    ratio: float | None = None,
    algorithm: str = "default",
    language: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> tuple[Article, Summary]:
    """Ingest and summarize one article."""
    from briefpack.ingest import read_article

    article = read_article(path, language=language, encoding=encoding, stdin=stdin)
    summary = summarize_article(article, sentences=sentences, ratio=ratio, algorithm=algorithm)
    return article, summary


def summarize_article(
    article: Article,
    *,
    sentences: int | None = None,
    ratio: float | None = None,
    algorithm: str = "default",
) -> Summary:
    """The summary of an ingested article, its title kept for the headline."""
    from summarize import summarize

    return summarize(
        article.text,
        article.language,
        title=article.title,
        algorithm=algorithm,
        sentences=sentences,
        ratio=ratio,
    )


def translate_summary(
    summary: Summary, targets: Sequence[str], *, engine: Engine
) -> list[Translation]:
    """Headline and key points in every target language but the summary's own."""
    from translations import translate_many

    wanted = [t for t in targets if t != summary.language]
    return translate_many(summary.headline, summary.texts, summary.language, wanted, engine=engine)


def translate_file(
    path: str | Path,
    targets: Sequence[str],
    *,
    sentences: int | None = None,
    ratio: float | None = None,
    algorithm: str = "default",
    language: str | None = None,
    encoding: str | None = None,
    models_dir: Path | None = None,
    device: str = "cpu",
    beam: int = 4,
    threads: int = 0,
    model_families: Sequence[str] = (),
) -> tuple[Article, Summary, list[Translation]]:
    """Ingest, summarize and translate one article into `targets` (the source is skipped)."""
    from translations import Engine, EngineOptions, ModelStore

    article, summary = summarize_file(
        path,
        sentences=sentences,
        ratio=ratio,
        algorithm=algorithm,
        language=language,
        encoding=encoding,
    )
    engine = Engine(
        ModelStore.from_env(models_dir, families=model_families),
        EngineOptions(device=device, beam_size=beam, threads=threads),
    )
    return article, summary, translate_summary(summary, targets, engine=engine)
