"""What a digest lists of a source besides its file name: outlet, date, URL when known."""

from __future__ import annotations

from pathlib import Path

from briefpack.digest.stories import source_ref
from briefpack.pipeline import read_article

BODY = " ".join(
    f"Sentence {n} of the report says that the harbour of Kestrel Bay reopened on time."
    for n in range(1, 7)
)


def test_a_web_page_gives_its_site_name_date_and_canonical_url(tmp_path: Path) -> None:
    page = tmp_path / "kestrel.html"
    page.write_text(
        "<html><head><title>Kestrel Bay harbour reopens</title>"
        '<meta property="og:site_name" content="Coast Courier">'
        '<meta property="article:published_time" content="2026-03-13T08:00:00Z">'
        '<link rel="canonical" href="https://courier.example/kestrel-bay">'
        f"</head><body><article><h1>Kestrel Bay harbour reopens</h1><p>{BODY}</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    ref = source_ref(read_article(page), page)
    assert (ref.outlet, ref.published, ref.url) == (
        "Coast Courier",
        "2026-03-13",
        "https://courier.example/kestrel-bay",
    )
    assert ref.name == "kestrel.html"


def test_an_email_gives_its_sender_and_date(tmp_path: Path) -> None:
    mail = tmp_path / "tip.eml"
    mail.write_text(
        "From: Harbour Desk <desk@courier.example>\nTo: news@example.org\n"
        "Subject: Kestrel Bay harbour reopens\nDate: Fri, 13 Mar 2026 09:30:00 +0000\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{BODY}\n",
        encoding="utf-8",
    )
    ref = source_ref(read_article(mail), mail)
    assert (ref.outlet, ref.published, ref.url) == ("Harbour Desk", "2026-03-13", "")


def test_plain_text_and_odd_metadata_give_nothing(tmp_path: Path) -> None:
    text = tmp_path / "plain.txt"
    text.write_text(f"Kestrel Bay harbour reopens\n\n{BODY}\n", encoding="utf-8")
    ref = source_ref(read_article(text), text)
    assert (ref.outlet, ref.published, ref.url) == ("", "", "")
    page = tmp_path / "odd.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="yesterday">'
        '<link rel="canonical" href="javascript:alert(1)"><title>Kestrel</title></head>'
        f"<body><p>{BODY}</p></body></html>",
        encoding="utf-8",
    )
    ref = source_ref(read_article(page), page)
    assert (ref.published, ref.url) == ("", "")
