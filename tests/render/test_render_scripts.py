"""Every script Argos translates into: validator-clean PDFs, real glyphs, right to left.

A build of the sample article with test models for eleven targets, in each PDF variant,
checked by an independent validator (page-validation: PDF/UA-1 and PDF/A-3b rules), by
pypdf's text extraction, and by where the glyphs stand on the page.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import page
import pytest
from pypdf import PdfReader
from render_helpers import make_briefing, pdf_text, reader

from briefpack.render import Renderer
from translations.store import install
from translations.testmodel_words import WORDS
from translations.testmodels import build_test_models, word_list

pytestmark = pytest.mark.slow

TARGETS = ("ar", "zh", "ja", "ko", "hi", "he", "th", "el", "ru", "uk", "de")
PROFILES = {"pdf/ua-1": "ua1", "pdf/a-3b": "3b"}
DATE = "2026-03-14"


@pytest.fixture(scope="session")
def script_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("script-models")
    archives = build_test_models(out / "archives", [("en", target) for target in TARGETS])
    install(archives, out / "store")
    return out / "store"


@pytest.fixture(scope="session")
def script_packs(script_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """{variant: {language: PDF bytes}} from one build of the sample per variant."""
    import os

    from briefpack.build import BuildOptions, build
    from briefpack.options import TranslateOptions
    from tests.conftest import EXAMPLE

    old = os.environ.get("BRIEFPACK_MODELS")
    os.environ["BRIEFPACK_MODELS"] = str(script_store)
    try:
        packs = {}
        for variant in PROFILES:
            options = BuildOptions(
                translate=TranslateOptions(targets=TARGETS),
                out_dir=tmp_path_factory.mktemp("script-packs"),
                date=DATE,
                pdf_variant=variant,
            )
            (result,) = build([EXAMPLE], options)
            folder = result.pack.zip_path.with_suffix("")
            packs[variant] = {
                lang: (folder / f"briefing-{lang}.pdf").read_bytes() for lang in ("en", *TARGETS)
            }
    finally:
        if old is None:
            os.environ.pop("BRIEFPACK_MODELS", None)
        else:
            os.environ["BRIEFPACK_MODELS"] = old
    return packs


@pytest.mark.parametrize("variant", PROFILES)
@pytest.mark.parametrize("lang", ("en", *TARGETS))
def test_the_validator_finds_no_failed_rule(script_packs, variant, lang) -> None:
    report = page.validate_pdf_bytes(script_packs[variant][lang], profile=PROFILES[variant])
    assert [(f.rule_id, f.message) for f in report.failures] == []
    assert report.is_compliant


def _readable(text: str) -> str:
    """Extracted text as a reader compares it: compatibility forms folded, ZWSP removed."""
    return unicodedata.normalize("NFKC", text).replace("\u200b", "")


def _reordered(word: str) -> bool:
    """Whether a word has a vowel sign drawn before its consonant, or a reph drawn after.

    A PDF maps each glyph to text (ToUnicode), so text extraction gives such clusters in
    the order they are drawn; docs/fonts.md says so. Every other word must come out whole.
    """
    return bool(re.search("[\u093f\u09bf\u09c7\u09c8]|\u0930\u094d|\u09b0\u09cd", word))


@pytest.mark.parametrize("lang", TARGETS)
def test_the_translated_words_come_out_as_text_in_their_script(script_packs, lang) -> None:
    english = pdf_text(script_packs["pdf/ua-1"]["en"])
    text = _readable(pdf_text(script_packs["pdf/ua-1"][lang]))
    expected = [
        target
        for source, target in word_list("en", lang).items()
        if re.search(rf"\b{source}\b", english) and not _reordered(target)
    ]
    assert len(expected) >= 4  # workers, union, strike, agreement ... appear in the sample
    missing = [word for word in expected if _readable(word) not in text]
    assert missing == []


@pytest.mark.parametrize("lang", ("en", *TARGETS))
def test_every_font_is_embedded(script_packs, lang) -> None:
    pdf = reader(script_packs["pdf/a-3b"][lang])
    fonts = 0
    for pdf_page in pdf.pages:
        for ref in pdf_page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]
            assert str(font["/BaseFont"]).split("+", 1)[-1].startswith("Briefpack-")
            fonts += 1
    assert fonts


def _label_x(pdf: bytes, label: str) -> float:
    """Where the text holding `label` (the briefing label) starts, as a share of the width."""
    found = []
    pdf_page = PdfReader(io.BytesIO(pdf)).pages[0]
    width = float(pdf_page.mediabox.width)

    def visit(text, cm, tm, font, size):
        if label in _readable(text):
            found.append((tm[4] * cm[0] + cm[4]) / width)

    pdf_page.extract_text(visitor_text=visit)
    assert found, label
    return found[0]


@pytest.mark.parametrize(("lang", "label"), [("ar", "موجز"), ("he", "תדריך")])
def test_right_to_left_pages_start_at_the_right(script_packs, lang, label) -> None:
    assert _label_x(script_packs["pdf/ua-1"][lang], label) > 0.6
    pdf = reader(script_packs["pdf/ua-1"][lang])
    assert pdf.trailer["/Root"]["/Lang"] == lang


def test_left_to_right_pages_start_at_the_left(script_packs) -> None:
    assert _label_x(script_packs["pdf/ua-1"]["de"], "Briefing") < 0.3
    assert _label_x(script_packs["pdf/ua-1"]["ja"], "ブリーフィング") < 0.3


def test_chinese_pages_say_which_chinese(script_packs) -> None:
    assert reader(script_packs["pdf/ua-1"]["zh"]).trailer["/Root"]["/Lang"] == "zh-Hans"


def test_every_test_model_word_list_names_the_english_words_in_order() -> None:
    from translations import testmodels

    english = list(testmodels._WORDS)
    for language, words in WORDS.items():
        assert list(words) == english, language


def test_a_script_briefing_renders_the_same_bytes_in_a_fresh_renderer(renderer) -> None:
    points = (
        "汉堡的港口工人周一开始罢工，要求加薪。",
        "https://example.org/a-very-long-missing-page",
    )
    briefing = make_briefing("zh", title="汉堡港口工人罢工", points=points)
    first = renderer.render(briefing)
    assert Renderer().render(briefing) == first


def test_a_url_is_never_hyphenated(renderer) -> None:
    url = "https://example.org/reports/understanding-international-shipping-disruptions"
    points = tuple(
        f"{'Word ' * n}see {url} and write to press.office@example.org" for n in range(12)
    )
    pdf = renderer.render(make_briefing("en", points=points))
    raw = "\n".join(p.extract_text() for p in reader(pdf).pages)
    assert "\u2010" not in raw  # no hyphen was inserted anywhere in these lines
    assert url in raw.replace("\n", "")
