"""Bad PDF, Word, OpenDocument and e-mail files: one line, exit 3, nothing written.

Truncated, corrupt, password-protected and empty files of each format, scanned PDFs, zip
bombs and PDFs built to exhaust a parser, through `summarize` and `build`.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
import zlib
from collections.abc import Callable
from email.message import EmailMessage
from functools import cache
from pathlib import Path

import pytest

from briefpack.errors import ExitStatus, InputError
from briefpack.ingest import archive, parse_article, pdf
from tests.conftest import CliResult
from tests.hardening.hardening_support import DATE, assert_nothing_written, check_failure
from tests.ingest import documents


def _noise(size: int, seed: int = 16) -> bytes:
    return random.Random(seed).randbytes(size)


def _replace_member(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = content if info.filename == member else source.read(info)
            target.writestr(info, body)
    return out.getvalue()


def _encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(documents.make_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encrypted_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(documents.make_docx())).encrypt("secret", out)
    return out.getvalue()


def _encrypted_odt() -> bytes:
    """What LibreOffice writes for a password: the manifest says so, content.xml is ciphertext."""
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type='
        b'"application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path='
        b'"content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
        b'manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm '
        b'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        b'manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>'
        b"</manifest:manifest>"
    )
    data = _replace_member(documents.make_odt(), "META-INF/manifest.xml", manifest)
    return _replace_member(data, "content.xml", _noise(2000))


def _empty_docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _empty_odt() -> bytes:
    from odf.opendocument import OpenDocumentText

    out = io.BytesIO()
    OpenDocumentText().write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    """A page that is one picture (what a scanner makes): an image XObject, no text."""
    pixels = zlib.compress(bytes(range(256)) * 64)
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(pixels)
        + pixels
        + b"\nendstream"
    )
    data = documents.raw_pdf(b"q 400 0 0 400 100 300 cm /Im1 Do Q", compress=False)
    data = data.replace(b"/Font << /F1 4 0 R >>", b"/XObject << /Im1 6 0 R >>")
    return data.replace(b"xref\n", b"6 0 obj\n" + image + b"\nendobj\nxref\n", 1)


def _eml(body: str, content_type: str = "text/plain") -> bytes:
    return (
        f"From: a@example.org\nSubject: Barrier\nDate: Tue, 14 Mar 2026 08:00:00 +0000\n"
        f"MIME-Version: 1.0\nContent-Type: {content_type}\n\n{body}"
    ).encode()


def _truncated_eml() -> bytes:
    whole = documents.make_eml()
    return whole[: whole.index(b"Content-Disposition: attachment")]


@cache
def bad_files() -> dict[str, tuple[str, bytes, str]]:
    """case -> (file name, bytes, words the one error line must hold)."""
    pdf_bytes = documents.make_pdf()
    docx_bytes = documents.make_docx()
    odt_bytes = documents.make_odt()
    return {
        "pdf-truncated": (
            "r.pdf",
            pdf_bytes[: len(pdf_bytes) // 2],
            "r.pdf is a truncated PDF document",
        ),
        "pdf-corrupt": (
            "r.pdf",
            b"%PDF-1.7\n" + _noise(4000) + b"\n%%EOF\n",
            "r.pdf is a damaged PDF",
        ),
        "pdf-password": ("r.pdf", _encrypted_pdf("secret"), "r.pdf is a password-protected PDF"),
        "pdf-empty": ("r.pdf", b"", "r.pdf is empty"),
        "pdf-blank-page": ("r.pdf", documents.raw_pdf(b""), "r.pdf holds no text"),
        "pdf-scanned": ("r.pdf", _scanned_pdf(), "it needs OCR first"),
        "pdf-not-a-pdf": ("r.pdf", b"<html>404 not found</html>", "r.pdf is not a PDF document"),
        "docx-truncated": ("d.docx", docx_bytes[: len(docx_bytes) // 2], "d.docx is damaged"),
        "docx-corrupt": (
            "d.docx",
            _replace_member(docx_bytes, "word/document.xml", b"<w:document><w:body><w:p>"),
            "d.docx is a damaged Word document",
        ),
        "docx-password": (
            "d.docx",
            _encrypted_docx(),
            "d.docx is a password-protected Office document",
        ),
        "docx-empty": ("d.docx", _empty_docx(), "d.docx holds no text"),
        "docx-old-word": (
            "d.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "save it as .docx",
        ),
        "odt-truncated": ("o.odt", odt_bytes[: len(odt_bytes) // 2], "o.odt is damaged"),
        "odt-corrupt": (
            "o.odt",
            _replace_member(odt_bytes, "content.xml", b"<office:document-content>"),
            "o.odt is a damaged OpenDocument text",
        ),
        "odt-password": ("o.odt", _encrypted_odt(), "o.odt is password-protected"),
        "odt-empty": ("o.odt", _empty_odt(), "o.odt holds no text"),
        "eml-truncated": ("m.eml", _truncated_eml(), "m.eml is a truncated e-mail"),
        "eml-corrupt": ("m.eml", _noise(3000), "m.eml is not an e-mail message"),
        "eml-password": (
            "m.eml",
            _eml(
                "MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\n",
                "application/pkcs7-mime; smime-type=enveloped-data",
            ),
            "m.eml is an encrypted e-mail",
        ),
        "eml-empty": ("m.eml", _eml("\n\n"), "m.eml has an empty message body"),
        "eml-quotes-only": (
            "m.eml",
            _eml("> Can you file it?\n> Thanks\n"),
            "holds no text of its own",
        ),
        "zip-other": (
            "z.docx",
            _zip({"readme.txt": b"hello"}),
            "z.docx is a zip archive, not an article",
        ),
        "xlsx": (
            "z.docx",
            _zip({"xl/workbook.xml": b"<workbook/>"}),
            "z.docx is an Excel workbook",
        ),
    }


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in members.items():
            target.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("command", ["summarize", "build"])
@pytest.mark.parametrize("case", list(bad_files()))
def test_bad_document(
    command: str,
    case: str,
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    name, data, needle = bad_files()[case]
    article = tmp_path / name
    article.write_bytes(data)
    out = tmp_path / "out"
    args = ["--out", str(out), "--date", DATE] if command == "build" else []
    check_failure(run_cli(command, str(article), *args), ExitStatus.INPUT_ERROR, (needle,))
    assert_nothing_written(out)


def test_a_pdf_with_only_an_owner_password_is_read() -> None:
    article = parse_article(_encrypted_pdf(user_password=""), source="r.pdf")
    assert article.text == parse_article(documents.make_pdf(), source="r.pdf").text


def _flate_bomb_pdf(inflated: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = (
        b"".join(compressor.compress(chunk) for _ in range(inflated >> 20)) + compressor.flush()
    )
    data = documents.raw_pdf(b"", compress=False)
    return data.replace(
        b"<< /Length 0 >>\nstream\n\nendstream",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    )


def test_a_flate_bomb_pdf_is_stopped_by_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MEMORY_LIMIT", 512 * 1024**2)
    bomb = _flate_bomb_pdf(1 << 30)  # 1 GiB of spaces in about 1 MB
    assert len(bomb) < 2 * 1024**2
    start = time.monotonic()
    with pytest.raises(
        InputError, match=r"bomb\.pdf (needs more than 512 MB|stopped the PDF reader)"
    ):
        parse_article(bomb, source="bomb.pdf")
    assert time.monotonic() - start < 60


def test_a_pdf_that_takes_too_long_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "TIME_LIMIT", 3.0)
    slow = documents.raw_pdf(b"BT /F1 9 Tf 50 700 Td (aaaa) Tj ET\n" * 400_000)
    start = time.monotonic()
    with pytest.raises(InputError, match=r"slow\.pdf took more than 3 s to read"):
        parse_article(slow, source="slow.pdf")
    assert time.monotonic() - start < 15


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    with pytest.raises(InputError, match=r"long\.pdf has more than 3 pages"):
        parse_article(documents.make_pdf(), source="long.pdf")


def _bomb_zip(entries: int, each: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr("word/document.xml", b"<w:document/>")
        for n in range(entries):
            target.writestr(f"word/media/image{n}.png", b"\0" * each)
    return out.getvalue()


@pytest.mark.parametrize(
    ("entries", "each", "needle"),
    [
        (archive.MAX_ENTRIES + 1, 1, "has more than 5000 entries"),
        (1, archive.MAX_ENTRY_BYTES + 1, "has an entry larger than 64 MB"),
        (5, 60 * 1024**2, "inflates to more than 256 MB"),
    ],
)
def test_zip_bombs_are_refused_while_inflating(entries: int, each: int, needle: str) -> None:
    bomb = _bomb_zip(entries, each)
    assert len(bomb) < 2 * 1024**2
    with pytest.raises(InputError, match=needle):
        parse_article(bomb, source="bomb.docx")


def test_an_entry_inflating_past_its_declared_size_is_refused() -> None:
    """An entry whose headers claim 10 bytes but whose data inflates to 100 MB."""
    honest = _bomb_zip(1, 100 * 1024**2)
    claimed = (100 * 1024**2).to_bytes(4, "little")
    lying = honest.replace(claimed, (10).to_bytes(4, "little"))
    assert lying != honest
    start = time.monotonic()
    with pytest.raises(InputError, match=r"bomb\.docx is damaged"):
        parse_article(lying, source="bomb.docx")
    assert time.monotonic() - start < 10


def test_an_e_mail_without_a_text_part_says_so() -> None:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["Subject"] = "Scan"
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="scan.pdf")
    with pytest.raises(InputError, match="has no text or HTML part"):
        parse_article(message.as_bytes(), source="scan.eml")


def test_a_pdf_with_more_text_than_an_article_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader stops before its result could flood the parent: the worker's own
    function with its limit lowered, then what the parent says when a worker stops so."""
    content = b"".join(
        b"BT /F1 9 Tf 50 %d Td (The barrier closed on Tuesday night.) Tj ET\n" % (800 - 10 * n)
        for n in range(70)
    )
    data = documents.raw_pdf(content)
    from briefpack.ingest import pdfworker

    assert "error" not in pdfworker.extract(data, 10)
    monkeypatch.setattr(pdfworker, "MAX_RESULT_BYTES", 1000)
    stopped = pdfworker.extract(data, 10)
    assert stopped == {"error": "text", "detail": "1000"}
    monkeypatch.setattr(pdf, "_run_worker", lambda data, name: stopped)
    with pytest.raises(InputError, match=r"flood\.pdf holds far more text than an article"):
        parse_article(data, source="flood.pdf")
