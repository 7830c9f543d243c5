"""PDF, Word, OpenDocument and e-mail articles give what the same article as text gives.

The test article (article.txt) is made into each format by its usual producer (WeasyPrint,
python-docx, odfpy, the `email` package; see documents.py), with the furniture each format
brings: running headers, page numbers and hyphenation in the PDF, headers and footers in
the Word file, a quoted reply, a sign-off, a signature and an attachment in the e-mails.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack.build import collect_articles
from briefpack.ingest import ARTICLE_SUFFIXES, parse_article, read_article
from briefpack.model import Article
from briefpack.options import SummaryOptions
from briefpack.pipeline import summarize_article
from summarize.text import split_sentences
from tests.conftest import CliResult
from tests.ingest import documents

MAKERS: dict[str, Callable[[], bytes]] = {
    "pdf": documents.make_pdf,
    "pdf-two-columns": lambda: documents.make_pdf(columns=2, size="A5"),
    "pdf-columns-interleaved": documents.interleaved_columns_pdf,
    "docx": documents.make_docx,
    "docx-heading-1": lambda: documents.make_docx(with_title_style=False),
    "odt": documents.make_odt,
    "eml": documents.make_eml,
    "eml-utf8": lambda: documents.make_eml(charset="utf-8"),
    "eml-html-only": lambda: documents.make_eml(html_only=True),
}
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "eml": ".eml"}
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "eml": "message/rfc822",
}


def kind(case: str) -> str:
    return case.split("-")[0]


@pytest.fixture(scope="module")
def plain() -> Article:
    return read_article(documents.ARTICLE)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    paths = {}
    for case, make in MAKERS.items():
        paths[case] = folder / f"{case}{SUFFIX[kind(case)]}"
        paths[case].write_bytes(make())
    return paths


@pytest.mark.parametrize("case", list(MAKERS))
def test_same_title_sentences_and_key_points_as_the_text(
    case: str, made: dict[str, Path], plain: Article
) -> None:
    article = read_article(made[case])
    assert article.media_type == MEDIA[kind(case)]
    assert article.title == plain.title
    assert article.language == "en"
    assert split_sentences(article.text, "en") == split_sentences(plain.text, "en")
    for algorithm, count in (("default", 3), ("text-rank", 5), ("lex-rank", 5), ("luhn", 4)):
        options = SummaryOptions(sentences=count, algorithm=algorithm)
        ours = summarize_article(article, options)
        theirs = summarize_article(plain, options)
        assert ours.texts == theirs.texts, (case, algorithm)


def test_pdf_furniture_is_removed_and_hyphenation_undone(made: dict[str, Path]) -> None:
    raw = documents.make_pdf()
    from briefpack.ingest.pdfworker import extract

    lines = [line[0] for page in extract(raw, 50)["pages"] for box in page["boxes"] for line in box]
    # The PDF really has what the reader must undo: 4 pages, running heads, page numbers,
    # words broken by automatic hyphenation.
    assert sum("Page " in line and " of " in line for line in lines) >= 3
    assert sum(line == "Marrow Courier" for line in lines) >= 3
    assert sum(line.endswith("\u2010") for line in lines) >= 3
    text = read_article(made["pdf"]).text
    for furniture in ("Marrow Courier", "Flood report, 14 March", "Page 1", "of 4"):
        assert furniture not in text
    assert "\u2010" not in text and "\u00ad" not in text
    assert "every twenty-five." in text  # a compound keeps its own hyphen


def test_pdf_title_from_metadata_when_no_heading_stands_out() -> None:
    title, body = documents.article_parts()
    content = b"".join(
        b"BT /F1 10 Tf 50 %d Td (%s) Tj ET\n" % (760 - 14 * n, p[:90].encode("cp1252"))
        for n, p in enumerate(body[:4])
    )
    data = documents.raw_pdf(content, extra=b" /Info 6 0 R")
    data = data.replace(
        b"xref\n", b"6 0 obj\n<< /Title (%s) >>\nendobj\nxref\n" % title.encode(), 1
    )
    article = parse_article(data, source="memo.pdf")
    assert article.title == title


def test_docx_keeps_tracked_insertions_and_leaves_out_deletions_and_tables() -> None:
    import docx
    from docx.oxml import parse_xml

    title, body = documents.article_parts()
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(body[0])
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Table cell text that is no article"
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    revised = parse_xml(
        f'<w:p {w}><w:r><w:t xml:space="preserve">Gates stayed shut </w:t></w:r>'
        f'<w:ins w:id="1" w:author="ed"><w:r><w:t>until Friday</w:t></w:r></w:ins>'
        f'<w:del w:id="2" w:author="ed"><w:r><w:delText>forever</w:delText></w:r></w:del>'
        "<w:r><w:t>.</w:t></w:r></w:p>"
    )
    document.element.body.insert(len(document.element.body) - 1, revised)
    out = io.BytesIO()
    document.save(out)
    article = parse_article(out.getvalue(), source="draft.docx")
    assert article.title == title
    assert article.paragraphs == (body[0], "Gates stayed shut until Friday.")


def test_email_quotes_signature_and_attachment_are_dropped(made: dict[str, Path]) -> None:
    for case in ("eml", "eml-html-only"):
        text = read_article(made[case]).text
        for dropped in ("wrote:", "Can you file", "Best regards", "Ilse Varga (reporting)", "%PDF"):
            assert dropped not in text, (case, dropped)


def test_email_charset_from_the_mime_headers_and_detected_when_wrong() -> None:
    from email.message import EmailMessage

    text = (
        "Паводковый барьер закрыт впервые\n\nБарьер на реке закрыли во вторник вечером. "
        "Вода поднялась до рекордного уровня, сообщили инженеры."
    )
    for declared, encoded in (("koi8-r", "koi8-r"), ("utf-8", "cp1251")):
        message = EmailMessage()
        message["From"] = "a@example.org"
        message["Subject"] = "Барьер"
        message.set_content(text.encode(encoded), maintype="text", subtype="plain")
        message.replace_header("Content-Type", f'text/plain; charset="{declared}"')
        article = parse_article(message.as_bytes(), source="tip.eml")
        assert article.language == "ru"
        assert "Вода поднялась до рекордного уровня" in article.text, declared


@pytest.mark.parametrize(
    ("body", "kept", "dropped"),
    [
        (
            "Gates closed at nine.\n\nAm 14.03.2026 um 07:02 schrieb Redaktion <r@example.org>:\n> Bitte bis neun.\n",
            "Gates closed at nine.",
            "Bitte",
        ),
        (
            "Gates closed at nine.\n\n-----Original Message-----\nFrom: Desk\nSent: Tuesday\nTo: Ilse\nSubject: story\n\nOld text.\n",
            "Gates closed at nine.",
            "Old text",
        ),
        (
            "On Tue, 14 Mar 2026, Desk <d@example.org>\nwrote:\n> Where is it?\n\nGates closed at nine.\n",
            "Gates closed at nine.",
            "Where is it",
        ),
        (
            "Gates closed at nine.\n\nС уважением,\nИльзе\n+7 000 000\n",
            "Gates closed at nine.",
            "Ильзе",
        ),
        (
            "Gates closed at nine.\n\nSent from my phone\n",
            "Gates closed at nine.",
            "phone",
        ),
    ],
)
def test_email_replies_and_sign_offs_in_common_forms(body: str, kept: str, dropped: str) -> None:
    data = f"From: a@example.org\nSubject: Barrier\nDate: Tue, 14 Mar 2026 08:00:00 +0000\n\n{body}"
    article = parse_article(data.encode(), source="tip.eml", language="en")
    assert kept in article.text
    assert dropped not in article.text


def test_a_forwarded_message_keeps_what_was_forwarded() -> None:
    data = (
        "From: a@example.org\nSubject: Fwd: Barrier closes\nDate: Tue, 14 Mar 2026 08:00:00 +0000\n\n"
        "See below.\n\n---------- Forwarded message ---------\nFrom: Water Authority <press@example.org>\n"
        "Date: Tue, 14 Mar 2026\nSubject: Barrier closes\nTo: desk@example.org\n\n"
        "The flood barrier closed for the first time on Tuesday night.\n"
    )
    article = parse_article(data.encode(), source="fwd.eml")
    assert article.title == "Barrier closes"
    assert "The flood barrier closed for the first time on Tuesday night." in article.text
    assert "press@example.org" not in article.text


@pytest.mark.parametrize("case", ["pdf", "docx", "odt", "eml"])
def test_stdin_is_sniffed_by_content(
    case: str,
    made: dict[str, Path],
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class FakeStdin:
        buffer = io.BytesIO(made[case].read_bytes())

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    from_stdin = run_cli("summarize", "-", "-f", "json")
    from_file = run_cli("summarize", str(made[case]), "-f", "json")
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert from_stdin.stdout.replace('"<stdin>"', f'"{made[case].name}"') == from_file.stdout


def test_a_misnamed_document_is_read_by_its_content(made: dict[str, Path], tmp_path: Path) -> None:
    for case in ("pdf", "docx", "odt"):
        wrong = tmp_path / f"{case}.txt"
        wrong.write_bytes(made[case].read_bytes())
        assert read_article(wrong).media_type == MEDIA[case]


def test_folders_take_every_document_format(made: dict[str, Path], tmp_path: Path) -> None:
    for suffix in (".pdf", ".docx", ".odt", ".eml", ".txt", ".md", ".html"):
        assert suffix in ARTICLE_SUFFIXES
    folder = tmp_path / "inbox"
    folder.mkdir()
    for case in ("pdf", "docx", "odt", "eml"):
        (folder / made[case].name).write_bytes(made[case].read_bytes())
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    found = collect_articles([folder])
    assert sorted(Path(p).name for p in found) == ["docx.docx", "eml.eml", "odt.odt", "pdf.pdf"]


def test_text_inside_a_form_xobject_is_read() -> None:
    """Some producers draw a whole page as a form XObject: its text is the page's text."""
    _, body = documents.article_parts()
    text = b"".join(
        b"BT /F1 10 Tf 50 %d Td (%s) Tj ET\n" % (760 - 14 * n, p[:80].encode("cp1252"))
        for n, p in enumerate(body[:3])
    )
    form = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Length %d >>\nstream\n"
        % len(text)
        + text
        + b"\nendstream"
    )
    data = documents.raw_pdf(b"q /Fm1 Do Q", compress=False)
    data = data.replace(b"/Font << /F1 4 0 R >>", b"/XObject << /Fm1 6 0 R >>")
    data = data.replace(b"xref\n", b"6 0 obj\n" + form + b"\nendobj\nxref\n", 1)
    article = parse_article(data, source="form.pdf")
    assert article.text == " ".join(p[:80].strip() for p in body[:3])


