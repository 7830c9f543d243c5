"""Hostile zips (issue 15, items 1 and 2): aliases, second names, bombs, entry floods.

What `install` checks is what it unpacks, and `verify` reads what `unzip` would write.
Every hostile archive is built here, byte by byte (tests/hardening/zip_attacks.py).
"""

from __future__ import annotations

import functools
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import check_failure, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from measure import run_measured
from zip_attacks import (
    RawEntry,
    bzip2_entry,
    deflate_bomb,
    deflated,
    entries_of,
    many_entries,
    metadata_with,
    nested_json,
    raw_zip,
    stored,
    unicode_path_extra,
)

from briefpack.errors import ExitStatus
from briefpack.pack import write_pack
from briefpack.system.archive import ArchiveError, Limits, SafeArchive
from tests.conftest import CliResult

FOLDER = "translate-en_de-0_0_1"
LIMITS = Limits(max_entries=100, max_entry_bytes=1 << 24, max_total_bytes=1 << 25)
FILES = {"briefing-en.pdf": b"%PDF-1.7 english", "index.html": b"<p>x</p>"}


@pytest.fixture
def en_de(argos_archives: dict[tuple[str, str], Path]) -> Path:
    return argos_archives[("en", "de")]


@pytest.fixture
def pack_zip(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "dist", "news", FILES, {}, "2026-01-02").zip_path


def _model_with(en_de: Path, path: Path, *extra: RawEntry) -> Path:
    return raw_zip(path, [*entries_of(en_de), *extra])


def _pack_with(pack_zip: Path, path: Path, *extra: RawEntry) -> Path:
    return raw_zip(path, [*entries_of(pack_zip), *extra])


# ------------------------------------------------------------------- aliases, install

