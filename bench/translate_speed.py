"""Time briefpack's translate engine against argostranslate's translate() on one model.

The model has the shape of a real Argos package (Transformer base: 6+6 layers, d_model 512,
8 heads, FFN 2048, 50,000-piece shared vocabulary, int8) with random weights, so it needs
no download. Its SentencePiece model is a small real one; the vocabulary is its pieces plus
synthetic ones up to 50,000. The end-of-sentence logit is pushed down, so every output runs
to the length limit: both sides decode exactly LENGTH tokens per sentence (argostranslate
gets max_decoding_length=LENGTH in place of its default 256; ours gets the same cap), with
the same beam (4), length penalty and thread settings, on the same 30 sentences.

Our loop guard is off here: random weights loop on almost every sentence, which real
models rarely do, and re-decoding them would measure the guard rather than the engine.

With `--variants`, our engine also runs at beam 1, in float32, on 1 and 2 threads, and with
the batching options CTranslate2 offers (sub-batches of 8 sentences, token-based batches,
input sorted by length), each timed in the same rounds as our default, so that the ratios
hold on a noisy machine. `--device cuda` times our engine on the GPU instead, and without
one prints the error our engine gives (exit status 1).

    .venv/bin/python bench/translate_speed.py [--length 48] [--repeats 2] [--rebuild]
        [--variants] [--device cpu|cuda] [--json FILE]

The built model is cached (about 90 MB) under $XDG_CACHE_HOME/briefpack/bench.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402  (after the path is set, when run as a script)

LAYERS, D_MODEL, HEADS, FFN, VOCAB = 6, 512, 8, 2048, 50_000
SLUG = "translate-en_xx-bench-1"
SENTENCES = [
    "The city council met today to discuss the new budget for schools and hospitals.",
    "Heavy rain is expected in the north of the country tomorrow, forecasters said.",
    "The government announced new measures to support small businesses this winter.",
    "Scientists published a report on climate change and rising energy prices.",
    "The football team won the final match after extra time and a penalty shootout.",
    "Prices for bread and milk rose by five percent in March, officials reported.",
    "Schools will reopen next week after the holidays, the education minister said.",
    "The president met foreign ministers in the capital to talk about trade rules.",
    "A new hospital will be built near the river by the end of next year.",
    "Police asked drivers to avoid the city centre on Friday because of a protest.",
    "The museum showed paintings from the nineteenth century to large crowds.",
    "Farmers expect a good harvest despite the dry summer and the late frost.",
    "The central bank left interest rates unchanged for the third month in a row.",
    "Thousands of people marched through the streets to demand higher wages.",
    "The airline cancelled dozens of flights after a strike by ground staff.",
    "Engineers finished repairs on the old bridge two weeks ahead of schedule.",
    "The mayor promised to plant ten thousand trees across the city by spring.",
    "A fire destroyed a warehouse in the port overnight, but nobody was hurt.",
    "The company said its profits fell sharply because of higher costs.",
    "Negotiators from both sides agreed to meet again in Geneva next month.",
    "The new railway line will cut the journey between the two cities by an hour.",
    "Doctors warned that the flu season could start earlier than usual this year.",
    "The court postponed its ruling until the end of the month at the earliest.",
    "Tourists returned to the coast as the weather improved over the weekend.",
    "The university opened a research centre for artificial intelligence.",
    "Officials said the water supply would be restored by Tuesday evening.",
    "The orchestra will perform a free concert in the park on Saturday night.",
    "Exports grew faster than expected, helped by strong demand from abroad.",
    "The minister resigned after a week of criticism over the housing plan.",
    "Volunteers cleaned the beach and collected more than two tonnes of plastic.",
]


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefpack" / "bench"


def build_package(folder: Path) -> None:
    """Write a random-weight package of the real Argos shape into `folder`."""
    import sentencepiece as spm
    from ctranslate2.converters import Converter
    from ctranslate2.specs import TransformerSpec

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES),
        model_writer=model,
        vocab_size=500,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    (tmp / "sentencepiece.model").write_bytes(model.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab = pieces + [f"\u2581w{i}" for i in range(VOCAB - len(pieces))]

    rng = np.random.default_rng(0)
    d = D_MODEL

    def rand(*shape: int) -> Any:
        return (rng.standard_normal(shape, dtype=np.float32) * 0.05).astype(np.float32)

    def norm(ln: Any) -> None:
        ln.gamma = np.ones(d, np.float32)
        ln.beta = np.zeros(d, np.float32)

    def linear(spec: Any, rows: int, cols: int) -> None:
        spec.weight = rand(rows, cols)
        spec.bias = np.zeros(rows, np.float32)

    def ffn(spec: Any) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, FFN, d)
        linear(spec.linear_1, d, FFN)

    spec = TransformerSpec.from_config((LAYERS, LAYERS), num_heads=HEADS)
    spec.encoder.embeddings[0].weight = rand(VOCAB, d)
    spec.decoder.embeddings.weight = rand(VOCAB, d)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    spec.decoder.projection.weight = rand(VOCAB, d)
    bias = np.zeros(VOCAB, np.float32)
    bias[vocab.index("</s>")] = -1e4  # never end early: every output has the full length
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)

    class _Filled(Converter):  # type: ignore[misc]
        def _load(self) -> Any:
            return spec

    _Filled().convert(str(tmp / "model"), quantization="int8", force=True)
    metadata = {
        "package_version": "1.0",
        "from_code": "en",
        "from_name": "English",
        "to_code": "xx",
        "to_name": "Benchmark",
        "type": "translate",
        "briefpack_test_model": True,
    }
    (tmp / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (tmp / "README.md").write_text("Random weights, for timing only.\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


class FixedLength:
    """argostranslate's own translator, with max_decoding_length set instead of 256."""

    def __init__(self, inner: Any, length: int) -> None:
        self.inner, self.length = inner, length

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.translate_batch(*args, max_decoding_length=self.length, **kwargs)


