"""Real-web-page ingest: sniffing, decoding, extraction without pre-stripping, headlines,
furniture by structure and by phrase. Every page here is written for these tests."""

from __future__ import annotations

import io
import json
import logging

import pytest

from briefpack.errors import InputError
from briefpack.ingest import parse_article, read_article
from briefpack.ingest.clean import is_junk
from briefpack.ingest.html import extract_page, parse_html
from briefpack.ingest.title import page_titles
from summarize import summarize

PARAGRAPHS = [
    "The harbour authority of Valmora reopened the northern pier on Tuesday after a month of repairs to its crumbling sea wall.",
    "Engineers replaced two hundred metres of concrete and raised the wall by half a metre to keep out winter storms.",
    "Fishing crews, who had moored their boats in the neighbouring bay since the autumn, began returning on Wednesday morning.",
    "The repairs cost four million euros, most of it paid from the regional flood defence fund, the authority said.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
HEADLINE = "Valmora reopens its northern pier after sea wall repairs"


def page(head: str = "", article: str = BODY, before: str = "", after: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'>{head}</head><body>{before}"
        f"<article><h1>{HEADLINE}</h1>{article}</article>{after}</body></html>"
    )


# --- sniffing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix",
    [
        "\ufeff",
        "<?xml version='1.0' encoding='utf-8'?>\n",
        "<!-- saved from url=(0042)https://example.org/ -->\n",
        "<style>body { color: black }</style>\n",
        "<script>var x = 1;</script>\n",
        "\n\n   <!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN'>\n",
    ],
)
def test_html_on_stdin_is_sniffed_whatever_comes_first(prefix: str) -> None:
    data = (prefix + page()).encode("utf-8")
    article = read_article("-", stdin=io.BytesIO(data))
    assert article.media_type == "text/html"
    assert article.paragraphs == tuple(PARAGRAPHS)


