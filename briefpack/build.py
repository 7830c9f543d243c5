"""`build()`: the product's main job, article files in, one verifiable pack per article out.

Every article is read and checked before any is built; then one `Builder`
(`briefpack.builder`) builds them in turn, or, with `jobs` > 1, articles are shared out to
that many worker processes (`briefpack.parallel`), each with its own Builder (models and
fonts loaded once per worker), or, given a `ClusterOptions`, to a Dask cluster's workers
(`briefpack.cluster_build`), the packs written here. Results come back in input order.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.builder import Builder, BuildOptions, BuildResult
from briefpack.dates import resolve_date
from briefpack.errors import InputError, OptionError
from briefpack.ingest import ARTICLE_SUFFIXES
from briefpack.model import Article, Progress
from briefpack.options import ReadOptions, check_parallelism
from briefpack.pack import prepare_out_dir
from briefpack.pipeline import read_article

if TYPE_CHECKING:
    from briefpack.cluster import ClusterOptions

ARTICLES = "building packs"  # the progress label


def collect_articles(paths: Sequence[str | Path]) -> list[str]:
    """The article files named: a folder stands for the article files directly inside it."""
    if not paths:
        raise InputError("no article given; pass one or more files")
    found: list[str] = []
    for path in paths:
        folder = Path(path)
        if str(path) != "-" and folder.is_dir():
            inside = sorted(
                str(f)
                for f in folder.iterdir()
                if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not inside:
                suffixes = ", ".join(ARTICLE_SUFFIXES)
                raise InputError(
                    f"{folder} is a folder with no article in it ({suffixes}); "
                    "give article files or a folder that holds them"
                )
            found += inside
        else:
            found.append(str(path))
    if found.count("-") > 1:
        raise InputError("stdin (-) can be given only once")
    return found


def read_articles(paths: Sequence[str], options: ReadOptions) -> list[tuple[Article, float]]:
    """Ingest every article, with the seconds each took; the first unusable one raises."""
    articles = []
    for path in paths:
        start = time.perf_counter()
        article = read_article(path, options)
        articles.append((article, time.perf_counter() - start))
    return articles


def build(
    paths: Sequence[str | Path],
    options: BuildOptions,
    jobs: int = 1,
    progress: Progress | None = None,
    cluster: ClusterOptions | None = None,
) -> list[BuildResult]:
    """Build one pack per article; models and fonts are loaded once per process.

    Every article is read and checked, and the output folder made, before any is built: a
    bad article or folder stops the build with nothing written. Folders stand for the
    articles inside them. `jobs` > 1 builds in that many worker processes (never more than
    there are articles), each running CTranslate2 on one thread unless the translate
    options' `threads` says otherwise. Results come back in the order of `paths`;
    `progress` hears (`ARTICLES`, packs written, articles) before the first and after each.
    With `cluster`, the articles are built on that Dask cluster's workers and the packs
    written here (`jobs` must then be 1: the workers set the parallelism).
    """
    check_parallelism(jobs, "--jobs", minimum=1)
    if cluster is not None and jobs != 1:
        raise OptionError("give --jobs or --scheduler, not both; the cluster's workers run jobs")
    if cluster is not None:
        from briefpack.cluster import import_distributed

        import_distributed()  # without the extra: one line on how to install it, first
    options = replace(options, date=resolve_date(options.date))  # one date for every article
    files = collect_articles(paths)
    jobs = min(jobs, len(files))

    def counted(done: int) -> None:
        if progress is not None:
            progress(ARTICLES, done, len(files), unit="articles")

    local = jobs == 1 and cluster is None
    builder = Builder(options) if local else None  # starts loading WeasyPrint meanwhile
    try:
        articles = read_articles(files, options.read)
        prepare_out_dir(options.out_dir)
        counted(0)
        if builder is not None:
            results = []
            for article, seconds in articles:
                results.append(builder.build(article, seconds))
                counted(len(results))
            return results
    finally:
        if builder is not None:
            builder.close()
    if cluster is not None:
        from briefpack.cluster_build import build_on_cluster

        return build_on_cluster(articles, options, cluster, counted)
    from briefpack.parallel import build_in_pool

    return build_in_pool([article for article, _ in articles], options, jobs, counted)
