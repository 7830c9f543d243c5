"""Our engine against argostranslate's own translate(), on the same packages and sentences.

argostranslate reads its settings (and creates folders) at import time, so it runs in a
child process whose environment points it at the test packages, with sockets blocked and
its downloading sentence splitter swapped for the same regex splitter we use here
(`tests.fixtures.argos.argos_translate`). The other package layouts: test_translate_layouts.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.fixtures.argos import argos_translate
from translations import Engine, ModelStore, translate

TEXT_EN = "Hello world. The city news today! Russian president said peace, Kyiv said war?"
TEXT_DE = "Hallo Welt. Krieg in Moskau heute! Die Stadt sagte Frieden."
CASES = [
    (TEXT_EN, "en", "ru"),
    (TEXT_EN, "en", "uk"),
    (TEXT_EN, "en", "de"),
    (TEXT_DE, "de", "en"),
    (TEXT_DE, "de", "ru"),  # argostranslate pivots on its own, as we do
    (TEXT_DE, "de", "uk"),
    ("Hello file_name_v2 world.", "en", "ru"),
]


def split(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def test_same_output_as_argostranslate(
    installed_models: Path, tmp_path: Path, netguard_dir: Path
) -> None:
    theirs = argos_translate(CASES, installed_models, tmp_path, netguard_dir)
    engine = Engine(ModelStore((installed_models,), installed_models))
    ours = []
    for text, source, target in CASES:
        sentences = split(text)
        result = translate(sentences[0], sentences[1:], source, target, engine=engine)
        ours.append(" ".join([result.title, *result.sentences]))
    assert ours[:-1] == theirs[:-1]
    assert (
        ours[0]
        == "Привет мир. The город новости сегодня! российский президент сказал мира, Киев сказал война?"
    )
    # The one intended difference: argostranslate turns every "_" into a space.
    assert ours[-1] == "Привет file_name_v2 мир."
    assert theirs[-1] == "Привет file name v2 мир."
