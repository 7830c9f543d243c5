"""`make_digest()`: many articles in, ONE verifiable pack out, a PDF per language.

Steps: read every article (folders stand for the articles in them) and summarize it; group
the articles that report the same story (`briefpack.digest.similarity`); choose each
story's key points across its sources (`summarize_story`); translate every story into
every other language of the digest, one batched call per model (`translate_stories`);
render one PDF per language (the source languages, then the targets) with the build's
render helpers; write the pack atomically. With `keep_going`, an article that cannot be
read or summarized is skipped (and reported) instead of stopping the digest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.build import Skipped, collect_articles, nothing_usable, skip_or_raise
from briefpack.builder import Builder, BuildOptions, timed
from briefpack.dates import resolve_date
from briefpack.digest.manifest import (
    DigestManifest,
    DigestSettings,
    digest_pack_id,
    digest_signature,
    make_digest_manifest,
)
from briefpack.digest.similarity import MERGE_THRESHOLD, group_articles
from briefpack.digest.stories import (
    Story,
    StoryDraft,
    StoryJob,
    source_ref,
    summarize_story,
    translate_stories,
)
from briefpack.errors import BriefpackError, OptionError
from briefpack.manifest import FileRecord
from briefpack.model import Article, DigestPage, DigestStory, Progress, SourceRef, Summary
from briefpack.options import SummaryOptions
from briefpack.pack import Pack, file_records, pack_name, prepare_out_dir, write_pack
from briefpack.pipeline import read_article, summarize_article
from briefpack.system.text import strip_controls

if TYPE_CHECKING:
    from briefpack.cluster import ClusterOptions

log = logging.getLogger(__name__)

ORDERS = ("input", "sources")
# Summarized articles, with the file each was read from where known (outlet, date, URL).
Summarized = Sequence[tuple[Article, Summary]] | Sequence[tuple[Article, Summary, str]]
STORIES = "digest"  # the progress label


@dataclass(frozen=True)
class DigestOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    title: str = ""  # "" : "Daily digest" in each PDF's language
    order: str = "input"  # "sources": the most-reported stories first
    merge: bool = True
    keep_going: bool = False

    def __post_init__(self) -> None:
        if self.order not in ORDERS:
            raise OptionError(f"unknown story order {self.order!r}; use input or sources")


@dataclass(frozen=True)
class DigestResult:
    pack: Pack
    manifest: DigestManifest
    stories: tuple[Story, ...]
    skipped: tuple[Skipped, ...]
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.manifest.languages

    def to_json(self) -> dict[str, object]:
        return {
            "pack": str(self.pack.folder),
            "zip": str(self.pack.zip_path),
            "pack_id": self.manifest.pack_id,
            "languages": list(self.languages),
            "test_models": self.manifest.test_models,
            "stories": [
                {"headline": s.headline, "sources": [a.source for a in s.draft.articles]}
                for s in self.stories
            ],
            "skipped": [s.to_dict() for s in self.skipped],
            "timings": self.timings,
        }


def read_and_summarize(
    files: Sequence[str], options: BuildOptions, keep_going: bool, skipped: list[Skipped]
) -> list[tuple[Article, Summary, str]]:
    """Each usable article with its summary and file; unusable ones raise, or with
    `keep_going` are added to `skipped`."""
    done = []
    for path in files:
        try:
            article = read_article(path, options.read)
            done.append((article, summarize_article(article, options.summary), path))
        except BriefpackError as exc:
            skip_or_raise(path, exc, keep_going, skipped)
    return done


def plan_groups(
    read: Summarized,
    threshold: float | None = MERGE_THRESHOLD,
    order: str = "input",
) -> list[list[int]]:
    """Which of the summarized articles `read` make each story (indexes into `read`), in
    `order` ("sources": the most-reported first, input order among equals)."""
    groups = group_articles([item[0] for item in read], threshold)
    if order == "sources":
        groups.sort(key=lambda g: -len(g))  # stable
    return groups


def story_sources(
    read: Summarized,
    group: Sequence[int],
) -> tuple[SourceRef, ...]:
    """How the digest lists each article of a story, its outlet, date and URL read from its
    file (where there is one)."""
    items = [read[i] for i in group]
    return tuple(source_ref(item[0], item[2] if len(item) > 2 else None) for item in items)


def plan_stories(
    read: Summarized,
    summary: SummaryOptions,
    threshold: float | None = MERGE_THRESHOLD,
    order: str = "input",
) -> list[StoryDraft]:
    """The stories of the summarized articles `read`: grouped (`threshold` None: one story
    per article), key points chosen across each story's sources, in `order`."""
    return story_drafts(read, plan_groups(read, threshold, order), summary)


def story_drafts(
    read: Summarized,
    groups: Sequence[Sequence[int]],
    summary: SummaryOptions,
) -> list[StoryDraft]:
    """Each group of `read` as a story, its key points chosen across its sources."""
    return [
        summarize_story(
            [read[i][0] for i in group],
            [read[i][1] for i in group],
            summary,
            story_sources(read, group),
        )
        for group in groups
    ]


