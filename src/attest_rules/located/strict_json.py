"""JSON read strictly, as every JSON input of the library is (a batch line, a monitor event, a
decision record): a key given twice in one object, ``NaN``, ``Infinity`` and ``-Infinity`` are
refused, where Python's ``json`` would keep the last key or a float no JSON allows."""

from __future__ import annotations

import json
from typing import Any


class StrictJSONError(ValueError):
    """JSON that a strict reader refuses, with why."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # rare: find which key, for the message
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJSONError(f"the key {key!r} is given twice in one object")
            seen.add(key)
    return out


def _constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a number JSON allows")


def loads(text: str | bytes) -> Any:
    """Parse ``text`` (bytes are read as UTF-8, a BOM allowed); ``StrictJSONError`` for a
    duplicate key or a non-finite number, ``ValueError`` (``json.JSONDecodeError``) for bad
    JSON, ``UnicodeDecodeError`` for bytes that are not UTF-8."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
