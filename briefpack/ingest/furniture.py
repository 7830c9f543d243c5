"""Page furniture in an extracted HTML article, found by the page's structure.

trafilatura returns the main text as blocks (paragraphs, list items, quotes, headings); some
are not the article: the headline again, section headings, bylines and timestamps, photo
captions, "read also" links, share bars, newsletter boxes, cookie notices. They are told
apart here by what the page's markup says they are, before any phrase list (`clean.py`):

- by element type: a heading is not a sentence of the article;
- by link density: a block that is mostly link text is navigation;
- by the element that holds the same text in the page: `<figcaption>`, `<time>`, bylines,
  breadcrumbs, share/newsletter/cookie/related boxes (their class, id, role or itemprop);
- by the headline: a block that is one of the page's titles, or the title with a date or
  byline around it.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from briefpack.ingest.clean import is_junk

_WORD = re.compile(r"\w+")


class Block(NamedTuple):
    text: str
    kind: str  # trafilatura's element: p, item, quote, head, cell
    link_share: float  # share of the block's characters inside links
    in_list: bool


class Furniture(NamedTuple):
    texts: frozenset[str]  # normalized texts of furniture elements and their blocks
    short: str  # the short furniture texts joined, to find a block inside one


# A block at least this much link text is navigation: article prose links a few words of a
# sentence, menus, "related" lists, tag lists and "Lire aussi : <a>…</a>" lines are links.
MAX_LINK_SHARE = 0.5
# Class/id words of furniture containers (matched as whole words of a class, "post-byline",
# "share_bar"): bylines and dates, captions and credits, breadcrumbs, share/print tools,
# newsletter and subscription boxes, related and recommended lists, cookie/consent notices,
# tag lists, tickers, ads. None of them names an article body.
_FURNITURE_CLASS = re.compile(
    r"(?:^|[-_\s])(?:by-?line|author|authors|dateline|time-?stamp|pub-?date|date|posted|"
    r"published|updated|entry-meta|post-meta|article-meta|caption|credit|credits|"
    r"breadcrumbs?|share|sharing|social|newsletter|subscribe|subscription|sign-?up|promo|"
    r"related|recommended|read-?more|more-stories|also-read|cookie|cookies|consent|gdpr|"
    r"tags|tag-list|keywords|ticker|marquee|reprints?|print|toolbar|advert|sponsor|"
    r"outbrain|taboola|popup|modal|paywall)(?:$|[-_\s])",
    re.IGNORECASE,
)
_FURNITURE_TAGS = {"figcaption", "time", "address", "nav", "aside", "menu", "footer", "header"}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alert"}
_FURNITURE_ITEMPROPS = {"author", "datepublished", "datemodified", "creator", "caption"}
_PARAGRAPHS = frozenset({"p", "li", "blockquote", "dd", "td"})
_INNER = ("p", "li", "div", "span", "a", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption")
# A furniture element holding more than this share of the page's text, or more text than
# this, is a mislabelled wrapper ("author-content", "share-wrap" around the article): it is
# looked inside instead. Bylines, captions, notices and boxes are far shorter; long
# related-article lists are caught by their link density.
_MAX_PAGE_SHARE = 0.4
_MAX_FURNITURE = 1500
# An extracted block this long reads as a paragraph of prose.
_PROSE = 80
# A block inside a furniture text this long or shorter counts as furniture (a byline block
# "By A. Writer | 5 March" split by the extractor into two lines).
_SHORT = 600


def norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def structural_furniture(root: Any, blocks: list[Block]) -> Furniture:
    """The texts of the page's furniture elements (see the module's docstring).

    An element that holds two or more of the extracted paragraphs, or most of the extracted
    text, is not furniture, whatever its class says ("modal-enabled", "entry-content-read-more"
    around a whole article).
    """
    page_length = max(1, len(norm(root.text_content())))
    prose = [f" {norm(b.text)} " for b in blocks if len(b.text) >= _PROSE and b.kind != "head"]
    extracted = max(1, sum(len(p) for p in prose))
    texts: set[str] = set()
    content: set[str] = set()  # paragraphs outside any furniture element
    short: list[str] = []
    stack = [root]
    while stack:  # no recursion: pages nest thousands of levels deep
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if not _is_furniture(element):
            if element.tag in _PARAGRAPHS:
                content.add(norm(element.text_content()))
            stack.extend(element)
            continue
        whole = norm(element.text_content())
        if not whole:
            continue
        padded = f" {whole} "
        inside = [p for p in prose if p in padded]
        if (
            len(whole) > min(_MAX_FURNITURE, page_length * _MAX_PAGE_SHARE)
            or len(inside) >= 2
            or sum(map(len, inside)) > extracted / 2
        ):
            stack.extend(element)  # a mislabelled wrapper: look inside it instead
            continue
        texts.add(whole)
        if len(whole) <= _SHORT:
            short.append(f" {whole} ")
        for inner in element.iter(*_INNER):
            text = norm(inner.text_content())
            if text:
                texts.add(text)
    # A text the page also shows outside its furniture is article text: the standfirst in a
    # <header> that the article body repeats, a caption-like sentence of the body.
    return Furniture(
        frozenset(texts - content), "\n".join(s for s in short if s.strip() not in content)
    )


def _is_furniture(element: Any) -> bool:
    if element.tag in _FURNITURE_TAGS:
        return True
    if (element.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    if (element.get("itemprop") or "").lower() in _FURNITURE_ITEMPROPS:
        return True
    if (element.get("rel") or "").lower() == "author":
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(names.strip()) and bool(_FURNITURE_CLASS.search(names))


def repeats_headline(text: str, headlines: tuple[str, ...]) -> bool:
    """The block is a headline, or a headline with a date, byline or site name around it."""
    words = norm(text).split()
    if not words:
        return False
    mine = set(words)
    for headline in headlines:
        theirs = set(norm(headline).split())
        if not theirs:
            continue
        if len(mine & theirs) / len(mine | theirs) >= 0.7:
            return True
        if len(theirs) >= 4 and theirs <= mine and len(words) <= len(theirs) + 12:
            return True
        if len(mine) >= 4 and mine <= theirs:
            return True
    return False


# A headline found this few words into a paragraph, with only a dateline, breadcrumb or
# kicker before it, was glued to the text by the extractor ("KOA039 Live ... Veröffentlicht
# am ...", "Home Issues <headline> <first sentence>"): the paragraph starts after it.
_MAX_WORDS_BEFORE_HEADLINE = 8


def strip_headline(text: str, headlines: tuple[str, ...]) -> str:
    """The paragraph without a headline (and what little stands before it) at its start."""
    for headline in sorted(headlines, key=len, reverse=True):
        words = headline.split()
        if len(words) < 3:
            continue
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.search(pattern, text[: len(headline) + 200], re.IGNORECASE)
        if match and len(text[: match.start()].split()) <= _MAX_WORDS_BEFORE_HEADLINE:
            return text[match.end() :].lstrip(" :|-–—·»,.").strip()
    return text


def drop_furniture(
    blocks: list[Block], furniture: Furniture, headlines: tuple[str, ...]
) -> list[str]:
    """The blocks that are article text, as paragraphs."""
    kept: list[str] = []
    for block in blocks:
        if block.kind == "head":
            continue  # section headings and the headline: not sentences of the article
        if block.link_share >= MAX_LINK_SHARE:
            continue
        text = norm(block.text)
        if not text or text in furniture.texts:
            continue
        if len(text) <= _SHORT and f" {text} " in furniture.short:
            continue
        if repeats_headline(block.text, headlines) or is_junk(block.text):
            continue
        rest = strip_headline(block.text, headlines)
        if rest and not is_junk(rest):
            kept.append(rest)
    return kept
