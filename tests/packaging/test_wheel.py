"""The installed wheel carries the templates, fonts and every stage package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_ships_templates_and_stage_packages(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("briefpack-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (
        "briefing.html.j2",
        "briefing.css",
        "index.html.j2",
        "fonts/OFL.txt",
        "fonts/NotoSerif-Regular.ttf",
        "fonts/NotoSans-Bold.ttf",
    ):
        assert f"briefpack/templates/{template}" in names, template
    for module in (
        "briefpack/cli/__init__.py",
        "summarize/__init__.py",
        "translations/engine.py",
        "briefpack/render/renderer.py",
    ):
        assert module in names, module
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from briefpack.render import templates_dir; print(templates_dir())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert Path(probe.stdout.strip()) == target / "briefpack" / "templates"
