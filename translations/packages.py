"""What an installed package folder holds, read into `Package` records.

A package folder is an Argos Translate package (`metadata.json`, a CTranslate2 `model/`, and
its tokenizer: `sentencepiece.model` or `bpe.model`; see `translations.layouts`), or one
that `briefpack models import` wrote from an OPUS-MT/Tatoeba release or an NLLB-200 /
M2M-100 CTranslate2 folder. Imported ones keep the Argos layout and add a `"briefpack"`
object to `metadata.json`:

    "briefpack": {
      "family": "opus-mt",                  # or "nllb-200", "m2m-100"; Argos packages: "argos"
      "name": "opus-mt-eng-zle",            # shown wherever the model is named
      "licence": "CC-BY-4.0",
      "origin": "where it came from (file, its sha256, converter)",
      "target_sentencepiece": "target.spm", # decode with this model, when there is one
      "directions": [                       # every pair the one model serves
        {"from": "en", "to": "uk", "source_prefix": [">>ukr<<"], "source_suffix": [],
         "target_prefix": ""}
      ]
    }

Their `"type"` is `"briefpack-translate"`, so argostranslate and LibreTranslate, which would
translate them without their language tokens, leave them alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefpack.errors import ModelError
from briefpack.model import MODEL_FAMILIES, ModelInfo
from briefpack.system.files import FileProblem, read_regular
from briefpack.system.jsondata import load_json
from briefpack.system.text import shorten
from translations import layouts

log = logging.getLogger(__name__)

TEST_MODEL_MARKER = "briefpack_test_model"
REQUIRED_FIELDS = ("from_code", "to_code", "package_version")
MAX_METADATA_BYTES = 1024 * 1024  # a real metadata.json is under 2 KB
TRANSLATE_TYPES = ("translate", "briefpack-translate")
IMPORTED_TYPE = "briefpack-translate"
ARGOS_FAMILY = "argos"
# When several installed models serve one pair and nothing else decides: imported models
# (the user brought them for a reason: on en->uk each scores well above Argos in the
# published figures, see docs/models.md) before Argos packages.
DEFAULT_FAMILY_ORDER = MODEL_FAMILIES
_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")
_TOKEN = re.compile(r"^\S{1,64}$")


@dataclass(frozen=True)
class Package:
    """One translation direction of an installed package, as read from its folder.

    A package that serves several pairs (a multi-target OPUS-MT model, NLLB-200) is read
    as one `Package` per pair, all with the same folder.
    """

    info: ModelInfo
    from_name: str
    to_name: str
    target_prefix: str  # token forced at the start of every output, "" for none
    tokenizer: str  # "sentencepiece" or "bpe"
    source_prefix: tuple[str, ...] = ()  # tokens put before every source sentence
    source_suffix: tuple[str, ...] = ()  # and after it
    target_sentencepiece: str = ""  # file in the folder that decodes the output, "" none

    @property
    def pair(self) -> tuple[str, str]:
        return (self.info.from_code, self.info.to_code)


def read_package(folder: Path) -> Package | None:
    """Read an installed package folder; None for a package that is not a translation model.

    For a package that serves several pairs, this is the pair named in its metadata's
    `from_code` and `to_code`; `read_directions` gives them all.
    """
    directions = read_directions(folder)
    return directions[0] if directions else None


def read_directions(folder: Path) -> list[Package]:
    """Every pair a package folder serves, its own `from_code -> to_code` first."""
    try:  # bounded, regular files only, strict and shallow JSON (briefpack.system)
        metadata = load_json(read_regular(folder / "metadata.json", MAX_METADATA_BYTES))
    except FileProblem as exc:
        if exc.kind == "missing":
            raise ModelError(f"{folder} has no metadata.json; reinstall the package") from exc
        raise ModelError(f"{folder}/metadata.json {exc.reason}; reinstall it") from exc
    except ValueError as exc:
        raise ModelError(f"{folder}/metadata.json {exc}; reinstall it") from exc
    problem = metadata_problem(metadata)
    if problem == "not-translate":
        return []
    if problem:
        raise ModelError(f"{folder}/metadata.json {problem}; reinstall the package")
    tokenizer = layouts.tokenizer_kind(folder)
    extra = metadata.get("briefpack") or {}
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    names = {from_code: metadata.get("from_name"), to_code: metadata.get("to_name")}
    family = str(extra.get("family") or ARGOS_FAMILY)
    template = ModelInfo(
        from_code=from_code,
        to_code=to_code,
        name="",
        version=str(metadata["package_version"]),
        path=folder,
        test_model=metadata.get(TEST_MODEL_MARKER) is True,
        family=family,
        licence=str(extra.get("licence") or ""),
        origin=str(extra.get("origin") or ""),
    )
    name = str(extra.get("name") or "")
    found = []
    for direction in _directions(metadata, extra):
        source, target = direction["from"], direction["to"]
        info = replace(
            template,
            from_code=source,
            to_code=target,
            name=name or f"translate-{source}_{target}",
        )
        found.append(
            Package(
                info=info,
                from_name=str(direction.get("from_name") or names.get(source) or source),
                to_name=str(direction.get("to_name") or names.get(target) or target),
                target_prefix=str(direction.get("target_prefix") or ""),
                tokenizer=tokenizer,
                source_prefix=tuple(direction.get("source_prefix") or ()),
                source_suffix=tuple(direction.get("source_suffix") or ()),
                target_sentencepiece=str(extra.get("target_sentencepiece") or ""),
            )
        )
    if found[0].target_sentencepiece:
        layouts.check_file_name(folder, found[0].target_sentencepiece)
    return found


def _directions(metadata: dict[str, Any], extra: dict[str, Any]) -> list[dict[str, Any]]:
    """The metadata's own pair first (with its Argos `target_prefix`), then the others."""
    own = (metadata["from_code"], metadata["to_code"])
    listed = {(d["from"], d["to"]): d for d in extra.get("directions", ())}
    first = listed.pop(own, None) or {
        "from": own[0],
        "to": own[1],
        "target_prefix": metadata.get("target_prefix") or "",
    }
    return [first, *listed.values()]


