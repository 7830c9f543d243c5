"""Rendered PDFs: text, language, fonts, metadata, bookmarks, notices, variants."""

from __future__ import annotations

import logging

import pytest
from render_helpers import (
    DATE,
    PACK_ID,
    POINTS,
    TITLES,
    embedded_font_names,
    make_briefing,
    pdf_text,
    reader,
)

from briefpack.errors import RenderError
from briefpack.render import PDF_VARIANTS, Renderer, weasyprint_version

pytestmark = pytest.mark.slow
LANGUAGES = ("en", "uk", "de", "ru")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_contains_every_key_point_and_the_title(rendered, lang) -> None:
    text = pdf_text(rendered[lang])
    for point in POINTS[lang]:
        assert point in text
    assert TITLES[lang] in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_language_title_and_dates(rendered, lang) -> None:
    pdf = reader(rendered[lang])
    assert pdf.trailer["/Root"]["/Lang"] == lang
    assert pdf.metadata.title == TITLES[lang]
    assert pdf.metadata["/CreationDate"] == "D:20261127000000Z"
    assert pdf.metadata["/ModDate"] == "D:20261127000000Z"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_embeds_only_the_bundled_fonts(rendered, lang) -> None:
    names = embedded_font_names(rendered[lang])
    assert names
    assert all(name.startswith(("Briefpack-Serif", "Briefpack-Sans")) for name in names), names
    assert any(name.startswith("Briefpack-Serif") for name in names)  # body
    assert any(name.startswith("Briefpack-Sans") for name in names)  # headings


def test_ukrainian_letters_come_through_as_text(rendered) -> None:
    text = pdf_text(rendered["uk"])
    for letter in "ґєії’І":  # І from the label line "БРИФІНГ"
        assert letter in text


@pytest.mark.parametrize(
    ("lang", "h2"),
    [("en", "Key points"), ("uk", "Ключові тези"), ("de", "Kernpunkte"), ("ru", "Ключевые тезисы")],
)
def test_bookmarks_are_the_title_then_its_sections(rendered, lang, h2) -> None:
    outline = reader(rendered[lang]).outline
    assert outline[0].title == TITLES[lang]
    children = outline[1]
    assert children[0].title == h2
    assert len(children) == 2  # key points, then the translation or original-language note


def test_pdf_ua_is_tagged_and_declares_its_part(rendered) -> None:
    pdf = reader(rendered["uk"])
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "BRIEFING"), ("uk", "БРИФІНГ"), ("de", "BRIEFING"), ("ru", "БРИФИНГ")],
)
def test_label_line_and_footer_are_localised(rendered, lang, label) -> None:
    text = pdf_text(rendered[lang])
    assert f"{label} · {DATE}" in text
    page = {"en": "Page", "uk": "Стор.", "de": "Seite", "ru": "Стр."}[lang]
    assert f"{page} 1 / 1" in text
    assert PACK_ID in text


def test_translated_briefing_carries_the_translation_notice(rendered) -> None:
    text = pdf_text(rendered["uk"])
    assert "МАШИННИЙ ПЕРЕКЛАД" in text
    assert "Argos Translate / CTranslate2" in text
    assert "translate-en_uk 1.9" in text
    assert "Мова оригіналу англійська" in text
    assert "переважну силу має оригінал" in text
    assert "ТЕСТОВА МОДЕЛЬ" not in text


def test_test_model_briefing_says_so_prominently(rendered) -> None:
    text = pdf_text(rendered["ru"])
    assert "ТЕСТОВАЯ МОДЕЛЬ — ЭТО НЕ НАСТОЯЩИЙ ПЕРЕВОД" in text
    assert text.index("ТЕСТОВАЯ МОДЕЛЬ") < text.index(TITLES["ru"])  # above the headline
    assert "translate-de_en 1.9 + translate-en_ru 1.9" in text
    assert "Язык-посредник английский" in text
    assert "Язык оригинала немецкий" in text


def test_source_briefing_has_no_translation_notice(rendered) -> None:
    text = pdf_text(rendered["en"])
    assert "ORIGINAL LANGUAGE" in text
    assert "MACHINE TRANSLATION" not in text
    assert "Argos Translate" not in text


def test_long_briefing_runs_the_title_header_onto_page_two(renderer) -> None:
    points = tuple(f"{i}. {POINTS['de'][i % 3]}" for i in range(24))
    pdf = renderer.render(make_briefing("de", points=points))
    pages = reader(pdf).pages
    assert len(pages) >= 2
    assert TITLES["de"] in pages[1].extract_text()
    text = pdf_text(pdf)
    assert f"Seite 2 / {len(pages)}" in text
    for point in points:
        assert point in text


def test_pdf_a3b_variant_renders_with_its_metadata() -> None:
    pdf = Renderer(pdf_variant="pdf/a-3b").render(make_briefing("uk"))
    root = reader(pdf).trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in metadata or b'conformance="B"' in (
        metadata
    )
    assert "/OutputIntents" in root
    assert root["/Lang"] == "uk"
    assert all(n.startswith("Briefpack-") for n in embedded_font_names(pdf))


def test_unknown_variant_is_refused() -> None:
    assert "pdf/ua-1" in PDF_VARIANTS
    with pytest.raises(RenderError, match="use one of"):
        Renderer(pdf_variant="pdf/x-4")


def test_bad_date_is_a_render_error(renderer) -> None:
    briefing = make_briefing("en")
    bad = type(briefing)(**{**briefing.__dict__, "date": "27.11.2026"})
    with pytest.raises(RenderError, match="YYYY-MM-DD"):
        renderer.render(bad)


def test_characters_outside_the_bundled_fonts_are_logged(renderer, caplog) -> None:
    briefing = make_briefing("en", points=("Prices rose → sharply ✓.",))
    renderer.render(briefing)  # → is in the CJK faces, which load for it; ✓ is in none
    assert renderer.uncovered(briefing) == "✓"
    assert renderer.uncovered(make_briefing("uk")) == ""
    with caplog.at_level(logging.INFO, logger="briefpack.render"):
        renderer.render(briefing)
    assert "U+2713" in caplog.text and "U+2192" not in caplog.text


def test_weasyprint_version_is_the_installed_one() -> None:
    import weasyprint

    assert weasyprint_version() == weasyprint.__version__