def test_stdin_and_file_give_the_same_article(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "page.html"
    data = ("<!-- comment -->" + page()).encode()
    path.write_bytes(data)
    assert read_article(path).text == read_article("-", stdin=io.BytesIO(data)).text


def test_plain_text_mentioning_a_tag_stays_plain_text() -> None:
    text = "How to write HTML\n\nA paragraph starts with <p> and ends with </p>. That is all.\n"
    assert parse_article(text.encode()).media_type == "text/plain"


# --- decoding -------------------------------------------------------------------------


def test_declared_iso_8859_2_is_read_as_declared() -> None:
    polish = (
        "<p>Władze miasta otworzyły most po raz dziesiąty, mówią mieszkańcy ulicy Źródlanej.</p>"
    )
    html = f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-2'></head><body>{polish * 3}</body></html>"
    article = parse_article(html.encode("iso-8859-2"), media_type="text/html")
    assert "dziesiąty" in article.text and "Źródlanej" in article.text
    assert article.encoding.startswith("iso-8859-2")


def test_a_truncated_character_and_nul_bytes_are_replaced_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    styles = "<style>" + "p { margin: 0 }\n" * 100 + "</style>"  # a page is kilobytes long
    data = page(head=styles).encode() + b"<footer><a>Kontakt \xc3</a></footer>" + b"\x00" * 22
    with caplog.at_level(logging.WARNING):
        article = parse_article(data, source="p.html", media_type="text/html")
    assert article.paragraphs == tuple(PARAGRAPHS)
    assert "NUL" in caplog.text and "replaced" in caplog.text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_without_bom(codec: str) -> None:
    article = parse_article(("\n\n".join([HEADLINE, *PARAGRAPHS])).encode(codec))
    assert article.title == HEADLINE
    assert article.text.startswith("The harbour authority")


def test_mostly_binary_is_still_refused() -> None:
    with pytest.raises(InputError, match="is binary"):
        parse_article(bytes(range(256)) * 20, source="x.txt")


# --- extraction -----------------------------------------------------------------------


def test_whole_page_form_is_read() -> None:
    # ASP.NET pages wrap everything in one <form>; nothing may be stripped before extraction.
    html = f"<html><body><form id='aspnetForm' action='x.aspx'><article><h1>{HEADLINE}</h1>{BODY}</article></form></body></html>"
    assert extract_page(html).paragraphs == PARAGRAPHS


def test_article_nested_hundreds_of_levels_deep_is_read() -> None:
    html = (
        "<html><body>"
        + "<div>" * 400
        + f"<h1>{HEADLINE}</h1>{BODY}"
        + "</div>" * 400
        + "</body></html>"
    )
    assert extract_page(html).paragraphs == PARAGRAPHS


def test_navigation_only_page_is_refused() -> None:
    html = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><footer>© 2026 Paper</footer></body></html>"
    with pytest.raises(InputError, match="holds no article text"):
        extract_page(html)


# --- headlines ------------------------------------------------------------------------


def _title(head: str, h1: str = HEADLINE) -> str:
    return page_titles(
        parse_html(f"<html><head>{head}</head><body><h1>{h1}</h1></body></html>")
    ).title


@pytest.mark.parametrize(
    ("head", "h1"),
    [
        (f"<title>{HEADLINE} | Harbour Gazette</title>", HEADLINE),  # site suffix, <h1> agrees
        (
            f"<title>{HEADLINE} - HG24</title><link rel='canonical' href='https://www.hg24.com/a'>",
            "",
        ),
        (
            f"<title>Harbour Gazette — {HEADLINE}</title><meta property='og:site_name' content='Harbour Gazette'>",
            "",
        ),
        (f"<title>Opinion | {HEADLINE}</title>", HEADLINE),  # a section prefix
        (
            f"<meta property='og:title' content='Valmora reopens its northern pier…'><title>{HEADLINE}</title>",
            "",
        ),
        (
            f"<meta property='og:title' content='Valmora reopens its northern'><title>{HEADLINE} | HG</title>",
            HEADLINE,
        ),
        (
            "<script type='application/ld+json'>"
            + json.dumps(
                {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE}
            )
            + f"</script><title>{HEADLINE} | HG</title>",
            "Harbour Gazette",  # the site's logo as <h1>
        ),
    ],
)
def test_headline_is_whole_and_without_the_site_name(head: str, h1: str) -> None:
    assert _title(head, h1) == HEADLINE


def test_a_structured_headline_no_other_title_confirms_is_passed_over() -> None:
    # Wikipedia's JSON-LD "headline" is the Wikidata description, not the article's title.
    ld = json.dumps({"@type": "Article", "headline": "harbour in the south of Valmora"})
    head = f"<script type='application/ld+json'>{ld}</script><meta property='og:title' content='Northport Harbour Railway - Encyclopedia'>"
    assert _title(head, "Northport Harbour Railway") == "Northport Harbour Railway"


def test_headline_with_a_date_line_is_not_a_key_point() -> None:
    article = parse_article(
        page(
            head=f"<title>{HEADLINE} | Harbour Gazette</title>",
            article=f"<p>Tuesday, 5 March 2026 — {HEADLINE}</p>{BODY}",
        ).encode(),
        media_type="text/html",
    )
    summary = summarize(article.text, article.language, title=article.title, sentences=3)
    assert HEADLINE not in " ".join(summary.texts)
    assert summary.texts[0] == PARAGRAPHS[0]


# --- furniture ------------------------------------------------------------------------

FURNITURE = [
    "<div class='byline'>By Mara Quell</div>",
    "<time datetime='2026-03-05'>5 March 2026, 10:42</time>",
    "<figure><img src='p.jpg'><figcaption>The northern pier seen from the lighthouse at dawn</figcaption></figure>",
    "<div class='share-tools'>Share on the social networks of your choice today</div>",
    "<div class='newsletter-box'>Get the harbour report in your inbox every single morning</div>",
    "<div id='cookie-banner'>We care about the privacy of every visitor of this site</div>",
    "<ul class='related'><li><a href='/b'>Ferry timetable changes for the summer season</a></li></ul>",
    "<p>Lire aussi : <a href='/c'>Un nouveau phare pour le port de Valmora</a></p>",
    "<nav class='breadcrumbs'><a href='/'>Home</a> › <a href='/n'>News</a> › Harbour</nav>",
]


def test_furniture_is_removed_by_structure() -> None:
    first, *rest = (f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(
        article=FURNITURE[0] + FURNITURE[1] + first + "".join(FURNITURE[2:]) + "".join(rest)
    )
    assert extract_page(html).paragraphs == PARAGRAPHS


@pytest.mark.parametrize(
    "line",
    [
        "5:45 AM PST 11/19/2019 by Mara Quell",
        "segunda-feira, 22 de outubro de 2010 às 20:13",
        "UPDATED: Tue., Nov. 19, 2019",
        "Tempo de leitura: 1 minuto",
        "Lesezeit: 4 Minuten",
        "- Order Reprints",
        "Nous utilisons des cookies pour améliorer votre expérience sur notre site.",
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        "Also on harbour.example: Ferry strike ends after two days",
        "Lire aussi : Le port de Valmora rouvre",
        "MIRA | El puerto de Valmora reabre",
        "Leia também: Porto de Valmora reabre",
        "Zobacz też: Port w Valmorze otwarty",
        "Czytaj także: Port w Valmorze otwarty",
        "Leggi anche: Il porto di Valmora riapre",
        "Читайте также: Порт Вальморы открыт",
        "Inicio › Noticias › Puerto",
        "https://harbour.example/news/123",
        "Publicado por: Mara Quell - Categoria: Portos - Tags: mar",
        "Foto: Mara Quell",
        "Texto: Mara Quell",
        "Sign up for our free daily newsletter",
        "Abonnez-vous à notre newsletter",
        "The pier at dawn. (Photo: Mara Quell/AFP)",
        "Anzeige, enthält Affiliate Links",
        "This post contains references to products from one of our advertisers.",
    ],
)
def test_furniture_phrases_in_many_languages(line: str) -> None:
    assert is_junk(line)


@pytest.mark.parametrize(
    "line",
    [
        "The minister told Reuters that the pier would reopen.",
        "Von den zwanzig Booten kehrten nur fünf zurück.",
        "The council met on Monday, 5 March 2026, at 10 am.",
        "Di fronte al porto, i pescatori aspettano da un mese.",
        "Subscribers to the harbour newsletter were told first.",
        "Le maire a lu aussi une lettre des pêcheurs.",
        "The harbour lost two advertisers after the strike.",
    ],
)
def test_prose_is_kept(line: str) -> None:
    assert not is_junk(line)


def test_headline_glued_to_the_first_paragraph_is_cut_off() -> None:
    glued = f"<p>News › Harbour {HEADLINE} {PARAGRAPHS[0]}</p>" + "".join(
        f"<p>{p}</p>" for p in PARAGRAPHS[1:]
    )
    assert extract_page(page(article=glued)).paragraphs == PARAGRAPHS


def test_a_sentence_holding_every_word_of_the_headline_is_ranked_last() -> None:
    title = "Pier reopens after repairs"
    text = " ".join(
        [
            "The pier reopens after repairs that lasted a whole month, the harbour authority of Valmora said on Tuesday.",
            *PARAGRAPHS[1:],
        ]
    )
    summary = summarize(text, "en", title=title, sentences=2)
    assert all("reopens after repairs" not in s for s in summary.texts)


def test_no_date_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # htmldate/dateparser made pages take 3-5 s; briefpack uses no date, so none is parsed.
    import trafilatura.core
    import trafilatura.metadata

    def no_dates(*args: object, **kwargs: object) -> None:
        raise AssertionError("a date was parsed")

    monkeypatch.setattr(trafilatura.metadata, "find_date", no_dates)
    monkeypatch.setattr(trafilatura.core, "extract_metadata", no_dates)
    html = page(head="<meta property='article:published_time' content='2026-03-05T10:42:00Z'>")
    assert extract_page(html).paragraphs == PARAGRAPHS
