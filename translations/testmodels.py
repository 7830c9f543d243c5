"""Build tiny but real Argos Translate packages (`.argosmodel`) offline, for tests and the demo.

Each package is a genuine SentencePiece model plus a CTranslate2 Transformer, so it runs
through exactly the code paths a real Argos package does. The weights are set by hand, not
trained: a 1+1-layer model whose cross-attention reads coded positions, so decoder step
*t* copies source token *t*, and whose output projection swaps a small word list
("Hello world." -> "Привет мир."). Output is exact and deterministic for sentences under
`MAX_POS` (1024) tokens, CTranslate2's input limit. These are test models, not
translations: their metadata carries `"briefpack_test_model": true` and their README says so.
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

import numpy as np

from translations.store import TEST_MODEL_MARKER
from translations.testmodel_words import NAMES as MORE_NAMES
from translations.testmodel_words import WORDS as MORE_WORDS

log = logging.getLogger(__name__)

TEST_MODEL_VERSION = "0.0.1"
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (
    ("en", "ru"),
    ("en", "uk"),
    ("en", "de"),
    ("de", "en"),
)

# Positions are written in base POSITION_BASE with two digits, each digit one-hot: 2 x 32
# dimensions address 32 x 32 = 1024 positions, CTranslate2's default max_input_length, so
# every sentence it accepts is copied exactly (a one-hot position per dimension would need
# 1024 dimensions, and a model 60 times larger and slower).
POSITION_BASE = 32
PE_ROWS = POSITION_BASE**2
MAX_POS = PE_ROWS
FFN_DIM = 4
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
    out_dir: Path, pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS
) -> list[Path]:
    """Write one `translate-SRC_TGT-0_0_1.argosmodel` per pair into `out_dir`.

    Languages: en, ru, uk, de (any two different ones). The same pairs give
    byte-identical archives on every build. Returns the archive paths in `pairs` order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    archives = []
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out_dir) as build:
        for source, target in pairs:
            words = word_list(source, target)
            slug = f"translate-{source}_{target}-{TEST_MODEL_VERSION.replace('.', '_')}"
            package_dir = Path(build) / slug
            _write_package(package_dir, source, target, words)
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


def _write_package(package_dir: Path, source: str, target: str, words: dict[str, str]) -> None:
    import sentencepiece as spm

    package_dir.mkdir(parents=True)
    sp_bytes = _train_sentencepiece(source, target, words)
    (package_dir / "sentencepiece.model").write_bytes(sp_bytes)
    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    spec = _copy_and_swap_spec(vocab, words)
    _converter(spec).convert(str(package_dir / "model"), quantization="int8", force=True)
    metadata = {
        "package_version": TEST_MODEL_VERSION,
        "argos_version": "1.9.0",
        "from_code": source,
        "from_name": LANGUAGE_NAMES[source],
        "to_code": target,
        "to_name": LANGUAGE_NAMES[target],
        "type": "translate",
        TEST_MODEL_MARKER: True,
    }
    (package_dir / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    swaps = ", ".join(f"{a} -> {b}" for a, b in words.items())
    (package_dir / "README.md").write_text(
        f"# briefpack test model {source} -> {target}\n\n"
        "test model — not a real translation. It copies the input and swaps a few words:\n"
        f"{swaps}.\n",
        encoding="utf-8",
    )


def _train_sentencepiece(source: str, target: str, words: dict[str, str]) -> bytes:
    import sentencepiece as spm

    # Every listed word must be one piece on both sides, or the swap cannot see it.
    symbols = list(dict.fromkeys(SP + w for w in [*words, *words.values()]))
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_CORPUS.get(source, ()) + _CORPUS.get(target, ())),
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


def _token_mapping(vocab: list[str], words: dict[str, str]) -> list[int]:
    """Output id for every source id: listed words swap, every other piece copies itself.

    The mapping is made a permutation (a listed word's translation maps back to the word),
    which the binary token code below needs; a translation already taken by an earlier word
    is skipped, so the first listing wins.
    """
    index = {piece: i for i, piece in enumerate(vocab)}
    mapping = list(range(len(vocab)))
    taken: set[int] = set()
    for source, target in words.items():
        i, j = index.get(SP + source), index.get(SP + target)
        if i is None or j is None or i == j or i in taken or j in taken:
            continue
        mapping[i], mapping[j] = j, i
        taken.update((i, j))
    return mapping


