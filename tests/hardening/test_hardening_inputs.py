"""Bad input through the CLI: one clear line, the documented exit code, nothing written.

Every case runs through `briefpack summarize` and `briefpack build` (in-process, through
`main()`, as the console script does). Decisions taken here:

- a text with no sentence punctuation succeeds: each paragraph is one sentence (a short
  first one is the headline, as in any plain-text article);
- a one-sentence article succeeds: the summary is that sentence;
- output-folder failures (unwritable, full disk) are in test_hardening_output.py.
"""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hardening_support import (
    DATE,
    assert_nothing_written,
    assert_only_complete_packs,
    check_failure,
)

from briefpack.errors import ExitStatus
from briefpack.ingest import MAX_ARTICLE_BYTES
from tests.conftest import EXAMPLE, CliResult

RU_ARTICLE = (
    "Городской совет утвердил новый бюджет\n\n"
    "Городской совет в четверг утвердил бюджет на следующий год. "
    "Расходы на школы вырастут на десять процентов, сообщил мэр.\n"
)
NAV_ONLY = (
    "<!doctype html><html><head><title>City Paper</title></head><body>"
    '<header><a href="/">City Paper</a></header>'
    '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
    '<li><a href="/sport">Sport</a></li></ul></nav>'
    '<div class="menu"><a href="/login">Log in</a> | <a href="/subscribe">Subscribe</a></div>'
    "<footer><p>© 2026 City Paper</p></footer></body></html>"
)
NO_PUNCTUATION = (
    "dock workers at the port of valmora returned to work on monday after the union and the "
    "operators signed an agreement\n\n"
    "the deal raises wages by six percent this year and by a further four percent next year "
    "according to the union\n\n"
    "more than forty ships waited at anchor and two car makers paused their assembly lines for "
    "lack of parts\n\n"
    "terminal operators said the backlog of containers would take at least two weeks to clear\n"
)
ONE_SENTENCE = (
    "The harbour workers of Valmora walked out on Monday after talks over pay broke down.\n"
)


def _random_bytes() -> bytes:
    import random

    return random.Random(5).randbytes(4096)


# (case id, file name, contents, exit status, words the message must hold)
BAD_FILES: list[tuple[str, str, bytes, ExitStatus, tuple[str, ...]]] = [
    ("empty", "empty.txt", b"", ExitStatus.INPUT_ERROR, ("empty.txt is empty", "give an article")),
    (
        "whitespace",
        "blank.txt",
        b" \n\t\r\n   \n",
        ExitStatus.INPUT_ERROR,
        ("blank.txt is empty (only whitespace)", "give an article"),
    ),
    (
        "unicode-whitespace",
        "blank.md",
        "\u00a0\u2003\n\u3000\n".encode(),
        ExitStatus.INPUT_ERROR,
        ("blank.md is empty (only whitespace)",),
    ),
    (
        "png",
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        ExitStatus.INPUT_ERROR,
        ("photo.txt is a PNG image, not an article", "give a .txt, .md or .html file"),
    ),
    (
        "pdf",
        "report.txt",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        ExitStatus.INPUT_ERROR,
        # Read as the PDF it is, whatever its name: this one has no end.
        ("report.txt is a truncated PDF document",),
    ),
    (
        "random-bytes",
        "noise.txt",
        _random_bytes(),
        ExitStatus.INPUT_ERROR,
        ("noise.txt is binary", "give a text or HTML article"),
    ),
    (
        "invalid-utf8",
        "broken.txt",
        # A few bad bytes are replaced (as browsers do); this many are not a stray character.
        "Straße und Brücke sind gesperrt. ".encode() * 3 + b"\xff\xfe\xfa broken" * 20,
        ExitStatus.INPUT_ERROR,
        ("encoding of broken.txt could not be detected", "re-save it as UTF-8 or give --encoding"),
    ),
    (
        "html-navigation-only",
        "page.html",
        NAV_ONLY.encode(),
        ExitStatus.INPUT_ERROR,
        ("page.html holds no article text", "paste its text into a .txt file"),
    ),
    (
        "furniture-only-text",
        "junk.txt",
        b"Share this article\n\nSource link\n\nComments are closed.\n",
        ExitStatus.INPUT_ERROR,
        ("junk.txt holds no article text after removing page furniture",),
    ),
    (
        "no-letters",
        "numbers.txt",
        b"2026 1234 5678\n\n42 17\n",
        ExitStatus.INPUT_ERROR,
        ("could not detect the article's language", "give --language"),
    ),
]