def translated_stories(
    read: Sequence[tuple[Article, Summary, str]],
    groups: Sequence[Sequence[int]],
    languages: tuple[str, ...],
    builder: Builder,
    cluster: ClusterOptions | None = None,
    progress: Progress | None = None,
) -> list[Story]:
    """Every story summarized and translated into every other language, model digests
    filled in: here, all at once (one batched call per model), or on the `cluster`, one
    task per story (`briefpack.digest.cluster`)."""
    build = builder.options
    if cluster is not None:
        from briefpack.digest.cluster import stories_on_cluster

        translate = build.for_worker().translate  # one CTranslate2 thread per worker
        jobs = [
            StoryJob(
                articles=tuple(read[i][0] for i in group),
                summary=build.summary,
                translate=translate,
                languages=languages,
                summaries=tuple(read[i][1] for i in group),
                sources=story_sources(read, group),
            )
            for group in groups
        ]
        return stories_on_cluster(jobs, cluster, progress)
    drafts = story_drafts(read, groups, build.summary)
    return [
        replace(story, translations=tuple(builder.with_digests(story.translations)))
        for story in translate_stories(drafts, languages, builder.engine)
    ]


def make_digest(
    paths: Sequence[str | Path],
    options: DigestOptions,
    progress: Progress | None = None,
    *,
    cluster: ClusterOptions | None = None,
) -> DigestResult:
    """One digest pack of the articles `paths` name (folders: the articles in them).

    With `cluster`, each story is summarized and translated on that Dask cluster's workers
    (`briefpack.digest.cluster`); the pack is rendered and written here."""
    # The title is shown in every PDF and names the pack: one line, no control characters.
    options = replace(options, title=" ".join(strip_controls(options.title).split()))
    build = replace(options.build, date=resolve_date(options.build.date))
    date = str(build.date)
    if cluster is not None:
        from briefpack.cluster import import_distributed

        import_distributed()  # without the extra: one line on how to install it, first
    files = collect_articles(paths)
    timings: dict[str, float] = {}
    skipped: list[Skipped] = []
    builder = Builder(build)  # starts the render helpers while articles are read
    try:
        if progress is not None:
            progress(STORIES, 0, 4, unit="steps")
        with timed(timings, "summarize"):
            read = read_and_summarize(files, build, options.keep_going, skipped)
        if not read:
            raise nothing_usable(len(files), skipped)
        prepare_out_dir(build.out_dir)
        threshold = MERGE_THRESHOLD if options.merge else None
        with timed(timings, "group"):
            groups = plan_groups(read, threshold, options.order)
        # A story's language is its first article's (`summarize_story`).
        first = [read[group[0]][1].language for group in groups]
        languages = tuple(dict.fromkeys([*first, *build.translate.targets]))
        if progress is not None:
            progress(STORIES, 1, 4, unit="steps")
        with timed(timings, "translate"):
            stories = translated_stories(read, groups, languages, builder, cluster, progress)
        if progress is not None:
            progress(STORIES, 2, 4, unit="steps")
        renderer = builder.rendering.start(timings)
        settings = DigestSettings(options.title, options.order, threshold)
        signature = digest_signature(stories, languages, date=date, renderer=renderer)
        pid = digest_pack_id(stories, settings, signature)
        pages = [
            digest_page(stories, code, languages, options.title, date, pid) for code in languages
        ]
        pdfs = builder.rendering.render(pages, timings)
        if progress is not None:
            progress(STORIES, 3, 4, unit="steps")
        with timed(timings, "pack"):
            files_out = digest_files(pages, pdfs)
            manifest = make_digest_manifest(stories, languages, settings, signature, renderer, pid)
            manifest = replace(
                manifest, files=tuple(FileRecord(**r) for r in file_records(files_out))
            )
            title = options.title or "daily digest"
            name = pack_name(title, date, pid)
            pack = write_pack(
                build.out_dir, name, files_out, manifest.to_dict(), date, force=build.force
            )
        if progress is not None:
            progress(STORIES, 4, 4, unit="steps")
    finally:
        builder.close()
    log.info("wrote %s", pack.folder)
    log.info("timings: %s", ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return DigestResult(pack, manifest, tuple(stories), tuple(skipped), timings)


def digest_page(
    stories: Sequence[Story],
    language: str,
    languages: Sequence[str],
    title: str,
    date: str,
    pid: str,
) -> DigestPage:
    """What the `language` PDF shows."""
    entries = []
    for story in stories:
        headline, points, translation = story.in_language(language)
        entries.append(
            DigestStory(headline, points, story.draft.sources, story.language, translation)
        )
    return DigestPage(language, title, date, pid, tuple(entries), tuple(languages))


def digest_files(pages: Sequence[DigestPage], pdfs: Sequence[bytes]) -> dict[str, bytes]:
    """Per language a PDF and its Markdown, and the index page linking them."""
    from briefpack.render import render_index
    from briefpack.render.digest import digest_markdown, page_title
    from briefpack.render.strings import language_name

    files: dict[str, bytes] = {}
    rows = []
    for page, pdf in zip(pages, pdfs, strict=True):
        code = page.language
        files[f"digest-{code}.pdf"] = pdf
        files[f"digest-{code}.md"] = digest_markdown(page).encode()
        rows.append((code, language_name(code, code), f"digest-{code}.pdf", f"digest-{code}.md"))
    files["index.html"] = render_index(
        page_title(pages[0]), pages[0].date, pages[0].pack_id, rows
    ).encode()
    return files
