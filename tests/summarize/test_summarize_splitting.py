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


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("pl", "Inflacja wyniosła 3,1 proc. w maju br. Rząd ogłosił plan.", 2),
        ("pl", "Tzw. reforma weszła w życie m.in. w Gdańsku. Protestowali np. rolnicy.", 2),
        ("pl", "Spotkanie odbyło się przy ul. Długiej 5. Przyszło stu mieszkańców.", 2),
        ("de", "Das Büro liegt im 4. Stock des Rathauses. Der Aufzug ist defekt.", 2),
        ("de", "Manche Straßen, z. B. die Hauptstraße, bleiben zu. Das dauert.", 2),
        ("de", "Am 3. Oktober ist Feiertag. Die Ämter sind geschlossen.", 2),
        ("ru", "Это т. е. главное условие сделки. Стороны согласились.", 2),
        ("ru", "Привезли хлеб, молоко и т. д. в магазин у станции. Очередь стояла час.", 2),
        ("ru", "Он родился в 1990 г. в Заречном. Потом переехал.", 2),
        ("uk", "Це т. зв. нова реформа. Вона почнеться взимку.", 2),
        ("cs", "Přišli např. hasiči a tzv. dobrovolníci. Bylo jich dvacet.", 2),
        ("fr", "M. Dupont a pris la parole. Le conseil a voté.", 2),
        ("es", "El Sr. García habló ante el pleno. La sesión terminó tarde.", 2),
        ("pt", "O Sr. Silva citou a pág. 5 do relatório. Ninguém respondeu.", 2),
        ("it", "Il sig. Rossi e il dott. Bianchi sono arrivati. La riunione è iniziata.", 2),
        ("nl", "Dhr. Jansen kwam o.a. met de burgemeester. Zij spraken een uur.", 2),
    ],
)
def test_abbreviations_do_not_end_sentences(language: str, text: str, expected: int) -> None:
    assert len(split_sentences(text, language)) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # A real end after an abbreviation that may end a sentence ("this year", "etc.").
        ("pl", "Budowa skończy się w maju br. Koszt wyniesie milion złotych."),
        ("de", "Der Hafen wurde 2019 gebaut. Er ist schon zu klein."),
        ("en", "The plan was approved in the U.S. The vote was close."),
    ],
)
def test_sentences_still_end_after_abbreviations_that_may_end_them(
    language: str, text: str
) -> None:
    assert len(split_sentences(text, language)) == 2
