"""bench/digest.py's RESULTS.md section: the figures it was given, ratios and all."""

from __future__ import annotations

from bench.digest import TARGET_RATIO, digest_section


def test_the_digest_section_shows_each_run_and_the_ratios() -> None:
    data = {
        "articles": 20,
        "runs": {
            "builds": {"seconds": 40.0, "peak_mb": 250.0, "translate_s": 8.0},
            "build_one_process": {"seconds": 20.0, "peak_mb": 260.0, "translate_s": 6.0},
            "digest": {"seconds": 16.0, "peak_mb": 300.5, "translate_s": 5.0, "stories": 20},
        },
        "real_shape": {
            "per_article_s": 30.0,
            "batched_s": 10.0,
            "sentences": 80,
            "source_tokens": 2000,
            "peak_mb": 600.0,
        },
        "estimated": {"builds_s": 62.0, "build_one_process_s": 44.0, "digest_s": 21.0},
        "ratio": 2.5,
        "ratio_one": 1.25,
        "ratio_real": 2.95,
        "ratio_one_real": 2.1,
    }
    lines = digest_section(data)
    assert lines[0] == "## Digest"
    rows = [line for line in lines if line.startswith("| ")][1:]
    assert len(rows) == 3
    assert rows[0].startswith(
        "| 20 separate `briefpack build` processes | 40.0 | 8.0 | 62.0 | 250.0 | 1.00x"
    )
    assert rows[1].endswith("| 2.00x |")
    assert "(1 pack, 20 stories) | 16.0 | 5.0 | 21.0 | 300.5 | 2.50x |" in rows[2]
    summary = lines[-1]
    assert "**2.50x** with test models" in summary and "**2.95x** estimated" in summary
    assert f"target {TARGET_RATIO}x" in summary and "300.5 MB" in summary
    assert "peaked at 600.0 MB" in summary
