"""JSON read strictly, as every JSON input of the library is (a batch line, a monitor event, a
decision record): a key given twice in one object, ``NaN``, ``Infinity`` and ``-Infinity`` are
refused, where Python's ``json`` would keep the last key or a float no JSON allows.

Two readers, one meaning. ``json`` with a hook on every object is the reference, and says why
a text is refused. orjson (written in Rust, several times faster) reads most texts first, but
keeps the last of two equal keys silently, so its result is taken only where it is *proven*
that no key was given twice. A ``:`` outside a string follows each key, and only there; orjson
writes the data back with one ``:`` after each key it kept and each ``:`` of the strings it
kept, none escaped. The only escape that writes a ``:`` is ``\\u003a``: in a text without it,
a string holds as many ``:`` bytes as the string read from it, and a dropped key would take
its own ``:`` (and any in its value) from the written-back count, so equal counts prove
nothing was dropped; then every string read is written back. An integer past 64 bits orjson
reads as a float, which it writes back with an exponent (``1.8446744073709552e+19``), so an
``e+`` more than the text holds tells it (an escape can only add an ``e+``, never hide one).
Anything else (``\\u003a``, unequal counts, a text orjson refuses) is read again by the
reference, which gives the same data or the reference's error.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


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


def reference_loads(text: str | bytes) -> Any:
    """``loads`` by Python's ``json`` alone, a hook on every object: the meaning ``loads`` is
    held to."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)


def loads(text: str | bytes) -> Any:
    """Parse ``text`` (bytes are read as UTF-8, a BOM allowed); ``StrictJSONError`` for a
    duplicate key or a non-finite number, ``ValueError`` (``json.JSONDecodeError``) for bad
    JSON, ``UnicodeDecodeError`` for bytes that are not UTF-8."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return reference_loads(text)  # its error, or what orjson does not read (a BOM)
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    # an escaped ':' (as ensure_ascii writes none); one scan for both spellings' start, most
    # lines holding neither (a scan of a line is about 1 µs)
    if b"\\u003" in raw and (b"\\u003a" in raw or b"\\u003A" in raw):
        return reference_loads(text)
    back = orjson.dumps(data)
    plain = raw.count(b":") == back.count(b":") and raw.count(b"e+") == back.count(b"e+")
    return data if plain else reference_loads(text)
