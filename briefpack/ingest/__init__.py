"""The ingest stage: a file or stdin in, a clean `Article` out.

Formats: plain text, Markdown, HTML (by extension, or sniffed for stdin); PDF, Word
(.docx), OpenDocument text (.odt) and e-mail (.eml), recognised by content (`formats`).
Encodings:
UTF-8, UTF-8/16/32 with BOM, legacy encodings detected. Junk (share prompts, "Source link",
"Comments are closed.") is removed; the language is detected unless given.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import BinaryIO

from briefpack.errors import InputError
from briefpack.ingest.clean import (
    clean_paragraphs,
    looks_like_headline,
    markdown_to_text,
    split_paragraphs,
)
from briefpack.ingest.decode import decode
from briefpack.ingest.formats import DOCUMENT_MEDIA_TYPES, read_document
from briefpack.ingest.language import SUPPORTED_LANGUAGES, detect_language
from briefpack.model import Article
from briefpack.system.files import read_input_file
from briefpack.system.text import display_name, strip_controls

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_ARTICLE_BYTES",
    "SUPPORTED_LANGUAGES",
    "parse_article",
    "read_article",
]

# Larger inputs are refused up front: an article, even a long report, is far below this.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024

_MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    **DOCUMENT_MEDIA_TYPES,
}
# The suffixes a folder's article files have (`briefpack build FOLDER`).
ARTICLE_SUFFIXES = tuple(_MEDIA_TYPES)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<article)", re.IGNORECASE)


def read_article(
    path: str | Path,
    *,
    language: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> Article:
    """Read and clean one article from a path, or from stdin when path is "-"."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_ARTICLE_BYTES + 1)
        source, media_type = "<stdin>", None
    else:
        file = Path(path)
        media_type = _MEDIA_TYPES.get(file.suffix.lower())
        data = read_input_file(file, MAX_ARTICLE_BYTES, _too_big(display_name(file.name)))
        source = display_name(file.name)
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(_too_big(source))
    return parse_article(
        data, source=source, media_type=media_type, language=language, encoding=encoding
    )


def _too_big(name: str) -> str:
    limit = MAX_ARTICLE_BYTES // (1024 * 1024)
    return f"{name} is larger than {limit} MB; an article must be smaller: split the file"


def parse_article(
    data: bytes,
    *,
    source: str = "<stdin>",
    media_type: str | None = None,
    language: str | None = None,
    encoding: str | None = None,
) -> Article:
    """Build an `Article` from raw bytes."""
    if not data:
        raise InputError(f"{source} is empty; give an article with text in it")
    if not data.strip():
        raise InputError(f"{source} is empty (only whitespace); give an article with text in it")
    document = read_document(data, media_type, source, encoding)  # PDF, Word, ODT, e-mail
    if document is not None:
        title, body = document.title, document.body
        media_type, used_encoding = document.media_type, document.encoding
    else:
        title, body, media_type, used_encoding = _read_text(data, media_type, encoding, source)
    title, body = strip_controls(title), strip_controls(body)  # terminal escapes, BEL: never text
    paragraphs = split_paragraphs(body)
    if not title and paragraphs and looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
        title = paragraphs.pop(0)
    elif title and paragraphs and paragraphs[0].casefold() == " ".join(title.split()).casefold():
        paragraphs.pop(0)  # the headline repeated as the body's first line (HTML <h1>)
    paragraphs = clean_paragraphs(paragraphs)
    if not paragraphs:
        raise InputError(
            f"{source} holds no article text after removing page furniture; check the file"
        )
    body = "\n\n".join(paragraphs)
    if language is None:
        language = detect_language(title + "\n" + body)
    elif language not in SUPPORTED_LANGUAGES:
        known = ", ".join(SUPPORTED_LANGUAGES)
        raise InputError(f"unsupported language {language!r}; use one of: {known}")
    return Article(
        title=" ".join(title.split()),
        text=body,
        language=language,
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=used_encoding,
        media_type=media_type,
    )


def _read_text(
    data: bytes, media_type: str | None, encoding: str | None, source: str
) -> tuple[str, str, str, str]:
    """(title, body, media type, encoding) of a text, Markdown or HTML article."""
    text, used_encoding = decode(data, encoding, source)
    if not text.strip():
        raise InputError(f"{source} is empty (only whitespace); give an article with text in it")
    if media_type is None:
        media_type = "text/html" if _HTML_SNIFF.match(data[:1024]) else "text/plain"
    if media_type == "text/html":
        from briefpack.ingest.html import html_to_text

        title, body = html_to_text(text, source)
    elif media_type == "text/markdown":
        title, body = markdown_to_text(text)
    else:
        title, body = "", text
    return title, body, media_type, used_encoding
