"""A page's headline from its structured data, whole and without the site's name.

Candidates, in order of trust: JSON-LD `headline` (what the publisher says the article is
called), `og:title` / `twitter:title`, the `<h1>` of the article, the `<title>`. A candidate
is passed over when it is cut short (ends in an ellipsis, or is the start of a longer
candidate). Site names come off titles when they match the site's name (`og:site_name`,
JSON-LD publisher or website name, `application-name`, the domain) or another candidate
shows that the rest is the headline ("Opinion | X" when the `<h1>` says "X").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import urlparse

# Separators between a headline and a site or section name in <title> and og:title.
_SEPARATORS = re.compile(r"\s+(?:[|·•»«:/]|::|-{1,2}|–|—)\s+")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")
_WORD = re.compile(r"\w+")
# JSON-LD types whose `headline` is the page's own article.
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|NewsArticle|WebPage|Recipe|Review", re.I)
# A site or section name is short: a headline part shorter than this many words can be one.
_MAX_SITE_WORDS = 5


class Titles(NamedTuple):
    title: str  # the chosen headline, "" when the page has none
    variants: tuple[str, ...]  # every form the page gives it (to keep out of the key points)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _flat(text: str) -> str:
    return " ".join(text.split())


def page_titles(root: Any) -> Titles:
    """The headline of an lxml HTML tree and its variants."""
    sites = _site_names(root)
    candidates = [c for c in (*_json_ld_headlines(root), *_meta_titles(root)) if c]
    h1 = _h1(root)
    title_tag = _flat(root.findtext(".//title") or "")
    ordered = [*candidates, h1, title_tag]
    variants = [c for c in ordered if c]
    cleaned = [_strip_site(c, sites, [v for v in variants if v != c]) for c in ordered]
    whole = [i for i, c in enumerate(cleaned) if c and not _cut_short(c, cleaned)]
    # A candidate that shares no words with any other is another text (Wikipedia's JSON-LD
    # headline is the Wikidata description): the first one another candidate confirms wins.
    confirmed = [
        i
        for i in whole
        if any(_agree(cleaned[i], o) for j, o in enumerate(cleaned) if o and j != i)
    ]
    first = (confirmed or whole or [i for i, c in enumerate(cleaned) if c] or [-1])[0]
    title = cleaned[first] if first >= 0 else ""
    return Titles(title, tuple(dict.fromkeys([*variants, *(c for c in cleaned if c)])))


def _agree(a: str, b: str) -> bool:
    """Half the words of the shorter of the two are in the other."""
    wa, wb = set(_norm(a).split()), set(_norm(b).split())
    return bool(wa and wb) and len(wa & wb) >= 0.5 * min(len(wa), len(wb))


def _cut_short(candidate: str, others: list[str]) -> bool:
    """Ends in an ellipsis, or is the first words of a longer candidate (a broken og:title)."""
    if _ELLIPSIS.search(candidate):
        return True
    mine = _norm(candidate)
    return any(
        len(other) > len(mine) + 3 and other.startswith(mine) for other in map(_norm, others)
    )


def _strip_site(title: str, sites: set[str], others: list[str]) -> str:
    """The title without a site or section name before or after a separator."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    known = {_norm(o) for o in others if o}
    # Another candidate is exactly one part (or a run of parts): that run is the headline.
    for start in range(len(parts)):
        for end in range(len(parts), start, -1):
            if (start, end) == (0, len(parts)):
                continue
            run = _join(title, parts, start, end)
            if _norm(run) in known and len(_norm(run).split()) >= 2:
                return run
    # Otherwise drop parts at either end that name the site.
    start, end = 0, len(parts)
    while end - start > 1 and _is_site(parts[end - 1], sites):
        end -= 1
    while end - start > 1 and _is_site(parts[start], sites):
        start += 1
    return _join(title, parts, start, end)


def _join(title: str, parts: list[str], start: int, end: int) -> str:
    """Parts start..end of the title, with the separators that stood between them."""
    pieces = _SEPARATORS.split(title)
    seps = _SEPARATORS.findall(title)
    text = pieces[start]
    for i in range(start + 1, end):
        text += seps[i - 1] + pieces[i]
    return text.strip()


def _is_site(part: str, sites: set[str]) -> bool:
    name = _norm(part)
    if not name or len(name.split()) > _MAX_SITE_WORDS:
        return False
    squeezed = name.replace(" ", "")
    return any(name == s or squeezed == s.replace(" ", "") for s in sites)


def _site_names(root: Any) -> set[str]:
    names: set[str] = set()
    for xpath in (
        "//meta[@property='og:site_name']/@content",
        "//meta[@name='application-name']/@content",
        "//meta[@name='apple-mobile-web-app-title']/@content",
        "//meta[@name='twitter:site']/@content",
        "//meta[@name='publisher']/@content",
    ):
        names.update(str(v).lstrip("@") for v in root.xpath(xpath))
    for item in _json_ld(root):
        kind = str(item.get("@type", ""))
        if kind in ("WebSite", "Organization", "NewsMediaOrganization") and isinstance(
            item.get("name"), str
        ):
            names.add(item["name"])
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(publisher["name"])
    for url in root.xpath("//link[@rel='canonical']/@href|//meta[@property='og:url']/@content"):
        host = urlparse(str(url)).hostname or ""
        labels = [x for x in host.split(".") if x not in ("www", "m", "amp")]
        if labels:
            names.add(labels[0])  # "vg247" from www.vg247.com
            names.add(".".join(labels))  # "inexhibit.com"
    return {n for n in map(_norm, names) if n}


def _json_ld(root: Any) -> Iterator[dict[str, Any]]:
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        yield from _objects(data, 0)


def _objects(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _objects(graph, depth + 1)


def _json_ld_headlines(root: Any) -> list[str]:
    found = []
    for item in _json_ld(root):
        kind = item.get("@type", "")
        kinds = kind if isinstance(kind, list) else [kind]
        headline = item.get("headline")
        if isinstance(headline, str) and any(_ARTICLE_TYPES.search(str(k)) for k in kinds):
            found.append(_flat(headline))
    return found[:1]


def _meta_titles(root: Any) -> list[str]:
    values = root.xpath(
        "//meta[@property='og:title']/@content|//meta[@name='twitter:title']/@content"
    )
    return [_flat(str(v)) for v in values][:1]


def _h1(root: Any) -> str:
    for xpath in ("//article//h1", "//main//h1", "//h1"):
        for element in root.xpath(xpath):
            text = _flat(element.text_content())
            if text:
                return text
    return ""
