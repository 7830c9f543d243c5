"""From a PDF's positioned text lines to an article: title and paragraphs.

pdfminer.six has grouped the glyphs into lines and the lines into boxes (roughly
paragraphs), in reading order, columns included. What is left is what a reader skips or
undoes without noticing: running headers and footers and page numbers (lines that repeat
at the same place across pages), words hyphenated at line ends, paragraphs cut in two by a
page or column break, and the title set in a larger type above the text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    y0: float  # from the page's bottom, as PDF measures
    x1: float
    y1: float
    size: float  # font size of the line's largest glyphs


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    boxes: tuple[tuple[Line, ...], ...]  # pdfminer's text boxes in reading order
    images: bool = False


# Headers and footers live in the page margins: the outer share of the page's height.
_MARGIN_SHARE = 0.15
# Two lines are at "the same place" on two pages when they are this close (points).
_SAME_PLACE = 4.0
# Roman page numbers of front matter: i, iv, xii (not empty, not "civil").
_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
# "3", "- 3 -", "Page 3", "Page 3 of 12", "3/12", "Seite 3 von 12", "Стр. 3", "Сторінка 3 з 12".
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:page|p\.|pg\.|seite|s\.|стр\.?|страница|сторінка|стор\.)\s*)?"
    rf"(?:\d{{1,4}}|{_ROMAN})(?:\s*(?:of|/|von|из|з|de|di|sur)\s*\d{{1,4}})?[-–—\s]*$",
    re.IGNORECASE,
)
# A table of contents' entry: "Introduction . . . . . . 1".
_DOT_LEADER = re.compile(rf"(?:\.\s?){{5,}}\s*(?:\d{{1,4}}|{_ROMAN})$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
# Hyphens that only typesetting adds (soft hyphen, U+2010 from WeasyPrint and LibreOffice)
# and the ASCII hyphen-minus, which may be either a line-end break or a compound's own.
_SOFT_HYPHENS = "\u00ad\u2010"
_LINE_END_HYPHEN = re.compile(r"(\w+)[-\u00ad\u2010]$")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'’”»)\]]*$")
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A heading is set this much larger than the body text.
_HEADING_SCALE = 1.15


def unmapped_share(pages: Sequence[Page]) -> float:
    """Share of the text that is glyphs without a Unicode mapping ("(cid:12)")."""
    text = "".join(line.text for page in pages for box in page.boxes for line in box)
    unmapped = sum(len(m) for m in _UNMAPPED_GLYPH.findall(text))
    return unmapped / max(1, len(text))


def remove_furniture(pages: Sequence[Page]) -> list[Page]:
    """The pages without running headers, footers, page numbers and contents entries."""
    places: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, page in enumerate(pages):
        for box in page.boxes:
            for line in box:
                place = _margin_place(line, page)
                if place is not None:
                    places[_shape(line.text)].append((number, place))
    needed = max(2, len(pages) // 3)
    running: set[tuple[int, str, float]] = set()
    for shape, seen in places.items():
        for number, place in seen:
            pages_there = {n for n, p in seen if abs(p - place) <= _SAME_PLACE}
            if len(pages_there) >= needed:
                running.add((number, shape, place))
    cleaned = []
    for number, page in enumerate(pages):
        boxes = []
        for box in page.boxes:
            kept = tuple(line for line in box if not _is_furniture(line, page, number, running))
            if kept:
                boxes.append(kept)
        cleaned.append(Page(page.width, page.height, tuple(boxes), page.images))
    return cleaned


def _margin_place(line: Line, page: Page) -> float | None:
    """Where a line in the top or bottom margin sits (negative: from the top), else None."""
    margin = page.height * _MARGIN_SHARE
    if line.y0 >= page.height - margin:
        return -(page.height - line.y1)
    if line.y1 <= margin:
        return line.y0
    return None


def _shape(text: str) -> str:
    """A line's text with numbers made alike: "Page 2 of 9" and "Page 3 of 9" match."""
    return _DIGITS.sub("#", " ".join(text.split()).casefold())


def _is_furniture(
    line: Line, page: Page, number: int, running: set[tuple[int, str, float]]
) -> bool:
    if _DOT_LEADER.search(line.text):
        return True
    place = _margin_place(line, page)
    if place is None:
        return False
    return bool(_PAGE_NUMBER.match(line.text)) or (number, _shape(line.text), place) in running


