"""Last changes to a briefing PDF before WeasyPrint writes it, through its `finisher` hook.

WeasyPrint calls the finisher with the laid-out document and the PDF's objects (pydyf) just
before it serializes them, so nothing is parsed or written twice. It does three things:

- **Missing glyphs are an error.** When no font (bundled or installed) draws a character,
  WeasyPrint draws a box and records the character in its font's `missing` map; the build
  then stops with exit 5 and one line naming the script and a font to install, instead of a
  PDF with boxes and a warning that only `-v` shows.
- **The XMP metadata stream is left uncompressed.** WeasyPrint compresses it, which PDF/A-2
  and -3 forbid (ISO 19005-2, 6.6.2.1: "the metadata stream dictionary shall not contain
  the Filter key"); readers that look for metadata without a PDF parser expect it plain.
- **Embedded font programs carry the briefing's date.** WeasyPrint subsets each font for the
  PDF; where HarfBuzz's subsetter is missing it uses fontTools, which writes the wall-clock
  time into the subset's `head` table (or `SOURCE_DATE_EPOCH`, when set). The created and
  modified dates are set to the briefing's date here, with the table and file checksums
  the OpenType format requires, so a rebuild gives the same bytes whichever subsetter ran.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Callable
from typing import Any

from briefpack.errors import RenderError

# Seconds from 1904-01-01 (OpenType's epoch) to 1970-01-01.
_OPENTYPE_EPOCH = 2082844800
_CHECKSUM_MAGIC = 0xB1B0AFBA


def finisher(language: str, unix_time: int) -> Callable[[Any, Any], None]:
    """The finisher for one briefing: `language` for messages, its date as Unix seconds."""

    def finish(document: Any, pdf: Any) -> None:
        _refuse_missing_glyphs(document, language)
        _map_every_glyph(document, pdf)
        _date_fonts(pdf, unix_time + _OPENTYPE_EPOCH)
        _compress_streams(pdf)

    return finish


def _refuse_missing_glyphs(document: Any, language: str) -> None:
    missing = sorted({chr(code) for font in document.fonts.values() for code in font.missing})
    if missing:
        raise RenderError(describe_missing(language, missing))


def describe_missing(language: str, characters: list[str]) -> str:
    """One line: which characters, of which scripts, have no font, and what to install."""
    from fontTools import unicodedata

    scripts: dict[str, list[str]] = {}
    for char in characters:
        code = unicodedata.script(char)
        name = unicodedata.block(char) if code in ("Zyyy", "Zinh", "Zzzz") else None
        scripts.setdefault(name or unicodedata.script_name(code), []).append(char)
    shown = "; ".join(
        f"{script} "
        + " ".join(f"{c} (U+{ord(c):04X})" for c in chars[:5])
        + (f" and {len(chars) - 5} more" if len(chars) > 5 else "")
        for script, chars in scripts.items()
    )
    fonts = ", ".join(dict.fromkeys(_font_to_install(script) for script in scripts))
    return (
        f"the {language!r} briefing has characters that no installed font can draw "
        f"({shown}); install {fonts} and build again"
    )


def _font_to_install(script: str) -> str:
    if script in ("Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"):
        return "Noto Sans CJK (Debian/Ubuntu: fonts-noto-cjk)"
    if "Emoji" in script or script in ("Miscellaneous Symbols and Pictographs", "Dingbats"):
        return "a font with these symbols, e.g. Noto Sans Symbols 2 (fonts-noto-core)"
    if " " in script or script[0].islower():  # a block name, not a script
        return f"a font that covers {script}, e.g. Noto Sans Symbols (fonts-noto-core)"
    return f"a font for {script}, e.g. Noto Sans {script} (fonts-noto-core or fonts-noto-extra)"


def _map_every_glyph(document: Any, pdf: Any) -> None:
    """Give every drawn glyph its own text in the fonts' ToUnicode maps.

    WeasyPrint maps each glyph to the text of the cluster it was shaped from, the first
    time it is drawn: in a cluster of several glyphs (a Devanagari vowel sign drawn before
    its consonant, Thai sara am drawn as two marks, a Nastaliq letter and its dots) the
    last glyph gets the whole cluster's text and the others an empty string, which PDF/UA
    forbids (ISO 14289-1, 7.21.7) and which makes the last glyph's text wrong wherever it
    is drawn alone. Here a glyph WeasyPrint mapped to one character keeps it; otherwise a
    glyph that the font's cmap gives to one character maps to that character; a glyph only
    shaping makes (a ligature, a conjunct) keeps its cluster's text; one with neither maps
    to U+200B (zero width space), so no glyph maps to nothing. A cluster drawn in another
    order than it is written (a Devanagari vowel sign before its consonant) is extracted
    in the order drawn: the per-glyph ToUnicode map cannot say more.
    """
    by_name = {font.name: font for font in document.fonts.values()}
    cmaps: dict[str, dict[int, str]] = {}
    for obj in pdf.objects:
        if not (isinstance(obj, dict) and obj.get("Type") == "/Font" and "ToUnicode" in obj):
            continue
        font = by_name.get(obj.get("BaseFont"))
        if font is None or not font.to_unicode:
            continue
        if font.hash not in cmaps:
            cmaps[font.hash] = _glyph_characters(font)
        own = cmaps[font.hash]
        mapping = {
            glyph: text if len(text) == 1 else own.get(glyph) or text or "\u200b"
            for glyph, text in sorted(font.to_unicode.items())
        }
        pdf.objects[_number(obj["ToUnicode"])].stream = _to_unicode_cmap(mapping)


def _glyph_characters(font: Any) -> dict[int, str]:
    """Glyph id -> the one character the font's cmap gives it (glyphs shared: none)."""
    import io

    from fontTools.ttLib import TTFont

    try:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        order = {name: gid for gid, name in enumerate(ttfont.getGlyphOrder())}
        chars: dict[int, list[str]] = {}
        for code, name in ttfont.getBestCmap().items():
            chars.setdefault(order[name], []).append(chr(code))
    except Exception:  # an unreadable cmap: keep WeasyPrint's own mapping
        return {}
    # Presentation forms and other compatibility characters are not a glyph's own text.
    return {
        gid: found[0]
        for gid, found in chars.items()
        if len(found) == 1 and unicodedata.normalize("NFKC", found[0]) == found[0]
    }


