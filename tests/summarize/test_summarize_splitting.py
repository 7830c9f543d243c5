"""Sentence splitting: sentencex's pieces, mended where it ends a sentence too early.
The texts are written for these tests."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize import split_sentences, summarize


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # A speech tag after a quoted question or exclamation belongs to the quote (here the
        # quote opened in the paragraph before, as in a quote that runs over paragraphs).
        (
            "en",
            "'The water rose in minutes.\n\nWho could have stopped it?' asked the mayor. "
            "Repairs begin on Monday.",
            [
                "'The water rose in minutes.",
                "Who could have stopped it?' asked the mayor.",
                "Repairs begin on Monday.",
            ],
        ),
        (
            "en",
            "No one listened!” said a neighbour. The road reopened.",
            ["No one listened!” said a neighbour.", "The road reopened."],
        ),
        (
            "ru",
            "«Почему так поздно?» — спросила она. Потом ушла.",
            ["«Почему так поздно?» — спросила она.", "Потом ушла."],
        ),
        (
            "uk",
            "«Чому так пізно?» — запитала вона. Потім пішла.",
            ["«Чому так пізно?» — запитала вона.", "Потім пішла."],
        ),
        # A day or time zone after a.m./p.m. is part of the time, not a new sentence.
        (
            "en",
            "The ferry sank at 11:30 a.m. Thursday. Everyone was rescued.",
            ["The ferry sank at 11:30 a.m. Thursday.", "Everyone was rescued."],
        ),
        (
            "en",
            "Polls close at 8 p.m. ET on Tuesday. Counting starts at once.",
            ["Polls close at 8 p.m. ET on Tuesday.", "Counting starts at once."],
        ),
    ],
)
def test_sentences_that_sentencex_cuts_short_are_mended(
    language: str, text: str, expected: list[str]
) -> None:
    assert split_sentences(text, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A capitalised sentence after a.m. is a new sentence.
        ("The shop opened at 9 a.m. The queue was short.", 2),
        # Time zones are matched in capitals only: "Mt." is not Mountain Time.
        ("They left at 5 a.m. Mt. Arvel was clear of cloud.", 2),
        # Other capitalised words after a time open sentences.
        ("The shop closes at 5 p.m. Tomorrow it reopens.", 2),
        ("The alarm sounded at 4 a.m. Local police arrived soon after.", 2),
        # A quoted question followed by a capitalised sentence.
        ('He asked: "Why?" Nobody answered.', 2),
        # A sentence may open in lower case after a full stop (a brand name).
        ("Sales rose in March. iPhone sales fell.", 2),
        # Paragraphs never merge, whatever the first one ends with.
        ("'Who called?'\n\nshe asked nobody in particular.", 2),
    ],
)
def test_real_sentence_boundaries_stay(text: str, expected: int) -> None:
    assert len(split_sentences(text, "en")) == expected


def test_a_mended_fragment_no_longer_reaches_the_summary() -> None:
    text = (
        "Two hikers were found safe on Mount Arvel at 6:15 a.m. Saturday. "
        "They had been missing for two days after a storm closed the northern trail. "
        "Rescuers reached them by helicopter once the cloud lifted over the ridge. "
        "Both were taken to hospital in Dorvan with mild hypothermia."
    )
    sentences = summarize(text, "en", sentences=2).texts
    assert sentences[0] == "Two hikers were found safe on Mount Arvel at 6:15 a.m. Saturday."
    assert "Saturday." not in sentences


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]", "", text)


_WORDS = st.sampled_from(
    ["the", "Port", "closed", "a.m.", "p.m.", "Thursday", "she", "said", "why", "ET", "9"]
)
_MARKS = st.sampled_from(["", ".", "?", "!", "?'", "!”", '."', "»", " —", ","])


@given(st.lists(st.tuples(_WORDS, _MARKS), min_size=1, max_size=40))
def test_splitting_keeps_every_letter_in_order(tokens: list[tuple[str, str]]) -> None:
    text = " ".join(word + mark for word, mark in tokens)
    sentences = split_sentences(text, "en")
    # Pieces without a letter are dropped; every letter comes back, once and in order.
    assert _letters("".join(sentences)) == _letters(text)
    assert all(sentence == sentence.strip() and sentence for sentence in sentences)
