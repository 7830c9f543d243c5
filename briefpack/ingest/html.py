"""HTML articles: the main text and headline, via trafilatura (offline, no fetching).

The page is parsed once (lxml, no depth limit, so pages nested hundreds of levels deep
parse) and handed whole to trafilatura: nothing is stripped first. trafilatura's balanced
mode already compares its own extraction with two fallbacks (its readability port and
jusText) and keeps the better; when it finds nothing, it runs again favouring recall (see
docs/real-web-pages.md for what each rescues). The page has no article when what comes back
is only links, menus and furniture (`furniture.py`), decided on the extractor's own result.
Only the text is extracted: trafilatura's metadata (dates through htmldate, the 3-5 s
pages) is not asked for; the headline comes from the page's structured data (`title.py`).
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from briefpack.errors import InputError
from briefpack.ingest.furniture import Block, drop_furniture, structural_furniture
from briefpack.ingest.title import page_titles

log = logging.getLogger(__name__)

# trafilatura's block elements in its output tree: paragraphs, list items, quotes, headings.
_BLOCKS = {"p", "item", "quote", "head", "cell"}


class Page(NamedTuple):
    title: str
    paragraphs: list[str]
    headlines: tuple[str, ...]  # the title's variants (og:title, <h1>, <title>...)
    language: str | None  # what the page declares (<html lang>, Content-Language), if anything


def html_to_text(html: str, name: str = "the HTML page") -> tuple[str, str]:
    """(title, text) of the page's main article; paragraphs separated by blank lines."""
    page = extract_page(html, name)
    return page.title, "\n\n".join(page.paragraphs)


def extract_page(html: str, name: str = "the HTML page") -> Page:
    """The page's headline and article paragraphs, furniture removed."""
    no_text = InputError(
        f"{name} holds no article text (only navigation or markup?); "
        "save the article's own page or paste its text into a .txt file"
    )
    root = parse_html(html)
    if root is None:
        raise no_text
    titles = page_titles(root)
    paragraphs = _paragraphs(root, titles.variants, _extract(root, favor_recall=False))
    if not paragraphs:
        log.info("%s: nothing in the balanced extraction; trying again favouring recall", name)
        paragraphs = _paragraphs(root, titles.variants, _extract(root, favor_recall=True))
    if not paragraphs:
        log.info("%s: still nothing; trying trafilatura's baseline extractor", name)
        paragraphs = _paragraphs(root, titles.variants, _baseline(root))
    if not paragraphs:
        raise no_text
    return Page(titles.title, paragraphs, titles.variants, _declared_language(root))


def _declared_language(root: Any) -> str | None:
    for value in root.xpath(
        "/html/@lang|/html/@xml:lang|//meta[@http-equiv='content-language']/@content"
        "|//meta[@property='og:locale']/@content",
        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"},
    ):
        if str(value).strip():
            return str(value).strip()
    return None


def _paragraphs(root: Any, headlines: tuple[str, ...], blocks: list[Block]) -> list[str]:
    if not blocks:
        return []
    return drop_furniture(blocks, structural_furniture(root, blocks), headlines)


# The baseline's lines: one this short is a menu entry, a label or a heading, not prose.
_MIN_BASELINE_WORDS = 6


def _baseline(root: Any) -> list[Block]:
    """trafilatura's baseline: the JSON-LD articleBody, the <article>, the page's paragraphs,
    or its whole text, in that order; as lines, the short ones dropped (menus, labels)."""
    from trafilatura import baseline

    try:
        body, _, _ = baseline(root)
    except (ValueError, RecursionError):
        return []
    blocks = []
    for element in body.iter("p"):
        for line in (element.text or "").split("\n"):
            text = " ".join(line.split())
            if len(text.split()) >= _MIN_BASELINE_WORDS:
                blocks.append(Block(text, "p", 0.0, False))
    return blocks


def parse_html(html: str) -> Any:
    """The page as an lxml tree (no depth limit), or None when there is no tree to make."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
    try:
        root = lxml_html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


def _extract(root: Any, *, favor_recall: bool) -> list[Block]:
    """trafilatura's blocks of the main text, each with the share of its text that is links."""
    import trafilatura
    from lxml import etree

    try:
        document = trafilatura.bare_extraction(
            root,
            favor_recall=favor_recall,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=True,  # kept to measure link density; only the text is used
            with_metadata=False,
        )
    except (ValueError, RecursionError, etree.LxmlError):  # its "no text" signal, deep pages
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    blocks: list[Block] = []
    for element in body.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue  # a quote's paragraphs, a list item's paragraph: the outer block counts
        text = " ".join("".join(element.itertext()).split())
        if not text:
            continue
        links = sum(len(" ".join("".join(r.itertext()).split())) for r in element.iter("ref"))
        in_list = element.tag == "item"
        blocks.append(Block(text, element.tag, min(1.0, links / len(text)), in_list))
    return blocks
