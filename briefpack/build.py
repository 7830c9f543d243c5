"""`build()`: the product's main job, article files in, one verifiable pack per article out.

Every article is read and checked before any is built; then one `Builder`
(`briefpack.builder`) builds them in turn, or, with `jobs` > 1, articles are shared out to
that many worker processes (`briefpack.parallel`), each with its own Builder (models and
fonts loaded once per worker), or, given a `ClusterOptions`, to a Dask cluster's workers
(`briefpack.cluster_build`), the packs written here. Results come back in input order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.builder import Builder, BuildOptions, BuildResult
from briefpack.dates import resolve_date
from briefpack.errors import BriefpackError, ExitStatus, InputError, OptionError
from briefpack.ingest import ARTICLE_SUFFIXES
from briefpack.model import Article, Progress
from briefpack.options import ReadOptions, SummaryOptions, check_parallelism
from briefpack.pack import prepare_out_dir
from briefpack.pipeline import read_article, summarize_article

if TYPE_CHECKING:
    from briefpack.cluster import ClusterOptions

ARTICLES = "building packs"  # the progress label

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skipped:
    """An article left out under --keep-going, and why."""

    source: str
    error: str
    exit_status: int

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "error": self.error, "exit_status": self.exit_status}

    def line(self) -> str:
        """What stderr says of it: the error, led by the file name unless it says it."""
        shown = Path(self.source).name if self.source != "-" else "<stdin>"
        return self.error if shown in self.error else f"{self.source}: {self.error}"


def skip_or_raise(
    path: str | Path, exc: BriefpackError, keep_going: bool, skipped: list[Skipped]
) -> None:
    """With `keep_going`, an input error of one article is recorded in `skipped` (and
    logged); otherwise, and for any other error, it is raised."""
    if not keep_going or exc.exit_status != ExitStatus.INPUT_ERROR:
        raise exc
    skipped.append(Skipped(str(path), str(exc), int(exc.exit_status)))
    log.info("skipped %s: %s", path, exc)


def nothing_usable(count: int, skipped: Sequence[Skipped]) -> InputError:
    """The error when --keep-going left no article to build."""
    first = skipped[0].line() if skipped else ""
    noun = "article" if count == 1 else f"{count} articles"
    return InputError(
        f"none of the {noun} could be read or summarized, so nothing was written (first: {first})"
    )


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


def read_articles(
    paths: Sequence[str],
    options: ReadOptions,
    *,
    keep_going: bool = False,
    skipped: list[Skipped] | None = None,
    summary: SummaryOptions | None = None,
) -> list[tuple[Article, float]]:
    """Ingest every article, with the seconds each took; the first unusable one raises.

    With `keep_going`, unusable articles (also those that cannot be summarized with
    `summary`) are added to `skipped` instead, and the rest are returned.
    """
    articles = []
    for path in paths:
        start = time.perf_counter()
        try:
            article = read_article(path, options)
            if keep_going:
                summarize_article(article, summary)  # a few ms: fail now, not mid-build
        except BriefpackError as exc:
            skip_or_raise(path, exc, keep_going, skipped if skipped is not None else [])
            continue
        articles.append((article, time.perf_counter() - start))
    return articles


def build(
    paths: Sequence[str | Path],
    options: BuildOptions,
    jobs: int = 1,
    progress: Progress | None = None,
    *,
    keep_going: bool = False,
    skipped: list[Skipped] | None = None,
    cluster: ClusterOptions | None = None,
) -> list[BuildResult]:
    """Build one pack per article; models and fonts are loaded once per process.

    Every article is read and checked, and the output folder made, before any is built: a
    bad article or folder stops the build with nothing written. Folders stand for the
    articles inside them. `jobs` > 1 builds in that many worker processes (never more than
    there are articles), each running CTranslate2 on one thread unless the translate
    options' `threads` says otherwise. Results come back in the order of `paths`;
    `progress` hears (`ARTICLES`, packs written, articles) before the first and after each.

    With `keep_going`, an article that cannot be read or summarized is left out and added
    to `skipped` (a list the caller passes); if none is left, InputError.
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
    total = [len(files)]  # the articles to build, once the unusable ones are left out

    def counted(done: int) -> None:
        if progress is not None:
            progress(ARTICLES, done, total[0], unit="articles")

    local = jobs == 1 and cluster is None
    builder = Builder(options) if local else None  # starts loading WeasyPrint meanwhile
    try:
        found: list[Skipped] = [] if skipped is None else skipped
        articles = read_articles(
            files, options.read, keep_going=keep_going, skipped=found, summary=options.summary
        )
        if not articles:
            raise nothing_usable(len(files), found)
        total[0] = len(articles)
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

    jobs = min(jobs, len(articles))
    return build_in_pool([article for article, _ in articles], options, jobs, counted)
