"""`briefpack build --jobs N`: worker processes give the same packs, in the same order."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from bench.articles import write_articles
from briefpack.errors import ExitStatus
from tests.conftest import CliResult

DATE = "2026-03-14"


def _build(run_cli: Callable[..., CliResult], out: Path, *args: str) -> CliResult:
    return run_cli("build", *args, "--out", str(out), "--date", DATE, "--to", "uk,de")


def test_two_jobs_give_byte_identical_packs_in_input_order(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    articles = [str(p) for p in write_articles(tmp_path / "articles", count=3)]
    one = _build(run_cli, tmp_path / "one", *articles, "--jobs", "1")
    two = _build(run_cli, tmp_path / "two", *articles, "--jobs", "2", "--json")
    assert one.exit_code == 0, one.stderr
    assert two.exit_code == 0, two.stderr
    folders = [Path(line) for line in one.stdout.splitlines()]
    report = json.loads(two.stdout)
    assert [r["article"] for r in report] == [Path(a).name for a in articles]
    assert [Path(r["pack"]).name for r in report] == [f.name for f in folders]
    for folder, entry in zip(folders, report, strict=True):
        assert Path(entry["zip"]).read_bytes() == folder.with_suffix(".zip").read_bytes()
        assert set(entry["timings"]) >= {"ingest", "summarize", "translate", "pack"}
        assert entry["timings"]["render:de"] > 0


def test_a_failing_article_in_a_worker_is_one_line_and_its_exit_code(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    good = write_articles(tmp_path / "articles", count=2)
    missing = tmp_path / "articles" / "missing.txt"
    result = _build(run_cli, tmp_path / "out", str(good[0]), str(missing), str(good[1]), "-j", "2")
    assert result.exit_code == ExitStatus.INPUT_ERROR
    assert result.stderr.count("\n") == 1 and "missing.txt" in result.stderr
    assert result.stdout == ""
