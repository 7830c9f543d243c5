"""Language identification and summaries in every language Argos Translate has models for.
The texts (tests/fixtures/language_texts.py) are written for briefpack."""

from __future__ import annotations

import pytest

from briefpack.errors import InputError
from briefpack.ingest import SUPPORTED_LANGUAGES, parse_article
from briefpack.ingest.language import detect_language
from summarize import split_sentences, summarize
from tests.fixtures.language_texts import ARGOS_LANGUAGES, TEXTS, long_text, short_text

ACCEPTANCE = ["bg", "nl", "sv", "ro", "tr", "zh", "ja", "ar", "fa", "hi", "el", "he"]
REFUSED = {"sr": "Serbian", "be": "Belarusian", "kk": "Kazakh", "mk": "Macedonian"}


def test_every_argos_language_is_supported() -> None:
    assert set(ARGOS_LANGUAGES) == set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("code", ARGOS_LANGUAGES)
def test_each_language_is_named_right(code: str) -> None:
    assert detect_language(long_text(code)) == code
    assert detect_language(short_text(code)) == code


@pytest.mark.parametrize("code", ACCEPTANCE)
def test_article_is_labelled_and_summarized_in_its_own_language(code: str) -> None:
    sentences = TEXTS[code]
    article = parse_article("\n\n".join(sentences).encode("utf-8"), source="a.txt")
    assert article.language == code
    summary = summarize(article.text, article.language, sentences=2)
    assert summary.language == code
    assert summary.total_sentences == 3  # each language's own sentence ends were found
    assert all(text in sentences for text in summary.texts)


@pytest.mark.parametrize(("code", "name"), sorted(REFUSED.items()))
def test_a_language_without_models_is_refused_by_name(code: str, name: str) -> None:
    with pytest.raises(InputError, match=rf"in {name} \({code}\), which briefpack cannot") as info:
        parse_article(long_text(code).encode("utf-8"), source="a.txt")
    assert "\n" not in str(info.value)


def test_mixed_page_is_labelled_by_its_main_text() -> None:
    # A Latin-script headline over a Chinese article.
    data = ("Harbour City News Today\n\n" + "".join(TEXTS["zh"]) * 2).encode("utf-8")
    article = parse_article(data)
    assert article.title == "Harbour City News Today"
    assert article.language == "zh"


@pytest.mark.parametrize(("given", "code"), [("nl", "nl"), ("NO", "nb"), ("zh-CN", "zh")])
def test_language_option_takes_every_argos_code(given: str, code: str) -> None:
    assert parse_article(long_text(code).encode(), language=given).language == code


@pytest.mark.parametrize("code", ["zh", "ja", "th"])
def test_unspaced_scripts_get_word_features(code: str) -> None:
    from summarize.text import split_words

    words = split_words(TEXTS[code][0])
    assert len(words) >= 8 and all(1 <= len(w) <= 4 for w in words)
    assert len(split_sentences(long_text(code), code)) == 3
