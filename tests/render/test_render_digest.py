"""Digest PDFs: validator-clean in both variants, right to left where the language is, and
the fixed words in the PDF's language."""

from __future__ import annotations

import io

import page
import pytest
from pypdf import PdfReader
from render_helpers import model, pdf_text

from briefpack.model import DigestPage, DigestStory, SourceRef, Translation
from briefpack.render.digest import digest_context, digest_markdown

AR_STORIES = (
    (
        "فيضان نهر آونه يغمر بلدة ليندمارك",
        ("انهار جزء من الحاجز الجديد ليلة الثلاثاء.", "غادر نحو ألفين وأربعمئة شخص منازلهم."),
    ),
    (
        "مصرف كورفينيا يرفع سعر الفائدة",
        ("ارتفع السعر إلى أربعة ونصف بالمئة.", "قال المحافظ إن التضخم ما زال مرتفعا."),
    ),
)


def _arabic_page(date: str = "2026-03-14") -> DigestPage:
    stories = []
    for number, (headline, points) in enumerate(AR_STORIES, 1):
        translation = Translation("en", "ar", headline, points, (model("ar"),))
        source = SourceRef(
            f"wire-{number}.html",
            "English title",
            "en",
            "Wire Service",
            date,
            "https://example.org/a",
        )
        stories.append(DigestStory(headline, points, (source,), "en", translation))
    return DigestPage("ar", "", date, "3f9a1c2e", tuple(stories), ("en", "ar"))


@pytest.fixture(scope="module")
def arabic(renderer) -> bytes:
    return renderer.render(_arabic_page())


@pytest.mark.parametrize("profile", ["ua1"])
def test_an_arabic_digest_is_validator_clean(arabic, profile) -> None:
    checked = page.validate_pdf_bytes(arabic, profile=profile)
    assert [(f.rule_id, f.message) for f in checked.failures] == []


def test_the_arabic_digest_is_right_to_left_in_arabic_words(arabic) -> None:
    context = digest_context(_arabic_page())
    assert context["dir"] == "rtl" and context["title"] == "الموجز اليومي"
    reader = PdfReader(io.BytesIO(arabic))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    outline = [item.title for item in reader.outline]
    assert len(outline) == 2 + len(AR_STORIES) + 1
    text = pdf_text(arabic)
    assert "translate-en_ar 1.9" in text and "Wire Service" in text


def test_an_archival_digest_is_validator_clean(renderer) -> None:
    from briefpack.render import Renderer

    pdf = Renderer("pdf/a-3b").render(_arabic_page())
    checked = page.validate_pdf_bytes(pdf, profile="3b")
    assert [(f.rule_id, f.message) for f in checked.failures] == []


def test_the_markdown_names_the_models_and_sources() -> None:
    text = digest_markdown(_arabic_page())
    assert text.startswith("# الموجز اليومي\n")
    assert "translate-en_ar 1.9" in text and "wire-1.html (Wire Service · 2026-03-14" in text


def test_a_bad_date_is_a_render_error() -> None:
    from briefpack.errors import RenderError

    with pytest.raises(RenderError, match="not YYYY-MM-DD"):
        digest_context(_arabic_page(date="14.03.2026"))
