"""The library's front door: whole-stage calls the CLI (and scripts) make."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from briefpack.model import Article, Summary


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
