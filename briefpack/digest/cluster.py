"""`briefpack digest --scheduler ADDRESS`: each story summarized and translated on a Dask
cluster's workers; the digest rendered and written where it was called.

The calling process reads and summarizes every article (a bad one stops the digest before
anything is sent, or is skipped with --keep-going), groups them into stories and reads each
source's outlet, date and URL from its file. Each story then goes to a worker as a
`StoryJob` (its articles' text and summaries, not their files); the worker chooses its key
points and translates it into every other language of the digest with the models of its
own store, loaded once per worker process (`story_work`), and sends the `Story` back. The
PDFs are rendered here, once every story is in: nothing is written before that, so a
failed story, a lost scheduler or Ctrl-C leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing

from briefpack.cluster import ClusterOptions, run_on_cluster
from briefpack.digest.stories import Story, StoryJob, story_work
from briefpack.model import Progress

ON_CLUSTER = "stories on the cluster"  # the progress label


def stories_on_cluster(
    jobs: Sequence[StoryJob], cluster: ClusterOptions, progress: Progress | None = None
) -> list[Story]:
    """Every job's story, in the order of `jobs`; the first story that fails raises its
    error (the rest are cancelled)."""
    stories: list[Story] = []
    if progress is not None:
        progress(ON_CLUSTER, 0, len(jobs), unit="stories")
    outcomes = run_on_cluster(cluster, story_work, jobs, name="briefpack-digest", noun="story")
    with closing(outcomes):
        for outcome in outcomes:
            stories.append(outcome.get())
            if progress is not None:
                progress(ON_CLUSTER, len(stories), len(jobs), unit="stories")
    return stories