def _copy_and_swap_spec(vocab: list[str], words: dict[str, str]) -> Any:
    """Hand-set weights: output token t = swap(source token t), then </s>.

    The residual stream is small: K = ceil(log2 V) dimensions hold the token's id as a
    +/-1 binary code, then 2 x POSITION_BASE dimensions hold the position's two base-32
    digits, each one-hot. Self-attention and feed-forward weights are zero (pass-through).
    Cross-attention queries and keys read the position block, so step t attends to the
    source position whose two digits both match (one matching digit scores half, far
    below); values copy the token code; the output projection gives token j the code of the
    source token that maps to j, so the logit of the right token leads by at least 20.
    A one-hot token block would need V dimensions and make decoding ~20 times slower.
    """
    from ctranslate2.specs import TransformerSpec

    size = len(vocab)
    bits = max(1, (size - 1).bit_length())
    positions = 2 * POSITION_BASE
    d = bits + positions
    f32 = np.float32

    codes = np.array(
        [[1.0 if (i >> b) & 1 else -1.0 for b in range(bits)] for i in range(size)], f32
    )
    spec = TransformerSpec.from_config((1, 1), num_heads=1, no_final_norm=True)
    spec.config.add_source_eos = True  # the source </s> is copied too, which ends decoding
    encoder, decoder = spec.encoder, spec.decoder
    encoder.scale_embeddings = False
    decoder.scale_embeddings = False

    embeddings = np.zeros((size, d), f32)
    embeddings[:, :bits] = codes
    position_table = np.zeros((PE_ROWS, d), f32)
    rows = np.arange(PE_ROWS)
    position_table[rows, bits + rows // POSITION_BASE] = 1.0
    position_table[rows, bits + POSITION_BASE + rows % POSITION_BASE] = 1.0
    encoder.embeddings[0].weight = embeddings
    encoder.position_encodings.encodings = position_table * 50.0  # sharp attention keys
    decoder.embeddings.weight = np.zeros((size, d), f32)  # the decoder ignores its input
    decoder.position_encodings.encodings = position_table.copy()

    def layer_norm(spec_ln: Any) -> None:
        spec_ln.gamma = np.ones(d, f32)
        spec_ln.beta = np.zeros(d, f32)

    def pass_through(attention: Any, ffn: Any) -> None:
        layer_norm(attention.layer_norm)
        attention.linear[0].weight = np.zeros((3 * d, d), f32)
        attention.linear[0].bias = np.zeros(3 * d, f32)
        attention.linear[1].weight = np.zeros((d, d), f32)
        attention.linear[1].bias = np.zeros(d, f32)
        layer_norm(ffn.layer_norm)
        ffn.linear_0.weight = np.zeros((FFN_DIM, d), f32)
        ffn.linear_0.bias = np.zeros(FFN_DIM, f32)
        ffn.linear_1.weight = np.zeros((d, FFN_DIM), f32)
        ffn.linear_1.bias = np.zeros(d, f32)

    pass_through(encoder.layer[0].self_attention, encoder.layer[0].ffn)
    pass_through(decoder.layer[0].self_attention, decoder.layer[0].ffn)

    select_position = np.zeros((d, d), f32)
    select_position[bits + np.arange(positions), bits + np.arange(positions)] = 1.0
    select_token = np.zeros((d, d), f32)
    select_token[np.arange(bits), np.arange(bits)] = 1.0

    cross = decoder.layer[0].attention
    layer_norm(cross.layer_norm)
    cross.linear[0].weight = select_position  # query
    cross.linear[0].bias = np.zeros(d, f32)
    cross.linear[1].weight = np.concatenate([select_position, select_token * 10.0])  # key;value
    cross.linear[1].bias = np.zeros(2 * d, f32)
    cross.linear[2].weight = select_token
    cross.linear[2].bias = np.zeros(d, f32)

    mapping = _token_mapping(vocab, words)
    projection = np.zeros((size, d), f32)
    for i, j in enumerate(mapping):
        projection[j, :bits] = codes[i]
    decoder.projection.weight = projection
    decoder.projection.bias = np.zeros(size, f32)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


def _converter(spec: Any) -> Any:
    from ctranslate2.converters import Converter

    class _FilledSpecConverter(Converter):  # type: ignore[misc]
        """A converter whose 'source model' is an already filled spec."""

        def _load(self) -> Any:
            return spec

    return _FilledSpecConverter()


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