class RegexSentencizer:
    """argostranslate's default splitter downloads a model; this one splits like ours."""

    def split_sentences(self, text: str) -> list[str]:
        return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def timed(run: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def _engine(packages: Path, length: int, **options: Any) -> Any:
    from translations import Engine, EngineOptions, ModelStore

    engine_options = EngineOptions(max_length_cap=length, loop_guard_ngram_size=0, **options)
    return Engine(ModelStore((packages,), packages), engine_options)


def _variants(engine: Any, package: Any, packages: Path, length: int) -> dict[str, Any]:
    """Ways to run our engine, by name: each a function that translates SENTENCES once."""
    variants: dict[str, Any] = {"ours, beam 4, int8 (default)": None}
    for name, options in (
        ("beam 1", {"beam_size": 1}),
        ("float32", {"compute_type": "float32"}),
        ("1 thread", {"threads": 1}),
        ("one batch on 2 threads (before)", {"threads": 2}),
    ):
        other = _engine(packages, length, **options)
        other.translate_sentences(package, SENTENCES[:1])  # load the model
        variants[name] = lambda other=other: other.translate_sentences(package, SENTENCES)
    # CTranslate2's own batching options, on one replica with 2 intra-op threads (what our
    # engine did before it split batches between one single-threaded replica per core).
    loaded = _engine(packages, length, threads=2)._load(package)
    tokens = loaded.codec.encode(SENTENCES)
    common = {
        "beam_size": 4,
        "length_penalty": 0.2,
        "max_decoding_length": length,
        "replace_unknowns": True,
    }
    for name, extra, batch in (
        ("2 threads, max_batch_size 8", {"max_batch_size": 8}, tokens),
        (
            "2 threads, max_batch_size 256 tokens",
            {"max_batch_size": 256, "batch_type": "tokens"},
            tokens,
        ),
        ("2 threads, input sorted by length", {}, sorted(tokens, key=len)),
    ):
        variants[name] = lambda extra=extra, batch=batch: loaded.translator.translate_batch(
            batch, **common, **extra
        )
    return variants


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--length", type=int, default=48, help="output tokens per sentence")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs; the best counts")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached model")
    parser.add_argument("--variants", action="store_true", help="also time engine variants")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)

    root = cache_root()
    packages = root / "packages"
    folder = packages / SLUG
    if args.rebuild or not (folder / "model" / "model.bin").is_file():
        print(f"building the benchmark model in {folder} ...", flush=True)
        start = time.perf_counter()
        build_package(folder)
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    # argostranslate reads its settings and creates folders when imported.
    os.environ.update(
        {
            "ARGOS_PACKAGES_DIR": str(packages),
            "XDG_DATA_HOME": str(root / "argos-home" / "data"),
            "XDG_CONFIG_HOME": str(root / "argos-home" / "config"),
            "XDG_CACHE_HOME": str(root / "argos-home" / "cache"),
        }
    )
    import ctranslate2

    from translations import read_package

    text = " ".join(SENTENCES)
    package = read_package(folder)
    assert package is not None
    if args.device == "cuda":
        return _cuda(packages, package, args)
    engine = _engine(packages, args.length)
    engine.translate_sentences(package, SENTENCES[:1])  # load the model
    import sentencepiece as spm

    tokenizer = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    tokens = [len(t) for t in tokenizer.encode(SENTENCES)]
    if 2 * max(tokens) + 10 < args.length:
        parser.error(f"--length {args.length} is over our engine's bound for these sentences")

    import argostranslate.translate as argos

    argos_translation = argos.get_translation_from_codes("en", "xx")
    underlying = argos_translation.underlying  # PackageTranslation, below argos' text cache
    underlying.sentencizer = RegexSentencizer()
    underlying.translate(SENTENCES[0])  # load the model the way argostranslate does
    underlying.translator = FixedLength(underlying.translator, args.length)

    variants = _variants(engine, package, packages, args.length) if args.variants else {}
    # Alternate everything, so that load from other processes falls on all alike.
    ours_times: list[float] = []
    theirs_times: list[float] = []
    variant_times: dict[str, list[float]] = {name: [] for name in variants if variants[name]}
    ours: list[str] = []
    theirs = ""
    for _ in range(args.repeats):
        seconds, ours = timed(lambda: engine.translate_sentences(package, SENTENCES))
        ours_times.append(seconds)
        seconds, theirs = timed(lambda: underlying.translate(text))
        theirs_times.append(seconds)
        for name, times in variant_times.items():
            times.append(timed(variants[name])[0])
    ours_s, theirs_s = min(ours_times), min(theirs_times)
    out_tokens = args.length * len(SENTENCES)

    print(f"ctranslate2 {ctranslate2.__version__}, {os.cpu_count()} CPUs, model {folder}")
    print(
        f"{len(SENTENCES)} sentences, {sum(tokens)} source tokens, {args.length} output tokens "
        f"each, beam 4, int8, best of {args.repeats}"
    )
    print(f"briefpack engine:          {ours_s:7.3f} s  {out_tokens / ours_s:8.0f} tokens/s")
    print(f"argostranslate translate(): {theirs_s:6.3f} s  {out_tokens / theirs_s:8.0f} tokens/s")
    # argostranslate decodes all sentences' tokens as one string, we decode each sentence:
    # random pieces that do not start a word join differently, so compare without spaces.
    same = "".join(ours).replace(" ", "") == theirs.replace(" ", "")
    print(f"same output (ignoring spaces): {same}")
    print(f"speed-up (argostranslate time / briefpack time): {theirs_s / ours_s:.2f}x")
    rows = []
    for name, times in variant_times.items():
        best = min(times)
        rows.append(
            {
                "variant": name,
                "seconds": round(best, 3),
                "tokens_per_s": round(out_tokens / best),
                "vs_default": round(ours_s / best, 2),
            }
        )
        print(
            f"  {name:<30} {best:7.3f} s  {out_tokens / best:8.0f} tokens/s  "
            f"{ours_s / best:5.2f}x our default"
        )
    common.write_json(
        args.json,
        {
            "ctranslate2": ctranslate2.__version__,
            "sentences": len(SENTENCES),
            "source_tokens": sum(tokens),
            "output_tokens_each": args.length,
            "repeats": args.repeats,
            "ours_s": round(ours_s, 3),
            "ours_tokens_per_s": round(out_tokens / ours_s),
            "argos_s": round(theirs_s, 3),
            "argos_tokens_per_s": round(out_tokens / theirs_s),
            "speedup": round(theirs_s / ours_s, 2),
            "same_output": same,
            "variants": rows,
        },
    )
    return 0


