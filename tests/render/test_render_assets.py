"""Bundled fonts and templates: coverage, size, licence, no external or system fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from fontTools.ttLib import TTFont

from briefpack.render import template_hash, templates_dir
from briefpack.render.assets import (
    covered_characters,
    eager_font_files,
    font_files,
    lazy_font_files,
)

RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
UKRAINIAN = "ґєіїҐЄІЇ’"
HYPHEN = "\u2010"  # what hyphenation inserts at line ends
GERMAN = "äöüßÄÖÜ„“‚‘"
EXTRA = "€№«»—–…"
GREEK = "ΑΒΓΔΕΖΗΘαβγδεζηθάέήίόύώϊϋΐΰς"
VIETNAMESE = "ăâđêôơưẠạẢảẤấẦầẨẩẪẫẬậỆệỞởỰự"
OTHER_LATIN = "əƏğıİşŞșțĉĝĥĵŝŭŀñçëåøæœ"
LATIN_FACES = ("NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Regular", "NotoSans-Bold")
FULL_FACES = tuple(name.replace("-", "Full-") for name in LATIN_FACES)
# A word of each script and the faces that must draw it (Regular and Bold of each).
SCRIPTS = {
    "Arabic, Persian, Urdu": (
        "العربية فارسی اردو ۱۲۳ ٤٥٦ ،؛؟ ڈ ٹ ں ے گ پ چ ژ",
        ("NaskhArabic", "SansArabic"),
    ),
    "Hebrew": ("עברית שָׁלוֹם", ("SerifHebrew", "SansHebrew")),
    "Devanagari": ("हिन्दी क्षत्रिय ॥ ₹", ("SerifDevanagari", "SansDevanagari")),
    "Bengali": ("বাংলা ক্ষ ৳ ।", ("SerifBengali", "SansBengali")),
    "Thai": ("ภาษาไทย ๑๒๓", ("SerifThai", "SansThai")),
}
CJK = {
    "sc": "简体中文的汉字为们这个说时会动协员实报网络",
    "tc": "繁體中文的漢字為們這個說時會動協員實報網絡",
    "jp": "日本語のひらがなカタカナ漢字ニュース労働者賃金",
    "kr": "한국어 뉴스 노동자 임금 파업 똠방각하 펲",
}


def test_templates_dir_holds_the_templates() -> None:
    root = templates_dir()
    assert (root / "briefing.html.j2").is_file()
    assert (root / "briefing.css").is_file()
    assert (root / "fonts-cjk.css").is_file()
    assert (root / "index.html.j2").is_file()


def _path(name: str):
    (path,) = [p for p in font_files() if p.stem == name]
    return path


def _cmap(name: str) -> set[int]:
    return set(TTFont(_path(name)).getBestCmap())


@pytest.mark.parametrize("name", LATIN_FACES)
def test_core_faces_cover_every_latin_and_cyrillic_target_but_vietnamese(name) -> None:
    cmap = _cmap(name)
    text = RUSSIAN + UKRAINIAN + HYPHEN + GERMAN + EXTRA + OTHER_LATIN
    assert [c for c in text if ord(c) not in cmap] == []
    assert len(TTFont(_path(name)).getGlyphOrder()) < 700  # small: subset fast per PDF


@pytest.mark.parametrize("name", FULL_FACES)
def test_full_faces_add_greek_and_vietnamese(name) -> None:
    cmap = _cmap(name)
    text = RUSSIAN + UKRAINIAN + HYPHEN + GERMAN + EXTRA + GREEK + VIETNAMESE + OTHER_LATIN
    assert [c for c in text if ord(c) not in cmap] == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_script_has_a_serif_and_a_sans_face_in_two_weights(script) -> None:
    sample, families = SCRIPTS[script]
    for family in families:
        for weight in ("Regular", "Bold"):
            cmap = _cmap(f"Noto{family}-{weight}")
            assert [c for c in sample if c != " " and ord(c) not in cmap] == [], family


@pytest.mark.parametrize("region", CJK)
def test_each_cjk_language_has_its_own_face(region) -> None:
    cmap = _cmap(f"NotoSansCJK{region}-Regular")
    assert [c for c in CJK[region] if c != " " and ord(c) not in cmap] == []


def test_cjk_faces_cover_their_national_character_sets() -> None:
    # GB 2312 for simplified Chinese, JIS X 0208 for Japanese: a rare character is one
    # outside these, and is an error naming the script unless an installed font has it.
    sc, jp = _cmap("NotoSansCJKsc-Regular"), _cmap("NotoSansCJKjp-Regular")
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            assert ord(char) in sc, char
    for high in range(0xB0, 0xF5):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("euc_jp")
            except UnicodeDecodeError:
                continue
            assert ord(char) in jp, char


@pytest.mark.parametrize("path", font_files(), ids=lambda p: p.name)
def test_every_font_file_is_small(path) -> None:
    assert path.stat().st_size < 1_250_000


def test_all_fonts_together_stay_under_seven_megabytes() -> None:
    assert sum(p.stat().st_size for p in font_files()) < 7_000_000


@pytest.mark.parametrize("path", font_files(), ids=lambda p: p.name)
def test_every_face_keeps_its_shaping_tables(path) -> None:
    # Arabic joining, Indic conjuncts and Thai marks need GSUB/GPOS; WeasyPrint maps each
    # drawn glyph to its text itself (fonts are subset per PDF, not embedded whole).
    font = TTFont(path)
    assert "GSUB" in font or "GPOS" in font


def test_fonts_are_serif_and_sans_regular_and_bold() -> None:
    names = {p.name for p in font_files()}
    assert {f"{name}.ttf" for name in LATIN_FACES} <= names


def test_ofl_licence_ships_with_the_fonts() -> None:
    text = (templates_dir() / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in text
    assert "Version 1.1" in text
    assert "Google" in text  # the copyright holder of Noto


def test_covered_characters_is_what_any_face_draws() -> None:
    covered = covered_characters()
    assert set(UKRAINIAN + HYPHEN + GREEK + "العربية" + "ภาษาไทย" + "漢字한국") <= covered
    assert "\u2713" not in covered  # ✓: no bundled face has it
    eager = covered_characters(eager_font_files())
    assert "漢" not in eager and "漢" in covered_characters(lazy_font_files())


def _stylesheets() -> str:
    root = templates_dir()
    return (root / "briefing.css").read_text(encoding="utf-8") + (root / "fonts-cjk.css").read_text(
        encoding="utf-8"
    )


def test_stylesheet_loads_only_bundled_fonts_and_names_no_fallback_family() -> None:
    css = _stylesheets()
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert len(urls) == len(font_files())  # every bundled face is declared, and only those
    for url in urls:
        assert (templates_dir() / url.strip("'\"")).resolve().is_file(), url
    assert "local(" not in css
    # Every family named anywhere (font-family, font shorthands, the stack variables) is
    # a bundled one: no generic family, so a missing glyph is found, never a system font.
    values = re.findall(r"font-family:\s*([^;]+);", css)
    values += re.findall(r"--(?:all-)?(?:serif|sans):\s*([^;]+);", css)
    assert values
    for value in values:
        for family in value.split(","):
            family = family.strip().strip('"')
            assert family.startswith(("Briefpack ", "var(--")), value


def test_templates_never_mark_data_safe() -> None:
    for path in templates_dir().glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", source), path.name
        assert not re.search(r"\{%-?\s*autoescape", source), path.name


def test_template_hash_is_stable_and_sees_every_change(tmp_path) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", template_hash())
    assert template_hash() == template_hash()
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    assert template_hash(copy) == template_hash()
    css = copy / "briefing.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    edited = template_hash(copy)
    assert edited != template_hash()
    css.rename(copy / "renamed.css")
    assert template_hash(copy) not in (edited, template_hash())


def test_importing_the_render_stage_loads_no_weasyprint_or_jinja() -> None:
    code = (
        "import sys, briefpack.render; "
        "print(sorted(m for m in ('weasyprint', 'jinja2', 'fontTools') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
