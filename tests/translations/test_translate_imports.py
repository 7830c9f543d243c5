"""What translating loads: never torch, stanza, spacy or argostranslate, in a clean interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
import json, sys
from pathlib import Path
import translations
import briefpack.cli
before = sorted(m for m in ("ctranslate2", "sentencepiece", "numpy") if m in sys.modules)
store = translations.ModelStore((Path(sys.argv[1]),), Path(sys.argv[1]))
engine = translations.Engine(store)
results = translations.translate_many("Hallo Welt.", ["Krieg heute."], "de", ["ru", "uk", "en"], engine=engine)
heavy = ("torch", "stanza", "spacy", "argostranslate", "minisbd", "onnxruntime", "transformers")
print(json.dumps({
    "before": before,
    "titles": [r.title for r in results],
    "loaded": sorted(m for m in heavy if m in sys.modules),
    "ctranslate2": "ctranslate2" in sys.modules,
}))
"""


def test_translation_loads_no_heavy_or_argos_modules(
    installed_models: Path, netguard_dir: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(netguard_dir)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(installed_models)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report == {
        "before": [],  # importing the library and the CLI loads no model code
        "titles": ["Привет мир.", "Привіт світ.", "Hello world."],
        "loaded": [],
        "ctranslate2": True,
    }


def test_the_environment_has_no_torch_stanza_or_spacy() -> None:
    """`pip list` in the make-test environment: none of the heavy stacks is installed."""
    from importlib.metadata import PackageNotFoundError, distribution

    for name in ("torch", "stanza", "spacy"):
        with pytest.raises(PackageNotFoundError):
            distribution(name)
