"""JSON from files someone else made (manifests, package metadata): strict and shallow.

`json.loads` accepts NaN, Infinity and 1e999 (which becomes inf), keeps the last of two
equal keys, and raises RecursionError, not ValueError, on deeply nested input; code that
later walks or prints a 900-deep value can hit the recursion limit itself. `load_json`
refuses all of these with a ValueError that says which.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32  # a manifest or metadata.json is 2-4 levels deep


def _reject_constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which JSON does not allow")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"holds the number {text[:40]}, too large for JSON")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"holds the key {key[:60]!r} twice")
        result[key] = value
    return result


def load_json(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON, raising ValueError for bad syntax, non-UTF-8 bytes, NaN/Infinity/1e999,
    duplicate keys or nesting deeper than `max_depth`."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("is not UTF-8 text") from None
    try:
        value = json.loads(
            data,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError:
        raise ValueError(f"is nested deeper than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if _depth_over(value, max_depth):
        raise ValueError(f"is nested deeper than {max_depth} levels")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
