"""Rebuild the bundled font subsets in templates/fonts/ from Debian's Noto packages.

    apt-get download fonts-noto-core fonts-noto-cjk      # 20201225-1, 1:20220127+repack1-1
    for deb in fonts-noto-*.deb; do dpkg-deb -x "$deb" noto; done
    .venv/bin/python tools/subset_fonts.py noto/usr/share/fonts

Every output is a fontTools subset with a fixed character set (below), the OpenType layout
features shapers apply by default kept (Arabic joining, Indic conjuncts and Thai marks need
GSUB/GPOS; the renderer lets WeasyPrint subset again per PDF and map each drawn glyph to
the text it came from), no hinting (PDF viewers hint themselves), English names only, and
the source font's own head dates (`recalc_timestamp` off), so the same sources give the
same bytes. CJK faces become WOFF2 (about 30% smaller; WeasyPrint unpacks them when the
stylesheet loads).

Not part of the package or of `make test`; the character sets and the sizes they give are in
docs/fonts.md.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont


def ranges(*spans: tuple[int, int]) -> set[int]:
    return {code for start, end in spans for code in range(start, end + 1)}


def codec_chars(codec: str, rows: range, cells: range | list[int]) -> set[int]:
    """The characters a double-byte national standard encodes in the given rows.

    Python's codecs are the tables: GB 2312, Big5, JIS X 0208 (EUC-JP) and KS X 1001
    (EUC-KR), so the sets are exact and need no downloaded list.
    """
    found = set()
    for high in rows:
        for low in cells:
            try:
                text = bytes([high, low]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


EUC_CELLS = range(0xA1, 0xFF)
BIG5_CELLS = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]

# What every face may need around its own script: spaces, the invisible controls of
# bidirectional and joining text, and the dotted circle shapers draw under a lone mark.
COMMON = ranges((0x0020, 0x0020), (0x00A0, 0x00A0), (0x200B, 0x200F), (0x2060, 0x2060))
COMMON |= ranges((0x2066, 0x2069), (0x25CC, 0x25CC), (0xFEFF, 0xFEFF))

# Latin (every Latin-script Argos language, Vietnamese included), Greek, Cyrillic.
LATIN_GREEK_CYRILLIC = COMMON | ranges(
    (0x0020, 0x007E),
    (0x00A0, 0x024F),  # Latin-1, Extended-A and -B (Azerbaijani, Romanian, Vietnamese ơ ư)
    (0x0250, 0x02AF),  # IPA extensions: Azerbaijani ə
    (0x02B0, 0x02FF),  # modifier letters: ʼ ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝
    (0x0300, 0x036F),  # combining diacritics (Vietnamese tones, decomposed text)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # punctuation: dashes, quotes, bullet, ellipsis, per mille, hyphen
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x2122),  # letterlike: ℃ № ™ ...
    (0x2150, 0x218B),  # number forms: ½ ⅓ Ⅻ
    (0x2212, 0x2212),
    (0x25AA, 0x25AB),
    (0x25CF, 0x25CF),
    (0xFB00, 0xFB06),  # Latin ligature characters, when text holds them
    (0xFFFD, 0xFFFD),
)
# The core Latin and Cyrillic set: every Latin-script and Cyrillic Argos target but
# Vietnamese. Most briefings need no more, and a small face is subset for each PDF
# several times faster than the full one (docs/fonts.md).
LATIN_CYRILLIC_CORE = COMMON | ranges(
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x018F, 0x018F),
    (0x0218, 0x021B),
    (0x0259, 0x0259),  # Azerbaijani Ə ə
    (0x02BC, 0x02BC),
    (0x02C6, 0x02C7),
    (0x02D8, 0x02DD),
    (0x0300, 0x0301),
    (0x0400, 0x045F),
    (0x0490, 0x0491),
    (0x2010, 0x2027),
    (0x2030, 0x203A),
    (0x2044, 0x2044),
    (0x20AC, 0x20AC),
    (0x20B4, 0x20B4),
    (0x20BD, 0x20BD),
    (0x2116, 0x2116),
    (0x2122, 0x2122),
    (0x2212, 0x2212),
    (0x25AA, 0x25AB),
    (0x25CF, 0x25CF),
    (0xFFFD, 0xFFFD),
)
ARABIC = COMMON | ranges(
    (0x0600, 0x06FF),  # Arabic, Persian and Urdu letters, digits, punctuation
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # presentation forms A (when text holds them)
    (0xFE70, 0xFEFF),  # presentation forms B
    (0x00AB, 0x00AB),
    (0x00BB, 0x00BB),  # « » as Arabic-script text quotes them
    (0x2010, 0x2027),
)
HEBREW = COMMON | ranges((0x0590, 0x05FF), (0xFB1D, 0xFB4F), (0x2010, 0x2027))
DEVANAGARI = COMMON | ranges((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
DEVANAGARI |= ranges((0x2010, 0x2027), (0x20B9, 0x20B9))  # ₹
BENGALI = COMMON | ranges((0x0980, 0x09FF), (0x0964, 0x0965), (0x2010, 0x2027))
THAI = COMMON | ranges((0x0E00, 0x0E7F), (0x2010, 0x2027))

# CJK: each language's national standard, so a briefing's characters are almost always
# there (figures in docs/fonts.md), plus ASCII, kana or jamo, and CJK punctuation.
CJK_COMMON = COMMON | ranges(
    (0x0020, 0x007E),
    (0x00B7, 0x00B7),
    (0x2010, 0x2027),
    (0x2030, 0x203B),
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK (㈜ ㊀)
    (0xFF01, 0xFF9F),  # full-width forms, half-width katakana
    (0xFFE0, 0xFFE6),
)
GB2312 = codec_chars("gb2312", range(0xA1, 0xF8), EUC_CELLS)  # all 6,763 hanzi + symbols
BIG5_COMMON = codec_chars("big5", range(0xA1, 0xC7), BIG5_CELLS)  # 5,401 common + symbols
JIS_X_0208 = codec_chars("euc_jp", range(0xA1, 0xF5), EUC_CELLS)  # 6,355 kanji, kana
HANGUL = ranges((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))  # all 11,172


@dataclass(frozen=True)
class Face:
    output: str
    source: str  # path under the fonts folder
    chars: set[int]
    number: int = 0  # face in a .ttc collection


NOTO = "truetype/noto"
CJK_REGULAR = "opentype/noto/NotoSansCJK-Regular.ttc"
FACES = [
    *(
        Face(f"Noto{family}{tag}-{weight}.ttf", f"{NOTO}/Noto{family}-{weight}.ttf", chars)
        for weight in ("Regular", "Bold")
        for family, tag, chars in (
            ("Serif", "", LATIN_CYRILLIC_CORE),
            ("Sans", "", LATIN_CYRILLIC_CORE),
            ("Serif", "Full", LATIN_GREEK_CYRILLIC),
            ("Sans", "Full", LATIN_GREEK_CYRILLIC),
            ("NaskhArabic", "", ARABIC),
            ("SansArabic", "", ARABIC),
            ("SerifHebrew", "", HEBREW),
            ("SansHebrew", "", HEBREW),
            ("SerifDevanagari", "", DEVANAGARI),
            ("SansDevanagari", "", DEVANAGARI),
            ("SerifBengali", "", BENGALI),
            ("SansBengali", "", BENGALI),
            ("SerifThai", "", THAI),
            ("SansThai", "", THAI),
        )
    ),
    # Regular weight only: a bold CJK face would double the largest files (docs/fonts.md).
    Face("NotoSansCJKjp-Regular.woff2", CJK_REGULAR, CJK_COMMON | JIS_X_0208, 0),
    Face("NotoSansCJKkr-Regular.woff2", CJK_REGULAR, CJK_COMMON | HANGUL, 1),
    Face("NotoSansCJKsc-Regular.woff2", CJK_REGULAR, CJK_COMMON | GB2312, 2),
    Face("NotoSansCJKtc-Regular.woff2", CJK_REGULAR, CJK_COMMON | BIG5_COMMON, 3),
]


def build(face: Face, sources: Path) -> bytes:
    font = TTFont(sources / face.source, fontNumber=face.number, recalcTimestamp=False)
    options = subset.Options()
    # CJK: one face per language, so no `locl` forms of the other regions (a third of the
    # glyphs), and horizontal text only (no vertical forms).
    cjk = face.output.endswith(".woff2")
    # Others: fontTools' default features, which are those shapers apply by default
    # (joining, conjuncts, marks, kerning, ligatures); optional ones (small capitals,
    # old-style figures, stylistic sets) would add glyphs and make every PDF's subsetting
    # several times slower.
    if cjk:
        options.layout_features = ["ccmp", "kern", "liga", "calt", "mark", "mkmk"]
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x0409]
    options.drop_tables += ["DSIG", "VORG", "vhea", "vmtx", "BASE", "JSTF"]
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(face.chars))
    subsetter.subset(font)
    if cjk:
        font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="the extracted usr/share/fonts folder")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "templates" / "fonts"
    )
    parser.add_argument("--only", nargs="*", help="output file names to rebuild")
    args = parser.parse_args(argv)
    for face in FACES:
        if args.only and face.output not in args.only:
            continue
        data = build(face, args.sources)
        (args.out / face.output).write_bytes(data)
        print(f"{face.output}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
