"""Session fixtures for the render tests: one Renderer, one PDF per language."""

from __future__ import annotations

import pytest
from render_helpers import make_briefing, model


@pytest.fixture(scope="session")
def renderer():
    from briefpack.render import Renderer

    return Renderer()


@pytest.fixture(scope="session")
def rendered(renderer) -> dict[str, bytes]:
    """One PDF per language: en is the source; uk and de translated; ru through a test model."""
    briefings = {
        "en": make_briefing("en"),
        "uk": make_briefing("uk"),
        "de": make_briefing("de"),
        "ru": make_briefing(
            "ru",
            source_language="de",
            models=(
                model("en", from_code="de", test_model=True),
                model("ru", from_code="en", test_model=True),
            ),
            pivot="en",
        ),
    }
    return {lang: renderer.render(briefing) for lang, briefing in briefings.items()}
