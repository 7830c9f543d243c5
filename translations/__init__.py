"""The translate stage: installed Argos packages -> translated titles and summary sentences.

Importing this package is cheap: CTranslate2 and SentencePiece load with the first model.
"""

from __future__ import annotations

import logging

from translations.engine import Engine, EngineOptions, translate, translate_many
from translations.store import (
    ModelStore,
    Package,
    Route,
    install,
    list_packages,
    package_digest,
    package_size,
    read_package,
)

__all__ = [
    "Engine",
    "EngineOptions",
    "ModelStore",
    "Package",
    "Route",
    "install",
    "list_packages",
    "package_digest",
    "package_size",
    "read_package",
    "translate",
    "translate_many",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())  # the CLI decides what shows
