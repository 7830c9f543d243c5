"""Settings: flag > BRIEFPACK_<COMMAND>_<OPTION> > config.toml > default, and `briefpack config`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack.errors import ExitStatus
from tests.conftest import EXAMPLE, ROOT, CliResult

DATE = "2026-03-14"


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where briefpack looks for its config file in this test (not created)."""
    home = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    (home / "briefpack").mkdir(parents=True)
    return home / "briefpack" / "config.toml"


@pytest.fixture
def render_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render in the test process, whose WeasyPrint is loaded once (no helper per build)."""
    monkeypatch.setenv("BRIEFPACK_RENDER_PROCESSES", "0")


def _languages(run_cli: Callable[..., CliResult], out: Path, *args: str) -> list[str]:
    result = run_cli("build", str(EXAMPLE), "--out", str(out), "--date", DATE, "--json", *args)
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    languages: list[str] = report["languages"]
    return languages


def test_flag_beats_environment_beats_file_beats_default(
    models_dir: Path,
    render_here: None,
    config_file: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config_file.write_text('[build]\nto = "de"\n', encoding="utf-8")
    assert _languages(run_cli, tmp_path / "a") == ["en", "de"]
    monkeypatch.setenv("BRIEFPACK_BUILD_TO", "uk")
    assert _languages(run_cli, tmp_path / "b") == ["en", "uk"]
    assert _languages(run_cli, tmp_path / "c", "--to", "ru") == ["en", "ru"]

    shown = run_cli("config", "--json")
    assert shown.exit_code == 0, shown.stderr
    report = json.loads(shown.stdout)
    assert report["file"] == str(config_file) and report["file_exists"] is True
    to = {r["command"]: r for r in report["settings"] if r["option"] == "to"}
    assert to["build"] == {
        "command": "build",
        "option": "to",
        "value": ["uk"],
        "origin": "env",
        "where": "BRIEFPACK_BUILD_TO",
        "env": "BRIEFPACK_BUILD_TO",
    }
    assert to["translate"]["origin"] == "default"
    assert to["translate"]["value"] == ["ru", "uk", "de"]
    monkeypatch.delenv("BRIEFPACK_BUILD_TO")
    text = run_cli("config", "build").stdout
    assert f'to = ["de"]{" " * 26}# file {config_file} line 2' in text
    flags = run_cli("config", "--json", "build", "--to", "ru,uk", "-n", "5")
    rows = {r["option"]: r for r in json.loads(flags.stdout)["settings"]}
    assert (rows["to"]["value"], rows["to"]["origin"]) == (["ru", "uk"], "flag")
    assert (rows["sentences"]["value"], rows["sentences"]["origin"]) == (5, "flag")
    assert (rows["out"]["value"], rows["out"]["origin"]) == ("dist", "default")


def test_one_name_for_the_beam_size_from_setting_to_engine(
    models_dir: Path,
    render_here: None,
    config_file: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    article = tmp_path / "en.txt"
    article.write_text("Hello world today\n\nHello world. The city news today!\n")
    config_file.write_text("[build]\nbeam-size = 2\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFPACK_BUILD_TO", "de")
    signatures = []
    for extra in ([], ["--beam", "3"], ["--beam-size", "1"]):
        result = run_cli("build", str(article), "--out", str(tmp_path / "d"), "--json", *extra)
        assert result.exit_code == 0, result.stderr
        signatures.append(json.loads(result.stdout)[0]["signature"])
    assert ["|beam:2|" in signatures[0], "|beam:3|" in signatures[1]] == [True, True]
    assert "|beam:1|" in signatures[2]


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("[build]\nto = \n", ("config.toml line 2", "not valid TOML")),
        ('[build]\nto = "de"\n\n[buidl]\nto = "uk"\n', ("config.toml line 4", "[buidl]")),
        ('[build]\n\ntow = "de"\n', ("config.toml line 3", "no setting 'tow'", "threads, to")),
        ('to = "de"\n', ("config.toml line 1", "outside any table")),
        ("[build]\nsentences = '3'\n", ("line 2", "sentences: use a whole number")),
        ("[build]\nsentences = 0\n", ("line 2", "0 is not in the range")),
        ("[build]\njobs = 100000\n", ("jobs: 100000 is out of range",)),
        ("[build]\ndate = 2108-01-01\n", ("date: 2108-01-01 is out of range",)),
        ("[build]\nforce = true\n", ("[build] force", "never a setting")),
        ("[models]\nreplace = true\n", ("[models] replace", "never a setting")),
        ('[build]\nto = "r@"\n', ("invalid language code 'r@'",)),
        ('[translate]\nmodel-family = ["marian"]\n', ("line 2", "unknown model family 'marian'")),
        (b"[build]\nto = '\xff'\n", ("not UTF-8",)),
    ],
)
def test_a_broken_file_is_a_usage_error_naming_file_and_line(
    config_file: Path,
    run_cli: Callable[..., CliResult],
    text: str | bytes,
    needles: tuple[str, ...],
) -> None:
    config_file.write_bytes(text if isinstance(text, bytes) else text.encode())
    for args in (["config"], ["summarize", str(EXAMPLE)], ["build", "--help"]):
        result = run_cli(*args)
        assert result.exit_code == ExitStatus.USAGE_ERROR, (args, result.stderr)
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"briefpack: error: config file {config_file}"), line
        for needle in needles:
            assert needle in line, line


def test_briefpack_help_reads_no_config(
    config_file: Path, run_cli: Callable[..., CliResult]
) -> None:
    config_file.write_text("[build]\nto = \n", encoding="utf-8")
    assert run_cli("--help").exit_code == 0
    assert run_cli("--version").exit_code == 0


def test_environment_values_are_checked_and_empty_means_unset(
    config_file: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFPACK_SUMMARIZE_SENTENCES", "many")
    result = run_cli("summarize", str(EXAMPLE))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stderr.startswith("briefpack: error: BRIEFPACK_SUMMARIZE_SENTENCES='many': ")
    assert result.stderr.count("\n") == 1 and "unset it" in result.stderr
    monkeypatch.setenv("BRIEFPACK_SUMMARIZE_SENTENCES", "")
    config_file.write_text("[summarize]\nsentences = 1\nformat = 'json'\n", encoding="utf-8")
    result = run_cli("summarize", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["sentences"]) == 1


def test_a_flag_overrides_a_setting_it_excludes(
    config_file: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text("[summarize]\nratio = 0.5\njson = true\n", encoding="utf-8")
    result = run_cli("summarize", str(EXAMPLE), "-n", "2", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n- ") == 2  # -n beat ratio, --format md beat json
    result = run_cli("summarize", str(EXAMPLE))
    assert len(json.loads(result.stdout)["sentences"]) == 6  # 0.5 of 12 sentences
    result = run_cli("summarize", str(EXAMPLE), "-n", "2", "--ratio", "0.2")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "not both" in result.stderr
    monkeypatch.setenv("BRIEFPACK_SUMMARIZE_SENTENCES", "1")  # env beats file
    result = run_cli("summarize", str(EXAMPLE))
    assert len(json.loads(result.stdout)["sentences"]) == 1


def test_toml_kinds_lists_and_dates(config_file: Path, run_cli: Callable[..., CliResult]) -> None:
    config_file.write_text(
        '[build]\nto = ["uk", "de"]\ndate = 2026-03-14\nratio = 1\n', encoding="utf-8"
    )
    rows = {
        r["option"]: r for r in json.loads(run_cli("config", "--json", "build").stdout)["settings"]
    }
    assert rows["to"]["value"] == ["uk", "de"]
    assert rows["date"]["value"] == "2026-03-14"
    assert rows["ratio"]["value"] == 1.0
    assert rows["date"]["where"] == f"{config_file} line 3"
    config_file.write_text('[translate]\nmodel-family = ["argos", "opus-mt"]\n', encoding="utf-8")
    shown = json.loads(run_cli("config", "--json", "translate").stdout)["settings"]
    (family,) = [r for r in shown if r["option"] == "model-family"]
    assert family["value"] == ["argos", "opus-mt"] and family["origin"] == "file"


def test_config_output_is_a_config_file(
    config_file: Path, run_cli: Callable[..., CliResult]
) -> None:
    config_file.write_text("[build]\nto = ['de']\nsentences = 2\n", encoding="utf-8")
    shown = run_cli("config").stdout
    assert shown.startswith(f"# config file: {config_file}\n")
    before = json.loads(run_cli("config", "--json").stdout)["settings"]
    config_file.write_text(shown, encoding="utf-8")  # every table, every value set
    after = json.loads(run_cli("config", "--json").stdout)["settings"]
    assert [r["value"] for r in after] == [r["value"] for r in before]
    assert {r["origin"] for r in after if r["value"] is not None} == {"file"}
    assert {r["origin"] for r in after if r["value"] is None} == {"default"}


def test_unknown_command_for_config(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("config", "verify-all")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "has no settings" in result.stderr


def test_settings_import_nothing_heavy() -> None:
    code = (
        "import sys; from briefpack.cli import main; main(['config']);"
        "heavy = {'weasyprint', 'ctranslate2', 'sumy', 'numpy', 'rich', 'translations'}"
        " & set(sys.modules); print(sorted(heavy))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]"
