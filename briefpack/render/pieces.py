"""A key point as text and link pieces: the templates never hyphenate a URL or address."""

from __future__ import annotations

import re
from typing import Any

# A URL (with a scheme or www.) or an e-mail address: never hyphenated, since a hyphen
# inserted at a line end would change it. Closing punctuation after it is not part of it.
_LINK = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}»”’'\""


def pieces(text: str) -> list[dict[str, Any]]:
    """A key point as text and link pieces, in order; the template marks the links."""
    found: list[dict[str, Any]] = []
    position = 0
    for match in _LINK.finditer(text):
        link = match.group().rstrip(_TRAILING)
        if match.start() > position:
            found.append({"text": text[position : match.start()], "link": False})
        found.append({"text": link, "link": True})
        position = match.start() + len(link)
    if position < len(text) or not found:
        found.append({"text": text[position:], "link": False})
    return found
