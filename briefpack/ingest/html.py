"""HTML articles: the main content and title, via trafilatura (offline, no fetching)."""

from __future__ import annotations

from briefpack.errors import InputError


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of the page's main article; paragraphs separated by blank lines."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    text = getattr(document, "text", None) or ""
    if not text.strip():
        raise InputError(
            "the HTML page holds no article text (only navigation or markup?); "
            "save the article's own page or paste its text into a .txt file"
        )
    title = getattr(document, "title", None) or ""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return title.strip(), "\n\n".join(paragraphs)
