"""`briefpack digest`: the acceptance run (8 stories, two rewrites, one empty file), the
PDF's shape, reproducibility, and --keep-going for `build` and `digest`."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import page
import pytest
from pypdf import PdfReader

from briefpack.errors import ExitStatus
from tests.conftest import EXAMPLE, CliResult, main

pytestmark = pytest.mark.slow

WIRES = Path(__file__).parent / "wires"
DATE = "2026-03-14"
LANGS = ("en", "ru", "uk", "de")


def _digest(out: Path, *extra: str) -> CliResult:
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["digest", str(WIRES), "--out", str(out), "--date", DATE, *extra])
    return CliResult(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def acceptance(tmp_path_factory: pytest.TempPathFactory, installed_models: Path):
    """One digest of the test wires, shared by this module's assertions."""
    monkey = pytest.MonkeyPatch()
    monkey.setenv("BRIEFPACK_MODELS", str(installed_models))
    monkey.setenv("BRIEFPACK_RENDER_PROCESSES", "0")  # this process has WeasyPrint loaded
    try:
        out = tmp_path_factory.mktemp("digest")
        # Beam 1: the hand-set test models decode a beam of 4 twenty times slower.
        result = _digest(out / "a", "--keep-going", "--json", "--beam-size", "1")
        assert result.exit_code == 0, result.stderr
        again = _digest(out / "b", "--keep-going", "-q", "--beam-size", "1")
        assert again.exit_code == 0, again.stderr
    finally:
        monkey.undo()
    return result, json.loads(result.stdout), Path(again.stdout.strip())


def test_eight_stories_the_first_with_three_sources_and_one_skipped(acceptance) -> None:
    result, report, _again = acceptance
    assert len(report["stories"]) == 8
    assert report["stories"][0]["sources"] == [
        "01-lindmark-flood.txt",
        "09-wire-b-lindmark.txt",
        "10-wire-c-lindmark.txt",
    ]
    assert all(len(s["sources"]) == 1 for s in report["stories"][1:])
    assert report["stories"][0]["headline"].startswith("River Aune bursts its banks")
    (skipped,) = report["skipped"]
    assert skipped["source"].endswith("11-empty.txt")
    assert skipped["exit_status"] == ExitStatus.INPUT_ERROR
    assert "is empty" in skipped["error"]
    lines = result.stderr.strip().splitlines()
    assert lines == [f"briefpack: skipped: {skipped['error']}"]
    assert report["languages"] == list(LANGS)
    assert set(report) >= {"pack", "zip", "pack_id", "languages", "stories", "skipped"}


def test_four_pdfs_each_with_an_outline_entry_per_story(acceptance) -> None:
    _result, report, _again = acceptance
    folder = Path(report["pack"])
    assert sorted(p.name for p in folder.glob("digest-*.pdf")) == sorted(
        f"digest-{c}.pdf" for c in LANGS
    )
    assert sorted(p.name for p in folder.glob("digest-*.md")) == sorted(
        f"digest-{c}.md" for c in LANGS
    )
    for code in LANGS:
        outline = [item.title for item in PdfReader(folder / f"digest-{code}.pdf").outline]
        stories = [t for t in outline if re.match(r"\d+ ", t)]
        assert len(stories) == 8, outline
        assert len(outline) >= 8


