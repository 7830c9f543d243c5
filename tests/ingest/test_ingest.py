"""Ingest: formats, encodings, junk removal, titles and language detection."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.ingest import parse_article, read_article
from briefpack.ingest.clean import is_junk, markdown_to_text
from briefpack.ingest.language import detect_language

RU_TEXT = (
    "Городской совет утвердил новый бюджет\n\n"
    "Городской совет в четверг утвердил бюджет на следующий год. "
    "Расходы на школы вырастут на десять процентов, сообщил мэр. "
    "Ремонт моста через реку начнётся весной.\n\n"
    "Жители просили ещё больше денег на общественный транспорт.\n\nИсточник\n"
)
UK_TEXT = (
    "Міська рада ухвалила новий бюджет\n\n"
    "Міська рада в четвер ухвалила бюджет на наступний рік. "
    "Видатки на школи зростуть на десять відсотків, повідомив мер. "
    "Ремонт мосту через річку почнеться навесні, і це важливо.\n"
)
DE_TEXT = (
    "Stadtrat beschließt neuen Haushalt\n\n"
    "Der Stadtrat hat am Donnerstag den Haushalt für das nächste Jahr beschlossen. "
    "Die Ausgaben für Schulen steigen um zehn Prozent, sagte die Bürgermeisterin. "
    "Die Sanierung der Brücke über den Fluss beginnt im Frühjahr.\n"
)
EN_TEXT = (
    "City council passes new budget\n\n"
    "The city council passed next year's budget on Thursday. "
    "Spending on schools will rise by ten percent, the mayor said. "
    "Repairs to the bridge over the river will start in the spring.\n"
)

NAV_HTML = """<!doctype html><html lang="en"><head><title>Budget passed | City Paper</title>
<meta property="og:title" content="City council passes new budget"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather and traffic today</a></li></ul></nav>
<main><article><h1>City council passes new budget</h1>
<p>The city council passed next year's budget on Thursday after a long debate.</p>
<p>Spending on schools will rise by ten percent, the mayor told reporters at city hall.</p>
<p>Repairs to the old bridge over the river will start in the spring and last a year.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Celebrity chef opens a new restaurant downtown</a></li></ul></aside>
<footer><p>Copyright 2026 City Paper. All rights reserved.</p><p><a href="/privacy">Privacy policy</a>
 | <a href="/terms">Terms of use</a></p></footer></body></html>"""


def test_plain_text_title_and_junk_removed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(EN_TEXT + "\nShare this article\n\nSource link\n\n\nComments are closed.\n")
    article = read_article(path)
    assert article.title == "City council passes new budget"
    assert article.language == "en"
    assert article.media_type == "text/plain"
    assert "Source link" not in article.text
    assert "Comments are closed" not in article.text
    assert "Share this" not in article.text
    assert article.text.startswith("The city council passed")


def test_first_line_is_not_a_title_when_it_is_a_sentence() -> None:
    article = parse_article(b"The council met today. It passed the budget.\n\nMore came later.")
    assert article.title == ""
    assert article.text.startswith("The council met today.")


def test_cp1251_russian_is_detected_not_guessed_as_latin1() -> None:
    article = parse_article(RU_TEXT.encode("cp1251"))
    assert article.encoding.lower().replace("_", "-") in {"cp1251", "windows-1251"}
    assert article.title == "Городской совет утвердил новый бюджет"
    assert "Ремонт моста через реку начнётся весной." in article.text
    assert article.language == "ru"
    assert "Источник" not in article.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-16-be"])
def test_byte_order_marks(codec: str) -> None:
    data = UK_TEXT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    article = parse_article(data)
    assert article.title == "Міська рада ухвалила новий бюджет"
    assert article.language == "uk"
    assert "\ufeff" not in article.title + article.text


@pytest.mark.parametrize(
    ("text", "code"), [(EN_TEXT, "en"), (DE_TEXT, "de"), (RU_TEXT, "ru"), (UK_TEXT, "uk")]
)
def test_language_detection(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_language_can_be_forced_and_is_validated() -> None:
    assert parse_article(EN_TEXT.encode(), language="de").language == "de"
    with pytest.raises(InputError, match="unsupported language 'xx'"):
        parse_article(EN_TEXT.encode(), language="xx")


def test_html_keeps_only_article_sentences(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(NAV_HTML, encoding="utf-8")
    article = read_article(path)
    assert article.title == "City council passes new budget"
    assert article.media_type == "text/html"
    assert article.paragraphs == (
        "The city council passed next year's budget on Thursday after a long debate.",
        "Spending on schools will rise by ten percent, the mayor told reporters at city hall.",
        "Repairs to the old bridge over the river will start in the spring and last a year.",
    )


def test_markdown_title_links_and_emphasis() -> None:
    title, text = markdown_to_text(
        "# Big news\n\nThe **council** met [today](http://x.org/a) in *public*.\n\n"
        "## Background\n\n- It was `late`.\n![chart](c.png)\n"
    )
    assert title == "Big news"
    assert "The council met today in public." in text
    assert "Background" not in text
    assert "It was late." in text
    assert "http" not in text and "c.png" not in text


def test_stdin_is_read_and_sniffed_as_html() -> None:
    article = read_article("-", stdin=io.BytesIO(NAV_HTML.encode()))
    assert article.source == "<stdin>"
    assert article.media_type == "text/html"
    assert article.title == "City council passes new budget"


@pytest.mark.parametrize(
    "paragraph",
    [
        "Source link",
        "Comments are closed.",
        "Share this article",
        "Home | News | Business",
        "Share on Facebook",
        "Advertisement",
        "Комментарии закрыты.",
        "Коментарі закрито.",
    ],
)
def test_junk_paragraphs(paragraph: str) -> None:
    assert is_junk(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The source of the leak was never found.",
        "Comments by the minister were closed to press.",
        "Home prices rose by five percent.",
    ],
)
def test_prose_is_not_junk(paragraph: str) -> None:
    assert not is_junk(paragraph)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"abc\x00\x01\x02" * 50, "binary"),
        # UTF-8 with far more broken bytes than a truncated character or two.
        (
            "Straße und Brücke sind gesperrt. ".encode() * 3 + b"\xff\xfe\xfa broken" * 20,
            "encoding of x.txt could not be detected",
        ),
    ],
)
def test_bad_bytes_get_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_article(data, source="x.txt")
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_article(tmp_path)