def _cuda(packages: Path, package: Any, args: argparse.Namespace) -> int:
    """Our engine on the GPU (several settings), with the same machine's CPU as baseline."""
    from briefpack.errors import BriefpackError

    runs: dict[str, dict[str, Any]] = {
        "cpu, beam 4, int8 (our CPU default)": {"device": "cpu"},
        "cuda, beam 4, float16 (our CUDA default)": {"device": "cuda"},
        "cuda, beam 4, int8_float16": {"device": "cuda", "compute_type": "int8_float16"},
        "cuda, beam 4, float32": {"device": "cuda", "compute_type": "float32"},
        "cuda, beam 1, float16": {"device": "cuda", "beam_size": 1},
    }
    engines: dict[str, Any] = {}
    for name, options in runs.items():
        engine = _engine(packages, args.length, **options)
        try:
            engine.translate_sentences(package, SENTENCES[:1])  # load the model
        except BriefpackError as exc:
            if options["device"] == "cpu":
                raise
            print(f"GPU run not possible: {exc}", file=sys.stderr)
            common.write_json(args.json, {"device": "cuda", "error": str(exc)})
            return 1
        engines[name] = engine
    # 30 sentences is one briefing's worth; 8 copies show what a GPU does with a fuller batch.
    batches = {"30 sentences": SENTENCES, "240 sentences (30 x 8)": SENTENCES * 8}
    rows = []
    baseline: dict[str, float] = {}
    for batch_name, batch in batches.items():
        for name, engine in engines.items():
            seconds = min(
                timed(
                    lambda engine=engine, batch=batch: engine.translate_sentences(package, batch)
                )[0]
                for _ in range(args.repeats)
            )
            out_tokens = args.length * len(batch)
            baseline.setdefault(batch_name, seconds)  # the CPU run comes first
            ratio = baseline[batch_name] / seconds
            print(
                f"{batch_name:<24} {name:<46} {seconds:7.3f} s  {out_tokens / seconds:8.0f} "
                f"tokens/s  {ratio:6.2f}x CPU",
                flush=True,
            )
            rows.append(
                {
                    "batch": batch_name,
                    "run": name,
                    "seconds": round(seconds, 3),
                    "tokens_per_s": round(out_tokens / seconds),
                    "vs_cpu": round(ratio, 2),
                }
            )
    import ctranslate2

    common.write_json(
        args.json,
        {
            "device": "cuda",
            "gpu": _gpu_name(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "ctranslate2": ctranslate2.__version__,
            "cpus": os.cpu_count(),
            "output_tokens_each": args.length,
            "repeats": args.repeats,
            "rows": rows,
        },
    )
    return 0


def _gpu_name() -> str:
    import subprocess

    try:
        done = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown GPU"
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else "unknown GPU"


if __name__ == "__main__":
    sys.exit(main())