def _to_unicode_cmap(mapping: dict[int, str]) -> list[bytes]:
    """A ToUnicode CMap stream in the form WeasyPrint writes, for glyph id -> text."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = list(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for glyph, text in batch:
            lines.append(f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return lines


def _compress_streams(pdf: Any) -> None:
    """Compress every stream but the XMP metadata, each ending with a byte other than CR.

    pydyf would compress them as it writes, but a stream whose data ends in CR, written
    before pydyf's LF and `endstream`, reads as one byte shorter than its /Length (CR LF is
    one end-of-line marker), which PDF/A forbids (ISO 19005-2, 6.1.7.1). The last byte of
    zlib data is part of a checksum of the content, so about one stream in 256 ends in CR;
    such a stream is ASCII85-encoded on top (it then ends in `~>`). pydyf's own object
    stream, made while it writes, can end in CR too: the renderer checks the bytes and
    writes that rare PDF again without an object stream (`needs_plain_objects`).
    """
    import base64
    import zlib

    metadata = pdf.catalog.get("Metadata")
    skip = _number(metadata) if metadata else None
    for obj in pdf.objects:
        if not hasattr(obj, "stream"):
            continue
        obj.compress = False  # XMP metadata stays plain, as PDF/A requires
        if obj.number == skip or "Filter" in obj.extra:
            continue
        raw = obj.data.split(b"\nstream\n", 1)[1][: -len(b"\nendstream")]
        packer = zlib.compressobj(level=9)
        data = packer.compress(raw) + packer.flush()
        if data.endswith(b"\r"):
            data = base64.a85encode(data) + b"~>"
            obj.extra["Filter"] = "[/ASCII85Decode /FlateDecode]"
        else:
            obj.extra["Filter"] = "/FlateDecode"
        obj.stream = [data]


def needs_plain_objects(pdf: bytes) -> bool:
    """Whether a stream in these PDF bytes ends in CR (see `_compress_streams`)."""
    return b"\r\nendstream" in pdf


def _date_fonts(pdf: Any, opentype_time: int) -> None:
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/FontDescriptor":
            for key in ("FontFile2", "FontFile3"):
                if key in obj:
                    stream = pdf.objects[_number(obj[key])]
                    stream.stream = [set_head_dates(b"".join(stream.stream), opentype_time)]


def _number(reference: bytes | str) -> int:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def set_head_dates(font: bytes, opentype_time: int) -> bytes:
    """An OpenType font (sfnt) with its `head` created and modified dates set, checksums right.

    Anything that is not a plain sfnt (a collection, a Type 3 font) is returned unchanged.
    """
    if len(font) < 12 or font[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return font
    (tables,) = struct.unpack_from(">H", font, 4)
    records = {}
    for index in range(tables):
        tag, _sum, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        records[tag] = (12 + 16 * index, offset, length)
    if b"head" not in records:
        return font
    record, offset, length = records[b"head"]
    if length < 54 or offset + length > len(font):
        return font
    data = bytearray(font)
    struct.pack_into(">qq", data, offset + 20, opentype_time, opentype_time)
    struct.pack_into(">I", data, offset + 8, 0)  # checkSumAdjustment counts as 0 in sums
    struct.pack_into(">I", data, record + 4, _checksum(data[offset : offset + length]))
    adjustment = (_CHECKSUM_MAGIC - _checksum(data)) & 0xFFFFFFFF
    struct.pack_into(">I", data, offset + 8, adjustment)
    return bytes(data)


def _checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF
