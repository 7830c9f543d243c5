"""Golden summaries for German, Russian and Ukrainian: each language's own splitter, stemmer
and stop words. The texts are written for these tests (invented towns and events).

Each text is built the same way: sentence 1 is too short to carry a fact, sentence 2 repeats
sentence 0 in other word forms (only stemming makes them match), so the default picks 0, 3, 4.
"""

from __future__ import annotations

import pytest

from summarize import DEFAULT_ALGORITHM, split_sentences, summarize
from summarize.centrality import content_words
from summarize.text import stemmer, stop_words

TEXTS = {
    "de": (
        "Der Stadtrat von Lindenau hat am Montag den Bau einer neuen Straßenbahnlinie zwischen "
        "Bahnhof und Universität beschlossen. Das war knapp. Der Stadtrat von Lindenau beschloss "
        "am Montag den Bau einer neuen Straßenbahnlinie zwischen Universität und Bahnhof. Die "
        "Strecke soll zwölf Kilometer lang werden und ab dem Jahr 2029 alle zehn Minuten "
        "befahren werden. Die Kosten von rund 180 Millionen Euro tragen das Land und der Bund zu "
        "großen Teilen gemeinsam. Anwohner der Gartenstraße hatten wegen des erwarteten Lärms "
        "und gefällter Bäume lange protestiert. Die Bauarbeiten beginnen voraussichtlich im "
        "Frühjahr nächsten Jahres am nördlichen Stadtrand."
    ),
    "ru": (
        "Городская дума Заречного в понедельник утвердила строительство нового моста через "
        "реку Сосну. Решение далось нелегко. Городская дума Заречного утвердила в понедельник "
        "строительство нового моста через реку Сосну. Мост длиной четыреста метров должен "
        "соединить старый центр с новыми жилыми кварталами на левом берегу. Работы оценили в "
        "два миллиарда рублей, большую часть денег выделит областной бюджет. Жители прибрежных "
        "улиц опасаются шума грузовиков и вырубки старого парка у воды. Подрядчика выберут на "
        "открытом конкурсе до конца лета этого года."
    ),
    "uk": (
        "Міська рада Вербівки в понеділок ухвалила будівництво нової школи на околиці міста "
        "біля залізничного вокзалу. Це сталося нарешті. Міська рада Вербівки ухвалила в "
        "понеділок будівництво нової школи біля залізничного вокзалу на околиці міста. Школа "
        "розрахована на дев'ятсот учнів і матиме власний басейн, бібліотеку та спортивний "
        "майданчик. Батьки кажуть, що нинішня школа давно переповнена і діти навчаються у дві "
        "зміни. Будівництво коштуватиме близько трьохсот мільйонів гривень з державного та "
        "місцевого бюджетів. Перших учнів нова школа прийме вже у вересні наступного року."
    ),
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_golden_default_summary(language: str) -> None:
    text = TEXTS[language]
    assert len(split_sentences(text, language)) == 7
    summary = summarize(text, language)
    assert summary.algorithm == DEFAULT_ALGORITHM == "lead-plus"
    assert [s.index for s in summary.sentences] == [0, 3, 4]
    assert [s.score for s in summary.sentences] == [1.0, 0.25, 0.2]


@pytest.mark.parametrize(
    ("language", "word"), [("de", "und"), ("ru", "что"), ("uk", "що"), ("uk", "та")]
)
def test_stop_words_are_the_languages_own(language: str, word: str) -> None:
    assert word in stop_words(language)
    assert word not in stop_words("en")


@pytest.mark.parametrize(
    ("language", "word", "stem"),
    [("ru", "книгами", "книг"), ("de", "beschlossen", "beschloss"), ("en", "bridges", "bridg")],
)
def test_stemmer_reduces_word_forms(language: str, word: str, stem: str) -> None:
    assert stemmer(language)(word) == stem


def test_ukrainian_stemmer_joins_case_forms() -> None:
    stem = stemmer("uk")
    assert stem("школи") == stem("школа") != "школи"


FIRST_SENTENCE_WORDS = {
    "de": "stadtrat lindenau montag bau neu strassenbahnlini bahnhof universitat beschloss",
    "ru": "городск дум заречн понедельник утверд строительств нов мост рек сосн",
    "uk": "міськ рад вербівк понеділок ухвалил будівництв нов школ околиц міст біл залізничн "
    "вокзал",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_content_words_are_stemmed_without_stop_words(language: str) -> None:
    first = split_sentences(TEXTS[language], language)[:1]
    assert content_words(first, language) == [FIRST_SENTENCE_WORDS[language].split()]
