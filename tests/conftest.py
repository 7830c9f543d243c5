"""Shared fixtures. The suite runs with sockets disabled (pytest-socket, see pyproject)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

# sumy imports requests -> urllib3, which probes IPv6 support by opening (never connecting)
# a socket at import time. Import it before pytest-socket starts refusing sockets so that
# probe does not show up as a blocked attempt in every test that summarizes.
import urllib3  # noqa: F401

from briefpack.cli import cli, main

pytest_plugins = [
    "tests.fixtures.argos",
    "tests.fixtures.dask_cluster",
    "tests.fixtures.index_server",
]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_SAMPLE = SHARED / "samples" / "un-guterres-moscow-kyiv.txt"
EXAMPLE = ROOT / "examples" / "harbour-strike.txt"

# Put on PYTHONPATH, this makes every socket connection in a child process fail loudly.
_NETGUARD = """
import socket

class _Blocked(OSError):
    pass

def _refuse(*args, **kwargs):
    raise _Blocked("network access blocked by the briefpack test suite")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture(autouse=True)
def _no_user_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the user's config file or BRIEFPACK_<COMMAND>_<OPTION> settings."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "no-config"))
    prefixes = tuple(f"BRIEFPACK_{table.upper()}_" for table in cli.commands)
    for name in list(os.environ):
        if name.startswith(prefixes):
            monkeypatch.delenv(name)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `briefpack ARGS` in-process through `main()`, as the console script does."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture(scope="session")
def netguard_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("netguard")
    (folder / "sitecustomize.py").write_text(_NETGUARD, encoding="utf-8")
    return folder


@pytest.fixture
def offline_subprocess(
    netguard_dir: Path, tmp_path: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `briefpack ARGS` in a child process with the network blocked and no NLTK data."""

    def run(
        args: Sequence[str], env: dict[str, str] | None = None, **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        nltk_empty = tmp_path / "nltk-empty"
        nltk_empty.mkdir(exist_ok=True)
        child_env = dict(os.environ)
        child_env.update(
            {
                "PYTHONPATH": os.pathsep.join([str(netguard_dir), str(ROOT)]),
                "NLTK_DATA": str(nltk_empty),
            }
        )
        child_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "briefpack", *args],
            capture_output=True,
            text=True,
            env=child_env,
            timeout=300,
            check=False,
            **kwargs,  # type: ignore[call-overload]
        )

    return run