def metadata_problem(metadata: Any) -> str:
    """What is wrong with a package's metadata, "" if nothing.

    Returns "not-translate" for a well-formed package of another type (e.g. "sbd").
    """
    if not isinstance(metadata, dict):
        return "is not a JSON object"
    if metadata.get("type", "translate") not in TRANSLATE_TYPES:
        return "not-translate"  # e.g. Argos's "sbd" packages, which lack package_version
    missing = [k for k in REQUIRED_FIELDS if not metadata.get(k)]
    if missing:
        return f"lacks {', '.join(missing)}"
    for key in ("from_code", "to_code"):
        if not isinstance(metadata[key], str) or not _CODE.match(metadata[key]):
            return f"has an invalid {key} {shorten(repr(metadata[key]), 60)}"
    if not isinstance(metadata.get("target_prefix") or "", str):
        return "has a target_prefix that is not a string"
    return _extension_problem(metadata.get("briefpack"))


def _extension_problem(extra: Any) -> str:
    if extra is None:
        return ""
    if not isinstance(extra, dict):
        return 'has a "briefpack" entry that is not an object'
    for key in ("family", "name", "licence", "origin", "target_sentencepiece"):
        if not isinstance(extra.get(key, ""), str):
            return f'has a "briefpack" {key} that is not a string'
    directions = extra.get("directions", [])
    if not isinstance(directions, list):
        return 'has "briefpack" directions that are not a list'
    for direction in directions:
        if not isinstance(direction, dict):
            return 'has a "briefpack" direction that is not an object'
        for key in ("from", "to"):
            if not isinstance(direction.get(key), str) or not _CODE.match(direction[key]):
                return f'has a "briefpack" direction with an invalid {key!r}'
        lists = [direction.get(k, []) for k in ("source_prefix", "source_suffix")]
        if not all(isinstance(x, list) for x in lists):
            return f'has a "briefpack" direction whose source tokens are not lists ({direction})'
        tokens = [*lists[0], *lists[1]]
        prefix = direction.get("target_prefix") or ""
        if not all(isinstance(t, str) and _TOKEN.match(t) for t in [*tokens, prefix or "x"]):
            return f'has a "briefpack" direction with an invalid token ({direction})'
    return ""


def version_key(version: str) -> tuple[int, ...]:
    """A version's numbers, for comparing: "1.9" < "1.10", "2021-02-18" < "2022-03-17"."""
    return tuple(int(n) for n in re.findall(r"\d+", version)[:8])


def family_rank(family: str, preferred: Sequence[str] = ()) -> int:
    """Where a family stands: the preferred ones first, in order, then the default order."""
    order = [*dict.fromkeys([*preferred, *DEFAULT_FAMILY_ORDER])]
    return order.index(family) if family in order else len(order)


def list_packages(folder: Path) -> list[Package]:
    """The translation packages in one folder, sorted by folder name; [] if it is missing."""
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ModelError(f"cannot read model folder {folder}: {exc.strerror}") from exc
    found = []
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            pkg = read_directions(entry)
        except ModelError as exc:
            log.warning("skipping %s: %s", entry, exc)
            continue
        found += pkg
    return found


def model_slot(package: Package) -> tuple[str, ...]:
    """Packages in one slot replace each other: same pair, same family and (for imported
    models) the same model name. An Argos en->uk and an imported OPUS-MT en->uk coexist,
    and `ModelStore.active` chooses between them."""
    info = package.info
    return (info.from_code, info.to_code, info.family, info.name)
