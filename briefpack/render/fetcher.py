"""The only URL fetcher WeasyPrint gets: it serves bundled template files and refuses the rest.

WeasyPrint fetches every URL it meets (stylesheets, fonts, images, attachments, over file://
and http://). Article text is escaped, so it cannot add URLs; this fetcher is the second wall.
Importing this module imports WeasyPrint: import it only where rendering starts.
"""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefpack.render.assets import asset_path

log = logging.getLogger(__name__)

_CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
}


class TemplateAssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serve files under `root` for file:// URLs; raise ValueError for everything else.

    With `fail_on_errors=True` WeasyPrint stops rendering at the first refused URL instead of
    silently leaving the resource out (a missing font would otherwise fall back to a system
    font).
    """

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            path = asset_path(url, self.root)
        except ValueError:
            log.warning("refused to fetch %s", url)
            raise
        content_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )
