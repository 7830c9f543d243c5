"""The briefing's fixed wording in each interface language (English is the fallback)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

ENGINE: Final = "Argos Translate / CTranslate2"

_EN: Final = {
    "briefing": "Briefing",
    "source": "Source",
    "date": "Date",
    "language": "Language",
    "key_points": "Key points",
    "page": "Page",
    "pack": "Pack",
    "mt_heading": "Machine translation",
    "mt_body": (
        "This briefing was translated automatically and has not been checked by a person. "
        "Where it differs from the original, the original prevails."
    ),
    "engine": "Engine",
    "model": "Model",
    "source_language": "Source language",
    "pivot_language": "Pivot language",
    "test_heading": "Test model — not a real translation",
    "test_body": (
        "A test model built to check the software produced this text. "
        "It does not translate the article; do not rely on it."
    ),
    "original_heading": "Original language",
    "original_body": (
        "This briefing is in the language of the source article; it is not translated."
    ),
}

_RU: Final = {
    "briefing": "Брифинг",
    "source": "Источник",
    "date": "Дата",
    "language": "Язык",
    "key_points": "Ключевые тезисы",
    "page": "Стр.",
    "pack": "Пакет",
    "mt_heading": "Машинный перевод",
    "mt_body": (
        "Брифинг переведён автоматически и не проверен человеком. "
        "При расхождениях преимущественную силу имеет оригинал."
    ),
    "engine": "Система перевода",
    "model": "Модель",
    "source_language": "Язык оригинала",
    "pivot_language": "Язык-посредник",
    "test_heading": "Тестовая модель — это не настоящий перевод",
    "test_body": (
        "Этот текст создан тестовой моделью для проверки программы. "
        "Он не является переводом статьи; не полагайтесь на него."
    ),
    "original_heading": "Язык оригинала",
    "original_body": "Брифинг составлен на языке исходной статьи; перевод не выполнялся.",
}

_UK: Final = {
    "briefing": "Брифінг",
    "source": "Джерело",
    "date": "Дата",
    "language": "Мова",
    "key_points": "Ключові тези",
    "page": "Стор.",
    "pack": "Пакет",
    "mt_heading": "Машинний переклад",
    "mt_body": (
        "Брифінг перекладено автоматично й не перевірено людиною. "
        "У разі розбіжностей переважну силу має оригінал."
    ),
    "engine": "Система перекладу",
    "model": "Модель",
    "source_language": "Мова оригіналу",
    "pivot_language": "Мова-посередник",
    "test_heading": "Тестова модель — це не справжній переклад",
    "test_body": (
        "Цей текст створено тестовою моделлю для перевірки програми. "
        "Він не є перекладом статті; не покладайтеся на нього."
    ),
    "original_heading": "Мова оригіналу",
    "original_body": "Брифінг складено мовою вихідної статті; переклад не виконувався.",
}

_DE: Final = {
    "briefing": "Briefing",
    "source": "Quelle",
    "date": "Datum",
    "language": "Sprache",
    "key_points": "Kernpunkte",
    "page": "Seite",
    "pack": "Paket",
    "mt_heading": "Maschinelle Übersetzung",
    "mt_body": (
        "Dieses Briefing wurde automatisch übersetzt und nicht von einem Menschen geprüft. "
        "Bei Abweichungen ist das Original maßgeblich."
    ),
    "engine": "Übersetzungssystem",
    "model": "Modell",
    "source_language": "Originalsprache",
    "pivot_language": "Pivotsprache",
    "test_heading": "Testmodell — keine echte Übersetzung",
    "test_body": (
        "Diesen Text hat ein Testmodell erzeugt, das nur die Software prüft. "
        "Er übersetzt den Artikel nicht; verlassen Sie sich nicht darauf."
    ),
    "original_heading": "Originalsprache",
    "original_body": (
        "Dieses Briefing ist in der Sprache des Ausgangsartikels verfasst; es ist nicht übersetzt."
    ),
}

_STRINGS: Final = {"en": _EN, "ru": _RU, "uk": _UK, "de": _DE}

# Names of languages, as written in each interface language (nominative, in running text case).
_LANGUAGE_NAMES: Final = {
    "en": {
        "en": "English",
        "ru": "Russian",
        "uk": "Ukrainian",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "it": "Italian",
        "pl": "Polish",
    },
    "ru": {
        "en": "английский",
        "ru": "русский",
        "uk": "украинский",
        "de": "немецкий",
        "fr": "французский",
        "es": "испанский",
        "it": "итальянский",
        "pl": "польский",
    },
    "uk": {
        "en": "англійська",
        "ru": "російська",
        "uk": "українська",
        "de": "німецька",
        "fr": "французька",
        "es": "іспанська",
        "it": "італійська",
        "pl": "польська",
    },
    "de": {
        "en": "Englisch",
        "ru": "Russisch",
        "uk": "Ukrainisch",
        "de": "Deutsch",
        "fr": "Französisch",
        "es": "Spanisch",
        "it": "Italienisch",
        "pl": "Polnisch",
    },
}


def strings_for(language: str) -> MappingProxyType[str, str]:
    """The fixed strings for an interface language; English for languages we lack."""
    return MappingProxyType(_STRINGS.get(language, _EN))


def language_name(code: str, interface: str) -> str:
    """The name of language `code` in `interface`; English name, then the code, as fallbacks."""
    names = _LANGUAGE_NAMES.get(interface, _LANGUAGE_NAMES["en"])
    return names.get(code) or _LANGUAGE_NAMES["en"].get(code) or code