@pytest.mark.parametrize("command", ["summarize", "build"])
@pytest.mark.parametrize(
    ("name", "data", "status", "needles"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_article_file(
    command: str,
    name: str,
    data: bytes,
    status: ExitStatus,
    needles: tuple[str, ...],
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    article = tmp_path / name
    article.write_bytes(data)
    out = tmp_path / "out"
    args = ["--out", str(out), "--date", DATE] if command == "build" else []
    check_failure(run_cli(command, str(article), *args), status, needles)
    assert_nothing_written(out)


@pytest.mark.parametrize("command", ["summarize", "build"])
@pytest.mark.parametrize(
    ("target", "status", "needles"),
    [
        ("missing", ExitStatus.INPUT_ERROR, ("notes.txt: no such file; check the path",)),
        (
            "empty-folder",
            ExitStatus.INPUT_ERROR,
            ("is a folder, not an article", "give the article file itself"),
        ),
        (
            "folder-of-images",
            ExitStatus.INPUT_ERROR,
            ("is a folder, not an article", "give the article file itself"),
        ),
    ],
)
def test_missing_file_or_folder(
    command: str,
    target: str,
    status: ExitStatus,
    needles: tuple[str, ...],
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    path = tmp_path / "notes.txt"
    if target == "empty-folder":
        path = tmp_path / "articles"
        path.mkdir()
    elif target == "folder-of-images":
        path = tmp_path / "photos"
        path.mkdir()
        (path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out"
    args = ["--out", str(out)] if command == "build" else []
    if command == "build" and target != "missing":
        # build takes folders of articles: one with none in it is the error.
        needles = ("is a folder with no article in it", "give article files or a folder")
    check_failure(run_cli(command, str(path), *args), status, needles)
    assert_nothing_written(out)


@pytest.mark.parametrize("command", ["summarize", "build"])
@pytest.mark.parametrize(
    ("option", "needles"),
    [
        (["--sentences", "0"], ("'--sentences': 0 is not in the range x>=1", "--help')")),
        (["-n", "-2"], ("'--sentences': -2 is not in the range x>=1",)),
        (["--sentences", "-100"], ("'--sentences': -100 is not in the range x>=1",)),
        (["--ratio", "0"], ("'--ratio': 0.0 is not in the range 0<x<=1",)),
        (["--sentences", "2", "--ratio", "0.5"], ("give --sentences or --ratio, not both",)),
    ],
)
def test_bad_summary_length_is_a_usage_error(
    command: str,
    option: list[str],
    needles: tuple[str, ...],
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    out = tmp_path / "out"
    args = ["--out", str(out)] if command == "build" else []
    result = run_cli(command, str(EXAMPLE), *option, *args)
    check_failure(result, ExitStatus.USAGE_ERROR, needles)
    assert_nothing_written(out)


@pytest.mark.parametrize(
    ("article", "targets", "status", "needles"),
    [
        (
            "en",
            "klingon",
            ExitStatus.USAGE_ERROR,
            ("invalid language code 'klingon' in --to", "use ISO codes like ru,uk,de"),
        ),
        ("en", "ru,,1x", ExitStatus.USAGE_ERROR, ("invalid language code '1x'",)),
        ("en", ",", ExitStatus.USAGE_ERROR, ("--to names no language",)),
        (
            "en",
            "fr",
            ExitStatus.MODEL_ERROR,
            ("no translation model for en->fr", "briefpack models install"),
        ),
        (
            "ru",
            "de",
            ExitStatus.MODEL_ERROR,
            ("no translation model for ru->de", "(or ru->en and en->de)", "models download ru:de"),
        ),
    ],
    ids=["unknown-code", "malformed-code", "no-code", "no-model", "no-model-no-pivot"],
)
def test_bad_targets(
    article: str,
    targets: str,
    status: ExitStatus,
    needles: tuple[str, ...],
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    path = EXAMPLE
    if article == "ru":
        path = tmp_path / "budget.txt"
        path.write_text(RU_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--to", targets, "--out", str(out), "--date", DATE)
    check_failure(result, status, needles)
    assert_nothing_written(out)


# --------------------------------------------------------------------------- size limits


def _big_text(size: int) -> bytes:
    line = b"The harbour workers walked out again on Monday after talks broke down.\n"
    return line * (size // len(line) + 1)


@pytest.mark.parametrize("command", ["summarize", "build"])
def test_fifty_megabyte_file_is_refused_without_reading_it(
    command: str, models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = tmp_path / "huge.txt"
    article.write_bytes(_big_text(50 * 1024 * 1024))
    out = tmp_path / "out"
    args = ["--out", str(out)] if command == "build" else []
    warm = tmp_path / "warm.txt"
    warm.write_bytes(b"")
    run_cli(command, str(warm), *args)  # load the modules first: measure the refusal alone
    tracemalloc.start()
    try:
        result = run_cli(command, str(article), *args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    check_failure(
        result, ExitStatus.INPUT_ERROR, ("huge.txt is larger than 20 MB", "split the file")
    )
    assert peak < 8 * 1024 * 1024, f"refusing a 50 MB file allocated {peak} bytes"
    assert_nothing_written(out)


def test_endless_device_is_refused_before_reading(run_cli: Callable[..., CliResult]) -> None:
    # /dev/zero reports size 0 and never ends (it used to fill the memory): not even opened.
    result = run_cli("summarize", "/dev/zero")
    check_failure(result, ExitStatus.INPUT_ERROR, ("/dev/zero is a character device",))


class _Endless(io.RawIOBase):
    """A 50 MB stdin produced on demand, counting what was read."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.served = 0
        self.chunk = _big_text(64 * 1024)[: 64 * 1024]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.left, len(self.chunk))
        buffer[:n] = self.chunk[:n]
        self.left -= n
        self.served += n
        return n


@pytest.mark.parametrize("command", ["summarize", "build"])
def test_fifty_megabyte_stdin_is_refused_after_reading_the_limit(
    command: str,
    models_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = _Endless(50 * 1024 * 1024)
    stdin = io.TextIOWrapper(io.BufferedReader(source), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    out = tmp_path / "out"
    args = ["--out", str(out)] if command == "build" else []
    result = run_cli(command, "-", *args)
    check_failure(result, ExitStatus.INPUT_ERROR, ("<stdin> is larger than 20 MB",))
    assert source.served <= MAX_ARTICLE_BYTES + 1 + 64 * 1024, source.served
    assert_nothing_written(out)


# --------------------------------------------------------------------------- odd but valid


def test_text_without_punctuation_gives_paragraph_sentences(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = tmp_path / "transcript.txt"
    article.write_text(NO_PUNCTUATION, encoding="utf-8")
    paragraphs = [p.strip() for p in NO_PUNCTUATION.split("\n\n")]
    summary = run_cli("summarize", str(article), "--format", "json")
    assert summary.exit_code == 0, summary.stderr
    payload = json.loads(summary.stdout)
    # A short first paragraph without a full stop reads as the headline, as anywhere else.
    assert payload["title"] == paragraphs[0]
    assert payload["total_sentences"] == 3
    assert [s["text"] for s in payload["sentences"]] == paragraphs[1:]

    out = tmp_path / "out"
    built = run_cli("build", str(article), "--to", "de", "--out", str(out), "--date", DATE)
    assert built.exit_code == 0, built.stderr
    (name,) = assert_only_complete_packs(out)
    points = (out / name / "summary-en.md").read_text(encoding="utf-8").splitlines()
    assert [p[2:] for p in points if p.startswith("- ")] == paragraphs[1:]


def test_one_sentence_article_is_its_own_summary(
    models_dir: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    article = tmp_path / "brief.txt"
    article.write_text(ONE_SENTENCE, encoding="utf-8")
    summary = run_cli("summarize", str(article))
    assert summary.exit_code == 0, summary.stderr
    assert summary.stdout == ONE_SENTENCE

    out = tmp_path / "out"
    built = run_cli("build", str(article), "--to", "de", "--out", str(out), "--date", DATE)
    assert built.exit_code == 0, built.stderr
    (name,) = assert_only_complete_packs(out)
    markdown = (out / name / "summary-en.md").read_text(encoding="utf-8")
    assert f"- {ONE_SENTENCE.strip()}" in markdown.splitlines()
    manifest = json.loads((out / name / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["summarizer"]["total_sentences"] == 1
    assert manifest["summarizer"]["sentences"] == [0]
