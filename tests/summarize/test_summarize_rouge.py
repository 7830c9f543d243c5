"""bench.rouge: the scoring function on hand-made examples, and LEAD-3 on the shared dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import rouge

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "cnndm-summeval-dev50.jsonl"


def test_identical_prediction_scores_100() -> None:
    text = "The quay closed on Tuesday.\nNo one was injured."
    assert rouge.rouge([(text, text)]) == pytest.approx(
        {"rouge1": 100.0, "rouge2": 100.0, "rougeLsum": 100.0}
    )


def test_known_partial_overlap() -> None:
    # Unigrams: 3 of 3 predicted, 3 of 6 reference -> F1 2/3. Bigrams: 2 of 2, 2 of 5 -> 4/7.
    scores = rouge.rouge([("the cat sat", "the cat sat on the mat")])
    assert scores["rouge1"] == pytest.approx(200 / 3)
    assert scores["rouge2"] == pytest.approx(400 / 7)


def test_scores_average_over_documents() -> None:
    scores = rouge.rouge([("a b", "a b"), ("c d", "e f")])
    assert scores["rouge1"] == pytest.approx(50.0)


def test_bootstrap_interval_of_a_constant_gain_is_that_gain() -> None:
    assert rouge.paired_bootstrap([0.5] * 20) == pytest.approx((0.5, 0.5))


def test_bootstrap_interval_covers_the_mean_and_widens_with_spread() -> None:
    narrow = rouge.paired_bootstrap([1.0, 1.2, 0.8, 1.1, 0.9] * 10)
    wide = rouge.paired_bootstrap([5.0, -3.0, 4.0, -2.0, 1.0] * 10)
    assert narrow[0] < 1.0 < narrow[1]
    assert wide[0] < 1.0 < wide[1]
    assert wide[1] - wide[0] > 5 * (narrow[1] - narrow[0])
    # A fixed seed: the same gains give the same interval.
    assert rouge.paired_bootstrap([5.0, -3.0, 4.0, -2.0, 1.0] * 10) == wide


def test_main_reports_the_default_gain_with_its_interval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Written for this test: LEAD-3 and the default pick the same sentences, so the gain
    # is exactly zero on every document.
    text = (
        "The harbour reopened on Monday after a nine-day strike by crane operators. "
        "Union leaders and the port authority signed a deal raising wages by six percent. "
        "Ships that had waited offshore began unloading within hours of the agreement. "
        "Exporters said the strike had cost them millions in delayed shipments."
    )
    data = tmp_path / "eval.jsonl"
    row = {"id": "x", "text": text, "reference": "The harbour reopened after a strike."}
    data.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    assert rouge.main(["--data", str(data), "--algorithms", "default,lead"]) == 0
    out = capsys.readouterr().out
    assert "default - lead (95% paired bootstrap interval over documents):" in out
    assert "rouge1      +0.00   [+0.00, +0.00]   (0 of 2 documents differ)" in out


@pytest.mark.skipif(not DEV.exists(), reason="shared dev set missing")
def test_scorer_reproduces_the_published_lead3_baseline() -> None:
    # The published LEAD-3 figures (shared/eval/README.md) take the first three pieces of
    # sentencex's own segmentation; scored by bench.rouge they must come out the same.
    from sentencex import segment

    documents = rouge.load(DEV)
    pairs = [("\n".join(list(segment("en", d["text"]))[:3]), d["reference"]) for d in documents]
    scores = rouge.rouge(pairs)
    assert scores["rouge1"] == pytest.approx(42.80, abs=0.01)
    assert scores["rouge2"] == pytest.approx(19.27, abs=0.01)
    assert scores["rougeLsum"] == pytest.approx(38.64, abs=0.01)


@pytest.mark.skipif(not DEV.exists(), reason="shared dev set missing")
def test_default_beats_lead_on_the_dev_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert rouge.main(["--data", str(DEV), "--algorithms", "lead,default"]) == 0
    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert list(results) == ["lead", "default"]
    for metric in rouge.ROUGE_TYPES:
        assert results["default"][metric] > results["lead"][metric] > 0
