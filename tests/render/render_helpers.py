"""Sample briefings and PDF-reading helpers shared by the render tests."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from briefpack.model import Briefing, ModelInfo, Translation

DATE = "2026-11-27"
PACK_ID = "3f9a1c2e"

EN_POINTS = (
    "Dock workers in Hamburg began a 48-hour strike on Monday, demanding pay rises in line "
    "with inflation.",
    "The ver.di union said the stoppage would affect all three container terminals and could "
    "delay more than forty ships.",
    "Economists warned that a long strike would disrupt supply chains for fertiliser, food and "
    "other goods across Europe.",
)
UK_POINTS = (
    "Портові робітники Гамбурга в понеділок розпочали 48-годинний страйк, вимагаючи "
    "підвищення заробітної плати відповідно до інфляції.",
    "Профспілка заявила, що зупинка роботи торкнеться всіх трьох контейнерних терміналів "
    "і може затримати понад сорок суден.",
    "Економісти попереджають, що тривалий страйк зашкодить ланцюгам постачання ґрунтових "
    "добрив, їжі та інших товарів у всій Європі; м’ясо теж подорожчає.",
)
RU_POINTS = (
    "Портовые рабочие Гамбурга в понедельник начали 48-часовую забастовку, требуя повышения "
    "заработной платы в соответствии с инфляцией.",
    "Профсоюз заявил, что остановка работы затронет все три контейнерных терминала и может "
    "задержать более сорока судов.",
    "Экономисты предупреждают, что длительная забастовка нарушит цепочки поставок удобрений, "
    "продовольствия и других товаров по всей Европе; съёмка объявлений отложена.",
)
DE_POINTS = (
    "Die Hafenarbeiter in Hamburg haben am Montag einen 48-stündigen Streik begonnen und "
    "fordern Lohnerhöhungen im Einklang mit der Inflation.",
    "Die Gewerkschaft erklärte, dass die Arbeitsniederlegung alle drei Containerterminals "
    "betreffen und mehr als vierzig Schiffe verzögern könnte.",
    "Ökonomen warnen, dass ein längerer Streik die Lieferketten für Düngemittel, Lebensmittel "
    "und andere Waren in ganz Europa stören würde.",
)

TITLES = {
    "en": "Hamburg dockers strike over pay; port halted for 48 hours",
    "uk": "Гамбурзькі докери страйкують через зарплату: ґанок порту порожній",
    "ru": "Докеры Гамбурга бастуют из-за зарплаты: порт остановлен на 48 часов",
    "de": "Hamburger Hafenarbeiter streiken für mehr Lohn: Hafen 48 Stunden still",
}
POINTS = {"en": EN_POINTS, "uk": UK_POINTS, "ru": RU_POINTS, "de": DE_POINTS}


def model(to_code: str, *, from_code: str = "en", test_model: bool = False) -> ModelInfo:
    return ModelInfo(
        from_code=from_code,
        to_code=to_code,
        name=f"translate-{from_code}_{to_code}",
        version="1.9",
        path=Path(f"/models/translate-{from_code}_{to_code}"),
        test_model=test_model,
    )


def make_briefing(
    language: str,
    *,
    title: str | None = None,
    points: tuple[str, ...] | None = None,
    models: tuple[ModelInfo, ...] | None = None,
    pivot: str | None = None,
    source_language: str = "en",
    source_name: str = "harbour-strike.txt",
) -> Briefing:
    """A briefing in `language`; translated from `source_language` unless they are the same."""
    title = TITLES[language] if title is None else title
    points = POINTS[language] if points is None else points
    translation = None
    if language != source_language:
        translation = Translation(
            source_language=source_language,
            language=language,
            title=title,
            sentences=points,
            models=models or (model(language, from_code=source_language),),
            pivot=pivot,
        )
    return Briefing(
        language=language,
        title=title,
        points=points,
        source_name=source_name,
        source_language=source_language,
        date=DATE,
        pack_id=PACK_ID,
        translation=translation,
    )


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """All pages' text with hyphenation joined and whitespace collapsed to single spaces."""
    text = "\n".join(page.extract_text() for page in reader(pdf).pages)
    text = text.replace("\u2010\n", "")  # WeasyPrint's automatic hyphen at a line end
    text = text.replace("\u00ad\n", "").replace("-\n", "-")  # a real hyphen stays
    return re.sub(r"\s+", " ", text).strip()


def embedded_font_names(pdf: bytes) -> set[str]:
    """The /FontName of every font that any page uses, subset prefix removed."""
    names = set()
    for page in reader(pdf).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor_owner = descendants[0].get_object() if descendants else font
            name = str(descriptor_owner["/FontDescriptor"]["/FontName"])
            names.add(name.lstrip("/").split("+", 1)[-1])
    return names
