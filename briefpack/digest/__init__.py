"""The daily digest: many articles, one pack, one PDF per language.

    >>> from briefpack.digest import DigestOptions, make_digest
    >>> result = make_digest(["wires/"], DigestOptions(title="Morning briefing"))

`make_digest` (`briefpack.digest.build`) runs it; `story_work` (`briefpack.digest.stories`)
is one story's summarize-and-translate as a plain function of picklable values, for
workers; `group_articles` (`briefpack.digest.similarity`) decides which articles are one
story. docs/digest.md describes the PDF and the similarity measure.
"""

from briefpack.build import Skipped
from briefpack.digest.build import DigestOptions, DigestResult, make_digest
from briefpack.digest.similarity import MERGE_THRESHOLD, group_articles
from briefpack.digest.stories import Story, StoryJob, story_work

__all__ = [
    "MERGE_THRESHOLD",
    "DigestOptions",
    "DigestResult",
    "Skipped",
    "Story",
    "StoryJob",
    "group_articles",
    "make_digest",
    "story_work",
]
