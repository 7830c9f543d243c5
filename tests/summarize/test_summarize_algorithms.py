"""Every algorithm: N sentences in article order with scores; lead-plus's repairs; the numpy
re-implementations give sumy's rankings; long inputs; `ratio`."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bench.summarize_speed import synthetic_article, synthetic_sentences
from briefpack.errors import InputError
from summarize import ALGORITHM_NAMES, DEFAULT_ALGORITHM, algorithms, sentence_count, summarize
from summarize.centrality import lead_plus_scores

# Written for this test: a short news item, 10 sentences.
ARTICLE = (
    "The harbour authority of Port Elsin closed the northern quay on Tuesday after a crane "
    "collapsed onto a container ship during heavy winds. "
    "No one was injured, the authority said in a statement issued late in the evening. "
    "Engineers will inspect the remaining cranes on the quay before any of them is used again. "
    "The collapsed crane was installed in 1998 and had passed its last safety inspection in "
    "March. "
    "Shipping companies were told to expect delays of up to four days for cargo bound for the "
    "northern quay. "
    "Three vessels waiting offshore were redirected to the southern terminal, which has spare "
    "capacity this week. "
    "The dock workers' union called for an independent inquiry into maintenance at the port. "
    "A spokesperson for the harbour authority said an inquiry would be considered. "
    "Wind speeds at the harbour reached ninety kilometres an hour on Tuesday afternoon. "
    "The northern quay handles about a third of the port's container traffic."
)


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_every_algorithm_returns_n_sentences_in_article_order(algorithm: str) -> None:
    summary = summarize(ARTICLE, "en", algorithm=algorithm, sentences=3)
    indices = [s.index for s in summary.sentences]
    assert len(indices) == 3
    assert indices == sorted(indices)
    assert summary.total_sentences == 10
    assert all(isinstance(s.score, float) for s in summary.sentences)
    assert summary.algorithm == algorithm


def test_default_is_lead_plus() -> None:
    assert DEFAULT_ALGORITHM == "lead-plus"
    assert summarize(ARTICLE, algorithm="default").algorithm == "lead-plus"
    assert [s.index for s in summarize(ARTICLE).sentences] == [0, 1, 3]


def test_short_sentences_shrink() -> None:
    # Sentence 0 has 9 content words; sentence 1 has 3 (injured, authority, statement), so it
    # keeps 3/8 of its positional score 1/2.
    scores = lead_plus_scores(
        [
            "The harbour authority closed the northern quay after a crane collapsed in heavy winds.",
            "No one was injured, the authority said in a statement.",
        ],
        "",
        "en",
    )
    assert scores == [1.0, pytest.approx(0.5 * 3 / 8)]


@pytest.mark.parametrize("copy_at", [1, 2, 4])
def test_near_duplicate_never_joins_its_original(copy_at: int) -> None:
    sentences = ARTICLE.split(". ")
    near_copy = "On Tuesday the harbour authority of Port Elsin closed its northern quay after a "
    near_copy += "crane collapsed onto a container ship in heavy winds"
    sentences.insert(copy_at, near_copy)
    text = ". ".join(sentences)
    for count in (2, 3, 5):
        chosen = {s.index for s in summarize(text, sentences=count).sentences}
        assert not {0, copy_at} <= chosen
        assert len(chosen) == count


def test_default_on_a_5000_sentence_article_returns_3_sentences() -> None:
    summary = summarize(synthetic_article(5000), "en", sentences=3)
    assert len(summary.sentences) == 3
    assert summary.total_sentences > 4900


def test_synthetic_text_is_deterministic() -> None:
    assert synthetic_sentences(50, seed=3) == synthetic_sentences(50, seed=3)
    assert synthetic_sentences(50, seed=3) != synthetic_sentences(50, seed=4)


def _ranking(scores: Sequence[float]) -> list[int]:
    return sorted(range(len(scores)), key=lambda i: (-round(scores[i], 9), i))


FAST = sorted(algorithms.FAST_ABOVE)


@pytest.mark.parametrize("algorithm", FAST)
@pytest.mark.parametrize("seed", [1, 2])
def test_fast_path_ranks_like_sumy(algorithm: str, seed: int) -> None:
    sentences = synthetic_sentences(60, seed=seed)
    sentences[40] = sentences[7]  # a repeated sentence: sumy's ratings are keyed by text
    title = "Kalomi renvel dortin quabre"
    plain = algorithms._run_sumy(algorithm, sentences, title, "en")
    fast = algorithms._FAST[algorithm](sentences, title, "en")
    assert _ranking(fast) == _ranking(plain)
    assert fast == pytest.approx(plain, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("algorithm", FAST)
def test_long_inputs_take_the_fast_path(algorithm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def fake(sentences: Sequence[str], title: str, language: str) -> list[float]:
        calls.append(len(sentences))
        return [0.0] * len(sentences)

    monkeypatch.setitem(algorithms._FAST, algorithm, fake)
    rank = algorithms.registry()[algorithm]
    limit = algorithms.FAST_ABOVE[algorithm]
    rank(synthetic_sentences(limit + 1), "", "en")
    assert calls == [limit + 1]


def test_ratio_picks_a_share_of_the_sentences() -> None:
    summary = summarize(ARTICLE, ratio=0.25)
    assert len(summary.sentences) == 3  # ceil(10 * 0.25)
    assert summary.parameters == {"sentences": 3, "ratio": 0.25}
    assert len(summarize(ARTICLE, ratio=0.01).sentences) == 1
    assert len(summarize(ARTICLE, ratio=1.0).sentences) == 10
    assert sentence_count(10, None, 0.3) == 3


@pytest.mark.parametrize(("sentences", "ratio"), [(3, 0.5), (None, 0.0), (None, 1.5), (0, None)])
def test_bad_counts_are_input_errors(sentences: int | None, ratio: float | None) -> None:
    with pytest.raises(InputError):
        summarize(ARTICLE, sentences=sentences, ratio=ratio)


def test_unknown_algorithm_names_the_choices() -> None:
    with pytest.raises(InputError, match="lead-plus"):
        summarize(ARTICLE, algorithm="nope")
