"""Wire-story junk removal and light Markdown-to-text, on paragraphs."""

from __future__ import annotations

import re

from briefpack.ingest.phrases import is_furniture_phrase

# Whole paragraphs that are page furniture, not article text (en, de, ru, uk).
_JUNK_PATTERNS = [
    r"source link",
    r"comments (are|have been) closed\.?",
    r"(leave|post|add) a (comment|reply)",
    r"\d+ comments?",
    r"share( this( article| story| post)?)?( on \w+)?:?",
    r"(share|follow us) on (facebook|twitter|x|linkedin|whatsapp|telegram)",
    r"(facebook|twitter|linkedin|whatsapp|telegram|email|print|tweet|pin it)"
    r"( ?[|·•,/] ?(facebook|twitter|linkedin|whatsapp|telegram|email|print|tweet|pin it))*",
    r"click here to .*",
    r"(read|see) (more|also)( here)?:?.*",
    r"related( articles| stories| news)?:?",
    r"advertisement",
    r"(subscribe|sign up)( to| for)? (our|the) newsletter.*",
    r"skip to (main )?content",
    r"(previous|next) (article|post|story)",
    r"tags?:.*",
    r"(home|news|world|sport|business|politics|opinion)( ?[|»>/·] ?\w+)+",
    r"all rights reserved\.?",
    r"(copyright|©) .*",
    r"quelle|kommentare (sind )?geschlossen\.?|teilen|werbung|mehr zum thema:?.*",
    r"источник|комментарии закрыты\.?|поделиться|реклама|читайте также:?.*",
    r"джерело|коментарі закрито\.?|поділитися|реклама|читайте також:?.*",
]
_JUNK = re.compile(r"^\s*(?:" + "|".join(_JUNK_PATTERNS) + r")\s*$", re.IGNORECASE)

_HEADLINE_END = re.compile(r"[.!?:;…。！？｡।۔؟]\s*$")  # sentence ends in every script


def is_junk(paragraph: str) -> bool:
    """True for a paragraph that is page furniture ("Source link", share prompts...)."""
    flat = " ".join(paragraph.split())
    return (len(flat) <= 120 and bool(_JUNK.match(flat))) or is_furniture_phrase(flat)


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each flattened to one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def looks_like_headline(line: str) -> bool:
    """A short line with no sentence-ending punctuation reads as a headline."""
    words = line.split()
    return 0 < len(words) <= 25 and len(line) <= 200 and not _HEADLINE_END.search(line)


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop junk paragraphs anywhere in the article."""
    return [p for p in paragraphs if not is_junk(p)]


_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"```.*?```", re.DOTALL), ""),  # code blocks are not prose
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # blockquotes
    (re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+", re.MULTILINE), ""),  # list markers
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def markdown_to_text(markdown: str) -> tuple[str, str]:
    """(title, text): the first `#` heading as title, the rest as plain paragraphs."""
    title = ""
    lines = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        heading = _MD_HEADING.match(line)
        if heading:
            if not title:
                title = heading.group(1)
                continue
            lines.extend(["", ""])  # section headings are not sentences: keep them out
            continue
        lines.append(line)
    text = "\n".join(lines)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return title, text
