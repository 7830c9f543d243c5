"""A digest page (`DigestPage`) as the digest template's context, and as Markdown.

The PDF: a cover (title, date, how many stories, the languages, the machine-translation
notice naming every model used), a contents page whose page numbers WeasyPrint fills in
(`target-counter`), one section per story (a PDF bookmark each) and the list of sources.
"""

from __future__ import annotations

import re
from typing import Any

from briefpack import __version__
from briefpack.errors import RenderError
from briefpack.model import TEST_MODEL_NOTE, DigestPage, ModelInfo
from briefpack.render.pieces import pieces
from briefpack.render.strings import ENGINE, direction, language_name, language_tag, strings_for

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def page_title(page: DigestPage) -> str:
    """The digest's title: the one given, else "Daily digest" in the page's language."""
    return page.title or strings_for(page.language)["digest"]


def page_models(page: DigestPage) -> list[ModelInfo]:
    """Every model that translated a story of this page, once each, in order of use."""
    found: dict[tuple[str, str, str], ModelInfo] = {}
    for story in page.stories:
        for model in story.translation.models if story.translation else ():
            found.setdefault((model.name, model.version, str(model.path)), model)
    return list(found.values())


def _source(source: Any, interface: str) -> dict[str, Any]:
    return {
        "name": source.name,
        "title": source.title,
        "outlet": source.outlet,
        "published": source.published,
        "url": source.url,
        "language": language_name(source.language, interface),
    }


def digest_context(page: DigestPage) -> dict[str, Any]:
    """Everything the digest template shows, fixed words in the page's language."""
    if not _DATE.fullmatch(page.date):
        raise RenderError(
            f"digest date {page.date!r} is not YYYY-MM-DD; pass a date like 2026-11-27"
        )
    lang = page.language
    models = page_models(page)
    translated = [s for s in page.stories if s.translation is not None]
    stories = []
    for number, story in enumerate(page.stories, 1):
        stories.append(
            {
                "anchor": f"story-{number}",
                "number": number,
                "headline": story.headline,
                "points": [pieces(point) for point in story.points],
                "sources": [_source(s, lang) for s in story.sources],
                "translated_from": (
                    language_name(story.source_language, lang) if story.translation else None
                ),
                "pivot": (
                    language_name(story.translation.pivot, lang)
                    if story.translation and story.translation.pivot
                    else None
                ),
            }
        )
    return {
        "lang": lang,
        "lang_tag": language_tag(lang),
        "dir": direction(lang),
        "s": strings_for(lang),
        "title": page_title(page),
        "date": page.date,
        "timestamp": f"{page.date}T00:00:00Z",
        "pack_id": page.pack_id,
        "generator": f"briefpack {__version__}",
        "stories": stories,
        "languages": [language_name(code, lang) for code in page.languages],
        "language_name": language_name(lang, lang),
        "notice": {
            "engine": ENGINE,
            "models": [f"{m.name} {m.version}" for m in models],
            "test_model": any(m.test_model for m in models),
            "source_languages": [
                language_name(code, lang)
                for code in dict.fromkeys(s.source_language for s in translated)
            ],
        }
        if translated
        else None,
    }


def digest_text(page: DigestPage) -> str:
    """The page's own text (for the font check): title, headlines, points, sources."""
    parts = [page_title(page)]
    for story in page.stories:
        parts += [story.headline, *story.points]
        parts += [f"{s.name} {s.title} {s.outlet} {s.url}" for s in story.sources]
    return "".join(parts)


def digest_markdown(page: DigestPage) -> str:
    """`digest-LANG.md`: the PDF's text, for pasting."""
    s = strings_for(page.language)
    lines = [f"# {page_title(page)}", "", f"{page.date} · {s['stories']}: {len(page.stories)}", ""]
    for number, story in enumerate(page.stories, 1):
        lines += [f"## {number}. {story.headline}", ""]
        lines += [f"- {point}" for point in story.points]
        lines.append("")
        for source in story.sources:
            extra = " · ".join(x for x in (source.outlet, source.published, source.url) if x)
            lines.append(f"{s['source']}: {source.name}" + (f" ({extra})" if extra else ""))
        lines.append("")
    models = page_models(page)
    if models:
        note = "Machine translation (" + ", ".join(f"{m.name} {m.version}" for m in models) + ")"
        if any(m.test_model for m in models):
            note += f": {TEST_MODEL_NOTE}"
        lines += [f"_{note}; the originals prevail._", ""]
    lines += [f"{s['pack']} {page.pack_id}", ""]
    return "\n".join(lines)
