"""Bytes to text: BOMs, UTF-8, legacy encodings detected (never guessed as latin-1)."""

from __future__ import annotations

import codecs

from briefpack.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
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

# Share of undecodable bytes above which a file is called binary instead of mis-encoded text.
_MAX_BAD_UTF8_SHARE = 0.02


def decode(data: bytes, encoding: str | None = None, name: str = "the file") -> tuple[str, str]:
    """Return (text, encoding used). Raise InputError for binary or undecodable input.

    `name` (the file's name) starts the error messages.
    """
    if encoding:
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
    for bom, codec in _BOMS:
        if data.startswith(bom):
            codec = codec.replace("-sig", "")
            try:
                return data[len(bom) :].decode(codec), f"{codec} (BOM)"
            except UnicodeDecodeError:
                raise InputError(
                    f"{name} starts with a {codec} byte-order mark but is not valid {codec}; "
                    "re-save it as UTF-8"
                ) from None
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} is {what}, not an article; give a .txt, .md or .html file")
    if b"\x00" in data:
        raise InputError(f"{name} is binary (it holds NUL bytes); give a text or HTML article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    return _detect_legacy(data, first_bad, name)


def _detect_legacy(data: bytes, first_bad: int, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    mostly_utf8 = data.decode("utf-8", errors="replace").count("\ufffd") / max(1, len(data))
    if 0 < mostly_utf8 <= _MAX_BAD_UTF8_SHARE and _has_multibyte_utf8(data):
        # Real UTF-8 with a few broken bytes: a legacy-encoding guess would garble it all.
        raise InputError(
            f"{name} is not valid UTF-8 (first bad byte at offset {first_bad}); "
            "repair or re-save it as UTF-8, or give --encoding"
        )
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
