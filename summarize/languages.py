"""What the summarizer knows about each language: stemmer, stop-word lists, abbreviations.

Every language Argos Translate has models for is here. A stemmer is Snowball's where Snowball
has one (snowballstemmer's list, 2026), sumy's for Ukrainian; stop words come from sumy's
lists and the `stop-words` package where either has one. Languages with neither are
summarized on lower-cased words (position and length still rank sentences well: the default
algorithm leans on position).
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class LanguageInfo(NamedTuple):
    name: str  # English name, as sumy and stop-words spell it
    snowball: str | None  # snowballstemmer algorithm, None when Snowball has none
    stop_lists: tuple[str, ...]  # names of stop-word lists in sumy / stop-words


def _info(
    name: str, snowball: str | None = "", stops: tuple[str, ...] | None = None
) -> LanguageInfo:
    return LanguageInfo(
        name, name if snowball == "" else snowball, (name,) if stops is None else stops
    )


LANGUAGES: dict[str, LanguageInfo] = {
    "ar": _info("arabic"),
    "az": _info("azerbaijani", None, ()),
    "bg": _info("bulgarian", None),
    "bn": _info("bengali", None, ()),
    "ca": _info("catalan"),
    "cs": _info("czech"),
    "da": _info("danish"),
    "de": _info("german"),
    "el": _info("greek"),
    "en": _info("english"),
    "eo": _info("esperanto", "esperanto", ()),
    "es": _info("spanish"),
    "et": _info("estonian", "estonian", ()),
    "fa": _info("persian"),
    "fi": _info("finnish"),
    "fr": _info("french"),
    "ga": _info("irish", "irish", ()),
    "gl": _info("galician", None, ()),
    "he": _info("hebrew", None),
    "hi": _info("hindi"),
    "hu": _info("hungarian"),
    "id": _info("indonesian"),
    "it": _info("italian"),
    "ja": _info("japanese", None),
    "ko": _info("korean", None),
    "lt": _info("lithuanian", "lithuanian", ()),
    "lv": _info("latvian", None, ()),
    # Malay and Indonesian share most of their morphology; Snowball's Indonesian stemmer
    # strips the same affixes (ber-, -kan, -nya...), so Malay uses it.
    "ms": _info("malay", "indonesian", ("malaysian",)),
    "nb": _info("norwegian"),
    "nl": _info("dutch"),
    "pl": _info("polish"),
    "pt": _info("portuguese"),
    "ro": _info("romanian"),
    "ru": _info("russian"),
    "sk": _info("slovak", None),
    "sl": _info("slovenian", None, ()),
    "sq": _info("albanian", None, ()),
    "sv": _info("swedish"),
    "th": _info("thai", None),
    "tl": _info("tagalog", None, ()),
    "tr": _info("turkish"),
    "uk": _info("ukrainian", None),  # sumy's own Ukrainian stemmer: see text.stemmer
    "ur": _info("urdu", None, ()),
    "vi": _info("vietnamese", None),
    "zh": _info("chinese", None),
}

# Languages written without spaces between words: word features are character bigrams.
UNSPACED = frozenset({"zh", "ja", "th"})

# Abbreviations after which a sentence does not end, whatever follows (titles, "for example",
# "so-called", "street", "number"...), lower case, with their dots; multi-word ones ("z. B.")
# by their last word. sentencex knows some; these are ones it was seen to split on, and kin.
NEVER_ENDS: dict[str, frozenset[str]] = {
    "cs": _words("např. tzv. tj. resp. č. ul. nám. mil. mld. tis. pí. ing. mudr. judr. doc.")
    | _words("prof. dr. mgr. sv. odst. str. kč."),
    "de": _words("z.b. d.h. u.a. bzw. ca. vgl. sog. nr. st. str. dr. prof. hr. fr. abs. art.")
    | _words("inkl. zzgl. evtl. ggf. bspw. mio. mrd. tsd."),
    "en": _words("mr. mrs. ms. dr. prof. st. mt. no. nos. vs. approx. gen. gov. sen. rep.")
    | _words("col. lt. sgt. capt. jr. e.g. i.e."),
    "es": _words("sr. sra. srta. dr. dra. dña. pág. págs. núm. art. av. avda. ej. aprox.")
    | _words("ud. uds. lic. ing. gral."),
    "fr": _words("m. mm. mme. mmes. mlle. dr. pr. me. st. ste. pp. art. av. bd. cf. n°. mgr."),
    "it": _words("sig. sigg. sig.ra dott. dott.ssa prof. ing. avv. on. sen. pag. art. cfr."),
    "nl": _words("dhr. mevr. mr. dr. ir. drs. prof. o.a. m.b.t. t.a.v. i.p.v. bijv. nr. zgn.")
    | _words("blz."),
    "pl": _words("tzw. np. m.in. ul. al. pl. nr. ok. dr. prof. mgr. inż. ks. św. im. gen.")
    | _words("płk. tys. mln. mld. zł. woj. pow. godz. tj. tzn. ds. rys. str. ws. wg. red."),
    "pt": _words("sr. sra. srta. dr. dra. prof. profa. pág. págs. núm. art. av. eng. gen.")
    | _words("aprox."),
    "ru": _words("т.е. т.н. т.к. ул. пр. им. проф. акад. ген. млн. млрд. тыс. руб. гг. ст.")
    | _words("стр. рис. см. ок. кв."),
    "uk": _words("т.зв. т.б. вул. просп. пл. пров. ім. проф. акад. ген. млн. млрд. тис.")
    | _words("грн. рр. ст. стор. див. буд."),
}
# Abbreviations that may also end a sentence ("etc.", "this year", "per cent"): the sentence
# goes on only when the next piece opens in lower case or with a digit.
MAY_END: dict[str, frozenset[str]] = {
    "cs": _words("atd. apod. aj. r. min. hod. proc."),
    "de": _words("usw. etc. u.ä. bzw. jh. jhd. proz. min. std."),
    "en": _words("etc. inc. ltd. co. corp. a.m. p.m. u.s. u.k."),
    "es": _words("etc. s.a. hs. min."),
    "fr": _words("etc. env. h. min. s.a."),
    "it": _words("ecc. etc. s.p.a. min."),
    "nl": _words("enz. etc. e.d. b.v. n.v. min."),
    "pl": _words("br. r. proc. itd. itp. in. min. godz. s.a. sp. zm. wyd."),
    "pt": _words("etc. s.a. ltda. min. h."),
    "ru": _words("т.д. т.п. др. г. в. вв. мин. ч."),
    "uk": _words("т.д. т.п. ін. р. ст. хв. год."),
}
# German writes ordinals with a dot and capitalises nouns ("im 4. Stock", "am 3. Oktober"):
# a small number and its dot end no sentence there. Other languages with ordinal dots
# (cs, da, fi, pl...) write the next word in lower case, which already joins the pieces.
ORDINAL_DOT = frozenset({"de"})


def info(code: str) -> LanguageInfo:
    """What is known about a language; English's resources for unknown codes."""
    return LANGUAGES.get(code, LANGUAGES["en"])
