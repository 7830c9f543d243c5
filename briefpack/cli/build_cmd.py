"""`briefpack build` and `briefpack translate`: the main job, and its translation half."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from briefpack.cli.options import (
    check_length,
    summary_options,
    targets_option,
    translation_options,
)


@click.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@targets_option
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder the packs are written to.",
)
@summary_options
@click.option(
    "--date",
    default=None,
    metavar="YYYY-MM-DD",
    help="Briefing date (default: SOURCE_DATE_EPOCH, else today). Same inputs and "
    "date give byte-identical packs.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/ua-1", "pdf/a-3b"]),
    default="pdf/ua-1",
    show_default=True,
    help="PDF flavour: tagged PDF/UA-1 or archival PDF/A-3b.",
)
@click.option("--force", is_flag=True, help="Replace a pack that already exists.")
@translation_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Build this many articles at once, each worker process with its own models "
    "(and 1 CPU thread, unless --threads says otherwise).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of paths.")
def build(
    articles: tuple[str, ...],
    targets: tuple[str, ...],
    out_dir: Path,
    sentences: int | None,
    ratio: float | None,
    algorithm: str,
    language: str | None,
    encoding: str | None,
    date: str | None,
    pdf_variant: str,
    force: bool,
    models_dir: Path | None,
    device: str,
    beam: int,
    threads: int,
    model_family: tuple[str, ...],
    jobs: int,
    as_json: bool,
) -> None:
    """Build one briefing pack per ARTICLE: summary, translations, PDFs, checksums.

    Each pack lands in OUT as a folder and a .zip of the same files; the pack path is
    printed, in the order of the articles. Several articles in one call share the loaded
    models; with --jobs N, N processes build them side by side.
    """
    check_length(sentences, ratio)
    from briefpack.build import BuildOptions
    from briefpack.build import build as build_packs

    options = BuildOptions(
        targets=targets,
        out_dir=out_dir,
        sentences=sentences,
        ratio=ratio,
        algorithm=algorithm,
        language=language,
        encoding=encoding,
        date=date,
        pdf_variant=pdf_variant,
        models_dir=models_dir,
        force=force,
        device=device,
        beam=beam,
        threads=threads,
        model_families=model_family,
    )
    results = build_packs(list(articles), options, jobs=jobs)
    if as_json:
        report = [
            {
                "article": r.article.source,
                "pack": str(r.pack.folder),
                "zip": str(r.pack.zip_path),
                "pack_id": r.manifest["pack_id"],
                "languages": r.manifest["languages"],
                "test_models": r.manifest["test_models"],
                "signature": r.manifest["signature"],
                "timings": r.timings,
            }
            for r in results
        ]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for result in results:
        if result.manifest["test_models"]:
            click.echo(
                "warning: built with test models — not a real translation; "
                "see README 'Getting real models'",
                err=True,
            )
        click.echo(str(result.pack.folder))


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
def translate(
    article: str,
    targets: tuple[str, ...],
    sentences: int | None,
    ratio: float | None,
    algorithm: str,
    language: str | None,
    encoding: str | None,
    models_dir: Path | None,
    device: str,
    beam: int,
    threads: int,
    model_family: tuple[str, ...],
    fmt: str,
) -> None:
    """Summarize FILE (or stdin) and translate its title and summary offline.

    Prints each language with the model (name, version) that translated it.
    """
    check_length(sentences, ratio)
    from briefpack.pipeline import translate_file

    article_obj, summary, translations = translate_file(
        article,
        targets,
        sentences=sentences,
        ratio=ratio,
        algorithm=algorithm,
        language=language,
        encoding=encoding,
        models_dir=models_dir,
        device=device,
        beam=beam,
        threads=threads,
        model_families=model_family,
    )
    if fmt == "json":
        payload: dict[str, Any] = {
            "source": article_obj.source,
            "source_language": summary.language,
            "title": summary.title,
            "sentences": list(summary.texts),
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
