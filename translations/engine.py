"""Translate a document's title and sentences with installed Argos packages.

One `Engine` per process loads each package once (CTranslate2 translator plus the package's
own SentencePiece model) and sends all of a document's sentences for one model in a single
batched call. CTranslate2 and SentencePiece are imported when the first model loads.

Decoding follows Argos Translate (beam 4, length penalty 0.2, unknown tokens copied from the
source, the package's `target_prefix`), with three deliberate differences:

* output length is bounded by the input: at most 2 * (longest input) + 10 tokens, capped;
* a sentence whose output fell into a loop (a block of up to 8 tokens repeated 4 or more
  times back to back, at least 8 tokens in all) is decoded once more, in a second batch
  of just those sentences, with no 4-gram allowed to repeat. Ordinary output is never
  constrained, so it matches Argos Translate token for token;
* underscores survive decoding ("file_name_v2" stays), where Argos turns them into spaces.

How each kind of package is tokenized and decoded (SentencePiece, BPE, a separate target
vocabulary, language tokens) is in `translations.layouts`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.errors import InputError, ModelError
from briefpack.model import Translation
from briefpack.system import usable_cores
from briefpack.system.text import strip_controls
from translations import layouts
from translations.store import ModelStore, Package

if TYPE_CHECKING:
    import ctranslate2

log = logging.getLogger(__name__)

DEVICES = ("cpu", "cuda", "auto")
_PREFERRED_COMPUTE = {"cpu": "int8", "cuda": "float16"}


@dataclass(frozen=True)
class EngineOptions:
    """Settings that shape decoding; every one that can change the output is in `settings()`."""

    device: str = "cpu"  # "cpu", "cuda" or "auto" (cuda when a GPU is visible)
    beam_size: int = 4
    threads: int = 0  # threads per batch (intra_threads); 0: one per core, batch split
    compute_type: str | None = None  # None: int8 on CPU, float16 on CUDA
    length_penalty: float = 0.2
    loop_guard_ngram_size: int = 4  # for re-decoding looping sentences; 0 turns that off
    max_length_ratio: int = 2  # output tokens <= ratio * input tokens + extra, capped
    max_length_extra: int = 10
    max_length_cap: int = 512

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise InputError(f"unknown device {self.device!r}; use one of {', '.join(DEVICES)}")
        if self.beam_size < 1 or self.threads < 0 or self.max_length_cap < 1:
            raise InputError("beam size and length cap must be at least 1, threads at least 0")


@dataclass(frozen=True)
class _Loaded:
    translator: ctranslate2.Translator
    codec: layouts.Codec  # text <-> tokens for this package direction
    target_prefix: str
    replicas: int = 1  # translators sharing the weights, each decoding part of a batch
    source_prefix: tuple[str, ...] = ()
    source_suffix: tuple[str, ...] = ()


def cpu_workers() -> int:
    """The cores this process may run on, at most 4 (beyond that, batches are too small)."""
    return min(usable_cores(), 4)


class Engine:
    """Loads packages on first use and keeps them for the life of the instance."""

    def __init__(self, store: ModelStore | None = None, options: EngineOptions | None = None):
        self.store = store if store is not None else ModelStore.from_env()
        self.options = options if options is not None else EngineOptions()
        # Translators by package folder (a package serving several pairs loads once), and
        # each direction's codec and tokens beside it.
        self._translators: dict[tuple[Path, int, int], tuple[ctranslate2.Translator, int]] = {}
        self._loaded: dict[tuple[Path, int, int, str, str], _Loaded] = {}
        self._device: str | None = None
        self._compute_type: str | None = None

    def settings(self) -> dict[str, Any]:
        """Everything that shapes the output, with a one-line signature for manifests."""
        import ctranslate2

        device, compute_type = self._resolve_device()
        o = self.options
        settings: dict[str, Any] = {
            "engine": f"ctranslate2 {ctranslate2.__version__}",
            "device": device,
            "compute_type": compute_type,
            "beam_size": o.beam_size,
            "length_penalty": o.length_penalty,
            "loop_guard_ngram_size": o.loop_guard_ngram_size,
            "max_decoding_length": (
                f"{o.max_length_ratio}n+{o.max_length_extra}<={o.max_length_cap}"
            ),
            "replace_unknowns": True,
        }
        settings["signature"] = "|".join(
            [
                f"ct2:{ctranslate2.__version__}",
                f"device:{device}",
                f"compute:{compute_type}",
                f"beam:{o.beam_size}",
                f"lp:{o.length_penalty}",
                f"loopguard:{o.loop_guard_ngram_size}",
                f"maxlen:{settings['max_decoding_length']}",
            ]
        )
        return settings

    def translate_sentences(self, package: Package, sentences: Sequence[str]) -> list[str]:
        """Translate sentences with one package in one batched call; blank ones stay "".

        Only sentences whose output looped go through a second, guarded batch.
        """
        loaded = self._load(package)
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        out = ["" for _ in sentences]
        if not todo:
            return out
        tokens = loaded.codec.encode([sentences[i].strip() for i in todo])
        if loaded.source_prefix or loaded.source_suffix:
            tokens = [[*loaded.source_prefix, *t, *loaded.source_suffix] for t in tokens]
        o = self.options
        longest = max(len(t) for t in tokens)
        limit = min(o.max_length_ratio * longest + o.max_length_extra, o.max_length_cap)
        pieces = self._decode(package, loaded, tokens, limit, no_repeat_ngram_size=0)
        looping = [k for k, p in enumerate(pieces) if _loops(p)]
        if looping and o.loop_guard_ngram_size:
            log.info(
                "%s: %d output(s) looped, decoding them again", package.info.name, len(looping)
            )
            again = self._decode(
                package,
                loaded,
                [tokens[k] for k in looping],
                limit,
                no_repeat_ngram_size=o.loop_guard_ngram_size,
            )
            for k, retried in zip(looping, again, strict=True):
                pieces[k] = retried
        for i, p in zip(todo, pieces, strict=True):
            # A package's vocabulary is whoever made it: its pieces may hold terminal escapes
            # or BEL, which must reach neither a terminal nor a PDF.
            out[i] = strip_controls(loaded.codec.decode(p))
        return out

    def _decode(
        self,
        package: Package,
        loaded: _Loaded,
        tokens: list[list[str]],
        limit: int,
        *,
        no_repeat_ngram_size: int,
    ) -> list[list[str]]:
        prefix = [loaded.target_prefix] if loaded.target_prefix else []
        # With several replicas, CTranslate2 sorts the batch by length, cuts it into this many
        # chunks and decodes them side by side, one core each: on 2 cores about 1.2-1.3x the
        # speed of one batch on 2 intra-op threads (bench/translate_speed.py --variants).
        chunk = -(-len(tokens) // loaded.replicas) if loaded.replicas > 1 else 0
        try:
            results = loaded.translator.translate_batch(
                tokens,
                max_batch_size=chunk,
                target_prefix=[prefix] * len(tokens) if prefix else None,
                beam_size=self.options.beam_size,
                length_penalty=self.options.length_penalty,
                no_repeat_ngram_size=no_repeat_ngram_size,
                max_decoding_length=limit + len(prefix),
                replace_unknowns=True,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(
                f"{package.info.name} failed to translate ({exc}); reinstall the package"
            ) from exc
        pieces = []
        for result in results:
            # CTranslate2 returns the forced prefix too (maybe replaced, if unknown): drop it.
            pieces.append(list(result.hypotheses[0])[len(prefix) :])
        return pieces

    def close(self) -> None:
        """Release every loaded model."""
        self._loaded.clear()
        self._translators.clear()

    def _resolve_device(self) -> tuple[str, str]:
        if self._device is None or self._compute_type is None:
            import ctranslate2

            gpus = ctranslate2.get_cuda_device_count()
            device = self.options.device
            if device == "auto":
                device = "cuda" if gpus > 0 else "cpu"
            elif device == "cuda" and gpus == 0:
                raise ModelError(
                    "device cuda was requested but CTranslate2 sees no CUDA GPU; "
                    "use --device cpu (or auto)"
                )
            compute_type = self.options.compute_type
            if compute_type is None:
                supported = ctranslate2.get_supported_compute_types(device)
                preferred = _PREFERRED_COMPUTE[device]
                compute_type = preferred if preferred in supported else "default"
            self._device, self._compute_type = device, compute_type
        return self._device, self._compute_type

    def _load(self, package: Package) -> _Loaded:
        path = package.info.path
        try:
            stat = (path / "model" / "model.bin").stat()
        except OSError as exc:
            raise ModelError(
                f"{package.info.name} at {path} has no readable model/model.bin; reinstall it"
            ) from exc
        folder_key = (path, stat.st_ino, stat.st_mtime_ns)  # a replaced package loads afresh
        key = (*folder_key, *package.pair)
        if key not in self._loaded:
            for stale in [k for k in self._translators if k[0] == path and k != folder_key]:
                del self._translators[stale]
            for old in [k for k in self._loaded if k[0] == path and k[:3] != folder_key]:
                del self._loaded[old]
            if folder_key not in self._translators:
                self._translators[folder_key] = self._load_translator(package)
            translator, replicas = self._translators[folder_key]
            info = package.info
            codec = layouts.load_codec(
                path, package.tokenizer, info.from_code, info.to_code, package.target_sentencepiece
            )
            self._loaded[key] = _Loaded(
                translator,
                codec,
                package.target_prefix,
                replicas,
                package.source_prefix,
                package.source_suffix,
            )
        return self._loaded[key]

    def _load_translator(self, package: Package) -> tuple[ctranslate2.Translator, int]:
        import ctranslate2

        info = package.info
        device, compute_type = self._resolve_device()
        log.info("loading %s from %s (%s, %s)", info.name, info.path, device, compute_type)
        # On CPU with no thread count given: one single-threaded replica per core (the
        # weights are shared), and each batch split between them. Given --threads N: one
        # replica on N threads.
        replicas = cpu_workers() if device == "cpu" and not self.options.threads else 1
        intra = 1 if replicas > 1 else self.options.threads
        try:
            translator = ctranslate2.Translator(
                str(info.path / "model"),
                device=device,
                compute_type=compute_type,
                intra_threads=intra,
                inter_threads=replicas,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelError(
                f"cannot load {info.name} from {info.path} on {device} ({reason}); "
                "reinstall the package or try --device cpu"
            ) from exc
        return translator, replicas


def _loops(pieces: Sequence[str], max_period: int = 8, repeats: int = 4, least: int = 8) -> bool:
    """Whether a block of <= max_period tokens repeats `repeats` times back to back."""
    for period in range(1, max_period + 1):
        needed = max(period * (repeats - 1), least - period)
        run = 0
        for i in range(period, len(pieces)):
            run = run + 1 if pieces[i] == pieces[i - period] else 0
            if run >= needed:
                return True
    return False


def translate(
    title: str, sentences: Sequence[str], source: str, target: str, *, engine: Engine
) -> Translation:
    """Translate a title and summary sentences into one language (through English if needed)."""
    return translate_many(title, sentences, source, [target], engine=engine)[0]


def translate_many(
    title: str,
    sentences: Sequence[str],
    source: str,
    targets: Sequence[str],
    *,
    engine: Engine,
) -> list[Translation]:
    """Translate into several languages; a shared first leg (e.g. de->en) runs only once.

    Every leg is one batched call holding the title and all sentences.
    """
    batch = [title, *sentences]
    done: dict[tuple[Path, str, str], list[str]] = {}  # first-leg outputs, by package direction
    translations = []
    for target in targets:
        if target == source:
            raise InputError(f"source and target language are both {source!r}; drop {target}")
        route = engine.store.route(source, target)
        texts = batch
        for leg, package in enumerate(route.packages):
            key = (package.info.path, *package.pair)
            if leg == 0 and key in done:
                texts = done[key]
                continue
            texts = engine.translate_sentences(package, texts)
            if leg == 0:
                done[key] = texts
        translations.append(
            Translation(
                source_language=source,
                language=target,
                title=texts[0],
                sentences=tuple(texts[1:]),
                models=tuple(p.info for p in route.packages),
                pivot=route.pivot,
                settings=engine.settings(),
            )
        )
    return translations
