"""Rebuild templates/locale/names.json: every briefing language's name in every other.

    .venv/bin/python tools/language_names.py

The names are CLDR's, read through Babel (installed with trafilatura): each language named
as it is written in running text of the interface language ("английский", "Englisch").
They are copied into the templates rather than read from Babel at run time, so a Babel
upgrade cannot change a PDF without changing the template hash in the manifest.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel import Locale, __version__

LOCALE = Path(__file__).resolve().parents[1] / "templates" / "locale"
# Argos codes that are not CLDR's: zt is Traditional Chinese, tl is CLDR's Filipino locale.
INTERFACE = {"zh": "zh_Hans", "zt": "zh_Hant", "tl": "fil"}
# The CLDR key of each language's name, then keys to try where a locale lacks that one.
NAME_KEYS = {"zh": ("zh_Hans", "zh"), "zt": ("zh_Hant", "zh"), "tl": ("tl", "fil")}


def name_in(languages: dict[str, str], code: str) -> str | None:
    for key in NAME_KEYS.get(code, (code,)):
        if languages.get(key):
            return languages[key]
    return None


def main() -> int:
    codes = list(json.loads((LOCALE / "words.json").read_text(encoding="utf-8")))
    names: dict[str, dict[str, str]] = {"_source": {"cldr": f"babel {__version__}"}}
    english = Locale.parse("en").languages
    for interface in codes:
        languages = Locale.parse(INTERFACE.get(interface, interface)).languages
        names[interface] = {}
        for code in codes:
            name = name_in(languages, code)
            if name is None:  # CLDR lacks it in this language: the English name, said so
                name = name_in(english, code)
                print(f"{interface}: no CLDR name for {code}; using {name!r}")
            assert name, code
            names[interface][code] = name
    text = json.dumps(names, ensure_ascii=False, indent=1) + "\n"
    (LOCALE / "names.json").write_text(text, encoding="utf-8")
    print(f"{len(codes)} languages, {len(codes) ** 2} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
