"""Hand-set Transformer weights for briefpack's test models: copy each token, swap a few.

Two builders share one idea. The encoder writes each source token's id as a +/-1 binary
code beside its position; the decoder's cross-attention reads the source position that
matches its own step, copies that token's code, and the output projection turns the code
back into a token, through a mapping that swaps a small word list. Output is exact and
deterministic, no training involved.

* `copy_spec`: a CTranslate2 `TransformerSpec`, saved with CTranslate2's own converter
  machinery (Argos-style packages and NLLB-style folders).
* `marian_npz`: the same as a Marian `.npz` (what OPUS-MT releases ship), so that tests
  run it through CTranslate2's real Marian converter. Marian's Transformer is post-norm
  with one position table for both sides, so this one keeps every vector mean-free
  (each dimension has a mirror of opposite sign) and writes the query and key positions
  into separate dimensions of the shared table; a language token at the start of the
  source (">>ukr<<") is broadcast to every position by the encoder's self-attention, and
  the output projection favours that language's words.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np

# Positions are written in base POSITION_BASE with two digits, each digit one-hot: 2 x 32
# dimensions address 32 x 32 = 1024 positions, CTranslate2's default max_input_length, so
# every sentence it accepts is copied exactly (a one-hot position per dimension would need
# 1024 dimensions, and a model 60 times larger and slower).
POSITION_BASE = 32
PE_ROWS = POSITION_BASE**2
MAX_POS = PE_ROWS
FFN_DIM = 4
_F32 = np.float32


def binary_codes(size: int) -> np.ndarray:
    """Row i: the binary code of i as +/-1 values, ceil(log2 size) columns."""
    bits = max(1, (size - 1).bit_length())
    return np.array(
        [[1.0 if (i >> b) & 1 else -1.0 for b in range(bits)] for i in range(size)], _F32
    )


def position_digits(rows: int = PE_ROWS, shift: int = 0) -> np.ndarray:
    """Row t: the two one-hot base-32 digits of t - shift (all zero for t < shift)."""
    table = np.zeros((rows, 2 * POSITION_BASE), _F32)
    t = np.arange(shift, rows)
    table[t, (t - shift) // POSITION_BASE] = 1.0
    table[t, POSITION_BASE + (t - shift) % POSITION_BASE] = 1.0
    return table


def copy_spec(
    source_vocab: Sequence[str],
    target_vocab: Sequence[str],
    mapping: Sequence[int],
    *,
    decoder_shift: int = 0,
    add_source_eos: bool = True,
    decoder_start_token: str = "<s>",
) -> Any:
    """Hand-set weights: output token t = target_vocab[mapping[source token t - shift]].

    The residual stream is small: K = ceil(log2 V) dimensions hold the token's id as a
    +/-1 binary code, then 2 x POSITION_BASE dimensions hold the position's two base-32
    digits, each one-hot. Self-attention and feed-forward weights are zero (pass-through).
    Cross-attention queries and keys read the position block, so step t attends to the
    source position whose two digits both match (one matching digit scores half, far
    below); values copy the token code; the output projection gives target token j the
    code of the source token that maps to j, so the logit of the right token leads by at
    least 20. `decoder_shift` 1 leaves step 0 to a forced target prefix. A one-hot token
    block would need V dimensions and make decoding ~20 times slower.
    """
    from ctranslate2.specs import TransformerSpec

    codes = binary_codes(len(source_vocab))
    bits = codes.shape[1]
    positions = 2 * POSITION_BASE
    d = bits + positions

    spec = TransformerSpec.from_config((1, 1), num_heads=1, no_final_norm=True)
    spec.config.add_source_eos = add_source_eos  # the source </s> is copied, ending decoding
    spec.config.decoder_start_token = decoder_start_token
    encoder, decoder = spec.encoder, spec.decoder
    encoder.scale_embeddings = False
    decoder.scale_embeddings = False

    embeddings = np.zeros((len(source_vocab), d), _F32)
    embeddings[:, :bits] = codes
    encoder_table = np.zeros((PE_ROWS, d), _F32)
    encoder_table[:, bits:] = position_digits()
    decoder_table = np.zeros((PE_ROWS, d), _F32)
    decoder_table[:, bits:] = position_digits(shift=decoder_shift)
    encoder.embeddings[0].weight = embeddings
    encoder.position_encodings.encodings = encoder_table * 50.0  # sharp attention keys
    decoder.embeddings.weight = np.zeros((len(target_vocab), d), _F32)  # input is ignored
    decoder.position_encodings.encodings = decoder_table

    def layer_norm(spec_ln: Any) -> None:
        spec_ln.gamma = np.ones(d, _F32)
        spec_ln.beta = np.zeros(d, _F32)

    def pass_through(attention: Any, ffn: Any) -> None:
        layer_norm(attention.layer_norm)
        attention.linear[0].weight = np.zeros((3 * d, d), _F32)
        attention.linear[0].bias = np.zeros(3 * d, _F32)
        attention.linear[1].weight = np.zeros((d, d), _F32)
        attention.linear[1].bias = np.zeros(d, _F32)
        layer_norm(ffn.layer_norm)
        ffn.linear_0.weight = np.zeros((FFN_DIM, d), _F32)
        ffn.linear_0.bias = np.zeros(FFN_DIM, _F32)
        ffn.linear_1.weight = np.zeros((d, FFN_DIM), _F32)
        ffn.linear_1.bias = np.zeros(d, _F32)

    pass_through(encoder.layer[0].self_attention, encoder.layer[0].ffn)
    pass_through(decoder.layer[0].self_attention, decoder.layer[0].ffn)

    select_position = np.zeros((d, d), _F32)
    select_position[bits + np.arange(positions), bits + np.arange(positions)] = 1.0
    select_token = np.zeros((d, d), _F32)
    select_token[np.arange(bits), np.arange(bits)] = 1.0

    cross = decoder.layer[0].attention
    layer_norm(cross.layer_norm)
    cross.linear[0].weight = select_position  # query
    cross.linear[0].bias = np.zeros(d, _F32)
    cross.linear[1].weight = np.concatenate([select_position, select_token * 10.0])  # key;value
    cross.linear[1].bias = np.zeros(2 * d, _F32)
    cross.linear[2].weight = select_token
    cross.linear[2].bias = np.zeros(d, _F32)

    projection = np.zeros((len(target_vocab), d), _F32)
    for i, j in enumerate(mapping):
        projection[j, :bits] = codes[i]
    decoder.projection.weight = projection
    decoder.projection.bias = np.zeros(len(target_vocab), _F32)

    spec.register_source_vocabulary(list(source_vocab))
    spec.register_target_vocabulary(list(target_vocab))
    return spec


def filled_spec_converter(spec: Any) -> Any:
    """A CTranslate2 converter whose 'source model' is an already filled spec."""
    from ctranslate2.converters import Converter

    class _FilledSpecConverter(Converter):  # type: ignore[misc]
        def _load(self) -> Any:
            return spec

    return _FilledSpecConverter()


def swap_mapping(vocab: Sequence[str], swaps: dict[str, str]) -> list[int]:
    """Output id for every id of one shared vocabulary: listed pieces swap, others copy.

    The mapping is made a permutation (a listed piece's translation maps back to it); a
    translation already taken by an earlier piece is skipped, so the first listing wins.
    """
    index = {piece: i for i, piece in enumerate(vocab)}
    mapping = list(range(len(vocab)))
    taken: set[int] = set()
    for source, target in swaps.items():
        i, j = index.get(source), index.get(target)
        if i is None or j is None or i == j or i in taken or j in taken:
            continue
        mapping[i], mapping[j] = j, i
        taken.update((i, j))
    return mapping


def relabel(vocab: Sequence[str], swaps: dict[str, str]) -> list[str]:
    """A target vocabulary aligned with `vocab`: listed pieces renamed, as long as unique."""
    seen = set(vocab)
    out = []
    for piece in vocab:
        new = swaps.get(piece, piece)
        if new != piece and new in seen:
            new = piece  # the translation is a source piece too: keep the copy
        seen.add(new)
        out.append(new)
    return out


# --------------------------------------------------------------------------- Marian


def marian_npz(
    vocab: Sequence[str],
    swaps: dict[str, dict[str, str]],
    language_tokens: dict[str, str],
) -> bytes:
    """A Marian model (`.npz` bytes) over one joint vocabulary (Marian's `vocab.yml`).

    `swaps[lang]` maps source pieces to that language's pieces; `language_tokens` maps a
    language to the source token that selects it (">>ukr<<"). With language tokens, every
    source starts with one, and decoder step t copies source position t + 1. Outputs are
    exact for sources under 512 tokens.
    """
    languages = sorted(language_tokens) if language_tokens else sorted(swaps)
    shift = 1 if language_tokens else 0
    index = {piece: i for i, piece in enumerate(vocab)}
    size = len(vocab)
    codes = binary_codes(size)
    bits, n_lang, rows = codes.shape[1], len(languages), 512
    # half-vector layout: [code | language of the token | language broadcast | key | query | pos0]
    c0, l0, b0 = 0, bits, bits + n_lang
    k0 = b0 + n_lang
    q0 = k0 + 2 * POSITION_BASE
    p0 = q0 + 2 * POSITION_BASE
    half = p0 + 1
    d = 2 * half

    def mirrored(rows_half: np.ndarray) -> np.ndarray:
        return np.concatenate([rows_half, -rows_half], axis=-1).astype(_F32)

    def block(dims: Sequence[int], scale: float) -> np.ndarray:
        """A (d x d) map reading half-dims `dims` (and their mirrors) into the same dims."""
        m = np.zeros((d, d), _F32)
        for k in dims:
            m[k, k] = m[half + k, half + k] = scale
        return m

    emb = np.zeros((size, half), _F32)
    emb[:, c0 : c0 + bits] = codes
    for lang, token in language_tokens.items():
        emb[index[token], l0 + languages.index(lang)] = 1.0
    table = np.zeros((rows, half), _F32)
    table[:, k0 : k0 + 2 * POSITION_BASE] = position_digits(rows)
    table[:, q0 : q0 + 2 * POSITION_BASE] = position_digits(rows, shift=-shift)[:rows]
    table[0, p0] = 1.0
    w: dict[str, np.ndarray] = {}
    scale_emb = np.sqrt(d)  # CTranslate2 multiplies Marian embeddings by sqrt(d_model)
    w["encoder_Wemb"] = mirrored(emb) / scale_emb
    w["decoder_Wemb"] = np.zeros((size, d), _F32)
    w["Wpos"] = mirrored(table)

    def linear(name: str, weight: np.ndarray, bias: np.ndarray | None = None) -> None:
        w[f"{name}"] = weight.T.copy()  # Marian stores (in, out)
        suffix = name.rsplit("_", 1)[-1]  # "Wq" -> bias "bq"
        w[name.replace(suffix, "b" + suffix[1:])] = (
            np.zeros(weight.shape[0], _F32) if bias is None else bias
        ).reshape(1, -1)

    def attention(scope: str, wq: Any, wk: Any, wv: Any, wo: Any, bq: Any = None) -> None:
        zero = np.zeros((d, d), _F32)
        for suffix, weight in (("q", wq), ("k", wk), ("v", wv), ("o", wo)):
            linear(f"{scope}_W{suffix}", zero if weight is None else weight)
        if bq is not None:
            w[f"{scope}_bq"] = bq.reshape(1, -1)
        w[f"{scope}_Wo_ln_scale"] = np.ones((1, d), _F32)
        w[f"{scope}_Wo_ln_bias"] = np.zeros((1, d), _F32)

    def ffn(scope: str) -> None:
        linear(f"{scope}_ffn_W1", np.zeros((FFN_DIM, d), _F32))
        linear(f"{scope}_ffn_W2", np.zeros((d, FFN_DIM), _F32))
        w[f"{scope}_ffn_ffn_ln_scale"] = np.ones((1, d), _F32)
        w[f"{scope}_ffn_ffn_ln_bias"] = np.zeros((1, d), _F32)

    # Encoder self-attention: every position attends to position 0 and copies its language.
    pos0_key = np.zeros((d, d), _F32)
    pos0_key[0, p0] = pos0_key[0, half + p0] = 200.0
    pos0_query = np.zeros(d, _F32)
    pos0_query[0] = 1.0
    broadcast = np.zeros((d, d), _F32)
    for k in range(n_lang):
        broadcast[b0 + k, l0 + k] = broadcast[half + b0 + k, half + l0 + k] = 1.0
    to_broadcast = block(range(b0, b0 + n_lang), 6.0)
    attention("encoder_l1_self", None, pos0_key, broadcast, to_broadcast, pos0_query)
    ffn("encoder_l1")
    attention("decoder_l1_self", None, None, None, None)
    query = np.zeros((d, d), _F32)
    key = np.zeros((d, d), _F32)
    for k in range(2 * POSITION_BASE):
        query[k, q0 + k] = query[half + k, half + q0 + k] = 1.0
        key[k, k0 + k] = key[half + k, half + k0 + k] = 1.0
    copy = block([*range(c0, c0 + bits), *range(b0, b0 + n_lang)], 1.0)
    attention("decoder_l1_context", query * 60.0, key * 60.0, copy, copy * 8.0)
    ffn("decoder_l1")

    # Output: target token j scores its source token's code, plus its language's bonus.
    out = np.zeros((size, half), _F32)
    bias = np.zeros(size, _F32)
    source_of = list(range(size))
    language_of: dict[int, set[int]] = {}
    for lang, pairs in swaps.items():
        for source, target in pairs.items():
            i, j = index.get(source), index.get(target)
            if i is None or j is None or i == j or source_of[j] not in (j, i):
                continue
            source_of[j] = i
            language_of.setdefault(j, set()).add(languages.index(lang) if lang in languages else 0)
    for j in range(size):
        out[j, c0 : c0 + bits] = codes[source_of[j]]
        for k in language_of.get(j, ()):
            out[j, b0 + k] = 1.0
        if j in language_of and not language_tokens:
            bias[j] = 6.0  # one language: its words always win over the copy
    w["decoder_ff_logit_out_W"] = mirrored(out).T.copy()
    w["decoder_ff_logit_out_b"] = bias.reshape(1, -1)

    config = {
        "type": "transformer",
        "enc-depth": 1,
        "dec-depth": 1,
        "transformer-heads": 1,
        "transformer-ffn-activation": "relu",
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-top": "",
        "transformer-postprocess-emb": "d",
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-guided-alignment-layer": "last",
        "dim-emb": d,
    }
    import yaml

    w["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\0", np.int8)
    buffer = io.BytesIO()
    savez: Any = np.savez
    savez(buffer, **w)
    return buffer.getvalue()
