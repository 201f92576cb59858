"""A record written from its JSON view (``engine.json_view``, issue 15) is the record written
from pydantic's dump, byte for byte: on evaluations of generated cases, partial ones, under any
reading, in any language, with clauses by id or in full, signed or not, with explanations, and
on the synthetic regulation. Where the view is unsure of a value (one pydantic would write
otherwise than orjson writes it as held), the record is written from pydantic's dump, the
same as before; a class whose fields say something the view does not know has no view."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from pathlib import Path
from typing import Annotated, Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, PlainSerializer, with_config

import attest_rules
from attest_rules.engine import records
from attest_rules.engine.json_view import Unsure, viewer
from attest_rules.engine.records import record_bytes, record_json, seal
from attest_rules.engine.results import Answer, Evaluation

from .strategies import cases

REG = attest_rules.load()
LIB = attest_rules.load(str(Path(__file__).parent / "library" / "lending_rules.yaml"))
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

READINGS = st.fixed_dictionaries(
    {},
    optional={
        i.id: st.sampled_from([i.default.id, *(a.id for a in i.alternatives)])
        for i in REG.interpretations.values()
    },
)


def _reference(ev: Evaluation, signer: Any = None, citations: Any = "ids") -> bytes:
    """The record as written from pydantic's dump: sealed, then ``written``."""
    return records.written(seal(ev, signer, citations))


def _both(ev: Evaluation, signer: Any = None, citations: Any = "ids") -> bytes | None:
    """The record from the view (None: the view was unsure), after checking that what is
    written (``record_bytes``, ``record_json``) is the reference either way."""
    expected = _reference(ev, signer, citations)
    assert record_bytes(ev, signer, citations) == expected
    assert record_json(ev, signer, citations) == expected.decode()
    return records._viewed(ev, signer, citations)


