"""Word (.docx, python-docx) and OpenDocument (.odt, odfpy) articles: paragraphs and headings.

Both are zip containers: `archive.zip_members` has checked the archive (zip-bomb limits,
encryption) before either library opens it (see `formats`). The body is read in document order: headings
and paragraphs, tracked insertions included and tracked deletions left out; tables, text
boxes, footnotes, comments, headers and footers are not article text and stay out. The
title is the first Title-style paragraph, else a heading the document opens with, else the
title in the document's properties.
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

    `members` holds at least its META-INF/manifest.xml and content.xml, where present.
    """
    if b"encryption-data" in members.get(ODT_MANIFEST, b""):
        raise InputError(f"{name} is password-protected; save it again without a password")
    if "content.xml" not in members:
        raise _damaged(name, "OpenDocument text")
    from odf import teletype
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
        parents = _odt_parent_styles(document)
        items = [
            (_odt_style(element, parents), _odt_text(element, teletype))
            for element in _odt_paragraphs(document.text)
        ]
        properties_title = _odt_meta_title(document)
    except Exception as exc:  # odfpy and its XML parser fail on damaged parts in many ways
        log.debug("odfpy failed on %s: %r", name, exc)
        raise _damaged(name, "OpenDocument text") from None
    return _title_and_body(items, properties_title)


_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
# Containers whose paragraphs are the body's (lists, sections); everything else is skipped.
_ODT_DESCEND = {"list", "list-item", "list-header", "section", "soft-page-break"}
_ODT_SKIP_INLINE = {"note", "annotation", "tracked-changes", "deletion"}


def _odt_paragraphs(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None or qname[0] != _TEXT_NS:
            continue
        if qname[1] in ("p", "h"):
            yield child
        elif qname[1] in _ODT_DESCEND:
            yield from _odt_paragraphs(child)


def _odt_text(element: Any, teletype: Any) -> str:
    parts: list[str] = []
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname is not None and qname[0] == _TEXT_NS and qname[1] in _ODT_SKIP_INLINE:
            continue
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif qname is not None and qname[0] == _TEXT_NS and qname[1] in ("s", "tab", "line-break"):
            parts.append(teletype.extractText(child) or " ")
        else:
            parts.append(_odt_text(child, teletype))
    return "".join(parts)


def _odt_parent_styles(document: Any) -> dict[str, str]:
    """Automatic style name -> the named style it derives from ("P1" -> "Title")."""
    parents: dict[str, str] = {}
    for style in document.automaticstyles.childNodes:
        style_name = style.attributes.get((_STYLE_NS, "name"))
        parent = style.attributes.get((_STYLE_NS, "parent-style-name"))
        if style_name and parent:
            parents[style_name] = parent
    return parents


def _odt_style(element: Any, parents: dict[str, str]) -> str:
    if element.qname == (_TEXT_NS, "h"):
        return "Heading"
    style = element.attributes.get((_TEXT_NS, "style-name"), "")
    return parents.get(style, style).replace("_20_", " ")


def _odt_meta_title(document: Any) -> str:
    from odf import dc

    for element in document.meta.getElementsByType(dc.Title):
        return str(element).strip()
    return ""


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