ALIASES = {
    "dot": f"{FOLDER}/./metadata.json",
    "leading-dot": f"./{FOLDER}/metadata.json",
    "double-slash": f"{FOLDER}//metadata.json",
    "backslash": f"{FOLDER}\\metadata.json",
    "case": f"{FOLDER}/METADATA.json",
    "trailing-dot": f"{FOLDER}/metadata.json.",
}


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_metadata_is_refused_and_the_store_unchanged(
    alias: str,
    en_de: Path,
    fresh_store: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    # The attack: checked as en->de, unpacked over it as en->ru 1.9, no --replace.
    hostile = metadata_with(en_de, FOLDER, to_code="ru", to_name="Russian", package_version="1.9")
    archive = _model_with(en_de, tmp_path / "alias.argosmodel", stored(ALIASES[alias], hostile))
    before = snapshot(fresh_store)
    result = run_cli("models", "install", "--models", str(fresh_store), str(archive))
    check_failure(result, ExitStatus.MODEL_ERROR, ("name the same file", "do not install it"))
    assert snapshot(fresh_store) == before
    assert not list(tmp_path.glob(".store.briefpack-staging*"))


def test_nested_json_behind_an_alias_cannot_crash_install(
    en_de: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    deep = stored(f"{FOLDER}/./metadata.json", nested_json(200_000))
    archive = _model_with(en_de, tmp_path / "deep.argosmodel", deep)
    store = tmp_path / "store"
    result = run_cli("models", "install", "--models", str(store), str(archive))
    check_failure(result, ExitStatus.MODEL_ERROR, ("name the same file",))
    plain = raw_zip(
        tmp_path / "deep2.argosmodel",
        [
            e if not e.name.endswith("metadata.json") else stored(e.name, nested_json(200_000))
            for e in entries_of(en_de)
        ],
    )
    result = run_cli("models", "install", "--models", str(store), str(plain))
    check_failure(result, ExitStatus.MODEL_ERROR, ("metadata.json is nested deeper than",))
    assert not store.exists() or list(store.iterdir()) == []


def _segments(draw: st.DrawFn, name: str) -> str:
    """An alias of `name`: extra `.` and empty segments, backslashes, case, NFD."""
    out = []
    for i, segment in enumerate(name.split("/")):
        if i and draw(st.booleans()):
            out.append(draw(st.sampled_from([".", "", "./."])))
        out.append(segment)
    text = draw(st.sampled_from(["/", "\\"])).join(out)
    if draw(st.booleans()):
        text = text.upper()
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    if draw(st.booleans()):
        text = "./" + text
    return text


@st.composite
def aliases(draw: st.DrawFn) -> tuple[str, str]:
    base = draw(st.sampled_from(["P/metadata.json", "P/model/model.bin", "P/café.txt"]))
    alias = _segments(draw, base)
    if alias == base:  # nothing changed: force one alias form
        alias = base.replace("/", "//", 1)
    return base, alias


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pair=aliases(), alias_first=st.booleans())
def test_every_alias_form_is_a_duplicate(
    tmp_path: Path, pair: tuple[str, str], alias_first: bool
) -> None:
    base, alias = pair
    entries = [stored(base, b"checked"), stored(alias, b"unpacked over it")]
    path = raw_zip(tmp_path / "alias.zip", entries[::-1] if alias_first else entries)
    with pytest.raises(ArchiveError, match="name the same file"):
        SafeArchive(path, LIMITS)


def test_normalized_names_are_what_gets_unpacked(tmp_path: Path) -> None:
    path = raw_zip(
        tmp_path / "odd.zip",
        [stored("./P//a\\b.txt", b"1"), stored("P/./c.txt", b"2"), stored("P/cafe\u0301", b"3")],
    )
    with SafeArchive(path, LIMITS) as archive:
        assert sorted(e.name for e in archive.entries) == ["P/a/b.txt", "P/c.txt", "P/café"]
        archive.extract_all(tmp_path / "out")
    assert (tmp_path / "out" / "P" / "a" / "b.txt").read_bytes() == b"1"
    assert sorted(p.name for p in (tmp_path / "out" / "P").iterdir()) == ["a", "c.txt", "café"]


@pytest.mark.parametrize(
    "entries, message",
    [
        ([stored("P/x", b"1"), stored("P/x/y", b"2")], "both a file and a folder"),
        ([stored("P/x", b"1", local_name="P/y")], "also names itself"),
        ([stored("P/x", b"1", extra=unicode_path_extra("P/x", "../../evil"))], "also names"),
        ([stored("P/\x1b[31mx", b"1")], "control characters"),
        ([stored("P/\xe9", b"1", utf8=False)], "not marked as UTF-8"),
        ([RawEntry("P/x", b"1", method=14)], "compressed with LZMA"),
        ([RawEntry("P/x", b"1", method=99)], "method 99"),
        ([stored("C:/x", b"1")], "unsafe path"),
        ([stored("P/x", b"1", external_attr=0o0010644 << 16)], "FIFO"),
    ],
)
def test_entries_that_tools_read_differently_are_refused(
    tmp_path: Path, entries: list[RawEntry], message: str
) -> None:
    path = raw_zip(tmp_path / "odd.zip", entries)
    with pytest.raises(ArchiveError, match=message):
        SafeArchive(path, LIMITS)


# -------------------------------------------------------------------- verify aliases


@pytest.mark.parametrize("alias", ["news/./index.html", "news//index.html", "news\\index.html"])
def test_verify_refuses_duplicate_aliases(
    alias: str, pack_zip: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    hostile = _pack_with(pack_zip, tmp_path / "alias.zip", stored(alias, b"<p>hostile</p>"))
    # zipfile itself reads the alias happily: by name, the checked bytes are not the shown ones
    with zipfile.ZipFile(hostile) as zf:
        assert zf.read(alias) == b"<p>hostile</p>"
    result = run_cli("verify", str(hostile))
    check_failure(result, ExitStatus.VERIFY_FAILED, ("name the same file",))


def test_verify_refuses_a_unicode_path_that_leaves_the_pack(
    pack_zip: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    entries = [
        stored(e.name, e.data, extra=unicode_path_extra(e.name, "../../outside.html"))
        if e.name.endswith("index.html")
        else e
        for e in entries_of(pack_zip)
    ]
    hostile = raw_zip(tmp_path / "upath.zip", entries)
    result = run_cli("verify", str(hostile))
    check_failure(result, ExitStatus.VERIFY_FAILED, ("also names itself '../../outside.html'",))


# ------------------------------------------------------------------------------ bombs


@functools.cache
def _bzip2_blocks(blocks: int) -> RawEntry:
    return bzip2_entry("news/briefing-de.pdf", blocks)


def test_verify_of_a_bzip2_bomb_stops_at_once(pack_zip: Path, tmp_path: Path) -> None:
    # ~6 KB; the entry declares 100 bytes and inflates to 7.4 GB (the 7.6 GB, 36 s).
    bomb = _pack_with(pack_zip, tmp_path / "bomb.zip", _bzip2_blocks(165))
    assert bomb.stat().st_size < 8_000
    result = run_measured(["verify", str(bomb)], timeout=60)
    assert result.exit_code == ExitStatus.VERIFY_FAILED, result.stderr
    assert result.stderr.count("\n") == 1
    assert "compressed with bzip2" in result.stderr
    assert result.seconds < 10 and result.peak_mb < 1024, result


def test_install_of_a_bzip2_bomb_model_changes_nothing(
    en_de: Path, fresh_store: Path, tmp_path: Path
) -> None:
    bomb = bzip2_entry(f"{FOLDER}/model/extra.bin", 165)
    archive = _model_with(en_de, tmp_path / "bomb.argosmodel", bomb)
    assert 150_000 < archive.stat().st_size < 170_000  # the 157 KB
    before = snapshot(fresh_store)
    result = run_measured(["models", "install", "--models", str(fresh_store), str(archive)])
    assert result.exit_code == ExitStatus.MODEL_ERROR, result.stderr
    assert "compressed with bzip2" in result.stderr and result.stderr.count("\n") == 1
    assert result.seconds < 10 and result.peak_mb < 1024, result
    assert snapshot(fresh_store) == before


@pytest.mark.parametrize("command", ["verify", "install"])
def test_deflate_bombs_stop_while_inflating(
    command: str, pack_zip: Path, en_de: Path, fresh_store: Path, tmp_path: Path
) -> None:
    # Deflate tops out near 1000:1 (256 MB here from ~250 KB); the ratio budget stops it
    # after the first MB, whatever size the entry declares.
    if command == "verify":
        bomb = _pack_with(pack_zip, tmp_path / "b.zip", deflate_bomb("news/x.pdf", 1 << 28))
        args = ["verify", str(bomb)]
        status = ExitStatus.VERIFY_FAILED
    else:
        bomb = _model_with(en_de, tmp_path / "b.zip", deflate_bomb(f"{FOLDER}/x.bin", 1 << 28))
        args = ["models", "install", "--models", str(fresh_store), str(bomb)]
        status = ExitStatus.MODEL_ERROR
    before = snapshot(fresh_store)
    result = run_measured(args)
    assert result.exit_code == status, result.stderr
    assert "times its compressed size (a zip bomb?)" in result.stderr
    assert result.seconds < 10 and result.peak_mb < 1024, result
    assert snapshot(fresh_store) == before


def test_many_small_bombs_are_bounded_in_all(tmp_path: Path) -> None:
    # 999 entries of 1 MB each (under the ratio limit): their declared sizes add up past the
    # total budget, so nothing is read; declared smaller, they stop at the declared size.
    entry = deflated("P/x", b"\0" * (1 << 20))
    honest = [RawEntry(f"P/x{i}", entry.data, 8, entry.size, entry.crc) for i in range(999)]
    limits = Limits(max_entries=1000, max_entry_bytes=1 << 30, max_total_bytes=64 << 20)
    with pytest.raises(ArchiveError, match="would unpack to over 67108864 bytes"):
        SafeArchive(raw_zip(tmp_path / "many.zip", honest), limits)
    lying = [RawEntry(f"P/x{i}", entry.data, 8, 100, entry.crc) for i in range(999)]
    with SafeArchive(raw_zip(tmp_path / "lying.zip", lying), limits) as archive:
        read = 0
        with pytest.raises(ArchiveError, match=r"cannot be read .*CRC"):
            for chunk in archive.chunks(archive.files[0]):
                read += len(chunk)
        assert read <= 100


@pytest.mark.parametrize("command", ["verify", "install"])
def test_a_flood_of_entries_is_refused_before_parsing(
    command: str, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = raw_zip(tmp_path / "flood.zip", list(many_entries("P", 100_000)))
    if command == "verify":
        result = run_cli("verify", str(path))
        check_failure(result, ExitStatus.VERIFY_FAILED, ("entries, over the limit of",))
    else:
        result = run_cli("models", "install", "--models", str(tmp_path / "s"), str(path))
        check_failure(result, ExitStatus.MODEL_ERROR, ("entries, over the limit of",))


def test_a_directory_larger_than_its_count_is_refused(tmp_path: Path) -> None:
    # The end record says 1 entry; zipfile would still parse all 50,000 records.
    path = raw_zip(tmp_path / "liar.zip", list(many_entries("P", 50_000)))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match=r"central directory is .* too large for 100 entries"):
        SafeArchive(path, LIMITS)


def test_a_docx_with_a_bzip2_bomb_is_refused_before_inflating(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    # Word documents are zips too: read through the same safe reader (briefpack.ingest.archive).
    docx = raw_zip(
        tmp_path / "report.docx",
        [
            deflated("[Content_Types].xml", b"<Types/>"),
            deflated("word/document.xml", b"<w:document/>"),
            _bzip2_blocks(165),
        ],
    )
    result = run_measured(["summarize", str(docx)])
    assert result.exit_code == ExitStatus.INPUT_ERROR, result.stderr
    assert "compressed with bzip2" in result.stderr and result.stderr.count("\n") == 1
    assert result.seconds < 10 and result.peak_mb < 1024, result
    alias = raw_zip(
        tmp_path / "alias.docx",
        [deflated("word/document.xml", b"<w:document/>"), deflated("word/./document.xml", b"x")],
    )
    check_failure(run_cli("summarize", str(alias)), ExitStatus.INPUT_ERROR, ("name the same file",))
