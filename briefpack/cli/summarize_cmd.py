"""`briefpack summarize`: print an extractive summary of one article."""

from __future__ import annotations

import json

import click

from briefpack.cli.options import check_length, summary_options


@click.command()
@click.argument("article", metavar="FILE|-")
@summary_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def summarize(
    article: str,
    sentences: int | None,
    ratio: float | None,
    algorithm: str,
    language: str | None,
    encoding: str | None,
    fmt: str,
) -> None:
    """Summarize FILE (text, HTML, PDF, Word, ODT, e-mail) or stdin (-): key sentences in order."""
    check_length(sentences, ratio)
    from briefpack.pipeline import summarize_file

    article_obj, summary = summarize_file(
        article,
        sentences=sentences,
        ratio=ratio,
        algorithm=algorithm,
        language=language,
        encoding=encoding,
    )
    if fmt == "json":
        payload = {
            "title": summary.title,
            "source": article_obj.source,
            "language": summary.language,
            "encoding": article_obj.encoding,
            "algorithm": summary.algorithm,
            "parameters": summary.parameters,
            "total_sentences": summary.total_sentences,
            "sentences": [
                {"index": s.index, "score": s.score, "text": s.text} for s in summary.sentences
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif fmt == "md":
        lines = [f"# {summary.title}", ""] if summary.title else []
        lines += [f"- {s.text}" for s in summary.sentences]
        click.echo("\n".join(lines))
    else:
        if summary.title:
            click.echo(summary.title)
            click.echo()
        for sentence in summary.sentences:
            click.echo(sentence.text)
