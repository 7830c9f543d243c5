"""One test article (article.txt beside this file) made into PDF, DOCX, ODT and EML files.

Each maker writes the format the way its usual producer does, with the furniture the
reader must remove: the PDF (WeasyPrint) has running headers and footers, page numbers,
automatic hyphenation and several pages; the e-mails carry a quoted reply and a signature.
"""

from __future__ import annotations

import html
import io
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from functools import cache
from pathlib import Path

ARTICLE = Path(__file__).with_name("article.txt")


def article_parts(text: str | None = None) -> tuple[str, list[str]]:
    """(title, body paragraphs) of the test article (or `text`); short unpunctuated
    paragraphs are subheadings."""
    text = ARTICLE.read_text(encoding="utf-8") if text is None else text
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return paragraphs[0], paragraphs[1:]


def is_subheading(paragraph: str) -> bool:
    return not paragraph.endswith((".", '"'))


def article_html(
    columns: int = 1, size: str = "A6", repeat: int = 1, text: str | None = None, lang: str = "en"
) -> str:
    title, body = article_parts(text)
    parts = [
        f"<h2>{html.escape(p)}</h2>" if is_subheading(p) else f"<p>{html.escape(p)}</p>"
        for p in body * repeat
    ]
    css = f"""
    @page {{ size: {size}; margin: 22mm 14mm;
      @top-left {{ content: "Marrow Courier"; font-size: 8pt }}
      @top-right {{ content: "Flood report, 14 March"; font-size: 8pt }}
      @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt }} }}
    body {{ font: 10pt/1.35 serif; hyphens: auto; text-align: justify; columns: {columns} }}
    h1 {{ column-span: all; font-size: 16pt; hyphens: manual; text-align: left }}
    h2 {{ font-size: 12pt; hyphens: manual; text-align: left }}
    p {{ margin: 0 0 0.6em }}"""
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{''.join(parts)}</body></html>"
    )


@cache
def make_pdf(
    columns: int = 1, size: str = "A6", repeat: int = 1, text: str | None = None, lang: str = "en"
) -> bytes:
    import weasyprint

    page = article_html(columns, size, repeat, text, lang)
    return weasyprint.HTML(string=page).write_pdf()  # type: ignore[no-any-return]


def make_docx(with_title_style: bool = True) -> bytes:
    import docx

    title, body = article_parts()
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0 if with_title_style else 1)
    for paragraph in body:
        if is_subheading(paragraph):
            document.add_heading(paragraph, level=2)
        else:
            document.add_paragraph(paragraph)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Marrow Courier - Flood report"
    section.footer.paragraphs[0].text = "Page 1"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt() -> bytes:
    from odf import dc, text
    from odf.opendocument import OpenDocumentText
    from odf.style import Style

    title, body = article_parts()
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=title))
    title_style = Style(name="Title", family="paragraph")
    document.styles.addElement(title_style)
    document.text.addElement(text.P(stylename=title_style, text=title))
    for paragraph in body:
        if is_subheading(paragraph):
            document.text.addElement(text.H(outlinelevel=2, text=paragraph))
        else:
            document.text.addElement(text.P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


QUOTED_REPLY = (
    "On Tue, 14 Mar 2026 at 07:02, Desk Editor <desk@courier.example> wrote:\n"
    "> Can you file the barrier story by nine? We hold page one.\n"
    "> Thanks, Desk\n"
)
SIGNATURE = "-- \nIlse Varga (reporting)\nMarrow Courier, river desk\n+49 30 000 000\n"


def make_eml(html_only: bool = False, charset: str = "iso-8859-1") -> bytes:
    """The article as an e-mail: plain text (with the given charset) or HTML only.

    The plain message adds a sign-off, a signature and a quoted reply below the article;
    the HTML one a Gmail-style quote. Both carry an attachment that must be ignored.
    """
    title, body = article_parts()
    message = EmailMessage(policy=SMTP)
    message["From"] = "Ilse Varga <ilse@courier.example>"
    message["To"] = "Desk <desk@courier.example>"
    message["Subject"] = f"Re: {title}"
    message["Date"] = "Tue, 14 Mar 2026 08:45:00 +0100"
    if html_only:
        # As Gmail writes it: a div per paragraph, blank divs between, subheadings in bold.
        paragraphs = "<div><br></div>".join(
            f"<div><b>{html.escape(p)}</b></div>"
            if is_subheading(p)
            else f"<div>{html.escape(p)}</div>"
            for p in body
        )
        quote = (
            '<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 14 Mar 2026 '
            "at 07:02, Desk Editor &lt;desk@courier.example&gt; wrote:<br></div>"
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Can you file the '
            "barrier story by nine? We hold page one.</blockquote></div>"
        )
        page = (
            f'<div dir="ltr">{paragraphs}<div><br></div><div>Best regards,</div><div>Ilse</div>'
            f"</div>{quote}"
        )
        message.set_content(page, subtype="html", charset="utf-8")
    else:
        text = "\n\n".join(body) + "\n\nBest regards,\nIlse\n\n" + SIGNATURE + "\n" + QUOTED_REPLY
        message.set_content(text, charset=charset)
    message.add_attachment(
        b"%PDF-1.4 not the article", maintype="application", subtype="pdf", filename="notes.pdf"
    )
    return message.as_bytes()


def raw_pdf(content: bytes, compress: bool = True, extra: bytes = b"") -> bytes:
    """A one-page PDF with the given content stream (Helvetica as /F1)."""
    stream = zlib.compress(content, 9) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), flate) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        extra,
        xref,
    )
    return bytes(out)


def interleaved_columns_pdf(compress: bool = True) -> bytes:
    """The article in two columns whose content stream runs across them row by row."""
    import textwrap

    title, body = article_parts()
    lines: list[str] = []
    for paragraph in body:
        lines += [*textwrap.wrap(paragraph, 42), ""]
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:]

    def shown(x: int, y: int, size: int, line: str) -> bytes:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"BT /F1 %d Tf %d %d Td (%s) Tj ET\n" % (size, x, y, escaped.encode("cp1252"))

    first, second = textwrap.wrap(title, 50)
    content = shown(50, 800, 14, first) + shown(50, 784, 14, second)
    for row in range(max(len(left), len(right))):
        for x, column in ((50, left), (310, right)):
            if row < len(column) and column[row]:
                content += shown(x, 760 - 12 * row, 9, column[row])
    return raw_pdf(content, compress=compress)
