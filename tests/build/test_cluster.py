"""`briefpack build --scheduler`: packs built on a Dask cluster's workers, written here.

One LocalCluster of two spawned worker processes (one thread each) on 127.0.0.1 serves the
module (`dask_cluster`, tests/fixtures/dask_cluster.py); its workers read the test models
from their own BRIEFPACK_MODELS. The tests that kill the scheduler or the only worker start
them with Dask's own commands (`dask_commands`).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.articles import write_articles
from briefpack.build import build
from briefpack.builder import BuildOptions
from briefpack.cluster import ClusterOptions
from briefpack.errors import ExitStatus, ModelError
from briefpack.options import TranslateOptions
from tests.conftest import ROOT, CliResult
from tests.fixtures.dask_cluster import DaskCommands, kill

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

DATE = "2026-03-14"
TARGETS = "uk,de"


def _articles(folder: Path, count: int) -> list[str]:
    return [str(p) for p in write_articles(folder, count=count)]


def _cli(run_cli: Callable[..., CliResult], out: Path, *args: str) -> CliResult:
    return run_cli("build", *args, "--out", str(out), "--date", DATE, "--to", TARGETS)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _options(out: Path, date: str = DATE) -> BuildOptions:
    return BuildOptions(translate=TranslateOptions(targets=("uk", "de")), out_dir=out, date=date)


def test_cluster_packs_are_byte_identical_to_a_local_build_in_argument_order(
    dask_cluster: Any, models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    articles = _articles(tmp_path / "articles", 4)
    articles = [articles[2], articles[0], articles[3], articles[1]]  # not in name order
    local = _cli(run_cli, tmp_path / "local", *articles)
    remote = _cli(
        run_cli, tmp_path / "remote", *articles, "--scheduler", dask_cluster.scheduler.address
    )
    assert local.exit_code == 0, local.stderr
    assert remote.exit_code == 0, remote.stderr
    local_packs = [Path(line).name for line in local.stdout.splitlines()]
    assert [Path(line).name for line in remote.stdout.splitlines()] == local_packs
    assert len(set(local_packs)) == 4
    assert _tree(tmp_path / "remote") == _tree(tmp_path / "local")
    # Built on the workers: each holds the Builder it kept (none was made here).
    kept = dask_cluster.run(_kept_builders)
    assert sum(kept.values()) >= 1


def _kept_builders() -> int:
    from briefpack import cluster

    return sum(len(idle) for idle in cluster._kept.values())


def test_a_worker_killed_mid_run_is_rescheduled_and_every_article_gets_one_pack(
    dask_cluster: Any, models_dir: Path, tmp_path: Path
) -> None:
    articles = _articles(tmp_path / "articles", 4)
    local = build(articles, replace(_options(tmp_path / "local"), render_processes=0))
    killed: list[str] = []

    def progress(label: str, done: int, total: int | None, *, unit: str = "") -> None:
        if done == 1 and not killed:  # one pack in, the others still being built
            busy = [w for w, keys in dask_cluster.processing().items() if keys]
            assert busy, "no worker was building when the kill came"
            pids = dask_cluster.run(os.getpid, workers=[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])

    results = build(
        articles,
        _options(tmp_path / "remote"),
        progress=progress,
        cluster=ClusterOptions(dask_cluster.scheduler.address),
    )
    assert killed
    assert [r.pack.name for r in results] == [r.pack.name for r in local]
    assert _tree(tmp_path / "remote") == _tree(tmp_path / "local")
    names = sorted(p.name for p in (tmp_path / "remote").iterdir())
    assert len(names) == 8 and not [n for n in names if n.startswith(".")]
    dask_cluster.wait_for_workers(2, timeout=60)  # the nanny restarts it, for the next tests


def test_a_worker_missing_a_model_answers_with_the_model_error_naming_it(
    dask_cluster: Any, models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    dask_cluster.wait_for_workers(2, timeout=60)
    workers = sorted(dask_cluster.scheduler_info()["workers"])
    empty = tmp_path / "empty-store"
    empty.mkdir()
    lacking = workers[0]
    dask_cluster.run(_set_models, str(empty), workers=[lacking])
    try:
        result = run_cli(
            "build",
            *_articles(tmp_path / "articles", 4),
            "--out",
            str(tmp_path / "out"),
            "--date",
            "2026-03-15",  # options of its own: Builders kept for other tests are not used
            "--to",
            TARGETS,
            "--scheduler",
            dask_cluster.scheduler.address,
        )
    finally:
        dask_cluster.run(_set_models, os.environ["BRIEFPACK_MODELS"], workers=[lacking])
    assert result.exit_code == ExitStatus.MODEL_ERROR, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"briefpack: error: on worker {lacking}: ")
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def _set_models(folder: str) -> None:
    from briefpack import cluster

    os.environ["BRIEFPACK_MODELS"] = folder
    cluster.forget()


def test_run_on_cluster_yields_each_items_value_or_error_in_order(dask_cluster: Any) -> None:
    from briefpack.cluster import run_on_cluster
    from briefpack.errors import OptionError
    from briefpack.options import parse_targets

    items = ["uk,de", "not a code!", "ru", "", "de"]
    outcomes = list(run_on_cluster(dask_cluster.scheduler.address, parse_targets, items))
    assert [o.index for o in outcomes] == [0, 1, 2, 3, 4]
    assert [o.value for o in outcomes] == [("uk", "de"), None, ("ru",), None, ("de",)]
    for outcome in (outcomes[1], outcomes[3]):
        assert isinstance(outcome.error, OptionError)  # briefpack's class, from the worker
        assert str(outcome.error).startswith("on worker tcp://127.0.0.1:")
        with pytest.raises(OptionError):
            outcome.get()


def test_off_a_worker_errors_are_left_as_they_are() -> None:
    from briefpack.cluster import on_worker

    def fail(_item: int) -> int:
        raise ModelError("no en->uk model")

    with pytest.raises(ModelError, match="no en->uk model"):  # not on a worker: unchanged
        on_worker(fail, 1)


def test_ctrl_c_cancels_the_build_and_leaves_no_half_pack(
    dask_cluster: Any, models_dir: Path, tmp_path: Path
) -> None:
    articles = _articles(tmp_path / "articles", 10)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefpack", "build", *articles, "--out", str(out)]
    command += [
        "--date",
        "2026-03-16",
        "--to",
        TARGETS,
        "--scheduler",
        dask_cluster.scheduler.address,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120  # a bound for a slow machine, not a measurement
    while not list(out.glob("*.zip")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitStatus.INTERRUPTED, err
    assert err.decode().splitlines()[-1] == "briefpack: interrupted"
    entries = sorted(p.name for p in out.iterdir())
    zips = [n for n in entries if n.endswith(".zip")]
    assert 1 <= len(zips) < 10  # interrupted after the first pack, before the last
    assert sorted(entries) == sorted(zips + [z.removesuffix(".zip") for z in zips])
    # The client cancelled its tasks: the scheduler forgets them.
    while _build_tasks(dask_cluster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _build_tasks(dask_cluster) == []


def _build_tasks(client: Any) -> list[str]:
    def keys(dask_scheduler: Any) -> list[str]:
        return [str(k) for k in dask_scheduler.tasks if str(k).startswith("briefpack-build")]

    found: list[str] = client.run_on_scheduler(keys)
    return found


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line_and_the_network_exit_code_quickly(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("BRIEFPACK_BUILD_SCHEDULER", address)  # a setting, like any option
    monkeypatch.setenv("BRIEFPACK_BUILD_CONNECT_TIMEOUT", "0.5")
    article = _articles(tmp_path / "articles", 1)
    result = _cli(run_cli, tmp_path / "out", *article)
    assert result.exit_code == ExitStatus.NETWORK_ERROR
    assert result.stderr == (
        f"briefpack: error: cannot reach the Dask scheduler at {address} within 0.5 s; "
        "check the address and that `dask scheduler` runs there\n"
    )
    assert list((tmp_path / "out").iterdir()) == []


def test_without_the_cluster_extra_scheduler_says_how_to_install_it(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    article = _articles(tmp_path / "articles", 1)
    result = _cli(run_cli, tmp_path / "out", *article, "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stderr == (
        "briefpack: error: --scheduler needs Dask, briefpack's cluster extra: "
        "pip install 'briefpack[cluster]'\n"
    )
    assert not (tmp_path / "out").exists()


def test_jobs_and_scheduler_on_the_command_line_exclude_each_other(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = _articles(tmp_path / "articles", 1)
    result = _cli(run_cli, tmp_path / "out", *article, "-j", "2", "--scheduler", "tcp://x:1")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "give --jobs or --scheduler, not both" in result.stderr


def test_scheduler_on_the_command_line_beats_jobs_from_a_setting(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFPACK_BUILD_JOBS", "2")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    article = _articles(tmp_path / "articles", 1)
    result = _cli(
        run_cli, tmp_path / "out", *article, "--scheduler", address, "--connect-timeout", "0.3"
    )
    assert result.exit_code == ExitStatus.NETWORK_ERROR, result.stderr  # it went for the cluster


def _client(out: Path, articles: list[str], *extra: str) -> subprocess.Popen[bytes]:
    """`briefpack build --scheduler...` as its own process (what an operator runs)."""
    command = [sys.executable, "-m", "briefpack", "build", *articles, "--out", str(out)]
    command += ["--date", DATE, "--to", TARGETS, *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _after_first_pack(proc: subprocess.Popen[bytes], out: Path, then: Callable[[], None]) -> str:
    """Once the client has written its first pack, `then()`; the client's stderr."""
    deadline = time.monotonic() + 180  # a bound for a slow machine, not a measurement
    while not list(out.glob("*.zip")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()[1].decode()
    then()
    _out, err = proc.communicate(timeout=120)
    return err.decode()


def _only_whole_packs(out: Path, fewer_than: int) -> None:
    entries = sorted(p.name for p in out.iterdir())
    zips = [n for n in entries if n.endswith(".zip")]
    assert 1 <= len(zips) < fewer_than
    assert entries == sorted(zips + [z.removesuffix(".zip") for z in zips])  # no staging


def test_a_scheduler_lost_mid_run_is_one_line_and_leaves_only_whole_packs(
    dask_commands: DaskCommands, tmp_path: Path
) -> None:
    scheduler = dask_commands.scheduler()
    dask_commands.worker("w1")
    dask_commands.wait_for_workers(1)
    out = tmp_path / "out"
    articles = _articles(tmp_path / "articles", 6)
    proc = _client(out, articles, "--scheduler-file", str(dask_commands.scheduler_file))
    err = _after_first_pack(proc, out, lambda: kill(scheduler))
    assert proc.returncode == ExitStatus.NETWORK_ERROR, err
    lines = err.splitlines()
    assert len(lines) == 1, err  # no traceback of Dask's own
    assert re.fullmatch(
        r"briefpack: error: lost the connection to the Dask scheduler at tcp://127\.0\.0\.1:\d+ "
        r"after [1-5] of 6 articles; check that `dask scheduler` still runs there, "
        r"then run again",
        lines[0],
    ), lines[0]
    _only_whole_packs(out, 6)


def test_the_last_worker_lost_mid_run_ends_the_build_after_the_connect_timeout(
    dask_commands: DaskCommands, tmp_path: Path
) -> None:
    dask_commands.scheduler()
    worker = dask_commands.worker("lonely", "--no-nanny")  # nobody restarts it
    dask_commands.wait_for_workers(1)
    out = tmp_path / "out"
    articles = _articles(tmp_path / "articles", 6)
    proc = _client(
        out,
        articles,
        "--scheduler-file",
        str(dask_commands.scheduler_file),
        "--connect-timeout",
        "2",
    )
    err = _after_first_pack(proc, out, lambda: kill(worker))
    assert proc.returncode == ExitStatus.NETWORK_ERROR, err
    assert re.fullmatch(
        r"briefpack: error: the Dask scheduler at tcp://127\.0\.0\.1:(\d+) has had no worker "
        r"for 2 s \(after [1-5] of 6 articles\); start `dask worker tcp://127\.0\.0\.1:\1` "
        r"where the models are \(docs/cluster\.md\)\n",
        err,
    ), err
    _only_whole_packs(out, 6)


def test_a_scheduler_without_workers_is_one_line_not_a_wait_for_ever(
    dask_commands: DaskCommands, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    dask_commands.scheduler()
    result = _cli(
        run_cli,
        tmp_path / "out",
        *_articles(tmp_path / "articles", 1),
        "--scheduler-file",
        str(dask_commands.scheduler_file),
        "--connect-timeout",
        "0.5",
    )
    assert result.exit_code == ExitStatus.NETWORK_ERROR
    assert re.fullmatch(
        r"briefpack: error: the Dask scheduler at tcp://127\.0\.0\.1:(\d+) has had no worker "
        r"for 0\.5 s; start `dask worker tcp://127\.0\.0\.1:\1` where the models are "
        r"\(docs/cluster\.md\)\n",
        result.stderr,
    ), result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_nanny_started_workers_get_glibcs_adaptive_malloc_thresholds_back(
    dask_cluster: Any,
) -> None:
    from briefpack.cluster import run_on_cluster
    from briefpack.system.memory import malloc_fixed_by_environment

    # Every item runs after the worker's first-item set-up.
    outcomes = list(run_on_cluster(dask_cluster.scheduler.address, _malloc_state, range(4)))
    states = [o.get() for o in outcomes]
    assert all(fixed for fixed, _prepared in states)  # the nanny sets MALLOC_TRIM_THRESHOLD_
    assert all(prepared for _fixed, prepared in states)
    assert not malloc_fixed_by_environment({})


def _malloc_state(_item: int) -> tuple[bool, bool]:
    from briefpack import cluster
    from briefpack.system.memory import malloc_fixed_by_environment

    return malloc_fixed_by_environment(), cluster._malloc_restored


def test_a_task_that_killed_its_workers_is_named_with_what_to_do() -> None:
    from distributed.scheduler import KilledWorker

    from briefpack.cluster import ClusterError, _client_side

    error = _client_side(KilledWorker("briefpack-build-x-2", object(), 3), 2, "article")
    assert isinstance(error, ClusterError)
    assert str(error) == (
        "article 3: the 4 workers that ran it died while running it (Dask's "
        "distributed.scheduler.allowed-failures); see the workers' logs (out of memory?)"
    )
    assert error.exit_status == ExitStatus.NETWORK_ERROR
