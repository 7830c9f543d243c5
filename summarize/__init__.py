"""The summarize stage: extractive summaries, offline, in article order.

    >>> from summarize import summarize
    >>> summary = summarize(text, language="en", sentences=3)

Public API: `summarize`, `split_sentences`, `ALGORITHM_NAMES`, `DEFAULT_ALGORITHM`.
"""

from __future__ import annotations

import logging

from summarize.algorithms import ALGORITHM_NAMES
from summarize.core import DEFAULT_ALGORITHM, sentence_count, summarize
from summarize.text import split_sentences

__all__ = [
    "ALGORITHM_NAMES",
    "DEFAULT_ALGORITHM",
    "sentence_count",
    "split_sentences",
    "summarize",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())  # the CLI decides what shows
