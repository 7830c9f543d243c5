"""HTML articles: the main content and title, via trafilatura (offline, no fetching)."""

from __future__ import annotations

import re
from typing import Any

from briefpack.errors import InputError

_LETTER = re.compile(r"[^\W\d_]")
# Page furniture: never article prose, whatever an extractor's fallback makes of it.
_FURNITURE = (
    "//head|//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//menu"
    "|//form|//button|//select|//*[@role='navigation' or @role='banner' or @role='contentinfo']"
)
_NAVIGATION_LINKS = (
    "//nav//a|//header//a|//footer//a|//aside//a|//menu//a|//*[@role='navigation']//a"
)


def html_to_text(html: str, name: str = "the HTML page") -> tuple[str, str]:
    """(title, text) of the page's main article; paragraphs separated by blank lines."""
    import trafilatura

    no_text = InputError(
        f"{name} holds no article text (only navigation or markup?); "
        "save the article's own page or paste its text into a .txt file"
    )
    root = _parse(html)
    menu: set[str] = set()
    if root is not None:
        menu = _menu_labels(root)
        if not _has_prose(root):
            # trafilatura's fallbacks would return the menu ("Home", "News") as the article.
            raise no_text
    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    text = getattr(document, "text", None) or ""
    paragraphs = [
        line.strip() for line in text.splitlines() if line.strip() and line.strip() not in menu
    ]
    if not paragraphs:
        raise no_text
    title = getattr(document, "title", None) or ""
    return title.strip(), "\n\n".join(paragraphs)


def _parse(html: str) -> Any:
    """The page as an lxml tree, or None when lxml cannot make one (trafilatura decides)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        return lxml_html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _has_prose(root: Any) -> bool:
    """True when the page has letters outside links, menus, headers and footers.

    Changes the tree: the furniture is dropped from it.
    """
    for element in root.xpath(_FURNITURE + "|//a"):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text that follows the element
    return bool(_LETTER.search(root.text_content()))


def _menu_labels(root: Any) -> set[str]:
    """Link texts of the page's navigation, to drop when an extractor keeps them as lines."""
    labels = (" ".join(link.text_content().split()) for link in root.xpath(_NAVIGATION_LINKS))
    return {label for label in labels if label}
