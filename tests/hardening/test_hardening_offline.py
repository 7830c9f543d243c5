"""Offline proof: a whole build runs in a child whose every network connection fails."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import DATE, assert_only_complete_packs

from tests.conftest import EXAMPLE

pytestmark = pytest.mark.slow


def test_guard_blocks_every_connection(netguard_dir: Path, tmp_path: Path) -> None:
    probe = (
        "import socket\n"
        "for attempt in (\n"
        "    lambda: socket.create_connection(('127.0.0.1', 9), timeout=1),\n"
        "    lambda: socket.getaddrinfo('example.org', 443),\n"
        "    lambda: socket.socket().connect(('127.0.0.1', 9)),\n"
        "):\n"
        "    try:\n"
        "        attempt()\n"
        "    except OSError as exc:\n"
        "        print(type(exc).__name__, exc)\n"
        "    else:\n"
        "        print('CONNECTED')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(netguard_dir), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # Not a refused connection (nothing listens on port 9): the guard's own error, every time.
    assert lines == ["_Blocked network access blocked by the briefpack test suite"] * 3


def test_build_succeeds_with_the_network_blocked(
    offline_subprocess: Callable[..., subprocess.CompletedProcess[str]],
    installed_models: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "dist"
    proc = offline_subprocess(
        ["build", str(EXAMPLE), "--out", str(out), "--date", DATE, "--to", "ru,de"],
        env={
            "BRIEFPACK_MODELS": str(installed_models),
            "ARGOS_PACKAGES_DIR": str(tmp_path / "no-argos"),
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "blocked" not in proc.stderr
    (name,) = assert_only_complete_packs(out)
    assert proc.stdout.strip() == str(out / name)
    assert sorted(p.name for p in (out / name).glob("*.pdf")) == [
        "briefing-de.pdf",
        "briefing-en.pdf",
        "briefing-ru.pdf",
    ]