def test_an_outlook_html_reply_loses_the_original_below_its_header() -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "a@example.org"
    message["Subject"] = "RE: Barrier"
    message.set_content(
        "<html><body><div>The gates closed at nine, said the authority.</div>"
        '<div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Desk<br>'
        "<b>Sent:</b> Tuesday</div><div>Can you file the story by nine?</div></body></html>",
        subtype="html",
    )
    article = parse_article(message.as_bytes(), source="re.eml", language="en")
    assert article.title == "Barrier"
    assert article.text == "The gates closed at nine, said the authority."


@pytest.mark.slow
def test_a_folder_of_documents_builds_one_verified_pack_each(
    made: dict[str, Path], models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    import json

    folder = tmp_path / "inbox"
    folder.mkdir()
    for case in ("pdf", "docx", "odt", "eml"):
        (folder / made[case].name).write_bytes(made[case].read_bytes())
    out = tmp_path / "dist"
    result = run_cli(
        "build", str(folder), "--out", str(out), "--to", "de", "--date", "2026-03-14", "--json"
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report) == 4
    media_types = []
    for entry in report:
        assert run_cli("verify", entry["zip"]).exit_code == 0
        manifest = json.loads((Path(entry["pack"]) / "manifest.json").read_text(encoding="utf-8"))
        media_types.append(manifest["input"]["media_type"])
    assert sorted(media_types) == sorted(MEDIA.values())
    translated = run_cli("translate", str(made["docx"]), "--to", "de", "-f", "json")
    assert translated.exit_code == 0, translated.stderr


RU_ARTICLE = """Паводковый барьер на реке Тессель впервые закрыли во вторник

Инженеры опустили двенадцать стальных ворот вечером во вторник, после трёх дней проливных дождей. Уровень воды поднялся до самой высокой отметки с начала измерений в тысяча девятьсот одиннадцатом году.

Строительство барьера обошлось в четыреста десять миллионов евро и продолжалось семь лет. Критики называли проект расточительным, потому что последнее крупное наводнение случилось почти полвека назад.

«Без ворот вода к полуночи стояла бы на рыночной площади по колено», — сказала главный гидролог управления Ильзе Варга. По её словам, на пике река поднималась на сорок сантиметров в час.

Выше по течению пожарные эвакуировали около тысячи двухсот жителей двух деревень. Пострадавших нет, но затоплены десятки подвалов и начальная школа.

Региональное правительство пообещало независимое расследование работы системы оповещения. Жители жаловались, что предупреждение пришло слишком поздно.
"""
DE_ARTICLE = """Hochwassersperrwerk an der Tessel erstmals geschlossen

Die Ingenieure senkten am Dienstagabend die zwölf Stahltore, nachdem drei Tage Dauerregen den Fluss auf den höchsten Stand seit Beginn der Messungen getrieben hatten. Die Altstadt von Marrow blieb trocken.

Das Sperrwerk kostete vierhundertzehn Millionen Euro, der Bau dauerte sieben Jahre. Kritiker hatten das Vorhaben als Verschwendung bezeichnet, weil das letzte große Hochwasser fast ein halbes Jahrhundert zurücklag.

„Ohne die Tore hätte das Wasser um Mitternacht knietief auf dem Marktplatz gestanden“, sagte die Hydrologin Ilse Varga. Der Fluss sei auf dem Höhepunkt um vierzig Zentimeter pro Stunde gestiegen.

Flussaufwärts brachte die Feuerwehr rund zwölfhundert Bewohner zweier Dörfer in Sicherheit. Verletzt wurde niemand, doch Dutzende Keller und eine Grundschule liefen voll.

Die Landesregierung kündigte eine unabhängige Untersuchung des Warnsystems an. Anwohner beklagten, die Warnung sei viel zu spät gekommen.
"""


@pytest.mark.parametrize(("lang", "text"), [("ru", RU_ARTICLE), ("de", DE_ARTICLE)])
def test_cyrillic_and_german_pdfs_give_the_texts_sentences(lang: str, text: str) -> None:
    from briefpack.ingest.pdfworker import extract

    data = documents.make_pdf(size="A7", text=text, lang=lang)
    pages = extract(data, 50)["pages"]
    lines = [line[0] for page in pages for box in page["boxes"] for line in box]
    assert len(pages) >= 4 and sum(line.endswith("\u2010") for line in lines) >= 5
    plain = parse_article(text.encode(), source="a.txt", media_type="text/plain")
    article = parse_article(data, source="a.pdf")
    assert article.language == lang
    assert article.title == plain.title
    assert split_sentences(article.text, lang) == split_sentences(plain.text, lang)
