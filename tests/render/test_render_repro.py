"""Same briefing, same templates, same WeasyPrint: byte-identical PDFs, whatever the clock says."""

from __future__ import annotations

import time

import pytest
from render_helpers import make_briefing

from briefpack.render import Renderer

pytestmark = pytest.mark.slow


def test_two_renders_across_a_second_are_byte_identical(renderer, rendered) -> None:
    time.sleep(1.1)  # font subsetting and PDF dates must not depend on the wall clock
    assert renderer.render(make_briefing("uk")) == rendered["uk"]
    assert renderer.render(make_briefing("en")) == rendered["en"]


def test_a_fresh_renderer_gives_the_same_bytes(rendered) -> None:
    assert Renderer().render(make_briefing("de")) == rendered["de"]


def test_languages_share_one_renderer_without_leaking_into_each_other(rendered) -> None:
    assert len(set(rendered.values())) == len(rendered)
    # The uk render in the session (after en) equals a render by a renderer that saw only uk.
    assert Renderer().render(make_briefing("uk")) == rendered["uk"]


def test_the_date_is_part_of_the_output(renderer, rendered) -> None:
    briefing = make_briefing("uk")
    later = type(briefing)(**{**briefing.__dict__, "date": "2026-11-28"})
    assert renderer.render(later) != rendered["uk"]
