"""Is this text an HTML page? Sniffed from the content, as a browser does for a local file.

Saved pages open with many things before `<html>`: a BOM, an XML declaration, a doctype,
comments ("saved from url=..."), a `<style>` or `<script>` block, or no `<html>` at all. A
page is HTML when, after any such prologue, its first tag is an HTML element, or when the
start of the file holds a document's skeleton (`<html`/`<body`/`<head`) among many tags.
"""

from __future__ import annotations

import re

# Elements a page may start with once the prologue is skipped.
_FIRST_TAGS = (
    "html|head|body|meta|title|link|base|style|script|noscript|article|main|section|div|"
    "header|nav|p|h[1-6]|table|form|span|font|center|iframe|ul|ol|template|svg|frameset"
)
_PROLOGUE = re.compile(
    r"\A(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!doctype[^>]*>)*", re.IGNORECASE | re.DOTALL
)
_FIRST_TAG = re.compile(rf"<(?:{_FIRST_TAGS})[\s/>]", re.IGNORECASE)
_SKELETON = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][\w:-]*[^<>]*>")
_SNIFF_CHARACTERS = 65536
# A text quoting a tag or two is not a page; a page has dozens in its first 64 KB.
_MIN_TAGS = 20


def looks_like_html(text: str) -> bool:
    """True when the text (or its first 64 KB) reads as an HTML or XHTML page."""
    head = text[:_SNIFF_CHARACTERS].lstrip("\ufeff")
    prologue = _PROLOGUE.match(head)
    rest = head[prologue.end() if prologue else 0 :]
    if _FIRST_TAG.match(rest):
        return True
    if head[: prologue.end() if prologue else 0].lower().count("<!doctype html"):
        return True
    return bool(_SKELETON.search(head)) and len(_TAG.findall(head)) >= _MIN_TAGS


def bytes_look_like_html(data: bytes) -> bool:
    """The same test on raw bytes of an ASCII-compatible encoding (before decoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return looks_like_html(data[:_SNIFF_CHARACTERS].decode("latin-1"))