def body_size(pages: Sequence[Page]) -> float:
    """The font size most of the text is set in, weighted by characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for box in page.boxes:
            for line in box:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


@dataclass
class _Block:
    text: str
    size: float
    page: int
    top: float
    bottom: float


def to_article(pages: Sequence[Page]) -> tuple[str, list[str]]:
    """(title set as a heading on the first page, or "", the body's paragraphs)."""
    lexicon = _vocabulary(pages)
    blocks = [
        _Block(
            text=_join_lines(_rows(box), lexicon),
            size=max(line.size for line in box),
            page=number,
            top=max(line.y1 for line in box),
            bottom=min(line.y0 for line in box),
        )
        for number, page in enumerate(pages)
        for box in page.boxes
    ]
    blocks = [block for block in blocks if block.text]
    if not blocks:
        return "", []
    normal = body_size(pages)
    title = ""
    for index, block in enumerate(blocks[:3]):
        if block.page != blocks[0].page or not _may_precede_title(blocks[:index]):
            break
        if block.size >= normal * _HEADING_SCALE:
            title = block.text
            del blocks[index]
            break
    paragraphs: list[_Block] = []
    for block in blocks:
        if paragraphs and _continues(paragraphs[-1], block, normal):
            previous = paragraphs[-1]
            previous.text = _join_lines([previous.text, block.text], lexicon)
            previous.page, previous.top, previous.bottom = block.page, block.top, block.bottom
        else:
            paragraphs.append(block)
    return title, [block.text for block in paragraphs]


def _may_precede_title(blocks: Sequence[_Block]) -> bool:
    """Only a kicker or a date line ("PRESS RELEASE", "14 March 2026") stands above a title."""
    return all(len(b.text.split()) <= 12 and not _SENTENCE_END.search(b.text) for b in blocks)


def _rows(box: Sequence[Line]) -> list[str]:
    """The box's lines as printed rows: pieces of one row (pdfminer splits a justified line
    at a wide gap, and may give the pieces in any order) joined left to right."""
    rows: list[list[Line]] = []
    for line in box:
        if rows and abs(rows[-1][0].y0 - line.y0) <= 0.3 * max(line.size, 1.0):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [" ".join(piece.text for piece in sorted(row, key=lambda p: p.x0)) for row in rows]


def _continues(previous: _Block, block: _Block, normal: float) -> bool:
    """True when `block` is the rest of `previous`, cut by a page or column break."""
    if _SENTENCE_END.search(previous.text) or abs(previous.size - block.size) > 0.6:
        return False
    if previous.size >= normal * _HEADING_SCALE:
        return False  # a heading never runs on into the text
    if _LINE_END_HYPHEN.search(previous.text) or block.text[:1].islower():
        return True
    # A capitalised word after a break: the same paragraph only when the text jumped to a
    # new page or up to the top of the next column, as a flowing paragraph does.
    return block.page > previous.page or block.top > previous.top


@dataclass(frozen=True)
class _Lexicon:
    """What decides a line-end hyphen: the document's words, and how it marks soft breaks."""

    words: frozenset[str]  # every word of the document, lower case
    # True when the producer draws its own breaks as U+00AD or U+2010 (WeasyPrint,
    # LibreOffice, browsers): then an ASCII hyphen at a line end is always the word's own.
    marks_soft_breaks: bool


def _vocabulary(pages: Sequence[Page]) -> _Lexicon:
    words: set[str] = set()
    soft = False
    for page in pages:
        for box in page.boxes:
            for line in box:
                words.update(w.casefold() for w in _WORD.findall(line.text))
                soft = soft or line.text.endswith(tuple(_SOFT_HYPHENS))
    return _Lexicon(frozenset(words), soft)


def _join_lines(lines: Sequence[str], lexicon: _Lexicon) -> str:
    """Lines as one paragraph: words hyphenated at line ends joined, spaces made single."""
    text = ""
    for raw in lines:
        line = " ".join(_UNMAPPED_GLYPH.sub(" ", raw).split())
        if not line:
            continue
        broken = _LINE_END_HYPHEN.search(text)
        if broken and line[:1].isalnum():
            text = text[:-1] + _rejoin(broken.group(1), text[-1], line, lexicon)
        elif text:
            text = f"{text} {line}"
        else:
            text = line
    return text.replace("\u00ad", "")


def _rejoin(head: str, hyphen: str, line: str, lexicon: _Lexicon) -> str:
    """The rest of a word broken at a line end after `head`, with or without its hyphen."""
    if hyphen in _SOFT_HYPHENS and line[:1].islower():
        return line
    if not line[:1].islower() or lexicon.marks_soft_breaks:
        return "-" + line  # "Russia-" + "Ukraine", or a producer that marks its own breaks
    tail = _WORD.match(line)
    tail_word = tail.group(0) if tail else ""
    joined = (head + tail_word).casefold()
    if joined not in lexicon.words and f"{head}-{tail_word}".casefold() in lexicon.words:
        return "-" + line  # the compound is written with its hyphen elsewhere
    return line
