"""Page furniture by its words, in the languages briefpack reads: the second line of defence.

The page's structure (`furniture.py`) removes most furniture; what reaches here is a
paragraph the markup did not label. Each rule matches a whole short paragraph (never a
sentence inside an article paragraph), and says below which class of furniture it removes
and why prose does not match it.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Month and weekday names (and their usual abbreviations) in the languages with most pages:
# a paragraph of only dates, times and these words is a timestamp.
_CALENDAR = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december monday tuesday wednesday thursday "
    "friday saturday sunday mon tue wed thu fri sat sun "
    "januar februar märz mai juni juli oktober dezember montag dienstag mittwoch donnerstag "
    "freitag samstag sonntag "
    "janvier février mars avril juin juillet août septembre octobre novembre décembre lundi "
    "mardi mercredi jeudi vendredi samedi dimanche "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "lunes martes miércoles jueves viernes sábado domingo "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro segunda "
    "terça quarta quinta sexta feira "
    "gennaio febbraio aprile maggio giugno luglio agosto settembre ottobre dicembre lunedì "
    "martedì mercoledì giovedì venerdì sabato domenica "
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia poniedziałek wtorek środa czwartek piątek sobota niedziela "
    "januari februari maart mei augustus oktober maandag dinsdag woensdag donderdag vrijdag "
    "zaterdag zondag "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня "
)
# Words that stand around a timestamp: "Updated", "Published", "at", "às", "um ... Uhr".
_STAMP_WORDS = (
    "am pm a.m. p.m. utc gmt est edt pst pdt cet cest bst ist uhr h hrs hs "
    "updated update published posted last modified edited created "
    "aktualisiert veröffentlicht erstellt stand actualizado publicado actualisé mis à jour "
    "publié modifié le pubblicato aggiornato opublikowano aktualizacja zaktualizowano "
    "gepubliceerd bijgewerkt обновлено опубликовано оновлено опубліковано "
    "at on by de do da del um à às a las los alle ore o om в о "
)
_MONTHS_DAYS = frozenset(_CALENDAR.split())
_CALENDAR_WORDS = _MONTHS_DAYS | frozenset(_STAMP_WORDS.split())
_DATE_SHAPE = re.compile(r"\d{1,4}[:/.-]\d{1,2}")
_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.?", re.UNICODE)
_DIGITS = re.compile(r"^\d")
_BY = re.compile(r"\b(?:by|por|par|von|di|door|przez|от|від)\s+\S", _I)

# Bylines: "By Jane Doe", "Por Juan Pérez", "Von Max Muster", "Texto: ...", "Fotos: ...".
# A short paragraph that opens with one of these words and then a name is a credit line;
# prose does not open with "By Name" and stop.
_BYLINE = re.compile(
    r"^(?:by|written by|reported by|words by|por|par|von|di|door|av|af|przez|autor(?:a|in)?|"
    r"author|texto|text|textes?|tekst|redacción|redação|rédaction|redaktion|redakcja|"
    r"fotos?|photos?|bild(?:er)?|image|imagen|immagine|zdj[eę]cie|credits?|source|quelle|"
    r"fuente|fonte|źródło|источник|джерело|interview|entretien|entrevista|intervista|"
    r"wywiad|интервью|інтерв'ю|حوار|publicado por|posted by|escrito por|écrit par|"
    r"scritto da|geschrieben von|napisał(?:a)?)\b\s*:?\s*\S",
    _I,
)
_MAX_BYLINE_WORDS = 10

# Reading time: "3 min read", "Tempo de leitura: 1 minuto", "Lesezeit: 4 Minuten".
_READING_TIME = re.compile(
    r"\d+\s*(?:min(?:ute)?s?|minutos?|minuten|minuti|minut|минут[аы]?|хвилин[аи]?)\b.{0,20}"
    r"(?:read|lectura|leitura|lecture|lettura|lesezeit|czytania|чтения|читання)|"
    r"(?:reading time|read time|tempo de leitura|tiempo de lectura|temps de lecture|"
    r"tempo di lettura|lesezeit|leestijd|czas czytania|время чтения|час читання|"
    r"lästid|lesetid|læsetid|okuma süresi)\s*:?\s*\d*",
    _I,
)
# Links to other stories: "Lire aussi : …", "Leia também", "MIRA | …", "Also on rt.com".
# These open the paragraph and introduce another headline; an article sentence does not
# open with them.
_RELATED = re.compile(
    r"^(?:also on\b|also read|read also|read more|see also|more on this|related\b|"
    r"recommended|lire aussi|à lire aussi|voir aussi|lire la suite|leia também|leia mais|"
    r"veja também|saiba mais|lee también|leer más|ver también|mira\b|más información|"
    r"relacionad[oa]s?|te puede interesar|leggi anche|leggi pure|vedi anche|"
    r"lesen sie auch|lesen sie mehr|siehe auch|auch interessant|mehr zum thema|"
    r"zobacz (?:też|także|również)|czytaj (?:też|także|również|więcej)|przeczytaj też|"
    r"lees ook|lees meer|zie ook|läs också|läs mer|les også|læs også|"
    r"читайте также|читайте також|дивіться також|смотрите также|див\. також)\b",
    _I,
)
# Share, print and reprint tools, comments and advertising labels (whole paragraphs).
_TOOLS = re.compile(
    r"^[-–•|\s]*(?:order reprints?|reprints?(?: (?:&|and) permissions)?|print(?: this)?|"
    r"imprimir|imprimer|drucken|stampa|drukuj|печать|друк|e-?mail|email this|"
    r"compartir|compartilhar|partager|teilen|condividi|udostępnij|delen|dela|del|"
    r"поделиться|поділитися|share(?: this)?(?: article| story| on \w+)?|tweet|"
    r"comentarios?|commentaires?|kommentare?|komentarze?|commenti|comments?|"
    r"advertisement|anzeige|werbung|publicidad|publicidade|publicité|pubblicità|reklama|"
    r"реклама|sponsored|patrocinado|gesponsert|annonse|annons|advertentie)[\s:|•-]*$",
    _I,
)
# Cookie and consent notices: they speak of cookies and of using or accepting them.
_COOKIE = re.compile(r"cookie|ciasteczk|galleta", _I)
_CONSENT = re.compile(
    r"\b(?:use|uses|using|accept|consent|agree|privacy|utilizamos|usamos|usa|utiliza|"
    r"aceptar|acepta|aceitar|utilisons|utilise|accepter|verwenden|nutzen|akzeptieren|"
    r"zustimm|używamy|korzysta|akceptuj|zgod|utilizziamo|usiamo|accetta|consenso|"
    r"gebruiken|accepteren|используем|використовуємо)",
    _I,
)
_MAX_NOTICE_WORDS = 70
# Newsletter and subscription promos: they ask the reader to sign up or subscribe.
_PROMO = re.compile(
    r"\b(?:sign up|subscribe|abonnez-vous|inscrivez-vous|"
    r"suscr[ií]bete|suscríbase|boletín|inscreva-se|assine|abonnieren|anmelden|"
    r"iscriviti|abbonati|zapisz się|subskryb|zaprenumeruj|подпишитесь|підпишіться|"
    r"abonneer|prenumerera)\b",
    _I,
)
# "Newsletter" alone may be the subject of a sentence; with an inbox or "free" it is a promo.
_NEWSLETTER = re.compile(r"newsletter|boletín|bulletin", _I)
_PROMO_CONTEXT = re.compile(
    r"\b(?:inbox|e-?mail|free|daily|weekly|gratuit|gratis|kostenlos|gratuita?|diaria|täglich)\b",
    _I,
)
_MAX_PROMO_WORDS = 30
# Advertising disclosures: "Anzeige, enthält Affiliate Links", "This post contains references
# to products from our advertisers". They speak of affiliate links or advertisers, and of the
# post containing them: prose about advertising names neither so.
_DISCLOSURE = re.compile(
    r"affiliate|advertisers|werbepartner|enlaces de afiliados|liens affiliés|link di affiliazione",
    _I,
)
_DISCLOSURE_CONTEXT = re.compile(
    r"\b(?:contains?|includes?|enthält|beinhaltet|contiene|contient|contém|anzeige|werbung|"
    r"this (?:post|article|page)|dieser (?:beitrag|artikel))\b",
    _I,
)
_MAX_DISCLOSURE_WORDS = 30
# Captions with a photo credit: "(Photo: Jane Doe/Reuters)", "… AFP/Getty Images".
# Photo agencies end only captions; news agencies ("… told Reuters.") only after a slash
# ("Jane Doe/AFP") or a photo label.
_CREDIT = re.compile(
    r"(?:getty images|shutterstock|istock(?:photo)?|ap photo|picture alliance|"
    r"imago(?: images)?)\s*\)?\.?$|"
    r"(?:/\s*|\b(?:photo|foto|credit|image|bild|zdjęcie|фото)\b[^.]{0,60})"
    r"(?:afp|reuters|ap|epa|dpa|anadolu|xinhua|efe|ansa|pap)\s*\)?\.?$|"
    r"\((?:photo|foto|image|imagen|bild|zdjęcie|фото)\s*:[^)]*\)\s*$",
    _I,
)
_MAX_CAPTION_WORDS = 45
# Breadcrumbs: three or more short labels joined by » > › / | (no sentence in between).
_CRUMB_SEPARATOR = re.compile(r"\s+[»>›/|]\s+|\s*»\s*|\s*›\s*")
_MAX_CRUMB_WORDS = 4
# A paragraph that is only a web address.
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", _I)
# "Label: value" metadata lines: "Publicado por: X - Categoria: Y - Tags: z".
_LABEL = re.compile(r"(?:^|\s[-–|•]\s|\s)[^\W\d_][\w ]{1,25}:\s", re.UNICODE)


def is_furniture_phrase(paragraph: str) -> bool:
    """True when the paragraph is one of the classes of furniture above."""
    flat = " ".join(paragraph.split())
    words = flat.split()
    n = len(words)
    if not n:
        return True
    if _BARE_URL.match(flat) or _TOOLS.match(flat):
        return True
    if (
        n <= _MAX_BYLINE_WORDS
        and _BYLINE.match(flat)
        and (":" in flat[:30] or not flat.endswith((".", "!", "?", "…")))
    ):
        return True  # "Von den Gästen kamen fünf." is a sentence: it ends like one
    if n <= 25 and (_READING_TIME.search(flat) or _is_timestamp(flat)):
        return True
    if n <= 40 and _RELATED.match(flat):
        return True
    if n <= _MAX_NOTICE_WORDS and _COOKIE.search(flat) and _CONSENT.search(flat):
        return True
    if n <= _MAX_PROMO_WORDS and (
        _PROMO.search(flat) or (_NEWSLETTER.search(flat) and _PROMO_CONTEXT.search(flat))
    ):
        return True
    if n <= _MAX_DISCLOSURE_WORDS and _DISCLOSURE.search(flat) and _DISCLOSURE_CONTEXT.search(flat):
        return True
    if n <= _MAX_CAPTION_WORDS and _CREDIT.search(flat):
        return True
    if n <= 30 and len(_LABEL.findall(flat)) >= 2 and not flat.endswith((".", "!", "?")):
        return True
    return _is_breadcrumb(flat)


def _is_timestamp(flat: str) -> bool:
    """Only dates, times and the words around them ("UPDATED: Tue., Nov. 19, 2019")."""
    tokens = _TOKEN.findall(flat.casefold())
    if not tokens:
        return False
    other = [t for t in tokens if not _DIGITS.match(t) and t.rstrip(".") not in _CALENDAR_WORDS]
    dated = sum(1 for t in tokens if _DIGITS.match(t) or t.rstrip(".") in _MONTHS_DAYS)
    # A byline may ride along ("… 11/19/2019 by Patrick Shanley"): up to three name words
    # after "by"; otherwise one stray word at most. A sentence ("The council met on Monday,
    # 5 March, at 10 am.") has a subject and a verb besides the date.
    allowed = 3 if _BY.search(flat) else 1
    if flat.endswith((".", "!", "?")) and not flat.endswith(
        tuple(f"{t}." for t in _CALENDAR_WORDS)
    ):
        allowed = 0
    # And it looks like a date: a month or weekday name, or 11/19/2019, 20:13, 2019-11-19.
    shaped = _DATE_SHAPE.search(flat) or any(t.rstrip(".") in _MONTHS_DAYS for t in tokens)
    return bool(shaped) and dated >= 2 and len(other) <= allowed and len(other) < len(tokens) / 2


def _is_breadcrumb(flat: str) -> bool:
    parts = [p for p in _CRUMB_SEPARATOR.split(flat) if p.strip()]
    if len(parts) < 3:
        return False
    return all(len(p.split()) <= _MAX_CRUMB_WORDS and not p.endswith(".") for p in parts)
