"""bench.run_all's ROUGE section: the table from bench.rouge's JSON line, and its interval."""

from __future__ import annotations

import json

from bench.run_all import rouge_section

SCORES = {
    "default": {"rouge1": 43.3, "rouge2": 19.67, "rougeLsum": 39.03},
    "lead": {"rouge1": 43.11, "rouge2": 19.62, "rougeLsum": 38.96},
}
INTERVAL = [
    "default - lead (95% paired bootstrap interval over documents):",
    "  rouge1      +0.19   [-0.10, +0.65]   (3 of 50 documents differ)",
    "  rouge2      +0.05   [-0.14, +0.32]   (3 of 50 documents differ)",
    "  rougeLsum   +0.07   [-0.23, +0.42]   (3 of 50 documents differ)",
]


def test_section_has_the_table_and_the_interval() -> None:
    stdout = "\n".join(["50 documents, 3 sentences", *INTERVAL, json.dumps(SCORES)])
    section = rouge_section(stdout)
    assert "| default | 43.30 | 19.67 | 39.03 | +0.19 |" in section
    assert "| lead | 43.11 | 19.62 | 38.96 | +0.00 |" in section
    start = section.index(INTERVAL[0])
    assert section[start - 1] == "```"
    assert section[start : start + 4] == INTERVAL
    assert section[start + 4] == "```"


def test_section_without_an_interval_has_only_the_table() -> None:
    section = rouge_section(json.dumps({"lead": SCORES["lead"]}))
    assert "| lead | 43.11 | 19.62 | 38.96 | +0.00 |" in section
    assert "```" not in section
