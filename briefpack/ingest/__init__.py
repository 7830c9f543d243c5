"""The ingest stage: a file or stdin in, a clean `Article` out.

Formats: plain text, Markdown, HTML (HTML sniffed by content, as a browser does, for stdin,
.txt and files without a known extension); PDF, Word (.docx), OpenDocument text (.odt) and
e-mail (.eml), recognised by content (`formats`). Encodings: BOM, then the page's own
declaration, then detection (`decode.py`). Page furniture and junk (bylines, captions,
share prompts, "Source link") are removed; the language is detected from the main text
unless given.
"""

from __future__ import annotations

import hashlib
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
from briefpack.ingest.furniture import repeats_headline, strip_headline
from briefpack.ingest.language import SUPPORTED_LANGUAGES, detect_language, normalize_code
from briefpack.ingest.sniff import bytes_look_like_html, looks_like_html
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
# Extensions whose files are read as they say, never sniffed: Markdown may hold raw HTML.
_NOT_SNIFFED = frozenset({"text/markdown", "text/html"})


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
    """Build an `Article` from raw bytes.

    `media_type` is what the file's extension says (None for stdin or an unknown one).
    """
    if not data:
        raise InputError(f"{source} is empty; give an article with text in it")
    if not data.strip():
        raise InputError(f"{source} is empty (only whitespace); give an article with text in it")
    document = read_document(data, media_type, source, encoding)  # PDF, Word, ODT, e-mail
    if document is not None:
        media_type, used_encoding = document.media_type, document.encoding
        title, paragraphs = _title_and_text(document.title, document.body)
        headlines: tuple[str, ...] = ()
        declared = None
    else:
        text, used_encoding, media_type = _decode(data, source, media_type, encoding)
        if not text.strip():
            raise InputError(
                f"{source} is empty (only whitespace); give an article with text in it"
            )
        title, paragraphs, headlines, declared = _title_and_paragraphs(text, media_type, source)
    # Terminal escapes and BEL are never article text (they would reach terminals raw).
    title, paragraphs = strip_controls(title), [strip_controls(p) for p in paragraphs]
    paragraphs = clean_paragraphs(paragraphs)
    headlines = headlines or ((title,) if title else ())
    if headlines:
        paragraphs = [strip_headline(p, headlines) for p in paragraphs]
        paragraphs = [p for p in paragraphs if p and not repeats_headline(p, headlines)]
    if not paragraphs:
        raise InputError(
            f"{source} holds no article text after removing page furniture; check the file"
        )
    body = "\n\n".join(paragraphs)
    if language is None:
        # The main text: a Latin headline over Chinese is zh.
        language = detect_language(body, hint=declared)
    else:
        language = normalize_code(language)
        if language not in SUPPORTED_LANGUAGES:
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


def _decode(
    data: bytes, source: str, media_type: str | None, encoding: str | None
) -> tuple[str, str, str]:
    """(text, encoding used, media type): HTML sniffed by content unless the extension says."""
    markup = media_type == "text/html" or (
        media_type not in _NOT_SNIFFED and bytes_look_like_html(data)
    )
    text, used_encoding = decode(data, encoding, source, markup=markup)
    if media_type not in _NOT_SNIFFED:
        media_type = "text/html" if markup or looks_like_html(text) else "text/plain"
    return text, used_encoding, media_type or "text/plain"


def _title_and_paragraphs(
    text: str, media_type: str, source: str
) -> tuple[str, list[str], tuple[str, ...], str | None]:
    """(title, paragraphs, the title's variants, the declared language) of the text."""
    if media_type == "text/html":
        from briefpack.ingest.html import extract_page

        page = extract_page(text, source)
        return page.title, page.paragraphs, page.headlines, page.language
    if media_type == "text/markdown":
        title, body = markdown_to_text(text)
    else:
        title, body = "", text
    return (*_title_and_text(title, body), (), None)


def _title_and_text(title: str, body: str) -> tuple[str, list[str]]:
    """The title (a headline-like first paragraph when none is given) and the paragraphs."""
    paragraphs = split_paragraphs(body)
    if not title and paragraphs and looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
        title = paragraphs.pop(0)
    elif title and paragraphs and paragraphs[0].casefold() == " ".join(title.split()).casefold():
        paragraphs.pop(0)  # the headline repeated as the body's first line
    return title, paragraphs
