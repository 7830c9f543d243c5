"""The speed-ups change nothing: hyphenation loaded lazily gives Pyphen's answers and PDFs."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest

from briefpack.model import Briefing
from briefpack.render import Renderer
from briefpack.render.hyphenation import load_patterns, parse_pattern, preload

WORDS = {
    "en": "internationalisation representatives negotiations unchanged harbour",
    "de": "Donaudampfschifffahrtsgesellschaft Übersetzungssystem Gewerkschaftsführer",
    "ru": "государственный переговоры забастовка профессиональный",
    "uk": "переговори профспілка страйкувальники незалежність",
}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_lazy_patterns_match_pyphen_pattern_by_pattern(language: str) -> None:
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    reference = pyphen.HyphDict(path)
    lazy = load_patterns(Path(str(path)))
    assert lazy is not None
    keys = lazy.keys()
    assert set(reference.patterns) <= set(keys)
    for key in keys:
        assert lazy.get(key) == reference.patterns.get(key), key


def test_digit_pairs_and_escapes_are_read_like_pyphen() -> None:
    assert parse_pattern("a1b") == ("ab", (1, (1,)))
    assert parse_pattern("s11a") == ("sa", (1, (1, 1)))  # two digits: one more position
    assert parse_pattern("^^e4a1") == ("\u00e4a", (2, (1,)))
    assert parse_pattern("ab0") == ("ab", None)  # only zeros: Pyphen leaves it out


@pytest.mark.parametrize("language", sorted(WORDS))
def test_preloaded_dictionary_hyphenates_like_pyphen(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})
    expected = [
        pyphen.Pyphen(lang=language, cache=False).inserted(w) for w in WORDS[language].split()
    ]
    preload(language)
    assert len(pyphen.hdcache) == 1
    assert [pyphen.Pyphen(lang=language).inserted(w) for w in WORDS[language].split()] == expected


def test_pdf_is_byte_identical_with_and_without_the_preload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    briefing = Briefing(
        language="de",
        title="Gewerkschaftsführer unterzeichnen Tarifvereinbarung",
        points=(
            (
                "Die Donaudampfschifffahrtsgesellschaft und die Hafenarbeitergewerkschaft "
                "unterzeichneten eine Übergangsvereinbarung. "
            )
            * 4,
        ),
        source_name="test.txt",
        source_language="de",
        date="2026-03-14",
        pack_id="0123abcd",
    )
    renderer = Renderer()
    monkeypatch.setattr(pyphen, "hdcache", {})
    with_preload = renderer.render(briefing)
    (dictionary,) = pyphen.hdcache.values()
    assert dictionary.cache, "WeasyPrint looked no word up: the test hyphenates nothing"
    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr("briefpack.render.hyphenation.preload", lambda language: None)
    without = renderer.render(briefing)
    assert with_preload == without