def test_the_pack_verifies_and_rebuilds_byte_identical(
    acceptance, run_cli: Callable[..., CliResult]
) -> None:
    _result, report, again = acceptance
    for target in (report["pack"], report["zip"]):
        verified = run_cli("verify", target)
        assert verified.exit_code == 0, verified.stderr
    assert again.name == Path(report["pack"]).name
    assert again.with_suffix(".zip").read_bytes() == Path(report["zip"]).read_bytes()
    manifest = json.loads((Path(report["pack"]) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "digest" and manifest["pack_id"] == report["pack_id"]
    assert len(manifest["inputs"]) == 10 and len(manifest["stories"]) == 8
    assert "src:en|" in manifest["signature"] and "|to:ru,uk,de|" in manifest["signature"]


@pytest.mark.parametrize("code", ["en", "uk"])
def test_the_pdf_is_validator_clean_with_cover_contents_and_sources(acceptance, code) -> None:
    _result, report, _again = acceptance
    pdf = (Path(report["pack"]) / f"digest-{code}.pdf").read_bytes()
    checked = page.validate_pdf_bytes(pdf, profile="ua1")
    assert [(f.rule_id, f.message) for f in checked.failures] == []
    reader = PdfReader(Path(report["pack"]) / f"digest-{code}.pdf")
    cover = reader.pages[0].extract_text()
    assert "8" in cover and "2026-03-14" in cover
    assert "translate-en_uk" in cover if code == "uk" else "translate-" not in cover
    contents = reader.pages[1].extract_text()
    numbers = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", contents, re.MULTILINE)]
    assert len(numbers) == 9 and numbers == sorted(numbers) and numbers[0] == 3, contents
    last = reader.pages[-1].extract_text()
    assert "09-wire-b-lindmark.txt" in last and "08-ostvale-storm.txt" in last
    assert numbers[-1] == len(reader.pages)


def test_the_markdown_lists_every_story_and_source(acceptance) -> None:
    _result, report, _again = acceptance
    text = (Path(report["pack"]) / "digest-en.md").read_text(encoding="utf-8")
    assert text.startswith("# Daily digest\n")
    assert len(re.findall(r"^## \d+\. ", text, re.MULTILINE)) == 8
    assert text.count("Source: ") == 10


# ------------------------------------------------------------------ --keep-going, failures


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a-good.txt")
    (folder / "b-empty.txt").write_text("", encoding="utf-8")
    (folder / "c-blank.md").write_text("   \n\n", encoding="utf-8")
    return folder


def test_build_keep_going_builds_the_rest_and_reports_each_skip(
    models_dir: Path, mixed_folder: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "dist"
    args = ("build", str(mixed_folder), "--out", str(out), "--date", DATE, "--to", "de")
    refused = run_cli(*args)
    assert refused.exit_code == ExitStatus.INPUT_ERROR
    assert refused.stderr.count("\n") == 1 and not out.exists()
    result = run_cli(*args, "--keep-going", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [Path(p["article"]).name for p in report["packs"]] == ["a-good.txt"]
    assert [Path(s["source"]).name for s in report["skipped"]] == ["b-empty.txt", "c-blank.md"]
    assert {s["exit_status"] for s in report["skipped"]} == {ExitStatus.INPUT_ERROR}
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("briefpack: skipped: ") for line in lines)
    assert len(list(out.glob("*.zip"))) == 1


def test_keep_going_with_nothing_usable_fails_and_writes_nothing(
    models_dir: Path, mixed_folder: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    (mixed_folder / "a-good.txt").unlink()
    for command in ("build", "digest"):
        out = tmp_path / command
        result = run_cli(command, str(mixed_folder), "--out", str(out), "--keep-going")
        assert result.exit_code == ExitStatus.INPUT_ERROR, result.stderr
        assert result.stderr.startswith("briefpack: error: none of the 2 articles")
        assert not out.exists()


def test_digest_without_keep_going_is_all_or_nothing(
    models_dir: Path, mixed_folder: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "dist"
    result = run_cli("digest", str(mixed_folder), "--out", str(out))
    assert result.exit_code == ExitStatus.INPUT_ERROR
    assert "b-empty.txt is empty" in result.stderr and not out.exists()


def test_digest_settings_come_from_the_environment_and_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    home = tmp_path / "xdg"
    (home / "briefpack").mkdir(parents=True)
    (home / "briefpack" / "config.toml").write_text(
        '[digest]\ntitle = "Morning wires"\norder = "sources"\n', encoding="utf-8"
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("BRIEFPACK_DIGEST_TO", "uk,de")
    shown = run_cli("config", "--json", "digest")
    assert shown.exit_code == 0, shown.stderr
    rows = {r["option"]: r for r in json.loads(shown.stdout)["settings"]}
    assert (rows["to"]["value"], rows["to"]["origin"]) == (["uk", "de"], "env")
    assert (rows["title"]["value"], rows["title"]["origin"]) == ("Morning wires", "file")
    assert (rows["order"]["value"], rows["order"]["origin"]) == ("sources", "file")
