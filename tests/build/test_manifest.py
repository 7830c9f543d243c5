"""The signature: flat `key:value|...`, and whatever its values hold, it parses back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefpack.manifest import Signature

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
LISTS = st.lists(TEXT, max_size=3).map(tuple)


def _signature(**changes: object) -> Signature:
    values: dict[str, object] = {
        "algorithm": "lead-plus",
        "sentences": 3,
        "ratio": None,
        "source": "en",
        "targets": ("ru", "de"),
        "models": ("en-ru@1.9+0123456789ab", "en-de@1.0+ba9876543210"),
        "engine": (("ct2", "4.5.0"), ("beam", "4"), ("maxlen", "2n+10<=512")),
        "template": "0123456789ab",
        "weasyprint": "66.0",
        "pdf_variant": "pdf/ua-1",
        "date": "2026-03-14",
    }
    values.update(changes)
    return Signature(**values)  # type: ignore[arg-type]


def test_the_format_is_one_flat_list_in_a_fixed_order() -> None:
    text = str(_signature())
    assert text.startswith("briefpack:")
    assert (
        "|sum:lead-plus|n:3|ratio:-|src:en|to:ru,de|"
        "models:en-ru@1.9+0123456789ab,en-de@1.0+ba9876543210|ct2:4.5.0|beam:4|"
        "maxlen:2n+10<=512|tpl:0123456789ab|weasyprint:66.0|pdf:pdf/ua-1|date:2026-03-14"
    ) in text
    assert Signature.parse(text) == _signature()


@pytest.mark.parametrize("items", [("-",), ("", "a"), ("a,b", "%2C"), ("x|date:1999-01-01",)])
def test_list_items_that_look_like_syntax_stay_items(items: tuple[str, ...]) -> None:
    signature = _signature(targets=items, models=items)
    assert Signature.parse(str(signature)) == signature


def test_untranslated_packs_have_no_engine_keys() -> None:
    signature = _signature(targets=(), models=(), engine=(), ratio=0.25)
    assert "|to:-|models:-|tpl:" in str(signature)
    assert "|ratio:0.25|" in str(signature)
    assert Signature.parse(str(signature)) == signature


@given(
    algorithm=TEXT,
    source=TEXT,
    targets=LISTS,
    models=LISTS,
    engine=st.lists(
        st.tuples(st.sampled_from(["ct2", "device", "beam", "x"]), TEXT), max_size=4
    ).map(tuple),
    weasyprint=TEXT,
    version=TEXT,
)
def test_any_values_parse_back(
    algorithm: str,
    source: str,
    targets: tuple[str, ...],
    models: tuple[str, ...],
    engine: tuple[tuple[str, str], ...],
    weasyprint: str,
    version: str,
) -> None:
    # A hostile package version ("1.9|date:1999-01-01", "a,b") cannot forge another key.
    signature = _signature(
        algorithm=algorithm,
        source=source,
        targets=targets,
        models=models,
        engine=engine,
        weasyprint=weasyprint,
        version=version,
    )
    assert Signature.parse(str(signature)) == signature


@pytest.mark.parametrize(
    "text",
    [
        "",
        "briefpack:1",
        "nonsense",
        "briefpack:1|sum:a|n:x|ratio:-|src:en|to:-|models:-|tpl:a|weasyprint:1|pdf:p|date:d",
    ],
)
def test_what_is_not_a_signature_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="signature"):
        Signature.parse(text)


def test_engine_keys_may_not_shadow_the_signatures_own_or_hold_syntax() -> None:
    with pytest.raises(ValueError, match="own keys"):
        _signature(engine=(("date", "1999-01-01"),))
    for key in ("a:b", "a|b", ""):
        with pytest.raises(ValueError, match="letters and digits"):
            _signature(engine=((key, "1"),))
