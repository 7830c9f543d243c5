"""`briefpack summarize`: print an extractive summary of one article."""

from __future__ import annotations

import json

import click

from briefpack.cli.options import json_option, summary_options
from briefpack.options import ReadOptions, SummaryOptions


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
@json_option
def summarize(article: str, fmt: str, read: ReadOptions, summary: SummaryOptions) -> None:
    """Summarize FILE (text, HTML, PDF, Word, ODT, e-mail) or stdin (-): key sentences in order."""
    from briefpack.pipeline import summarize_file

    article_obj, summarized = summarize_file(article, read, summary)
    if fmt == "json":
        payload = {
            "title": summarized.title,
            "source": article_obj.source,
            "language": summarized.language,
            "encoding": article_obj.encoding,
            "algorithm": summarized.algorithm,
            "parameters": summarized.parameters,
            "total_sentences": summarized.total_sentences,
            "sentences": [
                {"index": s.index, "score": s.score, "text": s.text} for s in summarized.sentences
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif fmt == "md":
        lines = [f"# {summarized.title}", ""] if summarized.title else []
        lines += [f"- {s.text}" for s in summarized.sentences]
        click.echo("\n".join(lines))
    else:
        if summarized.title:
            click.echo(summarized.title)
            click.echo()
        for sentence in summarized.sentences:
            click.echo(sentence.text)
