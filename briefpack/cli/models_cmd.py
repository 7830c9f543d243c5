"""`briefpack models`: list, install, import and download translation models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from translations.store import ModelStore, Package

_MODELS_OPTION = click.option(
    "--models",
    "models_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder to search first (and install into).",
)


_JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def _store(models_dir: Path | None) -> ModelStore:
    from translations.store import ModelStore

    return ModelStore.from_env(models_dir)


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


@click.group()
def models() -> None:
    """List, install and download translation models (Argos Translate packages).

    Models are searched in --models DIR, then BRIEFPACK_MODELS (folders separated by
    the path separator), then ARGOS_PACKAGES_DIR or the Argos default folder
    ($XDG_DATA_HOME/argos-translate/packages). New models go into the first of these.
    """


@models.command("list")
@_JSON_OPTION
@_MODELS_OPTION
def list_models(as_json: bool, models_dir: Path | None) -> None:
    """List installed models and the pairs reachable through English."""
    from briefpack.system.text import escape_controls
    from translations.store import package_size

    store = _store(models_dir)
    packages = store.packages()
    chosen = store.active()
    active = {pair: p.info.path for pair, p in chosen.items()}
    rows: list[dict[str, Any]] = [
        {
            "pair": f"{p.info.from_code}-{p.info.to_code}",
            "from_code": p.info.from_code,
            "to_code": p.info.to_code,
            "name": p.info.name,
            "languages": f"{p.from_name} -> {p.to_name}",
            "version": p.info.version,
            "size": package_size(p.info.path),
            "folder": str(p.info.path),
            "test_model": p.info.test_model,
            "family": p.info.family,
            "licence": p.info.licence,
            "non_commercial": p.info.non_commercial,
            "active": active.get(p.pair) == p.info.path,
        }
        for p in packages
    ]
    pivots: list[dict[str, Any]] = [
        {
            "pair": f"{r.source}-{r.target}",
            "from_code": r.source,
            "to_code": r.target,
            "pivot": r.pivot,
            "models": [p.info.name for p in r.packages],
        }
        for r in store.pivot_routes()
    ]
    if as_json:
        report = {
            "search_dirs": [str(d) for d in store.search_dirs],
            "install_dir": str(store.install_dir),
            "packages": rows,
            "pivot_pairs": pivots,
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No translation models installed. Searched:")
        for folder in store.search_dirs:
            click.echo(f"  {folder}")
        click.echo("Install with `briefpack models install FILE.argosmodel`.")
        return
    for row in rows:
        notes = ["test model"] if row["test_model"] else []
        if row["family"] != "argos":
            notes.append(row["family"] + (f", {row['licence']}" if row["licence"] else ""))
        if row["non_commercial"]:
            notes.append("non-commercial use only")
        if not row["active"]:
            used = chosen[(row["from_code"], row["to_code"])].info
            if used.family == row["family"] and used.path.parent != Path(row["folder"]).parent:
                notes.append("shadowed by an earlier folder")
            else:
                notes.append(f"not used: {used.name} {used.version} serves this pair")
        note = f"  [{', '.join(notes)}]" if notes else ""
        line = (
            f"{row['pair']:<7} {row['languages']:<28} {row['version']:<10} "
            f"{_human_size(row['size']):>9}  {row['folder']}{note}"
        )
        click.echo(escape_controls(line))  # names and versions come from metadata.json
    for pivot in pivots:
        click.echo(f"{pivot['pair']:<7} through {pivot['pivot']}: {' + '.join(pivot['models'])}")


def _package_record(package: Package) -> dict[str, Any]:
    info = package.info
    return {
        "pair": f"{info.from_code}-{info.to_code}",
        "name": info.name,
        "version": info.version,
        "folder": str(info.path),
        "test_model": info.test_model,
        "family": info.family,
        "licence": info.licence,
        "non_commercial": info.non_commercial,
    }


@models.command("install")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_MODELS_OPTION
@click.option("--replace", is_flag=True, help="Replace an installed model for the same pair.")
@_JSON_OPTION
def install_models(
    files: tuple[Path, ...], models_dir: Path | None, replace: bool, as_json: bool
) -> None:
    """Install .argosmodel files: all are checked first, and if any is bad none is installed."""
    from briefpack.cli.progress import progress_bars, wanted

    store = _store(models_dir)
    with progress_bars(wanted(as_json=as_json)) as progress:
        installed = store.install(files, replace=replace, progress=progress)
    if as_json:
        report = [_package_record(p) for p in installed]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for package in installed:
        info = package.info
        click.echo(f"installed {info.from_code}-{info.to_code} {info.version} into {info.path}")


@models.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--from", "source", metavar="CODE", help="Source language (ISO 639-1, e.g. en).")
@click.option(
    "--to", "targets", metavar="CODES", default="", help="Target languages, comma separated."
)
@click.option("--name", default=None, help="Name to show for the model (default: derived).")
@_MODELS_OPTION
@click.option("--replace", is_flag=True, help="Replace an installed model of the same name.")
@_JSON_OPTION
def import_models(
    path: Path,
    source: str | None,
    targets: str,
    name: str | None,
    models_dir: Path | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Import an OPUS-MT / Tatoeba release (.zip or its folder), or a CTranslate2 folder
    converted from NLLB-200 or M2M-100, as a model package (see docs/models.md).

    OPUS-MT releases name their languages; for NLLB-200 and M2M-100 give --from and --to.
    """
    from translations.importer import import_model

    wanted = tuple(t.strip().lower() for t in targets.split(",") if t.strip())
    packages = import_model(
        path,
        _store(models_dir),
        source=source.strip().lower() if source else None,
        targets=wanted,
        name=name,
        replace=replace,
    )
    if as_json:
        report = [_package_record(p) for p in packages]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for package in packages:
        info = package.info
        licence = f", {info.licence}" if info.licence else ""
        click.echo(
            f"imported {info.from_code}-{info.to_code} {info.name} {info.version} "
            f"({info.family}{licence}) into {info.path}"
        )
    if any(p.info.non_commercial for p in packages):
        click.echo(
            f"note: {packages[0].info.licence}: these weights are for non-commercial use only",
            err=True,
        )


@models.command("download")
@click.argument("specs", nargs=-1, required=True, metavar="FROM:TO[,TO...]...")
@_MODELS_OPTION
@click.option(
    "--index-url",
    help="Package index to use (default: BRIEFPACK_INDEX_URL, else the Argos index).",
)
@_JSON_OPTION
def download_models(
    specs: tuple[str, ...], models_dir: Path | None, index_url: str | None, as_json: bool
) -> None:
    """Download models from the Argos package index, e.g. `en:ru,uk,de`.

    The only briefpack command that uses the network.
    """
    from briefpack.cli.progress import progress_bars, wanted
    from translations.download import download

    with progress_bars(wanted(as_json=as_json)) as progress:
        results = download(specs, _store(models_dir), url=index_url, progress=progress)
    if as_json:
        report = [
            {**_package_record(r.package), "pair": "-".join(r.pair), "status": r.status}
            for r in results
        ]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for result in results:
        source, target = result.pair
        info = result.package.info
        click.echo(f"{result.status}: {source}-{target} {info.version} ({info.path})")
