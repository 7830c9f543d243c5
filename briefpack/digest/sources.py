"""What a digest can say of a source besides its file name: outlet, date and URL.

Known for web pages (`og:site_name` and the like; `article:published_time`, a `date` meta
or JSON-LD `datePublished`; the canonical URL) and e-mail (the sender's name and the Date
header). Other formats, and anything unreadable or odd, give empty strings: these are
extras in the sources list, never a reason to refuse an article.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefpack.model import Article
from briefpack.system.text import strip_controls

_MAX_BYTES = 20 * 1024 * 1024
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


def source_details(article: Article, path: str | Path) -> tuple[str, str, str]:
    """(outlet, published, url) of `article`, read from `path`, each "" when not known."""
    if str(path) == "-" or article.media_type not in ("text/html", "message/rfc822"):
        return "", "", ""
    try:
        path = Path(path)
        if not path.is_file() or path.stat().st_size > _MAX_BYTES:
            return "", "", ""
        data = path.read_bytes()
        found = _html(data) if article.media_type == "text/html" else _mail(data)
    except Exception:  # metadata is optional; the article itself was read already
        return "", "", ""
    outlet, published, url = (_clean(v, 80) for v in found)
    return outlet, published if _DATE.match(published) else "", url if _URL.match(url) else ""


def _clean(value: str, limit: int) -> str:
    return " ".join(strip_controls(value).split())[:limit]


def _first(root: object, *xpaths: str) -> str:
    for xpath in xpaths:
        values = root.xpath(xpath)  # type: ignore[attr-defined]
        for value in values:
            if str(value).strip():
                return str(value).strip()
    return ""


def _html(data: bytes) -> tuple[str, str, str]:
    import lxml.html

    root = lxml.html.fromstring(data)
    outlet = _first(
        root,
        "//meta[@property='og:site_name']/@content",
        "//meta[@name='publisher']/@content",
        "//meta[@name='application-name']/@content",
    )
    published = _first(
        root,
        "//meta[@property='article:published_time']/@content",
        "//meta[@name='date']/@content",
        "//meta[@name='dc.date']/@content",
        "//time[@datetime]/@datetime",
    )
    url = _first(root, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    return outlet, published[:10], url


def _mail(data: bytes) -> tuple[str, str, str]:
    from email import message_from_bytes, policy
    from email.utils import parseaddr, parsedate_to_datetime

    message = message_from_bytes(data, policy=policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    published = ""
    if message.get("Date"):
        published = parsedate_to_datetime(str(message["Date"])).date().isoformat()
    return name or address, published, ""
