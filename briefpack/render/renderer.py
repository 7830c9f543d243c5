"""Briefing -> HTML (Jinja2, autoescaped) -> PDF (WeasyPrint), and the pack's index page.

WeasyPrint and Jinja2 are imported when a Renderer is made, never at module import.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack import __version__
from briefpack.errors import RenderError
from briefpack.model import Briefing, Translation
from briefpack.render.assets import covered_characters, templates_dir
from briefpack.render.strings import ENGINE, language_name, strings_for

if TYPE_CHECKING:
    from jinja2 import Environment

log = logging.getLogger(__name__)

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    return Environment(
        loader=FileSystemLoader(root),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _notice(translation: Translation, interface: str) -> dict[str, Any]:
    return {
        "engine": ENGINE,
        "models": [f"{model.name} {model.version}" for model in translation.models],
        "source_language": language_name(translation.source_language, interface),
        "pivot": language_name(translation.pivot, interface) if translation.pivot else None,
        "test_model": translation.test_model,
    }


def briefing_context(briefing: Briefing) -> dict[str, Any]:
    """Everything the briefing template shows, with the fixed strings in the briefing's language."""
    if not _DATE.fullmatch(briefing.date):
        raise RenderError(
            f"briefing date {briefing.date!r} is not YYYY-MM-DD; pass a date like 2026-11-27"
        )
    lang = briefing.language
    return {
        "lang": lang,
        "s": strings_for(lang),
        "title": briefing.title,
        "points": list(briefing.points),
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
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError

        from briefpack.render.fetcher import TemplateAssetFetcher

        self.pdf_variant = pdf_variant
        self.templates = templates_dir()
        self._env = _environment(self.templates)
        self._fetcher = TemplateAssetFetcher(self.templates)
        self._covered = covered_characters(self.templates)
        self._font_config = FontConfiguration()
        try:
            self._stylesheet = CSS(
                filename=self.templates / "briefing.css",
                base_url=self.templates.as_uri() + "/",
                url_fetcher=self._fetcher,
                font_config=self._font_config,
            )
        except (Exception, FatalURLFetchingError) as exc:  # the latter is a BaseException
            raise RenderError(
                f"cannot load the briefing stylesheet or its fonts ({_one_line(exc)}); "
                "reinstall briefpack"
            ) from exc

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

    def render_html(self, briefing: Briefing) -> str:
        """The briefing as HTML, without the stylesheet (the renderer applies it for the PDF)."""
        return self._env.get_template("briefing.html.j2").render(briefing_context(briefing))

    def uncovered(self, briefing: Briefing) -> str:
        """The characters of the briefing's own text that the bundled fonts cannot draw, sorted."""
        text = "".join((briefing.title, briefing.source_name, *briefing.points))
        return "".join(sorted({c for c in text if c not in self._covered and c.isprintable()}))

    def render(self, briefing: Briefing) -> bytes:
        """The briefing as PDF bytes; the same briefing always gives the same bytes."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        from briefpack.render.hyphenation import preload

        preload(briefing.language)  # same hyphenation as Pyphen's loader, 5 times sooner
        html = self.render_html(briefing)
        missing = self.uncovered(briefing)
        if missing:
            log.warning(
                "the bundled fonts lack %s; those characters in the %s briefing will use a "
                "system font",
                " ".join(f"U+{ord(c):04X}" for c in missing),
                briefing.language,
            )
        try:
            document = HTML(
                string=html,
                base_url=self.templates.as_uri() + "/",
                url_fetcher=self._fetcher,
            )
            pdf = document.write_pdf(
                stylesheets=[self._stylesheet],
                font_config=self._font_config,
                pdf_variant=self.pdf_variant,
                pdf_tags=True,
                attachments=[],
                # Embed the bundled fonts whole (small subsets already; templates/fonts/README.md).
                # WeasyPrint's own subsetting falls back to fontTools where HarfBuzz-subset is
                # missing, and fontTools stamps the wall-clock time into every font it writes.
                full_fonts=True,
            )
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
