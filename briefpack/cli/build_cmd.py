"""`briefpack build`: the main job, one verifiable pack per article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefpack.cli.defaults import one_of
from briefpack.cli.options import (
    TEST_MODELS_WARNING,
    cluster_options,
    date_option,
    jobs_option,
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
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@targets_option
@out_option
@summary_options
@date_option
@pack_options
@translation_options
@jobs_option
@keep_going_option
@cluster_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of paths.")
@quiet_option
def build(
    articles: tuple[str, ...],
    out_dir: Path,
    date: str | None,
    pdf_variant: str,
    force: bool,
    jobs: int,
    keep_going: bool,
    as_json: bool,
    quiet: bool,
    read: ReadOptions,
    summary: SummaryOptions,
    translate: TranslateOptions,
    cluster: ClusterOptions | None,
) -> None:
    """Build one briefing pack per ARTICLE: summary, translations, PDFs, checksums.

    Each pack lands in OUT as a folder and a .zip of the same files; the pack path is
    printed, in the order of the articles. Several articles in one call share the loaded
    models; with --jobs N, N processes build them side by side; with --scheduler, the
    workers of a Dask cluster build them and the packs are written here.
    """
    from briefpack.build import Skipped
    from briefpack.build import build as build_packs
    from briefpack.builder import BuildOptions
    from briefpack.dates import resolve_date
    from briefpack.system.text import one_line

    date = resolve_date(date)  # SOURCE_DATE_EPOCH is checked before any work
    if cluster is not None and jobs != 1:
        where = "scheduler" if cluster.address else "scheduler_file"
        keep = one_of(click.get_current_context(), "jobs", where)
        if keep is None:
            raise click.UsageError("give --jobs or --scheduler, not both")
        cluster, jobs = (None, jobs) if keep == "jobs" else (cluster, 1)  # the nearer one
    options = BuildOptions(
        read=read,
        summary=summary,
        translate=translate,
        out_dir=out_dir,
        date=date,
        pdf_variant=pdf_variant,
        force=force,
    )
    with progress_bars(wanted(quiet=quiet, as_json=as_json)) as progress:
        skipped: list[Skipped] = []
        results = build_packs(
            list(articles),
            options,
            jobs=jobs,
            progress=progress,
            keep_going=keep_going,
            skipped=skipped,
            cluster=cluster,
        )
    for item in skipped:
        click.echo(f"briefpack: skipped: {one_line(item.line())}", err=True)
    if as_json:
        packs = [
            {
                "article": r.article.source,
                "pack": str(r.pack.folder),
                "zip": str(r.pack.zip_path),
                "pack_id": r.pack_id,
                "languages": list(r.manifest.languages),
                "test_models": r.test_models,
                "signature": r.signature,
                "timings": r.timings,
            }
            for r in results
        ]
        # Without --keep-going the report stays the list of packs it always was.
        report: object = packs
        if keep_going:
            report = {"packs": packs, "skipped": [item.to_dict() for item in skipped]}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for result in results:
        if result.test_models and not quiet:
            click.echo(TEST_MODELS_WARNING, err=True)
        click.echo(str(result.pack.folder))
