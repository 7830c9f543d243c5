"""`briefpack digest --scheduler`: each story summarized and translated on a Dask worker,
the digest rendered and written here; byte-identical to a digest made here.

The module's LocalCluster (`dask_cluster`, tests/fixtures/dask_cluster.py) has two spawned
worker processes reading the test models from their own BRIEFPACK_MODELS.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefpack.errors import ExitStatus
from tests.conftest import ROOT, CliResult

pytestmark = [pytest.mark.allow_hosts(["127.0.0.1"]), pytest.mark.slow]

WIRES = Path(__file__).parent / "wires"
MIXED = Path(__file__).parent / "mixed"
DATE = "2026-03-14"
# Beam 1: the hand-set test models decode a beam of 4 twenty times slower.
OPTIONS = ("--date", DATE, "--to", "uk", "--beam-size", "1")

# Our own words: a web page whose outlet, date and URL only its file gives.
PAGE = """<html><head><title>Kestrel Bay ferry link returns after the storm</title>
<meta property="og:site_name" content="Coast Courier">
<meta property="article:published_time" content="2026-03-13T08:00:00Z">
<link rel="canonical" href="https://courier.example/kestrel-ferry"></head>
<body><article><h1>Kestrel Bay ferry link returns after the storm</h1>
<p>The ferry between Kestrel Bay and the Ostvale islands ran again on Friday, five days
after the storm tore two mooring posts out of the harbour wall.</p>
<p>Engineers worked through the night to fit temporary posts, the port authority said.</p>
<p>About 900 islanders had been cut off from the mainland hospital and the only
secondary school since Sunday.</p>
<p>The first crossing carried 214 passengers and eleven lorries of food and fuel.</p>
<p>Permanent repairs will take until the summer and cost about 3 million crowns.</p>
</article></body></html>
"""


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Three reports of one flood, two other stories, a German one, a web page, and an
    empty file (skipped with --keep-going)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in (
        "01-lindmark-flood.txt",
        "02-corvenia-rates.txt",
        "04-cup-final.txt",
        "09-wire-b-lindmark.txt",
        "10-wire-c-lindmark.txt",
        "11-empty.txt",
    ):
        shutil.copy(WIRES / name, folder / name)
    shutil.copy(MIXED / "de-faehre.txt", folder / "12-de-faehre.txt")
    (folder / "13-kestrel-ferry.html").write_text(PAGE, encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_digest_on_the_cluster_is_byte_identical_to_one_made_here(
    dask_cluster: Any,
    articles: Path,
    tmp_path: Path,
    models_dir: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    args = ("digest", str(articles), *OPTIONS, "--keep-going", "--json")
    local = run_cli(*args, "--out", str(tmp_path / "local"))
    remote = run_cli(
        *args, "--out", str(tmp_path / "remote"), "--scheduler", dask_cluster.scheduler.address
    )
    assert local.exit_code == 0, local.stderr
    assert remote.exit_code == 0, remote.stderr
    assert remote.stderr == local.stderr  # one line: the empty file, skipped here
    assert remote.stderr.startswith("briefpack: skipped: 11-empty.txt is empty")
    assert remote.stderr.count("\n") == 1
    report = json.loads(remote.stdout)
    assert report["languages"] == ["en", "de", "uk"]
    assert report["stories"][0]["sources"] == [
        "01-lindmark-flood.txt",
        "09-wire-b-lindmark.txt",
        "10-wire-c-lindmark.txt",
    ]
    assert len(report["stories"]) == 5
    assert _tree(tmp_path / "remote") == _tree(tmp_path / "local")
    # The outlet, date and URL were read from the page's file here: workers get no files.
    markdown = (Path(report["pack"]) / "digest-en.md").read_text(encoding="utf-8")
    assert "Coast Courier" in markdown and "https://courier.example/kestrel-ferry" in markdown
    # The stories were made on the workers, with the models of their own stores.
    kept = dask_cluster.run(_kept_story_builders)
    assert sum(kept.values()) >= 1


def _kept_story_builders() -> int:
    from briefpack import cluster

    return sum(len(idle) for key, idle in cluster._kept.items() if key[0] == "story")


def test_a_worker_missing_a_model_fails_the_digest_naming_it_and_writes_nothing(
    dask_cluster: Any,
    articles: Path,
    tmp_path: Path,
    installed_models: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    dask_cluster.wait_for_workers(2, timeout=60)
    workers = sorted(dask_cluster.scheduler_info()["workers"])
    empty = tmp_path / "empty-store"
    empty.mkdir()
    dask_cluster.run(_set_models, str(empty), workers=workers)
    out = tmp_path / "out"
    try:
        result = run_cli(
            "digest",
            str(articles),
            *OPTIONS,
            "--keep-going",
            "--out",
            str(out),
            "--scheduler",
            dask_cluster.scheduler.address,
        )
    finally:
        dask_cluster.run(_set_models, str(installed_models), workers=workers)
    assert result.exit_code == ExitStatus.MODEL_ERROR, result.stderr
    error = result.stderr.splitlines()[-1]
    assert error.startswith("briefpack: error: on worker tcp://127.0.0.1:"), result.stderr
    assert ": no translation model for en->" in error, error
    assert list(out.iterdir()) == []


def _set_models(folder: str) -> None:
    from briefpack import cluster

    os.environ["BRIEFPACK_MODELS"] = folder
    cluster.forget()


def test_ctrl_c_cancels_the_stories_and_writes_nothing(
    dask_cluster: Any, articles: Path, tmp_path: Path, models_dir: Path
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefpack", "digest", str(articles), *OPTIONS]
    command += ["--keep-going", "--out", str(out), "--scheduler", dask_cluster.scheduler.address]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120  # a bound for a slow machine, not a measurement
    while not _digest_tasks(dask_cluster) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitStatus.INTERRUPTED, err
    assert err.decode().splitlines()[-1] == "briefpack: interrupted"
    assert list(out.iterdir()) == []
    while _digest_tasks(dask_cluster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _digest_tasks(dask_cluster) == []  # the client cancelled them


def _digest_tasks(client: Any) -> list[str]:
    def keys(dask_scheduler: Any) -> list[str]:
        return [str(k) for k in dask_scheduler.tasks if str(k).startswith("briefpack-digest")]

    found: list[str] = client.run_on_scheduler(keys)
    return found


def test_the_scheduler_is_a_digest_setting_too(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{sock.getsockname()[1]}"  # closed once the block ends
    monkeypatch.setenv("BRIEFPACK_DIGEST_SCHEDULER", address)
    monkeypatch.setenv("BRIEFPACK_DIGEST_CONNECT_TIMEOUT", "0.5")
    out = tmp_path / "out"
    result = run_cli("digest", str(WIRES / "02-corvenia-rates.txt"), "--out", str(out))
    assert result.exit_code == ExitStatus.NETWORK_ERROR
    assert result.stderr == (
        f"briefpack: error: cannot reach the Dask scheduler at {address} within 0.5 s; "
        "check the address and that `dask scheduler` runs there\n"
    )
    assert list(out.iterdir()) == []


def test_without_the_cluster_extra_digest_scheduler_says_how_to_install_it(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    out = tmp_path / "out"
    result = run_cli("digest", str(WIRES), "--out", str(out), "--scheduler", "tcp://x:8786")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stderr == (
        "briefpack: error: --scheduler needs Dask, briefpack's cluster extra: "
        "pip install 'briefpack[cluster]'\n"
    )
    assert not out.exists()
