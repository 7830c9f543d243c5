"""`briefpack summarize` and the CLI's general behaviour."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack.cli import cli
from briefpack.cli.options import ALGORITHM_CHOICES
from briefpack.errors import ExitStatus
from summarize import ALGORITHM_NAMES
from tests.conftest import EXAMPLE, ROOT, SHARED_SAMPLE, CliResult

JUNK = ("Source link", "Comments are closed", "Share this", "Home | News")


def test_shared_sample_summary_is_three_clean_sentences(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("summarize", str(SHARED_SAMPLE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["sentences"]) == 3
    text = " ".join(s["text"] for s in payload["sentences"])
    for junk in JUNK:
        assert junk not in text
    indices = [s["index"] for s in payload["sentences"]]
    assert indices == sorted(indices)
    assert payload["title"].startswith("UN Secretary General Guterres calls for meetings")
    assert payload["language"] == "en"


def test_project_sample_prints_three_sentences(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("summarize", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    title, blank, *sentences = result.stdout.strip().split("\n")
    assert title.startswith("Port of Valmora reopens")
    assert blank == ""
    assert len(sentences) == 3
    for junk in JUNK:
        assert junk not in result.stdout


def test_offline_with_empty_nltk_data(
    offline_subprocess: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    proc = offline_subprocess(["summarize", str(SHARED_SAMPLE), "--format", "json"])
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["sentences"]) == 3


def test_markdown_format_and_ratio(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("summarize", str(EXAMPLE), "--format", "md", "--ratio", "0.5")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert lines[0].startswith("# Port of Valmora")
    bullets = [line for line in lines if line.startswith("- ")]
    assert len(bullets) == 6  # 0.5 x the 12 sentences of the article


@pytest.mark.parametrize("algorithm", [a for a in ALGORITHM_CHOICES if a != "default"])
def test_every_algorithm_by_name(run_cli: Callable[..., CliResult], algorithm: str) -> None:
    result = run_cli("summarize", str(EXAMPLE), "-a", algorithm, "-n", "2", "-f", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["algorithm"] == algorithm
    assert len(payload["sentences"]) == 2


def test_cli_choices_match_the_library() -> None:
    assert set(ALGORITHM_CHOICES) - {"default"} == set(ALGORITHM_NAMES)


def test_stdin(run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = __import__("io").BytesIO(EXAMPLE.read_bytes())

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    result = run_cli("summarize", "-", "-n", "1")
    assert result.exit_code == 0, result.stderr
    assert "Dock workers at the Port of Valmora" in result.stdout


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["summarize", "missing.txt"], ExitStatus.INPUT_ERROR, "no such file"),
        (["summarize", str(EXAMPLE), "-n", "0"], ExitStatus.USAGE_ERROR, "--sentences"),
        (["summarize", str(EXAMPLE), "-n", "-2"], ExitStatus.USAGE_ERROR, "--sentences"),
        (
            ["summarize", str(EXAMPLE), "-n", "2", "--ratio", "0.3"],
            ExitStatus.USAGE_ERROR,
            "not both",
        ),
        (["summarize", str(EXAMPLE), "-a", "magic"], ExitStatus.USAGE_ERROR, "magic"),
        (["summarize", str(EXAMPLE), "-l", "xx"], ExitStatus.INPUT_ERROR, "unsupported language"),
        (["frobnicate"], ExitStatus.USAGE_ERROR, "No such command"),
    ],
)
def test_errors_are_one_line_with_named_exit_codes(
    run_cli: Callable[..., CliResult], args: list[str], status: ExitStatus, needle: str
) -> None:
    result = run_cli(*args)
    assert result.exit_code == status
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("briefpack: error: ")
    assert needle in result.stderr


def test_every_command_has_help_and_is_in_the_readme(run_cli: Callable[..., CliResult]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        result = run_cli(name, "--help")
        assert result.exit_code == 0
        assert f"briefpack {name}" in readme, f"README does not document `briefpack {name}`"


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import sys; from briefpack.cli import main; main(['--help']);"
        "heavy = {'weasyprint', 'ctranslate2', 'sentencepiece', 'sumy', 'trafilatura',"
        " 'numpy', 'torch', 'argostranslate', 'rich'} & set(sys.modules); print(sorted(heavy))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_our_warnings_reach_stderr_once_without_verbose(
    run_cli: Callable[..., CliResult], offline_subprocess, tmp_path: Path
) -> None:
    article = tmp_path / "nuls.txt"
    text = EXAMPLE.read_text(encoding="utf-8")
    article.write_bytes(text.encode() + b"\x00" * 5)
    result = run_cli("summarize", str(article))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == ["briefpack: warning: nuls.txt: 5 NUL bytes removed"]
    again = run_cli("summarize", str(article))  # the handler is not added twice
    assert again.stderr.splitlines() == result.stderr.splitlines()
    verbose = offline_subprocess(["-v", "summarize", str(article)])  # the log's form, no copy
    assert verbose.returncode == 0, verbose.stderr
    assert verbose.stderr.count("5 NUL bytes removed") == 1
    assert "briefpack: warning:" not in verbose.stderr
