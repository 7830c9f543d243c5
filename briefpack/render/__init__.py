"""Render stage: briefings to PDF with the bundled templates and fonts, and the pack index page.

Nothing heavy happens on import; WeasyPrint loads when a `Renderer` is made.
"""

from briefpack.render.assets import template_hash, templates_dir
from briefpack.render.renderer import (
    PDF_VARIANTS,
    Renderer,
    briefing_context,
    render_index,
    weasyprint_version,
)

__all__ = [
    "PDF_VARIANTS",
    "Renderer",
    "briefing_context",
    "render_index",
    "template_hash",
    "templates_dir",
    "weasyprint_version",
]
