"""Hypothesis: random and mutated PDF, Word, OpenDocument and e-mail files give an article or
one InputError, never another exception, within bounded time and memory.

Mutations work on the container (bytes flipped, cut, inserted anywhere in the file) and,
for the zip formats, inside the zip (the XML mutated, the archive rebuilt valid), so the
XML readers are reached too, not only the zip checks.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import cache

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefpack.errors import InputError
from briefpack.ingest import parse_article, pdf
from briefpack.ingest.formats import DOCUMENT_MEDIA_TYPES
from briefpack.model import Article
from tests.ingest import documents

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Each PDF example starts the bounded reader process (about 0.3 s).
FUZZ_PDF = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# In-process readers: Python-level peak allocation per example.
MAX_PEAK_BYTES = 300 * 1024**2


@cache
def valid(kind: str) -> bytes:
    makers: dict[str, Callable[[], bytes]] = {
        "pdf": documents.make_pdf,
        "pdf-plain": lambda: documents.interleaved_columns_pdf(compress=False),
        "docx": documents.make_docx,
        "odt": documents.make_odt,
        "eml": documents.make_eml,
        "eml-html": lambda: documents.make_eml(html_only=True),
    }
    return makers[kind]()


@st.composite
def mutated(draw: st.DrawFn, data: bytes, keep: int = 0) -> bytes:
    """`data` with a few bytes replaced, a slice cut out or random bytes inserted.

    With `keep`, the first and last `keep` bytes stay (a PDF's header and trailer), so the
    mutations reach the parser's inner layers instead of its first checks.
    """
    out = bytearray(data)
    actions = ["flip", "cut", "insert"] + ([] if keep else ["truncate"])
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(actions))
        at = draw(st.integers(keep, max(keep, len(out) - 1 - keep)))
        if action == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del out[at : min(at + draw(st.integers(1, 200)), max(at, len(out) - keep))]
        elif action == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del out[at:]
    return bytes(out)


def _rezip(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == member else source.read(info))
    return out.getvalue()


def _member(data: bytes, member: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return source.read(member)


def check(data: bytes, source: str, in_process: bool = True) -> None:
    """An Article or one InputError, as for a file named `source`; within the bounds."""
    start = time.monotonic()
    if in_process:
        tracemalloc.start()
    try:
        suffix = "." + source.rsplit(".", 1)[-1]
        result = parse_article(data, source=source, media_type=DOCUMENT_MEDIA_TYPES[suffix])
        assert isinstance(result, Article)
        assert result.text.strip()
        event("article")
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message
        event(message.split(" (")[0].replace(source, "FILE")[:60])
    finally:
        if in_process:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert peak < MAX_PEAK_BYTES, peak
    # The PDF reader stops itself at its time limit; the others have no reason to be slow.
    assert time.monotonic() - start < (10 if in_process else pdf.TIME_LIMIT + 10)


@FUZZ_PDF
@given(data=st.data())
def test_mutated_pdfs(data: st.DataObject) -> None:
    check(data.draw(mutated(valid("pdf"))), "f.pdf", in_process=False)


@FUZZ_PDF
@given(data=st.data(), kind=st.sampled_from(["pdf", "pdf-plain"]))
def test_pdfs_mutated_between_header_and_trailer(data: st.DataObject, kind: str) -> None:
    check(data.draw(mutated(valid(kind), keep=64)), "f.pdf", in_process=False)


@FUZZ_PDF
@given(body=st.binary(max_size=3000), tail=st.booleans())
def test_random_bytes_after_a_pdf_header(body: bytes, tail: bool) -> None:
    check(b"%PDF-1.7\n" + body + (b"\n%%EOF\n" if tail else b""), "f.pdf", in_process=False)


@FUZZ
@given(data=st.data(), kind=st.sampled_from(["docx", "odt"]))
def test_mutated_zip_containers(data: st.DataObject, kind: str) -> None:
    check(data.draw(mutated(valid(kind))), f"f.{kind}")


@FUZZ
@given(data=st.data(), kind=st.sampled_from(["docx", "odt"]))
def test_mutated_xml_inside_valid_zips(data: st.DataObject, kind: str) -> None:
    member = "word/document.xml" if kind == "docx" else "content.xml"
    xml = data.draw(mutated(_member(valid(kind), member)))
    check(_rezip(valid(kind), member, xml), f"f.{kind}")


@FUZZ
@given(body=st.binary(max_size=3000))
def test_random_bytes_after_a_zip_header(body: bytes) -> None:
    check(b"PK\x03\x04" + body, "f.docx")


@FUZZ
@given(data=st.data(), kind=st.sampled_from(["eml", "eml-html"]))
def test_mutated_emails(data: st.DataObject, kind: str) -> None:
    check(data.draw(mutated(valid(kind))), "f.eml")


HEADER_LINES = st.sampled_from(
    [
        b"From: a@example.org\n",
        b"Subject: =?utf-8?b?0J/RgNC40LLQtdGC?=\n",
        b"Subject: =?x-unknown?q?caf=E9?=\n",
        b"Date: not a date\n",
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b'Content-Type: text/plain; charset="x-no-such-charset"\n',
        b"Content-Type: text/html; charset=utf-7\n",
        b"Content-Transfer-Encoding: base64\n",
        b"Content-Transfer-Encoding: quoted-printable\n",
        b"MIME-Version: 1.0\n",
        b'To: "unclosed <b@example.org\n',
        b"\tfolded continuation\n",
    ]
)
BODY_LINES = st.sampled_from(
    [
        b"\n",
        b"--b\n",
        b"--b--\n",
        b"Content-Type: text/plain\n",
        b"The barrier closed on Tuesday night after heavy rain.\n",
        b"> quoted line\n",
        b"-- \n",
        b"On Tue, 3 Mar 2026, Ann wrote:\n",
        b"=E9=\n",
        b"0J/RgNC40LLQtdGC\n",
        b"<p>Gates <b>closed</b></p>\n",
    ]
)


@FUZZ
@given(headers=st.lists(HEADER_LINES, max_size=10), body=st.lists(BODY_LINES, max_size=20))
def test_generated_emails(headers: list[bytes], body: list[bytes]) -> None:
    check(b"".join(headers) + b"\n" + b"".join(body), "f.eml")
