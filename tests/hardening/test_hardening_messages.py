"""Messages (issue 15, item 5): text from files never reaches the terminal raw, one line
stays one short line, and a file name that is not UTF-8 is no render error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import DATE, assert_only_complete_packs, check_failure
from hypothesis import given
from hypothesis import strategies as st

from briefpack.errors import ExitStatus
from briefpack.system.text import MAX_LINE, display_name, one_line, strip_controls
from tests.conftest import EXAMPLE, ROOT, CliResult
from tests.fixtures.argos import relabel

HOSTILE = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07 bell\x07 \u202eevil\u202c \x9b2J"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def _clean(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(text)


@given(st.text())
def test_one_line_is_safe_and_bounded(text: str) -> None:
    line = one_line(text)
    assert len(line) <= MAX_LINE
    for ch in line:
        assert unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp"), repr(ch)
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    line.encode("utf-8")  # always writable, whatever bytes the name had


def test_one_line_keeps_start_and_end() -> None:
    line = one_line("cannot install " + "x" * 50_000 + "; do not install it")
    assert line.startswith("cannot install xxx") and line.endswith("; do not install it")
    assert "characters left out" in line and len(line) <= MAX_LINE


def test_strip_controls_keeps_the_words() -> None:
    assert strip_controls(
        f"Port {HOSTILE} reopens\fnow\r\n"
    ) == "Port red  bell evil 2J reopens now\r\n".replace("evil", "\u202eevil\u202c")


def test_article_escapes_never_reach_the_terminal(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = tmp_path / "evil.txt"
    text = EXAMPLE.read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    article.write_text(f"{title} \x1b[2J\x07\n\x1b]0;pwned\x07{rest}", encoding="utf-8")
    for args in (["summarize", str(article)], ["summarize", "--format", "json", str(article)]):
        result = run_cli(*args)
        assert result.exit_code == 0, result.stderr
        _clean(result.stdout)
        assert "pwned" not in result.stdout and "[2J" not in result.stdout


def test_metadata_escapes_are_escaped_in_errors_and_listings(
    argos_archives: dict[tuple[str, str], Path],
    tmp_path: Path,
    argos_env: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    source = argos_archives[("en", "de")]
    bad = relabel(source, tmp_path / "bad.argosmodel", "translate-en_de-0_0_1", to_code=HOSTILE)
    result = run_cli("models", "install", "--models", str(tmp_path / "s"), str(bad))
    check_failure(result, ExitStatus.MODEL_ERROR, ("has an invalid to_code", "\\x1b[31m"))
    _clean(result.stderr)
    named = relabel(source, tmp_path / "named.argosmodel", "translate-en_de-0_0_1", to_name=HOSTILE)
    assert run_cli("models", "install", "--models", str(tmp_path / "s"), str(named)).exit_code == 0
    listing = run_cli("models", "list", "--models", str(tmp_path / "s"))
    assert listing.exit_code == 0 and "\\x1b[31mred" in listing.stdout
    _clean(listing.stdout)
    as_json = run_cli("models", "list", "--json", "--models", str(tmp_path / "s"))
    assert json.loads(as_json.stdout)["packages"][0]["languages"] == f"English -> {HOSTILE}"


def test_a_huge_value_gives_a_short_line(
    argos_archives: dict[tuple[str, str], Path], tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    huge = relabel(
        argos_archives[("en", "de")], tmp_path / "h.argosmodel", "translate-en_de-0_0_1",
        from_code="e" * 1_000_000,
    )  # fmt: skip
    result = run_cli("models", "install", "--models", str(tmp_path / "s"), str(huge))
    check_failure(result, ExitStatus.MODEL_ERROR, ("has an invalid from_code",))
    assert len(result.stderr) < MAX_LINE + 100


def test_warnings_are_escaped_too(fresh_store: Path, netguard_dir: Path) -> None:
    evil = shutil.copytree(fresh_store / "translate-en_ru-0_0_1", fresh_store / "evil\x1b[2Jpkg")
    (evil / "metadata.json").write_text(json.dumps({"from_code": "\x07"}))
    proc = subprocess.run(
        [sys.executable, "-m", "briefpack", "-v", "models", "list", "--models", str(fresh_store)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(fresh_store)},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "briefpack: skipping " in proc.stderr and "evil\\x1b[2Jpkg" in proc.stderr
    _clean(proc.stderr)


@pytest.mark.slow
def test_a_non_utf8_file_name_builds(models_dir: Path, tmp_path: Path) -> None:
    # It used to fail as "could not render ... check the templates" (exit 5): the name's
    # undecodable bytes reached WeasyPrint as lone surrogates.
    folder = os.fsencode(tmp_path / "articles")
    os.mkdir(folder)
    name = os.path.join(folder, b"news-\xff\xfe.txt")
    shutil.copyfile(EXAMPLE, name)
    out = tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "briefpack", "build", os.fsdecode(name), "--out", str(out),
         "--to", "de", "--date", DATE],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (pack,) = assert_only_complete_packs(out)
    manifest = (out / pack / "manifest.json").read_text(encoding="utf-8")
    assert r'"name": "news-\\xff\\xfe.txt"' in manifest  # the bytes, shown as escapes


def test_display_name() -> None:
    assert display_name(os.fsdecode(b"a-\xff.txt")) == "a-\\xff.txt"
    assert display_name("café.txt") == "café.txt"


def test_a_missing_non_utf8_name_is_reported_readably(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("summarize", os.fsdecode(os.fsencode(tmp_path) + b"/gone-\xff.txt"))
    check_failure(result, ExitStatus.INPUT_ERROR, ("gone-\\xff.txt: no such file",))
