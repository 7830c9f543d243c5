"""Which wires are one story: rewrites merge, other reports on the same topic do not."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from briefpack.digest.build import plan_stories
from briefpack.digest.similarity import MERGE_THRESHOLD, group_articles, repeats, similarities
from briefpack.digest.stories import StoryJob, story_work, translate_stories
from briefpack.options import SummaryOptions, TranslateOptions
from briefpack.pipeline import make_engine, read_article, summarize_article

HERE = Path(__file__).parent
WIRES, TOPIC, MIXED = HERE / "wires", HERE / "topic", HERE / "mixed"
LINDMARK = ("01-lindmark-flood.txt", "09-wire-b-lindmark.txt", "10-wire-c-lindmark.txt")


def read(*paths: Path):
    return [read_article(p) for p in paths]


def test_rewrites_of_one_report_are_above_the_threshold() -> None:
    articles = read(*(WIRES / name for name in LINDMARK))
    matrix = similarities(articles)
    pairs = [matrix[0][1], matrix[0][2], matrix[1][2]]
    assert min(pairs) >= MERGE_THRESHOLD + 0.05, pairs
    assert group_articles(articles) == [[0, 1, 2]]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (WIRES / "02-corvenia-rates.txt", TOPIC / "nordmark-rates.txt"),  # two rate decisions
        (WIRES / "01-lindmark-flood.txt", WIRES / "08-ostvale-storm.txt"),  # two floods
        (WIRES / "01-lindmark-flood.txt", TOPIC / "lindmark-insurers.txt"),  # a follow-up
    ],
)
def test_different_reports_on_one_topic_stay_apart(first: Path, second: Path) -> None:
    articles = read(first, second)
    assert similarities(articles)[0][1] < MERGE_THRESHOLD - 0.1
    assert group_articles(articles) == [[0], [1]]


def test_the_whole_set_groups_into_its_stories_and_no_merge_keeps_them_apart() -> None:
    paths = sorted(WIRES.glob("[01]*.txt"))[:-1] + sorted(TOPIC.glob("*.txt"))
    articles = read(*paths)
    groups = group_articles(articles)
    names = [[paths[i].name for i in group] for group in groups]
    assert list(LINDMARK) in names
    assert len(groups) == len(paths) - 2
    assert group_articles(articles, None) == [[i] for i in range(len(paths))]


def test_articles_in_different_languages_never_merge() -> None:
    articles = read(MIXED / "de-faehre.txt", WIRES / "01-lindmark-flood.txt")
    assert similarities(articles)[0][1] == 0.0


def _read_summarized(names, options=None):
    articles = read(*(WIRES / n for n in names))
    return [(a, summarize_article(a, options or SummaryOptions())) for a in articles]


def test_key_points_come_from_several_sources_and_never_repeat() -> None:
    (story,) = plan_stories(_read_summarized(LINDMARK), SummaryOptions())
    assert len(story.points) == 3
    assert [s.name for s in story.sources] == list(LINDMARK)
    from_first = set(story.summaries[0].texts)
    assert any(p not in from_first for p in story.points)  # a later wire contributed
    for i, point in enumerate(story.points):
        from briefpack.digest.similarity import point_vector

        others = [point_vector(p, "en") for j, p in enumerate(story.points) if j != i]
        assert not repeats(point, others, "en")


def test_order_sources_puts_the_most_reported_story_first() -> None:
    names = ("02-corvenia-rates.txt", "03-malaria-vaccine.txt", *LINDMARK)
    read_ = _read_summarized(names)
    by_input = plan_stories(read_, SummaryOptions())
    by_sources = plan_stories(read_, SummaryOptions(), order="sources")
    assert [len(d.articles) for d in by_input] == [1, 1, 3]
    assert [d.headline for d in by_sources] == [
        by_input[2].headline,
        by_input[0].headline,
        by_input[1].headline,
    ]


def test_each_story_is_translated_from_its_own_language(models_dir: Path) -> None:
    """A German and an English story into en, de, ru: the German one through English."""
    read_ = [(a, summarize_article(a)) for a in read(MIXED / "de-faehre.txt", WIRES / LINDMARK[0])]
    drafts = plan_stories(read_, SummaryOptions())
    engine = make_engine(TranslateOptions(targets=("ru",)))
    german, english = translate_stories(drafts, ("de", "en", "ru"), engine)
    assert [t.language for t in german.translations] == ["en", "ru"]
    assert [t.language for t in english.translations] == ["de", "ru"]
    ru = german.translations[1]
    assert (ru.source_language, ru.pivot) == ("de", "en")
    assert [m.name for m in ru.models] == ["translate-de_en", "translate-en_ru"]
    headline, points, translation = german.in_language("de")
    assert (headline, points, translation) == (german.headline, german.draft.points, None)
    assert len(english.in_language("de")[1]) == len(english.draft.points)


def test_story_work_is_picklable_and_gives_what_the_batched_path_gives(
    models_dir: Path,
) -> None:
    """The per-story job a cluster worker would run equals the batched digest's story."""
    read_ = _read_summarized(LINDMARK)
    articles = tuple(a for a, _s in read_)
    job = StoryJob(articles, SummaryOptions(), TranslateOptions(), ("en", "ru", "uk", "de"))
    story = story_work(pickle.loads(pickle.dumps(job)))
    again = pickle.loads(pickle.dumps(story))
    (draft,) = plan_stories(read_, SummaryOptions())
    (batched,) = translate_stories([draft], job.languages, make_engine(TranslateOptions()))
    assert again.draft == batched.draft
    assert [(t.language, t.title, t.sentences) for t in again.translations] == [
        (t.language, t.title, t.sentences) for t in batched.translations
    ]
