"""`briefpack build`: the whole pipeline into a verifiable, reproducible pack."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpack.errors import ExitStatus
from tests.conftest import EXAMPLE, CliResult

LANGS = ("en", "ru", "uk", "de")
DATE = "2026-03-14"


def pdf_text(path: Path) -> str:
    """Extracted text with hyphenation joined and whitespace normalised."""
    raw = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    joined = re.sub(r"[\u2010\u00ad-]\s*\n\s*", "", raw)
    return " ".join(joined.split())


def font_names(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            for descendant in font.get("/DescendantFonts", []):
                names.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.fixture
def built(models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]) -> Path:
    out = tmp_path / "dist"
    result = run_cli("build", str(EXAMPLE), "--out", str(out), "--date", DATE)
    assert result.exit_code == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert folder.parent == out
    return folder


def test_pack_has_four_pdfs_and_verifies(built: Path, run_cli: Callable[..., CliResult]) -> None:
    assert sorted(p.name for p in built.glob("*.pdf")) == [
        f"briefing-{c}.pdf" for c in sorted(LANGS)
    ]
    assert sorted(p.name for p in built.glob("*.md")) == [f"summary-{c}.md" for c in sorted(LANGS)]
    assert re.fullmatch(r"port-of-valmora-[a-z0-9-]+-2026-03-14-[0-9a-f]{8}", built.name)
    for target in (built, built.with_suffix(".zip")):
        result = run_cli("verify", str(target))
        assert result.exit_code == 0, result.stderr
    proc = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=built, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout


def test_pdfs_hold_the_exact_sentences_lang_and_only_bundled_fonts(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["languages"] == ["en", "ru", "uk", "de"]
    for lang in LANGS:
        pdf = built / f"briefing-{lang}.pdf"
        text = pdf_text(pdf)
        summary = (built / f"summary-{lang}.md").read_text(encoding="utf-8")
        points = [line[2:] for line in summary.splitlines() if line.startswith("- ")]
        assert len(points) == 3
        for point in points:
            assert " ".join(point.split()) in text, (lang, point)
        reader = PdfReader(pdf)
        assert reader.trailer["/Root"]["/Lang"] == lang
        fonts = font_names(pdf)
        assert fonts and all(name.startswith("Briefpack-") for name in fonts), fonts


def test_ukrainian_letters_are_drawn_with_the_bundled_font(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = tmp_path / "kyiv.txt"
    article.write_text(
        "Kyiv news today\n\nHello world, the news from Kyiv today is short. "
        "The ground near European cities is dry this year.\n",
        encoding="utf-8",
    )
    result = run_cli(
        "build", str(article), "--out", str(tmp_path / "d"), "--to", "uk", "--date", DATE
    )
    assert result.exit_code == 0, result.stderr
    pdf = Path(result.stdout.strip()) / "briefing-uk.pdf"
    text = pdf_text(pdf)
    assert "Привіт світ, the новини from Київ сьогодні is short." in text
    assert "The ґрунт near європейський cities is dry this рік." in text
    assert font_names(pdf) <= {
        "Briefpack-Serif",
        "Briefpack-Serif-Bold",
        "Briefpack-Sans",
        "Briefpack-Sans-Bold",
    }


def test_test_models_are_announced_in_pdfs_and_manifest(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["test_models"] is True
    assert "test model — not a real translation" in manifest["warning"]
    assert "test model" not in pdf_text(built / "briefing-en.pdf").lower()
    for lang in ("ru", "uk", "de"):
        assert "test model — not a real translation" in (built / f"summary-{lang}.md").read_text()
        assert all(m.get("note") for t in manifest["translations"] for m in t["models"])


def test_manifest_records_what_shaped_the_output(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["input"]["name"] == EXAMPLE.name
    assert len(manifest["input"]["sha256"]) == 64
    assert manifest["summarizer"]["parameters"] == {"sentences": 3}
    models = {m["pair"]: m for t in manifest["translations"] for m in t["models"]}
    assert set(models) == {"en-ru", "en-uk", "en-de"}
    assert all(len(m["sha256"]) == 64 and m["version"] == "0.0.1" for m in models.values())
    assert manifest["renderer"]["weasyprint"]
    assert len(manifest["renderer"]["template_sha256"]) == 64
    sig = manifest["signature"]
    for part in (
        "sum:",
        "n:3",
        "src:en",
        "to:ru,uk,de",
        "beam:4",
        "pdf:pdf/ua-1",
        f"date:{DATE}",
        "tpl:",
    ):
        assert part in sig
    recorded = {f["name"] for f in manifest["files"]}
    assert recorded == {p.name for p in built.iterdir()} - {"manifest.json", "SHA256SUMS"}


def test_same_inputs_and_date_give_byte_identical_zips(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    zips = []
    for name in ("one", "two"):
        result = run_cli("build", str(EXAMPLE), "--out", str(tmp_path / name), "--date", DATE)
        assert result.exit_code == 0, result.stderr
        zips.append(Path(result.stdout.strip()).with_suffix(".zip"))
    assert zips[0].name == zips[1].name
    assert zips[0].read_bytes() == zips[1].read_bytes()


def test_existing_pack_is_not_overwritten(built: Path, run_cli: Callable[..., CliResult]) -> None:
    # An identical pack is kept and reported (tests/hardening); a different one is an error.
    (built / "summary-en.md").write_text("# Edited by hand\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in built.iterdir()}
    result = run_cli("build", str(EXAMPLE), "--out", str(built.parent), "--date", DATE)
    assert result.exit_code == ExitStatus.OUTPUT_ERROR
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert {p.name: p.read_bytes() for p in built.iterdir()} == before
    assert sorted(p.name for p in built.parent.iterdir()) == [built.name, built.name + ".zip"]


def test_json_report_and_several_articles(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    second = tmp_path / "second.md"
    second.write_text("# Hello world\n\nThe city news today is short. Hello again, world.\n")
    result = run_cli(
        "build",
        str(EXAMPLE),
        str(second),
        "--out",
        str(tmp_path / "d"),
        "--date",
        DATE,
        "--to",
        "de",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [r["languages"] for r in report] == [["en", "de"], ["en", "de"]]
    assert all(Path(r["zip"]).is_file() for r in report)
    assert "Hallo Welt" in pdf_text(Path(report[1]["pack"]) / "briefing-de.pdf")


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["--to", "xx"], ExitStatus.MODEL_ERROR, "no translation model for en->xx"),
        (["--to", "r@"], ExitStatus.USAGE_ERROR, "invalid language code"),
        (["--date", "2026-13-40"], ExitStatus.USAGE_ERROR, "is not a date"),
    ],
)
def test_bad_build_options_write_nothing(
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    args: list[str],
    status: ExitStatus,
    needle: str,
) -> None:
    out = tmp_path / "dist"
    result = run_cli("build", str(EXAMPLE), "--out", str(out), *args)
    assert result.exit_code == status, result.stderr
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists() or list(out.iterdir()) == []


def test_zip_entries_sit_in_one_folder(built: Path) -> None:
    with zipfile.ZipFile(built.with_suffix(".zip")) as archive:
        assert {n.split("/")[0] for n in archive.namelist()} == {built.name}


def test_a_folder_stands_for_its_articles_and_bad_ones_stop_everything(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "b.md").write_text("# Hello world\n\nThe city news today is short.\n")
    (folder / "a.txt").write_text("Hello again\n\nHello world, the news today is fine.\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not an article: ignored
    result = run_cli(
        "build", str(folder), "--out", str(tmp_path / "d"), "--to", "de", "--date", DATE, "--json"
    )
    assert result.exit_code == 0, result.stderr
    assert [r["article"] for r in json.loads(result.stdout)] == ["a.txt", "b.md"]

    (folder / "c.txt").write_bytes(b"")
    out = tmp_path / "e"
    result = run_cli("build", str(folder), "--out", str(out), "--to", "de", "--date", DATE)
    assert result.exit_code == ExitStatus.INPUT_ERROR
    assert "c.txt is empty" in result.stderr
    assert not out.exists()  # checked before anything was built


def test_manifest_reads_back_as_the_typed_record(built: Path) -> None:
    from briefpack.manifest import Manifest, Signature, pack_id

    data = json.loads((built / "manifest.json").read_text())
    manifest = Manifest.from_dict(data)
    assert manifest.to_dict() == data
    assert manifest.languages == ("en", "ru", "uk", "de")
    assert manifest.test_models is True
    # One flat key:value list, the engine's settings inlined, parsed back whole.
    signature = Signature.parse(data["signature"])
    assert str(signature) == data["signature"]
    assert "mt:" not in data["signature"]
    assert dict(signature.engine)["beam"] == "4"
    assert signature.targets == ("ru", "uk", "de") and signature.date == DATE
    assert pack_id([data["input"]["sha256"]], signature) == data["pack_id"]
    assert built.name.endswith(f"-{DATE}-{data['pack_id']}")
