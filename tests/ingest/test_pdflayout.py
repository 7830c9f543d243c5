"""The PDF layout rules on hand-made pages: breaks, hyphens, headers, titles."""

from __future__ import annotations

from briefpack.ingest.pdflayout import Line, Page, remove_furniture, to_article


def line(text: str, top: float, size: float = 10.0, x0: float = 50.0) -> Line:
    return Line(text, x0, top - size, x0 + 6 * len(text), top, size)


def page(*boxes: tuple[Line, ...]) -> Page:
    return Page(420.0, 600.0, tuple(boxes))


def test_a_paragraph_cut_by_a_page_break_before_a_capital_is_joined() -> None:
    first = page((line("Flood report", 520, 16),), (line("The gates closed, said Ilse", 480),))
    second = page((line("Varga, the hydrologist.", 540),), (line("Later text.", 500),))
    title, paragraphs = to_article([first, second])
    assert title == "Flood report"
    assert paragraphs == ["The gates closed, said Ilse Varga, the hydrologist.", "Later text."]


def test_a_heading_or_a_box_lower_on_the_page_starts_a_paragraph() -> None:
    only = page(
        (line("The gates closed.", 540),),
        (line("Evacuations upstream", 500, 12),),
        (line("Not every village", 470),),
        (line("New paragraph", 420),),
    )
    _, paragraphs = to_article([only])
    assert paragraphs == [
        "The gates closed.",
        "Evacuations upstream",
        "Not every village",
        "New paragraph",
    ]


def test_line_end_hyphens() -> None:
    box = (
        line("a soft auto\u00admatic break, a well-known and a long-", 540),
        line("term plan, a Russia-", 528),
        line("Ukraine deal, pages 10-", 516),
        line("12 and a syl-", 504),
        line("lable.", 492),
    )
    _, paragraphs = to_article([page(box)])
    assert paragraphs == [
        "a soft automatic break, a well-known and a longterm plan, a "
        "Russia-Ukraine deal, pages 10-12 and a syllable."
    ]


def test_where_breaks_are_marked_as_such_an_ascii_hyphen_is_the_words_own() -> None:
    box = (
        line("an auto\u2010", 540),
        line("matic break and a twenty-", 528),
        line("five year plan.", 516),
    )
    _, paragraphs = to_article([page(box)])
    assert paragraphs == ["an automatic break and a twenty-five year plan."]


def test_a_compound_written_with_its_hyphen_elsewhere_keeps_it() -> None:
    box = (line("the long-term plan and the long-", 540), line("term cost.", 528))
    _, paragraphs = to_article([page(box)])
    assert paragraphs == ["the long-term plan and the long-term cost."]


def test_running_heads_and_page_numbers_go_body_lines_stay() -> None:
    pages = [
        page(
            (line("Marrow Courier", 590, 8),),
            (line(f"Body text of page {n} stays here.", 400),),
            (line(f"{n}", 20, 8),),
            (line(f"Page {n} of 3", 10, 8),),
        )
        for n in (1, 2, 3)
    ]
    lonely = page((line("Marrow Courier", 300, 8),))  # same words, not in a margin
    cleaned = remove_furniture([*pages, lonely])
    texts = [[ln.text for box in p.boxes for ln in box] for p in cleaned]
    assert texts[:3] == [[f"Body text of page {n} stays here."] for n in (1, 2, 3)]
    assert texts[3] == ["Marrow Courier"]


def test_a_margin_line_on_one_page_only_is_kept() -> None:
    pages = [
        page((line("Summary of the report", 590, 8),), (line("Body.", 400),)),
        page((line("Body two.", 400),)),
    ]
    texts = [ln.text for p in remove_furniture(pages) for box in p.boxes for ln in box]
    assert texts == ["Summary of the report", "Body.", "Body two."]


def test_roman_page_numbers_and_contents_entries_go() -> None:
    pages = [
        page(
            (line("Introduction . . . . . . . . 1", 400),),
            (line("The text.", 300),),
            (line("iv", 20, 8),),
        )
    ]
    texts = [ln.text for p in remove_furniture(pages) for box in p.boxes for ln in box]
    assert texts == ["The text."]
