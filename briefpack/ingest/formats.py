"""Document formats beside text: which one an input is, and its reader.

PDF, Word (.docx), OpenDocument text (.odt) and e-mail (.eml) are recognised by their
content, whatever the file is called: PDF by its `%PDF-` header, the zip containers by
their inner files (`word/document.xml`; a `mimetype` entry of
`application/vnd.oasis.opendocument.text`), e-mail by its header block (for stdin and
files without a known suffix). The readers give a title and paragraphs, which go through
the same cleaning as text. Nothing heavy is imported until a reader runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefpack.errors import InputError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EML = "message/rfc822"
DOCUMENT_MEDIA_TYPES = {".pdf": PDF, ".docx": DOCX, ".odt": ODT, ".eml": EML}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted Word/Excel/PowerPoint file keeps its zip in (UTF-16 in the OLE directory).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ZIP_SNIFF = ("mimetype", "META-INF/manifest.xml", "content.xml", "meta.xml")
_OTHER_ZIPS = {
    "xl/workbook.xml": "an Excel workbook",
    "ppt/presentation.xml": "a PowerPoint presentation",
}
_OPENDOCUMENT_KINDS = {
    "spreadsheet": "an OpenDocument spreadsheet",
    "presentation": "an OpenDocument presentation",
    "graphics": "an OpenDocument drawing",
}
_HEADER_FIELD = re.compile(rb"^[!-9;-~]+[ \t]*:")
_MAIL_HEADERS = frozenset(
    {b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"mime-version", b"received"}
    | {b"return-path", b"reply-to", b"in-reply-to", b"references", b"delivered-to", b"sender"}
)


@dataclass(frozen=True)
class Document:
    """What a document reader found: its title, body paragraphs and how it was read."""

    title: str
    body: str  # paragraphs separated by blank lines
    media_type: str
    encoding: str  # the text's encoding inside the container, or the container's name


def read_document(
    data: bytes, media_type: str | None, name: str, encoding: str | None = None
) -> Document | None:
    """The document in `data`, or None when it is text (plain, Markdown, HTML).

    `media_type` is what the file's suffix says (None for stdin and unknown suffixes).
    """
    if data.startswith(b"%PDF-") or (media_type == PDF and b"%PDF-" in data[:1024]):
        from briefpack.ingest.pdf import read_pdf

        title, paragraphs = read_pdf(data, name)
        return _document(title, paragraphs, PDF, "pdf", name)
    if media_type == PDF:
        raise InputError(f"{name} is not a PDF document (it has no %PDF- header); check the file")
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data, name)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        raise InputError(
            f"{name} is a password-protected Office document; remove the password in Word "
            "(File > Info > Protect) and save it again"
        )
    if media_type in (DOCX, ODT):
        what = "a Word" if media_type == DOCX else "an OpenDocument text"
        hint = "save it as .docx" if data.startswith(_OLE_MAGIC) else "check the file"
        raise InputError(f"{name} is not {what} document (not a zip container); {hint}")
    if media_type == EML or (media_type is None and looks_like_email(data)):
        from briefpack.ingest.mail import read_eml

        title, paragraphs, charset = read_eml(data, name, encoding)
        return _document(title, paragraphs, EML, charset, name)
    return None


def _document(
    title: str, paragraphs: list[str], media_type: str, encoding: str, name: str
) -> Document:
    if not paragraphs:
        raise InputError(f"{name} holds no text; give a document with the article's text in it")
    return Document(title, "\n\n".join(paragraphs), media_type, encoding)


def _read_zip(data: bytes, name: str) -> Document:
    from briefpack.ingest.archive import zip_members
    from briefpack.ingest.office import DOCX_PART, read_docx, read_odt

    names, members = zip_members(data, name, _ZIP_SNIFF)
    if DOCX_PART in names:
        return _document(*read_docx(data, name), DOCX, "utf-8", name)
    mimetype = members.get("mimetype", b"").strip().decode("ascii", "replace")
    if mimetype.startswith(ODT):
        return _document(*read_odt(data, name, members), ODT, "utf-8", name)
    kind = mimetype.removeprefix("application/vnd.oasis.opendocument.").split("-")[0]
    what = _OPENDOCUMENT_KINDS.get(kind) or next(
        (what for part, what in _OTHER_ZIPS.items() if part in names), None
    )
    if what:
        raise InputError(f"{name} is {what}, not an article; give the text as .docx, .odt or .txt")
    raise InputError(
        f"{name} is a zip archive, not an article; unpack it and give the article files"
    )


def looks_like_email(data: bytes) -> bool:
    """True when `data` opens with an e-mail header block (From:, Subject:, Date: ...)."""
    head = data[:16384].replace(b"\r\n", b"\n")
    if head.startswith(b"From "):  # an mbox "From " line before the headers
        head = head.partition(b"\n")[2]
    block, blank, _ = head.partition(b"\n\n")
    if not blank:
        return False
    seen: set[bytes] = set()
    for line in block.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            continue  # a folded header's continuation
        if not _HEADER_FIELD.match(line):
            return False
        seen.add(line.split(b":", 1)[0].strip().lower())
    return len(seen & _MAIL_HEADERS) >= 2 and bool(seen & {b"from", b"subject", b"date"})