def _partial(data: dict[str, Any], drop: list[int]) -> dict[str, Any]:
    """``data`` with some of its sections' facts left out (partial facts)."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    paths = [(s, f) for s, v in out.items() if isinstance(v, dict) for f in v]
    for i in drop:
        if paths:
            s, f = paths[i % len(paths)]
            out[s].pop(f, None)
    return out


@given(
    cases(),
    st.lists(st.integers(0, 200), max_size=6),
    READINGS,
    st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2027, 1, 1))),
    st.sampled_from(["en", "kk", "ru"]),
    st.sampled_from(["ids", "full"]),
)
def test_a_record_from_the_view_is_the_record_from_pydantic(
    case: dict[str, Any],
    drop: list[int],
    readings: dict[str, str],
    on: dt.date | None,
    lang: Any,
    citations: Any,
) -> None:
    ev = REG.evaluate(_partial(case, drop), on, readings, lang=lang)
    viewed = _both(ev, None, citations)
    assert viewed == _reference(ev, None, citations)  # never unsure of an evaluation


def test_the_examples_signed_and_explained(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    from attest_rules.engine.signing import Signer, new_key_pem

    (tmp_path / "key.pem").write_bytes(new_key_pem()[0])
    signer = Signer.from_pem(tmp_path / "key.pem")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        for explain in (False, True):
            ev = REG.evaluate(attest_rules.load_case(path), explain=explain)
            for citations in ("ids", "full"):
                viewed = _both(ev, signer, citations)
                if not explain:
                    assert viewed is not None, path


def test_the_synthetic_regulation() -> None:
    lines = (Path(__file__).parent / "library" / "loans.jsonl").read_bytes().splitlines()
    for line in lines:
        ev = LIB.evaluate(orjson.loads(line))
        assert _both(ev) is not None


def _answer(**values: Any) -> Evaluation:
    ev = REG.evaluate(attest_rules.load_case(EXAMPLES / "quorate-session-2025.yaml"))
    ev.answers[0].values.update(values)
    return ev


class _Colour(enum.Enum):
    RED = "red"


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2025, 3, 3),  # pydantic writes its ISO text; the view leaves it to orjson
        dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC),  # "Z" against "+00:00"
        {"a", "b"},
        frozenset({1}),
        _Text("a text of a subclass"),
        2**70,  # past 64 bits
        "\ud800",  # a lone surrogate
        {1: "a key not a text"},
        b"bytes",
    ],
    ids=repr,
)
def test_a_value_the_view_is_unsure_of_is_written_by_pydantic(value: Any) -> None:
    ev = _answer(odd=value)
    assert records._viewed(ev, None, "ids") is None
    expected_data = seal(ev)
    raw = record_bytes(ev)
    assert raw == records.written(expected_data)
    assert json.loads(raw) == json.loads(json.dumps(expected_data))  # the same record


@pytest.mark.parametrize("value", [_Colour.RED, (1, "a"), 1.5, None, [dt.date.min.year]])
def test_a_value_orjson_writes_as_pydantic_does_stays_on_the_view(value: Any) -> None:
    ev = _answer(odd=value)
    assert _both(ev) is not None


def test_an_object_of_a_subclass_or_with_more_than_its_fields_is_unsure() -> None:
    @dataclasses.dataclass
    class Wider(Answer):
        extra: str = ""

    ev = _answer()
    first = ev.answers[0]
    ev.answers[0] = Wider(**{f.name: getattr(first, f.name) for f in dataclasses.fields(Answer)})
    with pytest.raises(Unsure):
        viewer(Evaluation)(ev)  # type: ignore[misc]
    ev.answers[0] = first
    first.__dict__["cached"] = 1  # an attribute beyond the fields
    with pytest.raises(Unsure):
        viewer(Evaluation)(ev)  # type: ignore[misc]
    assert record_bytes(ev) == _reference(ev)


@dataclasses.dataclass
class _Aliased:
    name: Annotated[str, Field(alias="n")]


@dataclasses.dataclass
class _ForJsonOnly:
    when: Annotated[dt.date, PlainSerializer(str, when_used="json")]


def _with_info(value: Any, info: Any) -> Any:
    return value


@dataclasses.dataclass
class _InfoSerializer:
    value: Annotated[Any, PlainSerializer(_with_info, return_type=Any)]


@dataclasses.dataclass
class _OfASet:
    tags: set[str]


@with_config({"ser_json_timedelta": "float"})
@dataclasses.dataclass
class _Configured:
    name: str


@dataclasses.dataclass
class _Holding:
    inner: _OfASet


@dataclasses.dataclass
class _Unresolved:
    name: NoSuchType  # type: ignore[name-defined]  # noqa: F821


def _named(value: Any) -> Any:
    return {"named": value or "nothing"}


@dataclasses.dataclass
class _Serialized:
    label: Annotated[Any, PlainSerializer(_named, return_type=Any)]
    maybe: Annotated[Any, PlainSerializer(_named, return_type=Any)] | None = None


@dataclasses.dataclass
class _Plain:
    name: str
    when: dt.date | None
    items: list[_Plain] | None = None
    by_name: dict[str, _Plain] | None = None


@pytest.mark.parametrize(
    "cls", [_Aliased, _ForJsonOnly, _InfoSerializer, _OfASet, _Configured, _Holding, _Unresolved]
)
def test_a_field_the_view_does_not_know_leaves_its_class_without_a_view(cls: type) -> None:
    assert viewer(cls) is None


def test_a_class_the_view_knows_is_viewed_as_pydantic_writes_it() -> None:
    from pydantic import TypeAdapter

    leaf = _Plain("b", dt.date(2024, 2, 29))
    cases: list[tuple[type, Any]] = [
        (_Plain, _Plain("a", None, [leaf, leaf], {"x": leaf})),
        (_Plain, _Plain("", None, [], {})),
        (_Serialized, _Serialized("", "")),  # a false value still goes through its serializer
        (_Serialized, _Serialized(0, None)),
    ]
    for cls, obj in cases:
        view = viewer(cls)
        assert view is not None
        written = orjson.dumps(TypeAdapter(cls).dump_python(obj, mode="json"))
        assert orjson.dumps(view(obj)) == written, obj
