"""The briefing's fixed wording in each language, language names, tags and directions.

The words live in `templates/locale/words.json` (written by hand, one entry per language
Argos Translate translates into) and the names of languages in `names.json` (CLDR's, copied
by tools/language_names.py), so both are part of the template hash that manifests record.
A language without words gets English ones, and a warning in the log says so.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Final

from briefpack.errors import RenderError
from briefpack.render.assets import templates_dir

log = logging.getLogger(__name__)

ENGINE: Final = "Argos Translate / CTranslate2"
RIGHT_TO_LEFT: Final = frozenset({"ar", "fa", "ur", "he"})
# Argos codes whose BCP 47 tag differs: Chinese in simplified and in traditional characters.
_TAGS: Final = {"zh": "zh-Hans", "zt": "zh-Hant"}

_lock = threading.Lock()
_loaded: dict[Path, tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]] = {}


def _tables(
    root: Path | None = None,
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    root = templates_dir() if root is None else root
    with _lock:
        if root not in _loaded:
            try:
                words = json.loads((root / "locale" / "words.json").read_text(encoding="utf-8"))
                names = json.loads((root / "locale" / "names.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise RenderError(
                    f"cannot read the briefing's fixed words ({exc}); reinstall briefpack"
                ) from exc
            names.pop("_source", None)
            _loaded[root] = (words, names)
        return _loaded[root]


def interface_languages() -> tuple[str, ...]:
    """The languages whose fixed words briefpack has."""
    return tuple(_tables()[0])


def strings_for(language: str) -> MappingProxyType[str, str]:
    """The fixed words for a briefing language; English, logged, for languages we lack."""
    words = _tables()[0]
    if language not in words:
        log.warning(
            "no fixed words for %r; the %r briefing's headings are in English", language, language
        )
    return MappingProxyType(words.get(language, words["en"]))


def language_name(code: str, interface: str) -> str:
    """The name of language `code` in `interface`; English name, then the code, as fallbacks."""
    names = _tables()[1]
    return names.get(interface, {}).get(code) or names["en"].get(code) or code


def language_tag(code: str) -> str:
    """The BCP 47 tag for a language code (the PDF's /Lang, HTML's lang): zt -> zh-Hant."""
    return _TAGS.get(code, code)


def direction(code: str) -> str:
    """ "rtl" for the right-to-left languages, else "ltr"."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"
