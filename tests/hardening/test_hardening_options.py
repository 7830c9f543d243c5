"""Option and environment values at the edge (issue 15, item 4): dates a pack cannot carry,
SOURCE_DATE_EPOCH that is no integer or out of range, thread and process counts that would
exhaust the machine. Each is a usage error: one line, exit 2, nothing written, at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import assert_nothing_written, check_failure

from briefpack.dates import resolve_date
from briefpack.errors import ExitStatus, OptionError
from briefpack.options import TranslateOptions
from briefpack.system import usable_cores
from tests.conftest import EXAMPLE, CliResult

MOST = 4 * usable_cores()


def _run_fast(run_cli: Callable[..., CliResult], *args: str) -> CliResult:
    start = time.perf_counter()
    result = run_cli(*args)
    assert time.perf_counter() - start < 5, "a usage error must come at once"
    return result


@pytest.mark.parametrize(
    ("date", "needles"),
    [
        ("2108-01-01", ("2108-01-01 is out of range", "1980-01-01 to 2107-12-31")),
        ("1979-12-31", ("1979-12-31 is out of range", "1980-01-01 to 2107-12-31")),
        ("2026-02-30", ("'2026-02-30' is not a date", "YYYY-MM-DD")),
        ("99999-01-01", ("is not a date",)),
        ("２０２６-01-01", ("is not a date",)),  # full-width digits
    ],
)
def test_dates_a_pack_cannot_carry(
    tmp_path: Path, run_cli: Callable[..., CliResult], date: str, needles: tuple[str, ...]
) -> None:
    out = tmp_path / "out"
    result = _run_fast(run_cli, "build", str(EXAMPLE), "--out", str(out), "--date", date)
    check_failure(result, ExitStatus.USAGE_ERROR, ("--date", *needles))
    assert_nothing_written(out)


@pytest.mark.parametrize(
    ("epoch", "needles"),
    [
        ("253402300800", ("is out of range", "315532800 to 4354819199", "2107-12-31")),
        ("99999999999999999", ("is out of range",)),
        ("-1", ("is out of range",)),
        ("0", ("is out of range",)),  # 1970: before what zip can hold
        ("²", ("is not an integer", "date +%s")),
        ("1.5e9", ("is not an integer",)),
        ("1700000000.5", ("is not an integer",)),
        ("9" * 5000, ("is out of range",)),
    ],
)
def test_source_date_epoch_per_its_spec(
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    epoch: str,
    needles: tuple[str, ...],
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "out"
    result = _run_fast(run_cli, "build", str(EXAMPLE), "--out", str(out))
    check_failure(result, ExitStatus.USAGE_ERROR, ("SOURCE_DATE_EPOCH=", *needles))
    assert len(result.stderr) < 300
    assert_nothing_written(out)


def test_source_date_epoch_bounds_are_the_first_and_last_days() -> None:
    assert resolve_date(None, {"SOURCE_DATE_EPOCH": "315532800"}) == "1980-01-01"
    assert resolve_date(None, {"SOURCE_DATE_EPOCH": "4354819199"}) == "2107-12-31"
    assert resolve_date(None, {"SOURCE_DATE_EPOCH": " 1773446400 "}) == "2026-03-14"
    assert resolve_date("2026-03-14", {"SOURCE_DATE_EPOCH": "²"}) == "2026-03-14"  # flag wins
    with pytest.raises(OptionError):
        resolve_date(None, {"SOURCE_DATE_EPOCH": "315532799"})


@pytest.mark.parametrize(
    "args",
    [
        ["build", str(EXAMPLE), "--threads", "100000"],
        ["build", str(EXAMPLE), "--threads", "1024"],
        ["build", str(EXAMPLE), "--threads", "-1"],
        ["build", str(EXAMPLE), "--jobs", "100000"],
        ["build", str(EXAMPLE), "--jobs", "0"],
        ["translate", str(EXAMPLE), "--threads", "100000"],
    ],
)
def test_thread_and_process_counts_are_bounded_by_the_cores(
    tmp_path: Path, run_cli: Callable[..., CliResult], args: list[str]
) -> None:
    out = tmp_path / "out"
    extra = ["--out", str(out)] if args[0] == "build" else []
    result = _run_fast(run_cli, *args, *extra)
    flag = args[2]
    check_failure(result, ExitStatus.USAGE_ERROR, (flag, "is out of range", f"to {MOST}"))
    assert_nothing_written(out)


def test_the_library_refuses_the_same_counts() -> None:
    with pytest.raises(OptionError, match="--threads"):
        TranslateOptions(threads=MOST + 1)
    assert TranslateOptions(threads=MOST).threads == MOST
