"""bench/run_all.py's "Batch and scale" section: both Dask rows and the workers' stages."""

from __future__ import annotations

from bench.run_all import batch_section


def _row(jobs: object, run: str, seconds: float, **extra: object) -> dict[str, object]:
    return {
        "jobs": jobs,
        "run": run,
        "seconds": seconds,
        "articles_per_min": 60.0,
        "speedup": round(30.0 / seconds, 2),
        **extra,
    }


def test_the_batch_section_shows_the_cluster_rows_and_the_stage_seconds() -> None:
    stages = {"summarize": 0.2, "translate": 3.7, "render": 28.3}
    data = {
        "articles": 50,
        "rows": [
            _row(1, "one process (render helpers off)", 30.0, helpers_off=True),
            _row(1, "default (2 render helpers)", 16.0, helpers_off=False),
            _row(2, "2 workers", 17.0, stage_seconds=stages, outside_ms_per_article=10.0),
            _row(
                "dask",
                "2-worker Dask LocalCluster",
                20.0,
                workers=2,
                nanny_malloc=False,
                startup_seconds=0.5,
                overhead_ms_per_article=60.0,
                outside_ms_per_article=5.0,
                outside_overhead_ms_per_article=-5.0,
                stage_seconds={**stages, "translate": 4.5},
            ),
            _row(
                "dask",
                "2-worker Dask LocalCluster, malloc as the nanny sets it",
                25.0,
                workers=2,
                nanny_malloc=True,
                stage_seconds={**stages, "translate": 13.2},
            ),
        ],
        "core_capacity": [1.9, 1.8],
        "capacity_copies": 2,
        "target_speedup": 1.6,
    }
    lines = batch_section(data)
    text = "\n".join(lines)
    assert "| `--scheduler` | 2-worker Dask LocalCluster | 20.0 |" in text
    assert (
        "| `--scheduler` | 2-worker Dask LocalCluster, malloc as the nanny sets it | 25.0 |" in text
    )
    assert "**+60.0 ms per article**" in text  # the cluster as briefpack runs it, not the A/B row
    assert "| run | summarize | translate | render |" in text
    assert "| 2-worker Dask LocalCluster, malloc as the nanny sets it | 0.2 | 13.2 | 28.3 |" in text
    assert (
        lines[-1]
        == "| 2-worker Dask LocalCluster, malloc as the nanny sets it | 0.2 | 13.2 | 28.3 |"
    )
