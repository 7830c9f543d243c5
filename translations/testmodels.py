"""Build tiny but real Argos Translate packages (`.argosmodel`) offline, for tests and the demo.

Each package is a genuine tokenizer (SentencePiece, or BPE codes) plus a CTranslate2
Transformer, so it runs through exactly the code paths a real Argos package does. The
weights are set by hand, not trained (`translations.testweights`): decoder step *t* copies
source token *t*, and the output projection swaps a small word list ("Hello world." ->
"Привет мир."). Output is exact and deterministic for sentences under `testweights.MAX_POS` (1024)
tokens, CTranslate2's input limit. These are test models, not translations: their metadata
carries `"briefpack_test_model": true` and their README says so.

Layouts (`build_test_models(..., layout=...)`), each one a kind of real package:

* `argos`: one SentencePiece model shared by both sides (most Argos packages);
* `opus-port`: Argos's OPUS-MT ports (uk->en 1.9 ...): separate source and target
  vocabularies, and `sentencepiece.model` is the *source* model only, plus a `stanza/`
  folder, as LibreTranslate's converter writes them;
* `bpe`: `bpe.model` (subword-nmt codes over Moses tokens) in place of SentencePiece;
* `prefix`: a `target_prefix` token ("__uk__") that every output starts with;
* `legacy`: an older package: a top folder named `en_de`, CTranslate2 vocabularies in
  `.txt` files, no `type` in the metadata, a `stanza/` folder.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from translations.packages import TEST_MODEL_MARKER
from translations.testmodel_words import NAMES as MORE_NAMES
from translations.testmodel_words import WORDS as MORE_WORDS
from translations.testweights import (
    copy_spec,
    filled_spec_converter,
    relabel,
    swap_mapping,
)

log = logging.getLogger(__name__)

TEST_MODEL_VERSION = "0.0.1"
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (
    ("en", "ru"),
    ("en", "uk"),
    ("en", "de"),
    ("de", "en"),
)

LAYOUTS = ("argos", "opus-port", "bpe", "prefix", "legacy")
SP = "\u2581"  # SentencePiece word-boundary marker
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so archives are byte-identical between builds

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German", **MORE_NAMES}

# English word -> (ru, uk, de). Includes a few words from typical wire stories so that a
# demo briefing visibly changes; longer words that start with a shorter one are listed
# too ("Russian" beside "Russia"), because SentencePiece matches these pieces greedily.
_WORDS: dict[str, tuple[str, str, str]] = {
    "Hello": ("Привет", "Привіт", "Hallo"),
    "world": ("мир", "світ", "Welt"),
    "news": ("новости", "новини", "Nachrichten"),
    "today": ("сегодня", "сьогодні", "heute"),
    "city": ("город", "місто", "Stadt"),
    "war": ("война", "війна", "Krieg"),
    "peace": ("мира", "миру", "Frieden"),
    "said": ("сказал", "сказав", "sagte"),
    "president": ("президент", "президент", "Präsident"),
    "Ukraine": ("Украина", "Україна", "Ukraine"),
    "Russia": ("Россия", "Росія", "Russland"),
    "Russian": ("российский", "російський", "russische"),
    "Moscow": ("Москва", "Москва", "Moskau"),
    "Kyiv": ("Киев", "Київ", "Kiew"),
    "workers": ("рабочие", "робітники", "Arbeiter"),
    "work": ("работа", "робота", "Arbeit"),
    "Monday": ("понедельник", "понеділок", "Montag"),
    "union": ("профсоюз", "профспілка", "Gewerkschaft"),
    "leaders": ("лидеры", "лідери", "Anführer"),
    "agreement": ("соглашение", "угода", "Abkommen"),
    "strike": ("забастовка", "страйк", "Streik"),
    "wages": ("зарплаты", "зарплати", "Löhne"),
    "percent": ("процентов", "відсотків", "Prozent"),
    "year": ("год", "рік", "Jahr"),
    "years": ("лет", "років", "Jahre"),
    "members": ("члены", "члени", "Mitglieder"),
    "European": ("европейский", "європейський", "europäische"),
    "ground": ("земля", "ґрунт", "Boden"),
}
_COLUMN = {"ru": 0, "uk": 1, "de": 2}

# A few sentences per language to train each package's shared SentencePiece vocabulary.
_CORPUS: dict[str, tuple[str, ...]] = {
    "en": (
        "Hello world, this is the morning news.",
        "The city council met today to discuss the new budget.",
        "The world economy grew slowly this year, officials said.",
        "Today the mayor of the city opened a new bridge.",
        "Heavy rain is expected in the north of the country tomorrow.",
        "The government announced new measures to support small businesses.",
        "Scientists published a report on climate change and energy prices.",
        "The football team won the final match after extra time.",
        "Prices for bread and milk rose by five percent in March.",
        "Schools will reopen next week after the holidays.",
        "The president met foreign ministers to talk about trade.",
        "Police asked drivers to avoid the city centre on Friday.",
    ),
    "ru": (
        "Привет, мир, это утренние новости.",
        "Городской совет сегодня обсудил новый бюджет.",
        "Мировая экономика в этом году росла медленно, сообщили чиновники.",
        "Сегодня мэр города открыл новый мост.",
        "Завтра на севере страны ожидается сильный дождь.",
        "Правительство объявило новые меры поддержки малого бизнеса.",
        "Цены на хлеб и молоко выросли в марте на пять процентов.",
        "Президент встретился с министрами иностранных дел, чтобы обсудить торговлю.",
    ),
    "uk": (
        "Привіт, світе, це ранкові новини.",
        "Міська рада сьогодні обговорила новий бюджет.",
        "Світова економіка цього року зростала повільно, повідомили посадовці.",
        "Сьогодні мер міста відкрив новий міст.",
        "Завтра на півночі країни очікується сильний дощ.",
        "Уряд оголосив нові заходи підтримки малого бізнесу.",
        "Ціни на хліб і молоко зросли в березні на п'ять відсотків.",
        "Президент зустрівся з міністрами закордонних справ, щоб обговорити торгівлю.",
    ),
    "de": (
        "Hallo Welt, hier sind die Nachrichten am Morgen.",
        "Der Stadtrat hat heute über den neuen Haushalt beraten.",
        "Die Weltwirtschaft ist in diesem Jahr langsam gewachsen, sagten Beamte.",
        "Heute hat der Bürgermeister der Stadt eine neue Brücke eröffnet.",
        "Morgen wird im Norden des Landes starker Regen erwartet.",
        "Die Regierung kündigte neue Maßnahmen für kleine Unternehmen an.",
        "Die Preise für Brot und Milch stiegen im März um fünf Prozent.",
        "Der Präsident traf Außenminister, um über Handel zu sprechen.",
    ),
}


def word_list(source: str, target: str) -> dict[str, str]:
    """The word swaps a test package for `source` -> `target` makes (first match wins)."""
    _check_language(source)
    _check_language(target)
    if source == target:
        raise ValueError(f"a test model needs two different languages, got {source}->{target}")
    to_en = {} if source == "en" else _from_english(source, invert=True)
    from_en = {} if target == "en" else _from_english(target, invert=False)
    if source == "en":
        return from_en
    if target == "en":
        return to_en
    return {word: from_en.get(english, english) for word, english in to_en.items()}


def build_test_models(
    out_dir: Path,
    pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS,
    *,
    layout: str = "argos",
) -> list[Path]:
    """Write one `translate-SRC_TGT-0_0_1.argosmodel` per pair into `out_dir`.

    Languages: en, ru, uk, de (any two different ones); `layout`: one of `LAYOUTS` (see
    the module doc). The same pairs and layout give byte-identical archives on every
    build. Returns the archive paths in `pairs` order.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown test-model layout {layout!r}; known: {', '.join(LAYOUTS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    archives = []
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out_dir) as build:
        for source, target in pairs:
            words = word_list(source, target)
            slug = f"translate-{source}_{target}-{TEST_MODEL_VERSION.replace('.', '_')}"
            if layout != "argos":
                slug = f"{slug}-{layout}"
            top = f"{source}_{target}" if layout == "legacy" else slug
            package_dir = Path(build) / top
            _write_package(package_dir, source, target, words, layout)
            archive = out_dir / f"{slug}.argosmodel"
            _zip_folder(package_dir, archive)
            archives.append(archive)
            log.info("built test model %s", archive)
    return archives


def _check_language(code: str) -> None:
    if code not in LANGUAGE_NAMES:
        known = ", ".join(sorted(LANGUAGE_NAMES))
        raise ValueError(f"no test model words for language {code!r}; known: {known}")


def _from_english(language: str, *, invert: bool) -> dict[str, str]:
    if language in MORE_WORDS:  # the other scripts' lists (translations/testmodel_words.py)
        pairs = list(MORE_WORDS[language].items())
    else:
        pairs = [(en, row[_COLUMN[language]]) for en, row in _WORDS.items()]
    if invert:
        inverse: dict[str, str] = {}
        for en, word in pairs:
            inverse.setdefault(word, en)
        return inverse
    return dict(pairs)


def _write_package(
    package_dir: Path, source: str, target: str, words: dict[str, str], layout: str
) -> None:
    package_dir.mkdir(parents=True)
    metadata: dict[str, Any] = {
        "package_version": TEST_MODEL_VERSION,
        "argos_version": "1.9.0",
        "from_code": source,
        "from_name": LANGUAGE_NAMES[source],
        "to_code": target,
        "to_name": LANGUAGE_NAMES[target],
        "type": "translate",
        TEST_MODEL_MARKER: True,
    }
    model_dir = package_dir / "model"
    if layout == "bpe":
        source_vocab, target_vocab = _write_bpe(package_dir, source, target, words)
        spec = copy_spec(source_vocab, target_vocab, range(len(source_vocab)))
    elif layout == "opus-port":
        source_sp = _train_sentencepiece(_CORPUS[source], list(words))
        (package_dir / "sentencepiece.model").write_bytes(source_sp)
        source_vocab = _pieces(source_sp)
        target_vocab = relabel(source_vocab, {SP + a: SP + b for a, b in words.items()})
        spec = copy_spec(source_vocab, target_vocab, range(len(source_vocab)))
    else:
        prefix = f"__{target}__" if layout == "prefix" else ""
        sp_bytes = _train_sentencepiece(
            _CORPUS.get(source, ()) + _CORPUS.get(target, ()), [*words, *words.values()]
        )
        (package_dir / "sentencepiece.model").write_bytes(sp_bytes)
        vocab = _pieces(sp_bytes) + ([prefix] if prefix else [])
        mapping = swap_mapping(vocab, {SP + a: SP + b for a, b in words.items()})
        spec = copy_spec(vocab, vocab, mapping, decoder_shift=1 if prefix else 0)
        if prefix:
            metadata["target_prefix"] = prefix
    filled_spec_converter(spec).convert(str(model_dir), quantization="int8", force=True)
    if layout == "legacy":
        del metadata["type"]
        _vocabularies_as_text(model_dir)
    if layout in ("opus-port", "bpe", "legacy"):
        stanza = package_dir / "stanza" / source
        stanza.mkdir(parents=True)  # what LibreTranslate's converter ships; never read
        (package_dir / "stanza" / "resources.json").write_text("{}\n", encoding="utf-8")
        (stanza / "tokenize.pt").write_bytes(b"not a real stanza model\n")
    (package_dir / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    swaps = ", ".join(f"{a} -> {b}" for a, b in words.items())
    (package_dir / "README.md").write_text(
        f"# briefpack test model {source} -> {target} ({layout} layout)\n\n"
        "test model — not a real translation. It copies the input and swaps a few words:\n"
        f"{swaps}.\n",
        encoding="utf-8",
    )


def _pieces(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _vocabularies_as_text(model_dir: Path) -> None:
    """CTranslate2 before 3.0 wrote vocabularies one token a line, in `.txt` files."""
    for path in sorted(model_dir.glob("*_vocabulary.json")):
        tokens = json.loads(path.read_text(encoding="utf-8"))
        path.with_suffix(".txt").write_text("".join(f"{t}\n" for t in tokens), encoding="utf-8")
        path.unlink()


def _write_bpe(
    package_dir: Path, source: str, target: str, words: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Moses-tokenize the corpus, write BPE codes that keep the listed words whole, and
    return the source vocabulary (every token the codes make of the corpus) and its target
    twin (listed words swapped). Other words split into "@@" pieces."""
    from sacremoses.normalize import MosesPunctNormalizer
    from sacremoses.tokenize import MosesTokenizer

    from translations.layouts import BPECodec

    normalizer, tokenizer = MosesPunctNormalizer(source), MosesTokenizer(source)
    lines = [" ".join(tokenizer.tokenize(normalizer.normalize(t))) for t in _CORPUS[source]]
    merges: list[str] = []
    for word in words:  # merge each listed word left to right, first in rank
        symbols = [*word[:-1], word[-1] + "</w>"]
        while len(symbols) > 1:
            merges.append(f"{symbols[0]} {symbols[1]}")
            symbols[:2] = [symbols[0] + symbols[1]]
    codes = "#version: 0.2\n" + "".join(f"{m}\n" for m in dict.fromkeys(merges))
    (package_dir / "bpe.model").write_text(codes, encoding="utf-8")
    codec = BPECodec(package_dir / "bpe.model", source, target)
    vocab: dict[str, None] = dict.fromkeys(["<unk>", "<s>", "</s>"])
    for line in [*lines, " ".join(words)]:
        vocab.update(dict.fromkeys(codec.bpe.segment_tokens(line.split(" "))))
    source_vocab = list(vocab)
    whole = {w: t for w, t in words.items() if w in vocab}  # words the codes keep whole
    return source_vocab, relabel(source_vocab, whole)


def _train_sentencepiece(corpus: Sequence[str], whole: Sequence[str]) -> bytes:
    import sentencepiece as spm

    # Every listed word must be one piece, or the swap cannot see it.
    symbols = list(dict.fromkeys(SP + w for w in whole))
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        vocab_size=400,
        hard_vocab_limit=False,  # tiny corpus: take what it can get
        model_type="unigram",
        character_coverage=1.0,
        user_defined_symbols=symbols,
        num_threads=1,  # deterministic
        minloglevel=2,
    )
    return model.getvalue()  # ids: 0=<unk> 1=<s> 2=</s>


def _zip_folder(folder: Path, archive: Path) -> None:
    """Zip `folder` as the archive's single top-level folder, reproducibly."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    tmp = archive.with_name(f".{archive.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(folder.parent).as_posix(), _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with path.open("rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst)
    tmp.replace(archive)
