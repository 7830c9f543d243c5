"""Hypothesis: parsers and verifiers never fail with anything but a BriefpackError, and
nothing that reads or installs a zip writes outside its own folder.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hardening_support import snapshot
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefpack.errors import BriefpackError, ExitStatus, ModelError
from briefpack.ingest import SUPPORTED_LANGUAGES, parse_article
from briefpack.pack import write_pack
from briefpack.verify import verify_pack
from summarize import summarize
from tests.conftest import CliResult
from translations.store import install, list_packages

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MEDIA_TYPES = st.sampled_from([None, "text/plain", "text/markdown", "text/html"])

# ----------------------------------------------------------------------------- text


TAGS = ["p", "div", "article", "main", "nav", "header", "footer", "a", "h1", "span", "li", "ul"]
TAGS += ["script", "style", "title", "head", "body", "html", "br", "aside", "table", "td"]
WORDS = st.sampled_from(
    [
        *("The", "port", "reopened", "today.", "Home", "News", "|", "Порт", "відкрито."),
        *("&amp;", "<", ">", "&", "\u00a0", "\u200b", "é", "ß", "\x00", "\ufffd", "\n", "!!!"),
    ]
)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Tag soup: nested, unclosed and stray tags, entities, odd text."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["<!doctype html>", '<?xml version="1.0"?>', ""])))
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attrs = draw(st.sampled_from(["", ' role="navigation"', ' class="menu"', " x"]))
            parts.append(f"<{tag}{attrs}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(" ".join(draw(st.lists(WORDS, max_size=12))))
    return "".join(parts)


def _only_briefpack_errors(func: object, *args: object, **kwargs: object) -> object:
    try:
        return func(*args, **kwargs)  # type: ignore[operator]
    except BriefpackError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        return None


@FUZZ
@given(data=st.binary(max_size=3000), media_type=MEDIA_TYPES)
def test_ingest_arbitrary_bytes(data: bytes, media_type: str | None) -> None:
    _only_briefpack_errors(parse_article, data, source="x", media_type=media_type)


@FUZZ
@given(
    text=st.text(max_size=2000),
    media_type=MEDIA_TYPES,
    language=st.sampled_from([None, *SUPPORTED_LANGUAGES]),
    encoding=st.sampled_from([None, "utf-8", "utf-16", "cp1251", "idna", "rot13", "nope"]),
)
def test_ingest_arbitrary_text(
    text: str, media_type: str | None, language: str | None, encoding: str | None
) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    _only_briefpack_errors(
        parse_article, data, source="x", media_type=media_type, language=language, encoding=encoding
    )


@FUZZ
@given(page=html_pages())
def test_ingest_arbitrary_html(page: str) -> None:
    article = _only_briefpack_errors(
        parse_article, page.encode("utf-8", errors="surrogatepass"), media_type="text/html"
    )
    if article is not None:
        assert article.text.strip()


@FUZZ
@given(
    text=st.text(max_size=1500) | st.lists(WORDS, max_size=200).map(" ".join),
    language=st.sampled_from(SUPPORTED_LANGUAGES),
    algorithm=st.sampled_from(["default", "lead", "luhn", "text-rank", "lsa", "kl", "bogus"]),
    length=st.one_of(
        st.tuples(st.integers(-2, 8), st.none()),
        st.tuples(st.none(), st.floats(-1, 2) | st.just(float("nan"))),
    ),
)
def test_summarize_arbitrary_text(
    text: str, language: str, algorithm: str, length: tuple[int | None, float | None]
) -> None:
    sentences, ratio = length
    summary = _only_briefpack_errors(
        summarize, text, language, algorithm=algorithm, sentences=sentences, ratio=ratio
    )
    if summary is not None:
        indices = [s.index for s in summary.sentences]  # type: ignore[attr-defined]
        assert indices == sorted(indices) and len(indices) >= 1


# ----------------------------------------------------------------------------- zips

TOP = "pack"
NAMES = st.sampled_from(
    [
        f"{TOP}/SHA256SUMS",
        f"{TOP}/manifest.json",
        f"{TOP}/briefing-en.pdf",
        f"{TOP}/",
        f"{TOP}/sub/deep.txt",
        f"{TOP}/../escape.txt",
        "../escape.txt",
        "../../etc/passwd",
        "/abs/path.txt",
        "/",
        "C:/windows.txt",
        f"{TOP}\\..\\escape.txt",
        "other/file.txt",
        "top-level.txt",
        f"{TOP}/metadata.json",
        f"{TOP}/model/model.bin",
        f"{TOP}/model/config.json",
        f"{TOP}/sentencepiece.model",
        f"{TOP}/a/../../escape.txt",
        ".hidden/metadata.json",
    ]
)
CONTENT = st.sampled_from(
    [
        b"",
        b"x" * 100,
        b'{"from_code": "en", "to_code": "de", "package_version": "1"}',
        b'{"files": []}',
        b"0" * 64 + b"  briefing-en.pdf\n",
        b"\xff\xfe",
    ]
)
ENTRY = st.tuples(
    NAMES,
    CONTENT,
    st.sampled_from(["file", "dir", "symlink", "symlink-out", "huge", "executable"]),
)


def _zip_bytes(entries: list[tuple[str, bytes, str]]) -> bytes:
    import io

    buffer = io.BytesIO()
    huge: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data, kind in entries:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                if kind == "dir":
                    info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
                elif kind == "symlink":
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                elif kind == "symlink-out":
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                    data = b"../../../../tmp"
                elif kind == "executable":
                    info.external_attr = (stat.S_IFREG | 0o4755) << 16
                elif kind == "huge":
                    huge.append(name)
                archive.writestr(info, data)
    raw = buffer.getvalue()
    return _declare_huge_sizes(raw) if huge else raw


def _declare_huge_sizes(raw: bytes) -> bytes:
    """Claim 4 GB for every entry in the central directory (a zip bomb's header)."""
    data = bytearray(raw)
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        struct.pack_into("<I", data, offset + 24, 0xFFFFFFF0)
        offset = data.find(b"PK\x01\x02", offset + 4)
    return bytes(data)


@contextlib.contextmanager
def _sandbox() -> Iterator[Path]:
    """A fresh folder with a sibling and a parent whose contents must not change."""
    root = Path(tempfile.mkdtemp(prefix="briefpack-fuzz-"))
    try:
        (root / "sibling").mkdir()
        (root / "sibling" / "keep.txt").write_text("keep")
        (root / "work").mkdir()
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@FUZZ
@given(
    entries=st.lists(ENTRY, max_size=8),
    corrupt=st.one_of(st.none(), st.tuples(st.integers(0, 10_000), st.integers(1, 255))),
)
@example(entries=[(f"{TOP}/manifest.json", b"", "file")], corrupt=(64, 64))  # "version 8.4"
@example(entries=[(f"{TOP}/manifest.json", b"x" * 100, "file")], corrupt=(40, 1))  # bad deflate
@example(entries=[("pack/SHA256SUMS", b"", "file")], corrupt=(125, 1))  # header offset < 0
def test_verify_arbitrary_zip(
    entries: list[tuple[str, bytes, str]], corrupt: tuple[int, int] | None
) -> None:
    raw = bytearray(_zip_bytes(entries))
    if corrupt is not None and raw:
        position, flip = corrupt
        raw[position % len(raw)] ^= flip
    with _sandbox() as root:
        path = root / "work" / "pack.zip"
        path.write_bytes(bytes(raw))
        before = snapshot(root)
        try:
            verify_pack(path)
        except BriefpackError as exc:
            assert "\n" not in str(exc)
        assert snapshot(root) == before


@FUZZ
@given(entries=st.lists(ENTRY, max_size=8))
def test_model_install_arbitrary_zip(entries: list[tuple[str, bytes, str]]) -> None:
    with _sandbox() as root:
        archive = root / "sibling" / "evil.argosmodel"
        archive.write_bytes(_zip_bytes(entries))
        store = root / "work" / "store"
        before = snapshot(root)
        with pytest.raises(ModelError) as info:
            install([archive], store)
        assert "\n" not in str(info.value)
        after = snapshot(root)
        # Nothing outside the store changed; inside it, no package and no leftovers.
        assert {k: v for k, v in after.items() if not k.startswith("work/store")} == before
        assert not store.exists() or list(store.iterdir()) == []
        assert list_packages(store) == []


def test_install_arbitrary_zip_through_the_cli(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    archive = tmp_path / "evil.argosmodel"
    archive.write_bytes(
        _zip_bytes([(f"{TOP}/metadata.json", b"{}", "file"), ("../escape.txt", b"x", "file")])
    )
    store = tmp_path / "store"
    result = run_cli("models", "install", str(archive), "--models", str(store))
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert result.stderr.count("\n") == 1
    assert "unsafe path '../escape.txt'" in result.stderr
    assert not (tmp_path / "escape.txt").exists()


def test_verify_names_odd_file_names_on_one_line(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    pack = write_pack(tmp_path, "news", {"index.html": b"<p>x</p>"}, {}, "2026-01-02").folder
    (pack / "evil\nname.txt").write_text("x")
    result = run_cli("verify", str(pack))
    assert result.exit_code == ExitStatus.VERIFY_FAILED
    assert result.stderr.count("\n") == 1
    assert "evil\\nname.txt" in result.stderr


def test_polish_article_summarizes(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    # sumy's Polish stemmer needs pystempel at first use; briefpack falls back to none.
    article = tmp_path / "budzet.txt"
    article.write_text(
        "Rada miasta przyjęła nowy budżet\n\nRada miasta w czwartek przyjęła budżet na przyszły "
        "rok. Wydatki na szkoły wzrosną o dziesięć procent, powiedział burmistrz. Remont "
        "mostu rozpocznie się wiosną. Mieszkańcy chcieli więcej pieniędzy na tramwaje.\n",
        encoding="utf-8",
    )
    result = run_cli("summarize", str(article))
    assert result.exit_code == 0, result.stderr
