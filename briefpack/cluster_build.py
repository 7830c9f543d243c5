"""`briefpack build --scheduler ADDRESS`: articles built on a Dask cluster's workers.

The calling process reads and checks every article (as for a local build) and sends each
one, as its bytes and metadata, to the workers with the build options; each worker makes
the pack in memory with a `Builder` it keeps per thread (models, summarizer and renderer
loaded once, from the worker's own model store) and sends back the pack's files
(`briefpack.builder.Made`). This process writes them, atomically, in the order of the
articles: byte-identical to a local build when the workers hold the same models and
briefpack. The first article that fails (in that order) stops the build with its error,
as a local build does; the rest are cancelled. See `briefpack.cluster` and docs/cluster.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from briefpack.builder import Builder, BuildOptions, BuildResult, Made
from briefpack.cluster import ClusterOptions, checkout, run_on_cluster
from briefpack.model import Article


def build_on_cluster(
    articles: Sequence[tuple[Article, float]],
    options: BuildOptions,
    cluster: ClusterOptions,
    counted: Callable[[int], None] | None = None,
) -> list[BuildResult]:
    """Build each (article, ingest seconds) on the cluster; write the packs here, in order,
    `counted` told how many are written after each."""
    fn = functools.partial(make_on_worker, worker_options(options))
    results = []
    outcomes = run_on_cluster(cluster, fn, articles, name="briefpack-build", noun="article")
    with closing(outcomes):
        for outcome in outcomes:
            made = outcome.get()  # the first failing article raises; the rest are cancelled
            results.append(made.write(options.out_dir, options.force))
            if counted is not None:
                counted(len(results))
    return results


def worker_options(options: BuildOptions) -> BuildOptions:
    """The options a worker builds with (`BuildOptions.for_worker`); where to write is this
    process's business (so one kept Builder serves every --out)."""
    return replace(options.for_worker(), out_dir=Path("."), force=False)


def make_on_worker(options: BuildOptions, item: tuple[Article, float]) -> Made:
    """On a worker: the article's pack, in memory (`Builder.make`)."""
    article, ingest_seconds = item
    with checkout(("build", options), functools.partial(Builder, options)) as builder:
        return builder.make(article, ingest_seconds)
