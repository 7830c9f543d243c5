"""`briefpack digest`: many articles, one pack, one PDF and Markdown file per language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefpack.cli.options import (
    TEST_MODELS_WARNING,
    cluster_options,
    date_option,
    keep_going_option,
    out_option,
    pack_options,
    quiet_option,
    summary_options,
    targets_option,
    translation_options,
)
from briefpack.cli.progress import progress_bars, wanted
from briefpack.options import ReadOptions, SummaryOptions, TranslateOptions

if TYPE_CHECKING:
    from briefpack.cluster import ClusterOptions


@click.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE|FOLDER...")
@targets_option
@out_option
@click.option(
    "--title",
    default="",
    metavar="TEXT",
    help="The digest's title (default: 'Daily digest' in each PDF's language).",
)
@click.option(
    "--order",
    type=click.Choice(["input", "sources"]),
    default="input",
    show_default=True,
    help="Story order: as the articles were given, or the most-reported first.",
)
@click.option(
    "--merge/--no-merge",
    default=True,
    show_default=True,
    help="Merge articles that report the same story into one story (docs/digest.md).",
)
@summary_options
@date_option
@pack_options
@translation_options
@keep_going_option
@cluster_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of the path.")
@quiet_option
def digest(
    articles: tuple[str, ...],
    out_dir: Path,
    title: str,
    order: str,
    merge: bool,
    date: str | None,
    pdf_variant: str,
    force: bool,
    keep_going: bool,
    as_json: bool,
    quiet: bool,
    read: ReadOptions,
    summary: SummaryOptions,
    translate: TranslateOptions,
    cluster: ClusterOptions | None,
) -> None:
    """Build ONE briefing pack of many articles: a digest PDF and Markdown per language.

    Articles about the same event are merged into one story listing every source. Each
    story is translated from its own language into every other language of the digest
    (the source languages and --to). The pack lands in OUT as a folder and a .zip; its
    path is printed. With --scheduler, the workers of a Dask cluster summarize and
    translate the stories, and the digest is rendered and written here.
    """
    from briefpack.builder import BuildOptions
    from briefpack.dates import resolve_date
    from briefpack.digest import DigestOptions, make_digest
    from briefpack.system.text import one_line

    date = resolve_date(date)  # SOURCE_DATE_EPOCH is checked before any work
    build = BuildOptions(
        read=read,
        summary=summary,
        translate=translate,
        out_dir=out_dir,
        date=date,
        pdf_variant=pdf_variant,
        force=force,
    )
    options = DigestOptions(
        build=build, title=title.strip(), order=order, merge=merge, keep_going=keep_going
    )
    with progress_bars(wanted(quiet=quiet, as_json=as_json)) as progress:
        result = make_digest(list(articles), options, progress=progress, cluster=cluster)
    for skipped in result.skipped:
        click.echo(f"briefpack: skipped: {one_line(skipped.line())}", err=True)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    if result.manifest.test_models and not quiet:
        click.echo(TEST_MODELS_WARNING, err=True)
    click.echo(str(result.pack.folder))
