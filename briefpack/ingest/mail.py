"""E-mail articles (.eml, RFC 5322 with MIME), read with the standard library's `email`.

The Subject is the title (less its Re:/Fwd: prefixes); the body is the message's own text
part, else its HTML part through the HTML path; attachments are ignored. Charsets come
from the MIME headers, detected when a part declares none or a wrong one. What the sender
did not write for this message is dropped: quoted replies ("> " lines, the "On ... wrote:"
block and what follows, in the common languages and clients) and the signature ("-- " and
the common sign-offs). A forwarded message is the opposite case: what was forwarded is the
article, so only the forwarding headers go.
"""

from __future__ import annotations

import re

from briefpack.errors import InputError
from briefpack.ingest.decode import decode

_REPLY_PREFIX = r"(?:re|aw|sv|vs|antw|ref|отв|від)"
_FORWARD_PREFIX = r"(?:fwd?|wg|tr|rv|enc|pd|přep|пер|пересл|пересл\.)"
_SUBJECT_PREFIXES = re.compile(
    rf"^(?:\s*(?:{_REPLY_PREFIX}|{_FORWARD_PREFIX})(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE
)
_FORWARD_SUBJECT = re.compile(
    rf"^(?:\s*(?:{_REPLY_PREFIX}|{_FORWARD_PREFIX})\s*:\s*)*{_FORWARD_PREFIX}\s*:", re.IGNORECASE
)
# "On Tue, 3 Mar 2026 at 09:12, Ann <ann@example.org> wrote:" and its translations.
_ATTRIBUTION = re.compile(
    r"^(?:on\b.+\bwrote|am\b.+\bschrieb\b.*|le\b.+\ba écrit|el\b.+\bescribió"
    r"|il\b.+\bha scritto|(?:em|no dia)\b.+\bescreveu|op\b.+\bschreef\b.*"
    r"|(?:w dniu|dnia)\b.+\bnapisał\(?a?\)?|dne\b.+\bnapsal\(?a?\)?"
    r"|.+\b(?:написал|написала|пишет|написав|написала|пише)(?:\(а\)|\(ла\))?)\s*:\s*$",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine"
    r"|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht"
    r"|исходное сообщение|оригінальне повідомлення|oryginalna wiadomość|původní zpráva)"
    r"\s*-{2,}\s*$|^_{10,}\s*$",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré"
    r"|mensaje reenviado|messaggio inoltrato|mensagem encaminhada|doorgestuurd bericht"
    r"|пересылаемое сообщение|переслане повідомлення|wiadomość przekazana"
    r"|přeposlaná zpráva)\s*-{2,}|begin forwarded message:|anfang der weitergeleiteten"
    r" nachricht:|début du message réexpédié :?)\s*$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(
    r"^\s*\*?(?:from|sent|date|to|cc|subject|reply-to|von|gesendet|datum|an|betreff"
    r"|de|envoyé|à|objet|enviado|para|asunto|inviato|da|oggetto|a|od|wysłano|do|temat"
    r"|от|отправлено|дата|кому|тема|від|надіслано|odesláno|komu|předmět)\*?\s*:",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^--\s*$")
_SIGN_OFF = re.compile(
    r"^(?:(?:best|kind|warm|warmest|many)?\s*regards|(?:many\s+)?thanks(?: again)?"
    r"|thank you|cheers|best(?: wishes)?|all the best|sincerely|yours(?: sincerely| truly)?"
    r"|mit (?:freundlichen|besten|herzlichen) grüßen|(?:viele|beste|liebe|herzliche) grüße"
    r"|cordialement|bien à vous|bien cordialement|salutations|saludos(?: cordiales)?"
    r"|un saludo|atentamente|cordiali saluti|distinti saluti|un saluto|atenciosamente"
    r"|cumprimentos|abraços|met vriendelijke groet(?:en)?|pozdrawiam|z poważaniem"
    r"|s pozdravem|с уважением|всего доброго|спасибо|з повагою|дякую)[\s,.!]*$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(
    r"^(?:sent from my\b|get outlook for\b|von meinem .+ gesendet|envoyé de mon\b"
    r"|enviado desde mi\b|inviato da\b|отправлено с\b|надіслано з\b)",
    re.IGNORECASE,
)
# After a sign-off, a signature is a few short lines (name, role, phone), never an article.
_MAX_SIGNATURE_LINES = 6
_MAX_SIGNATURE_CHARS = 300
_ENCRYPTED = {"multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime"}
_HTML_QUOTES = (
    "//blockquote|//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]"
    "|//*[contains(@class, 'yahoo_quoted')]"
)
# Outlook puts the original after a header block: it and everything after it go.
_HTML_ORIGINAL = "//*[@id='divRplyFwdMsg' or @id='appendonsend']"


def read_eml(data: bytes, name: str, encoding: str | None = None) -> tuple[str, list[str], str]:
    """(title, paragraphs, charset used) of an e-mail message."""
    from email import errors, policy
    from email.parser import BytesParser

    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        subject = str(message.get("subject", "") or "")
        has_headers = any(message.get(h) is not None for h in ("from", "subject", "date"))
        parts = list(message.walk())
        if not has_headers:
            raise InputError(
                f"{name} is not an e-mail message (it has no From, Subject or Date header); "
                "save the message from your mail program as .eml"
            )
        if any(part.get_content_type() in _ENCRYPTED for part in parts):
            raise InputError(
                f"{name} is an encrypted e-mail (S/MIME or PGP); decrypt it in your mail "
                "program and save the message again"
            )
        unclosed = (errors.StartBoundaryNotFoundDefect, errors.CloseBoundaryNotFoundDefect)
        if any(isinstance(d, unclosed) for part in parts for d in part.defects):
            raise InputError(
                f"{name} is a truncated e-mail (a MIME part never closes); save the message again"
            )
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None:
            raise InputError(
                f"{name} has no text or HTML part (only attachments?); "
                "save the attachment itself and give that file"
            )
        payload = body.get_payload(decode=True)
        subtype = body.get_content_subtype()
        charset = body.get_content_charset()
    except InputError:
        raise
    except Exception:  # the email package meets malformed headers with assorted exceptions
        raise InputError(
            f"{name} is a damaged e-mail message (it cannot be parsed); check the file"
        ) from None
    text, used = _decode_part(
        payload if isinstance(payload, bytes) else b"", charset, encoding, name
    )
    forwarded = bool(_FORWARD_SUBJECT.match(subject)) or any(
        _FORWARD_MARKER.match(line) for line in text.splitlines()
    )
    title = _SUBJECT_PREFIXES.sub("", " ".join(subject.split()))
    if subtype == "html":
        from briefpack.ingest.html import html_to_text

        html_title, text = html_to_text(_drop_html_quotes(text, forwarded), name)
        title = title or html_title
    paragraphs = _paragraphs(own_text(text.splitlines(), forwarded))
    if not paragraphs:
        raise InputError(f"{name} holds no text of its own (only quotes and a signature?)")
    return title, paragraphs, used


def _decode_part(
    payload: bytes, charset: str | None, encoding: str | None, name: str
) -> tuple[str, str]:
    if not payload.strip():
        raise InputError(f"{name} has an empty message body; give a message with text in it")
    declared = charset if charset and charset not in ("us-ascii", "ascii") else None
    if declared:
        try:
            return payload.decode(declared), declared
        except (LookupError, UnicodeDecodeError, ValueError):
            pass  # an unknown, wrong or malformed (NUL in it) charset label: detect instead
    return decode(payload, encoding, name)


def _drop_html_quotes(html: str, forwarded: bool) -> str:
    """The HTML without quoted replies (Gmail, Outlook, Yahoo, Apple Mail markup)."""
    if forwarded:
        return html
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return html
    for element in root.xpath(_HTML_ORIGINAL):
        for later in [*element.itersiblings(), element]:
            if later.getparent() is not None:
                later.drop_tree()
    for element in root.xpath(_HTML_QUOTES):
        if element.getparent() is not None:
            element.drop_tree()
    return str(lxml_html.tostring(root, encoding="unicode"))


def own_text(lines: list[str], forwarded: bool = False) -> list[str]:
    """The lines the sender wrote: quotes, reply headers and the signature removed.

    In a forwarded message the forwarded text is kept (its quote marks removed) and only
    the forwarding headers go.
    """
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        stripped = line.strip()
        if forwarded:
            if _FORWARD_MARKER.match(stripped):
                index = _skip_headers(lines, index + 1)
                continue
            if _starts_header_block(lines, index):
                index = _skip_headers(lines, index)
                continue
            if _ORIGINAL_MESSAGE.match(stripped):
                index += 1
                continue
        elif width := _attribution(lines, index):
            rest = [later.strip() for later in lines[index + width :] if later.strip()]
            if rest and rest[0].startswith(">"):
                index += width  # the quote follows, marked: text after it is the reply's
                continue
            break  # the quoted message follows unmarked: nothing after it is the sender's
        elif _ORIGINAL_MESSAGE.match(stripped) or _starts_header_block(lines, index):
            break
        if _SIGNATURE.match(line) or _SENT_FROM.match(stripped):
            break
        if _SIGN_OFF.match(stripped) and _rest_is_signature(lines[index + 1 :]):
            break
        if stripped.startswith(">"):
            if forwarded:
                kept.append(stripped.lstrip("> "))
        else:
            kept.append(line)
        index += 1
    return kept


def _attribution(lines: list[str], index: int) -> int:
    """How many lines an attribution ("On ... wrote:") takes at `index`: 0, 1 or 2."""
    line = lines[index].strip()
    if _ATTRIBUTION.match(line):
        return 1
    # Clients wrap a long one: "On Tue, 3 Mar 2026, Ann Example <ann@...>" / "wrote:".
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if (
        following.endswith(":")
        and len(following) <= 40
        and _ATTRIBUTION.match(f"{line} {following}")
    ):
        return 2
    return 0


def _starts_header_block(lines: list[str], index: int) -> bool:
    """True at an Outlook-style "From: / Sent: / To: / Subject:" block of two or more lines."""
    block = [line for line in lines[index : index + 6] if line.strip()]
    return len(block) >= 2 and all(_HEADER_LINE.match(line) for line in block[:2])


def _skip_headers(lines: list[str], index: int) -> int:
    while index < len(lines) and (not lines[index].strip() or _HEADER_LINE.match(lines[index])):
        if (
            not lines[index].strip()
            and index + 1 < len(lines)
            and not _HEADER_LINE.match(lines[index + 1])
        ):
            return index + 1
        index += 1
    return index


def _rest_is_signature(rest: list[str]) -> bool:
    filled = [line.strip() for line in rest if line.strip() and not line.lstrip().startswith(">")]
    return len(filled) <= _MAX_SIGNATURE_LINES and sum(map(len, filled)) <= _MAX_SIGNATURE_CHARS


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs
