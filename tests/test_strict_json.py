"""The fast strict JSON reader (orjson, taken only where no key can have been dropped) is held
to the reference (Python's ``json`` with a hook on every object): the same data, or the same
error, for texts built to hit its edges: keys given twice, ``:`` inside strings, escapes
(``\\u003a`` is a ``:``), integers past 64 bits, non-finite constants."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from attest_rules.located import strict_json

_KEYS = st.sampled_from(["a", "b", "a:b", "c\\u003a", "c\\u003A", "é", "\\u00e9", "\\u0061", ":"])
_SCALARS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.sampled_from(["1.5", "-0.0", "1e400", "NaN", "Infinity", "true", "null"]),
    st.sampled_from(
        ['"x"', '"12:30"', '"\\u003a"', '"a\\"b:"', '"\\ud800"', '""', '"e\\u002b"', '"1e+5"']
    ),
)


def _text(depth: int = 2) -> st.SearchStrategy[str]:
    if depth == 0:
        return _SCALARS
    inner = _text(depth - 1)
    members = st.lists(st.tuples(_KEYS, inner), max_size=4)
    objects = members.map(lambda kv: "{" + ",".join(f'"{k}":{v}' for k, v in kv) + "}")
    arrays = st.lists(inner, max_size=3).map(lambda xs: "[" + ",".join(xs) + "]")
    return st.one_of(_SCALARS, objects, arrays)


def _read(reader: Any, text: str | bytes) -> Any:
    try:
        return ("data", reader(text))
    except ValueError as exc:  # StrictJSONError, JSONDecodeError, UnicodeDecodeError
        return ("error", type(exc).__name__, str(exc))


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


@given(_text(), st.booleans())
@example('{"a":12345678901234567890123}', True)  # orjson: a float
@example("[-98765432109876543210]", False)
def test_fast_reader_is_the_reference(text: str, as_bytes: bool) -> None:
    given_text: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    fast = _read(strict_json.loads, given_text)
    reference = _read(strict_json.reference_loads, given_text)
    assert _same(fast, reference), (text, fast, reference)
    if fast[0] == "data":  # equal as data, and as types (1 is not 1.0)
        assert repr(fast[1]) == repr(reference[1])


def test_a_key_given_twice_is_refused_whatever_hides_it() -> None:
    for text in (
        b'{"a":1,"a":2}',
        b'{"a":"\\u003a","a":2}',  # an escaped ':' in the value left to make up the count
        b'{"x":{"a":":","a":1}}',
        b'[{"a":1},{"b":{"c":1,"c":1}}]',
    ):
        assert _read(strict_json.loads, text)[0] == "error", text
