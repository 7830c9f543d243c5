"""Briefing -> HTML (Jinja2, autoescaped) -> PDF (WeasyPrint), and the pack's index page.

WeasyPrint and Jinja2 are imported when a Renderer is made, never at module import.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack import __version__
from briefpack.errors import RenderError
from briefpack.model import Briefing, Translation
from briefpack.render.assets import (
    covered_characters,
    eager_font_files,
    lazy_font_files,
    templates_dir,
)
from briefpack.render.strings import ENGINE, direction, language_name, language_tag, strings_for

if TYPE_CHECKING:
    from jinja2 import Environment

log = logging.getLogger(__name__)

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A URL (with a scheme or www.) or an e-mail address: never hyphenated, since a hyphen
# inserted at a line end would change it. Closing punctuation after it is not part of it.
_LINK = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}»”’'\""


def weasyprint_version() -> str:
    """The installed WeasyPrint version (it shapes the PDF bytes, so manifests record it)."""
    from briefpack.render.loader import import_weasyprint

    return str(import_weasyprint().__version__)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _environment(root: Path) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    # autoescape=True for every template: article text is data, never markup.
    environment = Environment(
        loader=FileSystemLoader(root),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["isolate"] = isolate
    return environment


def _notice(translation: Translation, interface: str) -> dict[str, Any]:
    return {
        "engine": ENGINE,
        "models": [f"{model.name} {model.version}" for model in translation.models],
        "source_language": language_name(translation.source_language, interface),
        "pivot": language_name(translation.pivot, interface) if translation.pivot else None,
        "test_model": translation.test_model,
    }


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


def isolate(value: object) -> str:
    """A value between Unicode isolates (FSI, PDI): its own direction in any text around it."""
    return f"\u2068{value}\u2069"


def briefing_context(briefing: Briefing) -> dict[str, Any]:
    """Everything the briefing template shows, with the fixed strings in the briefing's language."""
    if not _DATE.fullmatch(briefing.date):
        raise RenderError(
            f"briefing date {briefing.date!r} is not YYYY-MM-DD; pass a date like 2026-11-27"
        )
    lang = briefing.language
    return {
        "lang": lang,
        "lang_tag": language_tag(lang),
        "dir": direction(lang),
        "s": strings_for(lang),
        "title": briefing.title,
        "points": [pieces(point) for point in briefing.points],
        "source_name": briefing.source_name,
        "date": briefing.date,
        "timestamp": f"{briefing.date}T00:00:00Z",
        "pack_id": briefing.pack_id,
        "language_name": language_name(lang, lang),
        "generator": f"briefpack {__version__}",
        "notice": _notice(briefing.translation, lang) if briefing.translation else None,
    }


