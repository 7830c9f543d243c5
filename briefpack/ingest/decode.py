"""Bytes to text as a browser reads them: BOM, then the page's own declaration, then detection.

A few bad bytes or NULs in an otherwise textual file are replaced (and logged), as browsers
and trafilatura do; files that are mostly binary are refused, and so are the binary formats
people drop on the tool by mistake (by their magic numbers).
"""

from __future__ import annotations

import codecs
import logging
import re

from briefpack.errors import InputError

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of files people drop on the tool by mistake.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

# Share of bytes that may be broken (undecodable, NUL) in a file still read as text: a
# truncated character in a footer, a NUL run a CMS left. Above it the file is binary.
_MAX_BAD_SHARE = 0.02
# Bytes no text file holds (C0 controls but tab, newlines, form feed and escape).
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\x0c\x1b")
# Where a page declares its charset: <meta charset>, http-equiv Content-Type, XML declaration.
# Browsers look at the first 1024 bytes; saved pages put long comments first, so 8 KB.
_DECLARATION = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_DECLARATION_WINDOW = 8192
# WHATWG's encoding labels: browsers read these declared charsets as the codec on the right
# (a page that says latin-1 is decoded as windows-1252, whose extra letters it uses).
_WHATWG = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "cp932",
    # A page that says UTF-16 in an ASCII-compatible byte stream is UTF-8 (no BOM seen).
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}


def decode(
    data: bytes, encoding: str | None = None, name: str = "the file", *, markup: bool = False
) -> tuple[str, str]:
    """Return (text, encoding used). Raise InputError for binary or undecodable input.

    `name` (the file's name) starts the error messages; `markup` (the bytes are HTML or XML)
    lets the page's own charset declaration count.
    """
    if encoding:
        return _forced(data, encoding, name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _lenient(data[len(bom) :], codec, name), f"{codec} (BOM)"
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} is {what}, not an article; give a .txt, .md or .html file")
    wide = _utf16_or_32(data)
    if wide:
        return _lenient(data, wide, name), f"{wide} (detected)"
    if len(data.translate(None, _TEXT_BYTES)) > len(data) * _MAX_BAD_SHARE:
        raise InputError(
            f"{name} is binary (it holds NUL and control bytes); give a text or HTML article"
        )
    nuls = data.count(b"\x00")
    if nuls:
        log.warning("%s: %d NUL bytes removed", name, nuls)
        data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8"
    declared = _declared(data) if markup else None
    if declared and declared != "utf-8":
        return _lenient(data, declared, name), f"{declared} (declared)"
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if declared == "utf-8" or (bad <= len(data) * _MAX_BAD_SHARE and _has_multibyte_utf8(data)):
        # Real UTF-8 with a few broken bytes: a legacy-encoding guess would garble it all.
        return _lenient(data, "utf-8", name), "utf-8"
    return _detect_legacy(data, name)


def _forced(data: bytes, encoding: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; try --encoding utf-8") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid {encoding} (byte {exc.start}); "
            "check --encoding or omit it to detect"
        ) from None
    except UnicodeError:  # codecs such as idna or punycode fail with the base class
        raise InputError(
            f"{name} cannot be decoded as {encoding}; check --encoding or omit it to detect"
        ) from None


def _lenient(data: bytes, codec: str, name: str) -> str:
    """Decode, replacing a few bad bytes (logged); refuse when too many are bad."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        first = exc.start
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad > len(data) * _MAX_BAD_SHARE:
        raise InputError(
            f"{name} is not valid {codec} (first bad byte at offset {first}); "
            "repair or re-save it as UTF-8, or give --encoding"
        )
    log.warning("%s: %d bytes that are not valid %s replaced", name, bad, codec)
    return text


def _utf16_or_32(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the zero bytes of ASCII letters fall."""
    sample = data[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    quads = len(sample) // 4
    if quads and all(
        sample[i * 4 + 1 : i * 4 + 4] == b"\x00\x00\x00" for i in range(min(quads, 64))
    ):
        return "utf-32-le"
    if quads and all(sample[i * 4 : i * 4 + 3] == b"\x00\x00\x00" for i in range(min(quads, 64))):
        return "utf-32-be"
    pairs = len(sample) // 2
    odd_zero = sum(sample[i] == 0 for i in range(1, pairs * 2, 2)) / pairs
    even_zero = sum(sample[i] == 0 for i in range(0, pairs * 2, 2)) / pairs
    # Latin text in UTF-16 has a zero in nearly every other byte, and almost none between.
    if odd_zero > 0.6 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.6 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _declared(data: bytes) -> str | None:
    """The codec the page declares for itself (WHATWG's reading of the label), if Python has it."""
    match = _DECLARATION.search(data[:_DECLARATION_WINDOW])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "replace").lower()
    label = _WHATWG.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if codec == "utf-8" else label


def _detect_legacy(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"the text encoding of {name} could not be detected (binary data?); "
            "re-save it as UTF-8 or give --encoding"
        )
    text = str(best)
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text) / max(1, len(text))
    if printable < 0.95:
        raise InputError(f"{name} looks binary, not like text; give a text or HTML article")
    return text, best.encoding


def _has_multibyte_utf8(data: bytes) -> bool:
    """True when the bytes hold at least a few well-formed multi-byte UTF-8 sequences."""
    text = data.decode("utf-8", errors="ignore")
    return sum(ord(ch) > 127 for ch in text) >= 3
