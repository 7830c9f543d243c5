"""Word (.docx, python-docx) and OpenDocument (.odt, lxml) articles: paragraphs and headings.

Both are zip containers: `archive.zip_members` has checked the archive (zip-bomb limits,
encryption) before these readers open it (see `formats`). The body is read in document
order: headings and paragraphs, tracked insertions included and tracked deletions left
out; tables, text boxes, footnotes, comments, headers and footers are not article text and
stay out. The title is the first Title-style paragraph, else a heading the document opens
with, else the title in the document's properties.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from briefpack.errors import InputError

log = logging.getLogger(__name__)

DOCX_PART = "word/document.xml"
ODT_MANIFEST = "META-INF/manifest.xml"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Subtrees of a Word paragraph that are not its visible text.
_DOCX_SKIP = {f"{_W}{tag}" for tag in ("del", "moveFrom", "txbxContent", "instrText", "delText")}
_DOCX_CHARS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_PLACEHOLDER_TITLES = frozenset({"", "untitled", "document", "document1", "title"})


def _damaged(name: str, kind: str) -> InputError:
    return InputError(f"{name} is a damaged {kind} (it cannot be parsed); check the file")


def read_docx(data: bytes, name: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of a Word document whose zip `archive.zip_members` passed."""
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        items = []
        for element in _docx_paragraphs(document.element.body):
            style = Paragraph(element, document).style
            items.append((style.name if style is not None else "", _docx_text(element)))
        properties_title = document.core_properties.title or ""
    except InputError:
        raise
    except Exception as exc:  # python-docx and lxml fail on damaged parts in many ways
        log.debug("python-docx failed on %s: %r", name, exc)
        raise _damaged(name, "Word document") from None
    return _title_and_body(items, properties_title)


def _docx_paragraphs(body: Any) -> Iterator[Any]:
    """The body's paragraphs in order, descending into revisions and content controls."""
    for child in body:
        tag = child.tag
        if tag == f"{_W}p":
            yield child
        elif tag in (f"{_W}ins", f"{_W}moveTo", f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _docx_paragraphs(child)


def _docx_text(element: Any) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag in _DOCX_SKIP:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in _DOCX_CHARS:
                parts.append(_DOCX_CHARS[tag])
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def read_odt(data: bytes, name: str, members: dict[str, bytes]) -> tuple[str, list[str]]:
    """(title, paragraphs) of an OpenDocument text whose zip `archive.zip_members` passed.

    `members` holds its META-INF/manifest.xml, content.xml and meta.xml, where present.
    The XML is read with lxml directly (entities not resolved, nothing fetched): odfpy
    prints to stdout on a malformed part, odfdo warns on stderr (docs/inputs.md).
    """
    if b"encryption-data" in members.get(ODT_MANIFEST, b""):
        raise InputError(f"{name} is password-protected; save it again without a password")
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        content = etree.fromstring(members["content.xml"], parser)
        body = content.find(f"{_OFFICE}body/{_OFFICE}text")
        if body is None:
            raise ValueError("no office:text")
        parents = {
            style.get(f"{_STYLE}name"): style.get(f"{_STYLE}parent-style-name")
            for style in content.iterfind(f"{_OFFICE}automatic-styles/{_STYLE}style")
        }
        items = [
            (_odt_style(element, parents), _odt_text(element)) for element in _odt_paragraphs(body)
        ]
        properties_title = ""
        if "meta.xml" in members:
            meta = etree.fromstring(members["meta.xml"], parser)
            properties_title = "".join(meta.itertext(tag=f"{_DC}title"))
    except (KeyError, ValueError, etree.LxmlError) as exc:
        log.debug("OpenDocument parts of %s unreadable: %r", name, exc)
        raise _damaged(name, "OpenDocument text") from None
    return _title_and_body(items, properties_title)


_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
# Containers whose paragraphs are the body's (lists, sections); tables, frames and the
# rest are skipped.
_ODT_DESCEND = {f"{_TEXT}{tag}" for tag in ("list", "list-item", "list-header", "section")}
# Inside a paragraph: footnotes, comments and tracked deletions are not its text.
_ODT_SKIP = {f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes"}


def _odt_paragraphs(node: Any) -> Iterator[Any]:
    for child in node:
        if child.tag in (f"{_TEXT}p", f"{_TEXT}h"):
            yield child
        elif child.tag in _ODT_DESCEND:
            yield from _odt_paragraphs(child)


def _odt_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * _count(child.get(f"{_TEXT}c")))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag not in _ODT_SKIP and isinstance(tag, str):
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count(value: str | None) -> int:
    return min(int(value), 100) if value and value.isdigit() else 1


def _odt_style(element: Any, parents: dict[str | None, str | None]) -> str:
    if element.tag == f"{_TEXT}h":
        return "Heading"
    style = element.get(f"{_TEXT}style-name") or ""
    return (parents.get(style) or style).replace("_20_", " ")


def _title_and_body(items: list[tuple[str, str]], properties_title: str) -> tuple[str, list[str]]:
    """The title (Title style, an opening heading, else the properties) and the paragraphs."""
    paragraphs = [(style, " ".join(text.split())) for style, text in items]
    paragraphs = [(style, text) for style, text in paragraphs if text]
    title = ""
    for index, (style, text) in enumerate(paragraphs):
        if style == "Title":
            title = text
            del paragraphs[index]
            break
    if not title and paragraphs and paragraphs[0][0].startswith("Heading"):
        title = paragraphs.pop(0)[1]
    if not title and properties_title.strip().casefold() not in _PLACEHOLDER_TITLES:
        title = " ".join(properties_title.split())
    return title, [text for _, text in paragraphs]
