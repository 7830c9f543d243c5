"""PDF articles: the text layer, read by pdfminer.six in a bounded child process.

The child (`briefpack.ingest.pdfworker`) may use at most `MEMORY_LIMIT` bytes of address
space and `TIME_LIMIT` seconds, and reads at most `MAX_PAGES` pages; whatever a damaged or
hostile PDF does to the parser, the user gets one line. `briefpack.ingest.pdflayout` then
turns the positioned lines into a title and paragraphs.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from briefpack.errors import InputError
from briefpack.ingest.pdflayout import Line, Page, remove_furniture, to_article, unmapped_share

log = logging.getLogger(__name__)

MAX_PAGES = 500
TIME_LIMIT = 120.0  # seconds; a 500-page report takes about 40 s on one slow core
MEMORY_LIMIT = 2 * 1024**3
# Text of glyphs whose font has no Unicode map comes out as "(cid:12)": above this share
# the text layer is unreadable.
_MAX_UNMAPPED_SHARE = 0.2
# Producers' placeholders, not titles.
_PLACEHOLDER_TITLES = frozenset({"untitled", "document", "document1", "untitled document"})
_PLACEHOLDER_PREFIXES = ("microsoft word - ", "microsoft powerpoint - ", "untitled-")


def read_pdf(data: bytes, name: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of a PDF with a text layer; InputError for anything else."""
    if b"%%EOF" not in data[-2048:]:
        raise InputError(
            f"{name} is a truncated PDF document (it does not end with %%EOF); copy or download "
            "it again"
        )
    result = _run_worker(data, name)
    error = result.get("error")
    if error == "encrypted":
        raise InputError(
            f"{name} is a password-protected PDF; remove the password (print or save it "
            "unprotected) and give that file"
        )
    if error == "pages":
        raise InputError(
            f"{name} has more than {MAX_PAGES} pages; an article must be shorter: give the "
            "pages to brief as their own PDF"
        )
    if error == "text":
        raise _too_complex(name, "holds far more text than an article")
    if error == "memory":
        raise _too_complex(name, f"needs more than {MEMORY_LIMIT // 1024**2} MB of memory")
    if error is not None:
        log.debug("pdfminer failed on %s: %s", name, result.get("detail"))
        raise InputError(f"{name} is a damaged PDF (it cannot be parsed); check the file")
    pages = [_page(record) for record in result["pages"]]
    if not any(page.boxes for page in pages):
        if any(page.images for page in pages):
            raise InputError(
                f"{name} has no text layer (a scanned document?); it needs OCR first, e.g. "
                "`ocrmypdf in.pdf out.pdf`, then give the result"
            )
        raise InputError(f"{name} holds no text; give a PDF with the article's text in it")
    if unmapped_share(pages) > _MAX_UNMAPPED_SHARE:
        raise InputError(
            f"{name} has a text layer that cannot be decoded (its fonts lack Unicode maps); "
            "it needs OCR first, e.g. `ocrmypdf --force-ocr in.pdf out.pdf`"
        )
    heading, paragraphs = to_article(remove_furniture(pages))
    title = heading or _metadata_title(result.get("title", ""))
    return title, paragraphs


def _run_worker(data: bytes, name: str) -> dict[str, Any]:
    package_root = str(Path(__file__).resolve().parents[2])
    code = (
        f"import sys; sys.path[0] = {package_root!r}; "
        "from briefpack.ingest.pdfworker import main; sys.exit(main(sys.argv[1:]))"
    )
    command = [sys.executable, "-c", code, str(MAX_PAGES), str(MEMORY_LIMIT)]
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    try:
        proc = subprocess.run(
            command, input=data, capture_output=True, timeout=TIME_LIMIT, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise _too_complex(name, f"took more than {TIME_LIMIT:g} s to read") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot start the PDF reader ({exc.strerror})") from None
    if proc.stderr:
        log.debug("PDF reader on %s: %s", name, proc.stderr.decode("utf-8", "replace")[-2000:])
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        result = None
    if proc.returncode != 0 or not isinstance(result, dict):
        # Killed by the memory limit where the allocation failed outside Python's reach.
        raise _too_complex(name, f"stopped the PDF reader (exit status {proc.returncode})")
    return result


def _too_complex(name: str, what: str) -> InputError:
    return InputError(
        f"{name} {what} (a damaged or hostile PDF?); check the file, or save its text as .txt"
    )


def _page(record: dict[str, Any]) -> Page:
    boxes = tuple(tuple(Line(*line) for line in box) for box in record["boxes"])
    return Page(record["w"], record["h"], boxes, record["images"])


def _metadata_title(title: str) -> str:
    flat = " ".join(title.split())
    lowered = flat.casefold()
    if lowered in _PLACEHOLDER_TITLES or lowered.startswith(_PLACEHOLDER_PREFIXES):
        return ""
    if lowered.endswith((".pdf", ".docx", ".doc", ".odt", ".indd", ".tex")):
        return ""  # a file name
    return flat
