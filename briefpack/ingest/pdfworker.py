"""The PDF text layer, read by pdfminer.six in a child process bounded in memory and time.

Run by `briefpack.ingest.pdf` only, never imported by the parent: a hostile PDF (a flate
bomb, a page tree of a million pages, a content stream of a billion operators) can drive a
PDF parser into gigabytes and minutes, and only a process can be stopped for certain. The
parent gives the PDF on stdin and the limits as arguments; the child prints one JSON object:

    {"title": "...", "pages": [{"w": W, "h": H, "images": true|false,
      "boxes": [[[text, x0, y0, x1, y1, size], ...], ...]}, ...]}

(boxes in pdfminer's reading order, lines top to bottom, y measured from the page's
bottom) or {"error": KIND, "detail": "..."} with KIND one of "encrypted", "pages",
"text" (more than `MAX_RESULT_BYTES`), "damaged", "memory".
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

# An article's text is far smaller; past this a hostile file would flood the parent.
MAX_RESULT_BYTES = 64 * 1024 * 1024


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the parent's time limit still holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _title(document: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    for info in document.info:
        value = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(value, bytes):
            return decode_text(value)
        if isinstance(value, str):
            return value
    return ""


def _page(layout: Any) -> dict[str, Any]:
    from pdfminer.layout import LTChar, LTFigure, LTImage, LTTextBox, LTTextLine

    boxes = []
    images = False

    def collect(container: Any) -> None:
        nonlocal images
        for item in container:
            if isinstance(item, LTImage):
                images = True
            elif isinstance(item, LTFigure):
                collect(item)  # a form XObject: its text is the page's text too
            elif isinstance(item, LTTextBox):
                lines = []
                for line in item:
                    if not isinstance(line, LTTextLine):
                        continue
                    sizes = [char.size for char in line if isinstance(char, LTChar)]
                    text = line.get_text().strip()
                    if text and sizes:
                        box = [round(v, 1) for v in (line.x0, line.y0, line.x1, line.y1)]
                        lines.append([text, *box, round(max(sizes), 1)])
                if lines:
                    boxes.append(lines)

    collect(layout)
    size = {"w": round(layout.width, 1), "h": round(layout.height, 1)}
    return {**size, "images": images, "boxes": boxes}


def extract(data: bytes, max_pages: int) -> dict[str, Any]:
    """The title and positioned text lines of every page, or an error record."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFEncryptionError as exc:
        return {"error": "encrypted", "detail": type(exc).__name__}
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    size = 0
    for number, page in enumerate(PDFPage.create_pages(document)):
        if number >= max_pages:
            return {"error": "pages", "detail": str(max_pages)}
        interpreter.process_page(page)
        pages.append(_page(device.get_result()))
        # What the parent will hold: the text and about 48 bytes of numbers a line.
        size += sum(len(line[0]) + 48 for box in pages[-1]["boxes"] for line in box)
        if size > MAX_RESULT_BYTES:
            return {"error": "text", "detail": str(MAX_RESULT_BYTES)}
    return {"title": _title(document), "pages": pages}


def main(argv: list[str]) -> int:
    max_pages, memory = int(argv[0]), int(argv[1])
    _limit_memory(memory)
    data = sys.stdin.buffer.read()
    try:
        result = extract(data, max_pages)
    except MemoryError:
        result = {"error": "memory", "detail": ""}
    except RecursionError:
        result = {"error": "damaged", "detail": "nesting too deep"}
    except Exception as exc:  # a damaged file can fail anywhere inside the parser
        result = {"error": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:200]}
    sys.stdout.write(json.dumps(result, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