class Renderer:
    """Renders briefings to PDF with the bundled templates and fonts only.

    Make one per process and render every language with it: it holds the single WeasyPrint
    FontConfiguration that both the stylesheet and `write_pdf` must share, or the bundled
    `@font-face` fonts are silently ignored.
    """

    def __init__(self, pdf_variant: str = "pdf/ua-1") -> None:
        if pdf_variant not in PDF_VARIANTS:
            raise RenderError(
                f"unsupported PDF variant {pdf_variant!r}; use one of {', '.join(PDF_VARIANTS)}"
            )
        from briefpack.render.loader import import_weasyprint

        import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        from briefpack.render.fetcher import TemplateAssetFetcher

        self.pdf_variant = pdf_variant
        self.templates = templates_dir()
        self._env = _environment(self.templates)
        self._fetcher = TemplateAssetFetcher(self.templates)
        self._covered = covered_characters(eager_font_files(self.templates))
        self._font_config = FontConfiguration()
        self._stylesheets = [self._load("briefing.css")]
        self._cjk_loaded = False

    def _load(self, name: str) -> Any:
        from weasyprint import CSS
        from weasyprint.urls import FatalURLFetchingError

        try:
            return CSS(
                filename=self.templates / name,
                base_url=self.templates.as_uri() + "/",
                url_fetcher=self._fetcher,
                font_config=self._font_config,
            )
        except (Exception, FatalURLFetchingError) as exc:  # the latter is a BaseException
            raise RenderError(
                f"cannot load the briefing stylesheet or its fonts ({_one_line(exc)}); "
                "reinstall briefpack"
            ) from exc

    def _fonts_for(self, html: str) -> None:
        """Load the CJK faces once a page has a character the other bundled faces lack.

        Whether they are loaded never changes a page that they were not loaded for: such a
        page has only characters that faces earlier in every font stack draw.
        """
        if not self._cjk_loaded and any(
            c not in self._covered and unicodedata.category(c)[0] not in "CZ" for c in set(html)
        ):
            self._stylesheets.append(self._load("fonts-cjk.css"))
            self._covered = self._covered | covered_characters(lazy_font_files(self.templates))
            self._cjk_loaded = True

    def close(self) -> None:
        """Remove WeasyPrint's temporary font folder now.

        WeasyPrint copies the bundled fonts into a `weasyprint-*` folder under the temporary
        directory and removes it when its FontConfiguration is collected; a process that
        leaves with `os._exit` (the render helpers) must do it here. The Renderer cannot
        render afterwards.
        """
        import shutil

        folder = getattr(self._font_config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    def forked(self) -> None:
        """Call in a process forked from the one that made this Renderer, before rendering.

        WeasyPrint writes each font it loads into its configuration's folder and skips a
        font whose file is already there; forked processes share that folder, so a font one
        of them loads later (the CJK faces) would be skipped, unregistered, by the others.
        The fork gets a folder of its own for those (`close` removes it).
        """
        self._font_config._folder = None

    def render_html(self, briefing: Briefing) -> str:
        """The briefing as HTML, without the stylesheet (the renderer applies it for the PDF)."""
        return self._env.get_template("briefing.html.j2").render(briefing_context(briefing))

    def uncovered(self, briefing: Briefing) -> str:
        """The characters of the briefing's own text that no bundled font draws, sorted."""
        text = "".join((briefing.title, briefing.source_name, *briefing.points))
        return "".join(sorted({c for c in text if c not in self._covered and c.isprintable()}))

    def render(self, briefing: Briefing) -> bytes:
        """The briefing as PDF bytes; the same briefing always gives the same bytes.

        A character that no font can draw (bundled or installed) is a RenderError naming
        its script (see `briefpack.render.finish`).
        """
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        from briefpack.render.finish import finisher, needs_plain_objects
        from briefpack.render.hyphenation import preload

        preload(briefing.language)  # same hyphenation as Pyphen's loader, 5 times sooner
        html = self.render_html(briefing)
        self._fonts_for(html)
        missing = self.uncovered(briefing)
        if missing:  # an installed font may draw them; if none does, finish() says so
            log.info(
                "the bundled fonts lack %s; those characters in the %s briefing need an "
                "installed font",
                " ".join(f"U+{ord(c):04X}" for c in missing),
                briefing.language,
            )
        day = datetime.date.fromisoformat(briefing.date)
        unix_time = calendar.timegm(day.timetuple())
        try:
            document = HTML(
                string=html,
                base_url=self.templates.as_uri() + "/",
                url_fetcher=self._fetcher,
            ).render(stylesheets=self._stylesheets, font_config=self._font_config)
            options: dict[str, Any] = {
                "pdf_variant": self.pdf_variant,
                "pdf_tags": True,
                "attachments": [],
                # WeasyPrint subsets each font to the glyphs drawn and maps each glyph to
                # the text it was shaped from (joined Arabic forms, Indic conjuncts, CJK
                # locl forms), which a whole font's cmap cannot; the finisher dates the
                # subsets so that rebuilds are byte-identical (briefpack/render/finish.py).
                "full_fonts": False,
                "finisher": finisher(briefing.language, unix_time),
            }
            pdf = document.write_pdf(**options)
            if isinstance(pdf, bytes) and needs_plain_objects(pdf):
                pdf = document.write_pdf(uncompressed_pdf=True, **options)
        except RenderError:
            raise
        except (Exception, FatalURLFetchingError) as exc:  # the latter is a BaseException
            raise RenderError(
                f"could not render the {briefing.language!r} briefing ({_one_line(exc)}); "
                "check the templates or rerun with -vv for details"
            ) from exc
        if not isinstance(pdf, bytes):
            raise RenderError("WeasyPrint returned no PDF bytes; check the WeasyPrint install")
        log.info("rendered %s briefing: %d bytes", briefing.language, len(pdf))
        return pdf


def render_index(
    title: str, date: str, pack_id: str, languages: list[tuple[str, str, str, str]]
) -> str:
    """The pack's offline index.html: one row per (code, name, pdf_name, md_name) language.

    File names must be plain names inside the pack (no folders, no URL schemes).
    """
    for _code, _name, *files in languages:
        for name in files:
            if not name or "/" in name or "\\" in name or ":" in name or name.startswith("."):
                raise RenderError(
                    f"index link {name!r} is not a plain file name; pass names inside the pack"
                )
    template = _environment(templates_dir()).get_template("index.html.j2")
    return template.render(
        title=title,
        date=date,
        pack_id=pack_id,
        languages=languages,
        generator=f"briefpack {__version__}",
    )
