"""The library's front door: whole-stage calls the CLI (and scripts) make."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from briefpack.model import Article, Summary, Translation


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
    from summarize import summarize

    article = read_article(path, language=language, encoding=encoding, stdin=stdin)
    summary = summarize(
        article.text,
        article.language,
        title=article.title,
        algorithm=algorithm,
        sentences=sentences,
        ratio=ratio,
    )
    return article, summary


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
) -> tuple[Article, Summary, list[Translation]]:
    """Ingest, summarize and translate one article into `targets` (the source is skipped)."""
    from translations import Engine, EngineOptions, ModelStore, translate_many

    article, summary = summarize_file(
        path,
        sentences=sentences,
        ratio=ratio,
        algorithm=algorithm,
        language=language,
        encoding=encoding,
    )
    engine = Engine(
        ModelStore.from_env(models_dir),
        EngineOptions(device=device, beam_size=beam, threads=threads),
    )
    wanted = [t for t in targets if t != article.language]
    title = summary.title or summary.texts[0]
    return (
        article,
        summary,
        translate_many(title, summary.texts, article.language, wanted, engine=engine),
    )
