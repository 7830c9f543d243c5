"""`briefpack translate`: the translation half of a build, printed instead of packed."""

from __future__ import annotations

import json
from typing import Any

import click

from briefpack.cli.options import (
    json_option,
    summary_options,
    targets_option,
    translation_options,
)
from briefpack.options import ReadOptions, SummaryOptions, TranslateOptions


@click.command()
@click.argument("article", metavar="FILE|-")
@targets_option
@summary_options
@translation_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@json_option
def translate(
    article: str,
    fmt: str,
    read: ReadOptions,
    summary: SummaryOptions,
    translate: TranslateOptions,
) -> None:
    """Summarize FILE (or stdin) and translate its title and summary offline.

    Prints each language with the model (name, version) that translated it.
    """
    from briefpack.pipeline import translate_file

    article_obj, summarized, translations = translate_file(article, translate, read, summary)
    if fmt == "json":
        payload: dict[str, Any] = {
            "source": article_obj.source,
            "source_language": summarized.language,
            "title": summarized.title,
            "sentences": list(summarized.texts),
            "translations": [
                {
                    "language": t.language,
                    "title": t.title,
                    "sentences": list(t.sentences),
                    "pivot": t.pivot,
                    "test_model": t.test_model,
                    "models": [
                        {
                            "name": m.name,
                            "version": m.version,
                            "pair": f"{m.from_code}-{m.to_code}",
                            "family": m.family,
                            "licence": m.licence,
                        }
                        for m in t.models
                    ],
                }
                for t in translations
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for t in translations:
        models = " + ".join(f"{m.name} {m.version}" for m in t.models)
        via = f", via {t.pivot}" if t.pivot else ""
        note = " — test model, not a real translation" if t.test_model else ""
        if any(m.non_commercial for m in t.models):
            note += " — model licence: non-commercial use only"
        click.echo(f"[{t.language}] ({models}{via}){note}")
        click.echo(t.title)
        for sentence in t.sentences:
            click.echo(sentence)
        click.echo()
