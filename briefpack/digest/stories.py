"""Stories: articles about one event, summarized together and translated.

`story_work` is the whole per-story job as one plain function of picklable values
(`StoryJob` in, `Story` out): summarize the story's articles, choose its key points across
them, translate it into every other language of the digest. `digest --scheduler` sends
each story to a Dask worker with it (`briefpack.digest.cluster`). A digest made here does
the same steps for all stories at once, so that every language gets ONE batched
translation call (`summarize_story` for each story, then `translate_stories`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.digest.similarity import point_vector, repeats
from briefpack.model import Article, SourceRef, Summary, Translation
from briefpack.options import SummaryOptions, TranslateOptions
from briefpack.pipeline import summarize_article

if TYPE_CHECKING:
    from translations import Engine


@dataclass(frozen=True)
class StoryDraft:
    """A story summarized in its own language, not yet translated."""

    headline: str
    points: tuple[str, ...]
    language: str
    articles: tuple[Article, ...]  # its sources, in input order; the first gives the headline
    summaries: tuple[Summary, ...]  # each source's own summary (recorded in the manifest)
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Story:
    """A story with its translations into every other language of the digest."""

    draft: StoryDraft
    translations: tuple[Translation, ...]

    @property
    def headline(self) -> str:
        return self.draft.headline

    @property
    def language(self) -> str:
        return self.draft.language

    def in_language(self, language: str) -> tuple[str, tuple[str, ...], Translation | None]:
        """(headline, key points, translation or None) in `language`."""
        if language == self.language:
            return self.draft.headline, self.draft.points, None
        for translation in self.translations:
            if translation.language == language:
                return translation.title, translation.sentences, translation
        raise KeyError(language)


@dataclass(frozen=True)
class StoryJob:
    """One story's work: its articles (summaries optional, made when absent), the settings,
    and every language of the digest (the story is translated into all but its own)."""

    articles: tuple[Article, ...]
    summary: SummaryOptions
    translate: TranslateOptions
    languages: tuple[str, ...]
    summaries: tuple[Summary, ...] = ()
    # What the digest lists of each article, made where its file is (`source_ref`): a
    # worker has the article's text, not its file. Default: file name and title alone.
    sources: tuple[SourceRef, ...] = ()


def story_work(job: StoryJob) -> Story:
    """Summarize and translate one story: a plain function of picklable values, for a
    worker process or a cluster (models load once per process and thread, see
    `briefpack.cluster.checkout`); each model's package digest is filled in."""
    from briefpack.builder import Builder, BuildOptions
    from briefpack.cluster import checkout

    summaries = job.summaries or tuple(summarize_article(a, job.summary) for a in job.articles)
    draft = summarize_story(job.articles, summaries, job.summary, job.sources)
    options = BuildOptions(translate=job.translate, render_processes=0)  # it renders nothing
    with checkout(("story", job.translate), functools.partial(Builder, options)) as builder:
        (story,) = translate_stories([draft], job.languages, builder.engine)
        return replace(story, translations=tuple(builder.with_digests(story.translations)))


def source_ref(article: Article, path: str | Path | None = None) -> SourceRef:
    """What a digest lists of a source: its file name, title and, when known (read from
    the file at `path`), its outlet, date and URL."""
    from briefpack.digest.sources import source_details

    details = source_details(article, path) if path is not None else ("", "", "")
    return SourceRef(article.source, article.title, article.language, *details)


def summarize_story(
    articles: Sequence[Article],
    summaries: Sequence[Summary],
    options: SummaryOptions,
    sources: Sequence[SourceRef] = (),
) -> StoryDraft:
    """One story from its articles and their summaries: the first article's headline, and
    as many key points as its summary has, chosen across all sources without repeats.
    `sources` lists the articles as the digest shows them (default: `source_ref(article)`).

    Candidates are taken by rank in turn from each source (its best sentence, then the next
    source's best, ...), dropping any that says what a chosen point says (stemmed content
    words, cosine >= `REPEAT_THRESHOLD`); the points keep source order, then article order.
    """
    first = summaries[0]
    wanted = len(first.sentences)
    ranked: list[list[tuple[int, int, str]]] = []  # per source: (source, index, text), best first
    for position, (article, summary) in enumerate(zip(articles, summaries, strict=True)):
        if len(articles) > 1 and position > 0:
            # Later sources offer more candidates: some will say what is already chosen.
            more = replace(options, sentences=max(2 * wanted, 1), ratio=None)
            summary = summarize_article(article, more)
        best = sorted(summary.sentences, key=lambda s: (-s.score, s.index))
        ranked.append([(position, s.index, s.text) for s in best])
    language = first.language
    chosen: list[tuple[int, int, str]] = []
    vectors: list[dict[str, float]] = []
    for rank in range(max(len(r) for r in ranked)):
        for candidates in ranked:
            if len(chosen) == wanted or rank >= len(candidates):
                continue
            candidate = candidates[rank]
            if chosen and repeats(candidate[2], vectors, language):
                continue
            chosen.append(candidate)
            vectors.append(point_vector(candidate[2], language))
    chosen.sort()
    return StoryDraft(
        headline=first.headline,
        points=tuple(text for _s, _i, text in chosen),
        language=language,
        articles=tuple(articles),
        summaries=tuple(summaries),
        sources=tuple(sources) or tuple(source_ref(a) for a in articles),
    )


def translate_stories(
    drafts: Sequence[StoryDraft], languages: Sequence[str], engine: Engine
) -> list[Story]:
    """Every story in every language but its own: per source language, the headlines and
    key points of all its stories go through one batched call per model (see
    `translations.translate_many`), then are cut back into stories."""
    from translations import translate_many

    done: dict[int, list[Translation]] = {i: [] for i in range(len(drafts))}
    for language in dict.fromkeys(d.language for d in drafts):
        members = [i for i, d in enumerate(drafts) if d.language == language]
        wanted = [code for code in languages if code != language]
        if not wanted:
            continue
        batch = [text for i in members for text in (drafts[i].headline, *drafts[i].points)]
        for translation in translate_many(batch[0], batch[1:], language, wanted, engine=engine):
            texts = [translation.title, *translation.sentences]
            start = 0
            for i in members:
                size = 1 + len(drafts[i].points)
                piece = texts[start : start + size]
                start += size
                done[i].append(replace(translation, title=piece[0], sentences=tuple(piece[1:])))
    return [Story(draft, tuple(done[i])) for i, draft in enumerate(drafts)]
