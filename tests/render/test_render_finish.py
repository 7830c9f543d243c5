"""The finisher: missing glyphs are exit 5 in one line; font dates, streams, fixed words."""

from __future__ import annotations

import base64
import io
import json
import zlib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefpack.errors import ExitStatus
from briefpack.render import templates_dir
from briefpack.render.assets import font_files
from briefpack.render.finish import (
    _compress_streams,
    _date_fonts,
    describe_missing,
    needs_plain_objects,
    set_head_dates,
)
from briefpack.render.strings import direction, language_name, language_tag, strings_for

# Every language Argos Translate translates into (issue 12's list), plus zt (Traditional
# Chinese, translate-en_zt).
ARGOS_TARGETS = [
    "ar",
    "az",
    "bg",
    "bn",
    "ca",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "eo",
    "es",
    "et",
    "fa",
    "fi",
    "fr",
    "ga",
    "gl",
    "he",
    "hi",
    "hu",
    "id",
    "it",
    "ja",
    "ko",
    "lt",
    "lv",
    "ms",
    "nb",
    "nl",
    "pl",
    "pt",
    "ro",
    "ru",
    "sk",
    "sl",
    "sq",
    "sv",
    "th",
    "tl",
    "tr",
    "uk",
    "ur",
    "vi",
    "zh",
    "zt",
]
SENTENCES = ("mt_body", "test_body", "original_body", "test_heading")


def _words() -> dict[str, dict[str, str]]:
    return json.loads((templates_dir() / "locale" / "words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ARGOS_TARGETS)
def test_every_argos_target_has_every_fixed_word_of_its_own(lang) -> None:
    words = _words()
    assert set(words[lang]) == set(words["en"])
    assert all(value.strip() for value in words[lang].values())
    if lang != "en":  # the sentences are never the English ones: no silent fallback
        assert [k for k in SENTENCES if words[lang][k] == words["en"][k]] == []
    assert dict(strings_for(lang)) == words[lang]


@pytest.mark.parametrize("lang", ARGOS_TARGETS)
def test_every_language_is_named_in_every_other(lang) -> None:
    for code in ARGOS_TARGETS:
        assert language_name(code, lang) != code
    assert language_name("en", "ru") == "английский"
    assert language_name("zt", "en") == "Traditional Chinese"


def test_a_language_without_words_gets_english_and_a_warning(caplog) -> None:
    assert strings_for("kk")["key_points"] == "Key points"
    assert "no fixed words for 'kk'" in caplog.text


def test_tags_and_directions() -> None:
    assert (language_tag("zt"), language_tag("zh"), language_tag("de")) == (
        "zh-Hant",
        "zh-Hans",
        "de",
    )
    assert [c for c in ARGOS_TARGETS if direction(c) == "rtl"] == ["ar", "fa", "he", "ur"]


def test_the_missing_glyph_message_names_scripts_and_what_to_install() -> None:
    message = describe_missing("en", ["ქ", "ა", "𓀀", "\u2713"])
    assert "\n" not in message
    assert "Georgian ქ (U+10E5)" in message and "ა (U+10D0)" in message
    assert "Egyptian Hieroglyphs 𓀀 (U+13000)" in message
    assert "U+2713" in message and "Dingbats" in message
    assert "Noto Sans Georgian" in message
    cjk = describe_missing("zh", ["𠀋"])
    assert "fonts-noto-cjk" in cjk and "Han" in cjk


def test_font_dates_are_set_with_valid_checksums() -> None:
    (path,) = [p for p in font_files() if p.name == "NotoSansHebrew-Regular.ttf"]
    when = 3_000_000_000
    dated = set_head_dates(path.read_bytes(), when)
    font = TTFont(io.BytesIO(dated))
    assert font["head"].created == font["head"].modified == when
    # fontTools recomputes both checksums when it writes: they must come out the same.
    again = io.BytesIO()
    TTFont(io.BytesIO(dated), recalcTimestamp=False).save(again)
    assert TTFont(io.BytesIO(again.getvalue()))["head"].checkSumAdjustment == (
        font["head"].checkSumAdjustment
    )
    assert set_head_dates(b"not a font", when) == b"not a font"


class _PDF:
    def __init__(self, objects: list) -> None:
        self.objects = objects
        self.catalog = {"Metadata": b"1 0 R"}


def _data_ending_in_cr() -> bytes:
    import hashlib

    for n in range(100_000):
        data = hashlib.sha256(str(n).encode()).hexdigest().encode()
        if zlib.compress(data, 9).endswith(b"\r"):
            return data
    raise AssertionError("no sample found")


def test_a_stream_whose_zlib_data_ends_in_cr_is_ascii85_encoded_on_top() -> None:
    import pydyf

    content = _data_ending_in_cr()
    metadata, stream, plain = (
        pydyf.Stream([b"<x:xmpmeta/>"]),
        pydyf.Stream([content]),
        pydyf.Stream([b"BT ET"]),
    )
    for number, obj in enumerate((metadata, stream, plain), start=1):
        obj.number = number
    pdf = _PDF([pydyf.Object(), metadata, stream, plain])
    _compress_streams(pdf)
    assert "Filter" not in metadata.extra  # XMP stays plain (PDF/A)
    assert stream.extra["Filter"] == "[/ASCII85Decode /FlateDecode]"
    assert zlib.decompress(base64.a85decode(stream.stream[0][:-2])) == content
    assert plain.extra["Filter"] == "/FlateDecode"
    assert not any(obj.data.split(b"\nendstream")[0].endswith(b"\r") for obj in (stream, plain))
    assert needs_plain_objects(b"x\r\nendstream") and not needs_plain_objects(b"x\nendstream")


def test_font_files_in_descriptors_get_the_date() -> None:
    import pydyf

    (path,) = [p for p in font_files() if p.name == "NotoSansThai-Regular.ttf"]
    stream = pydyf.Stream([path.read_bytes()])
    descriptor = pydyf.Dictionary({"Type": "/FontDescriptor", "FontFile2": b"1 0 R"})
    pdf = _PDF([pydyf.Object(), stream, descriptor])
    _date_fonts(pdf, 3_700_000_000)
    assert TTFont(io.BytesIO(stream.stream[0]))["head"].modified == 3_700_000_000


GEORGIAN_ARTICLE = """Tbilisi port reopens after strike ends

Dock workers in Tbilisi returned to work on Monday, the union said, and a banner read ქართული ენა.

Union leaders signed an agreement on wages after a strike of nine days at the port.

The agreement raises wages by five percent this year, the union said on Monday.
"""


def test_a_character_no_font_has_is_exit_5_and_one_line(
    offline_subprocess, models_dir: Path, tmp_path: Path
) -> None:
    # A fontconfig with no fonts at all: only the bundled faces exist, none has Georgian.
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig></fontconfig>\n', encoding="utf-8")
    article = tmp_path / "tbilisi.txt"
    article.write_text(GEORGIAN_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    env = {"FONTCONFIG_FILE": str(conf), "BRIEFPACK_MODELS": str(models_dir)}
    result = offline_subprocess(
        ["build", str(article), "--to", "de", "--out", str(out), "--date", "2026-03-14"],
        env=env,
    )
    assert result.returncode == ExitStatus.RENDER_ERROR, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefpack: error: ")
    assert "Georgian" in lines[0] and "U+10D0" in lines[0] and "install" in lines[0]
    assert not out.exists() or [p for p in out.iterdir() if not p.name.startswith(".")] == []
