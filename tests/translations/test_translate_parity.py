"""Our engine against argostranslate's own translate(), on the same packages and sentences.

argostranslate reads its settings (and creates folders) at import time, so it runs in a
child process whose environment points it at the test packages, with sockets blocked and
its downloading sentence splitter swapped for the same regex splitter we use here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from translations import Engine, ModelStore, translate

ARGOS_SCRIPT = r"""
import json, re, sys
import argostranslate.translate as at

class RegexSentencizer:
    def split_sentences(self, text):
        return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]

for language in at.get_installed_languages():
    for translation in language.translations_from:
        underlying = getattr(translation, "underlying", None)  # CachedTranslation
        if underlying is not None:
            underlying.sentencizer = RegexSentencizer()
cases = json.loads(sys.stdin.read())
print(json.dumps([at.translate(text, source, target) for text, source, target in cases]))
"""

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


def argos_translate(
    cases: list[tuple[str, str, str]], packages: Path, home: Path, netguard_dir: Path
) -> list[str]:
    env = dict(os.environ)
    env.update(
        {
            "ARGOS_PACKAGES_DIR": str(packages),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "PYTHONPATH": str(netguard_dir),  # sitecustomize that blocks every socket
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", ARGOS_SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: list[str] = json.loads(done.stdout)
    return result


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
