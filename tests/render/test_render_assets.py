"""Bundled fonts and templates: coverage, size, licence, no external or system fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from fontTools.ttLib import TTFont

from briefpack.render import template_hash, templates_dir
from briefpack.render.assets import covered_characters, font_files

RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
UKRAINIAN = "ґєіїҐЄІЇ’"
HYPHEN = "\u2010"  # what hyphenation inserts at line ends
GERMAN = "äöüßÄÖÜ„“‚‘"
EXTRA = "€№«»—–…"


def test_templates_dir_holds_the_templates() -> None:
    root = templates_dir()
    assert (root / "briefing.html.j2").is_file()
    assert (root / "briefing.css").is_file()
    assert (root / "index.html.j2").is_file()


@pytest.mark.parametrize("path", font_files(), ids=lambda p: p.name)
def test_every_font_covers_russian_ukrainian_german_and_hyphen(path) -> None:
    cmap = TTFont(path).getBestCmap()
    missing = [c for c in RUSSIAN + UKRAINIAN + HYPHEN + GERMAN + EXTRA if ord(c) not in cmap]
    assert missing == []


@pytest.mark.parametrize("path", font_files(), ids=lambda p: p.name)
def test_every_font_file_is_small(path) -> None:
    assert path.stat().st_size < 1_000_000


@pytest.mark.parametrize("path", font_files(), ids=lambda p: p.name)
def test_every_drawn_glyph_maps_back_to_exactly_one_character(path) -> None:
    # Fonts are embedded whole, so the PDF's ToUnicode map is the font's cmap reversed:
    # a substituted glyph (ligature) or a glyph shared by two characters would extract wrongly.
    font = TTFont(path)
    assert "GSUB" not in font
    glyphs = list(font.getBestCmap().values())
    assert len(glyphs) == len(set(glyphs))


def test_fonts_are_serif_and_sans_regular_and_bold() -> None:
    names = {p.name for p in font_files()}
    assert {
        "NotoSerif-Regular.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
    } <= names


def test_ofl_licence_ships_with_the_fonts() -> None:
    text = (templates_dir() / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in text
    assert "Version 1.1" in text
    assert "Google" in text  # the copyright holder of Noto


def test_covered_characters_is_what_every_face_draws() -> None:
    covered = covered_characters()
    assert set(UKRAINIAN + HYPHEN) <= covered
    assert "→" not in covered  # Noto Serif/Sans have no arrows: the template must not use one


def test_stylesheet_loads_only_bundled_fonts_and_names_no_fallback_family() -> None:
    css = (templates_dir() / "briefing.css").read_text(encoding="utf-8")
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls, "the stylesheet declares the bundled @font-face fonts"
    for url in urls:
        assert (templates_dir() / url.strip("'\"")).resolve().is_file(), url
    assert "local(" not in css
    families = re.findall(r"font-family:\s*([^;]+);", css)
    families += re.findall(r"font:[^;]*?(\"[^\"]+\"[^;]*);", css)
    assert families
    for value in families:
        for family in value.split(","):
            assert family.strip().strip('"').startswith("Briefpack "), value


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
