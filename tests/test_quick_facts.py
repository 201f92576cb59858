"""The batch's quick check of a case's facts (``FactsModel.quick_facts``, issue 15) is held to
the case model it stands in for: whatever it returns is what validating the case and dumping it
gives (``parse`` then ``facts_of``), and wherever the model refuses a case, or its facts
contradict each other, it returns nothing (the model then says why). On valid cases, on cases
with one value changed into something JSON can carry, and on the synthetic regulation too."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules.errors import FactsError
from attest_rules.spec.regulation import LoadedSpec

from .strategies import cases

REG = attest_rules.load()
LIB = attest_rules.load(str(Path(__file__).parent / "library" / "lending_rules.yaml"))

# values a JSON line may carry where another is expected: each is taken by the model as it is,
# converted by it (which the quick check leaves to the model), or refused
ODD = st.sampled_from(
    [
        None,
        "none",
        "",
        " ",
        "true",
        "1",
        1,
        0,
        1.0,
        True,
        False,
        -(10**20),
        10**20,
        "2024-02-29",
        "2023-02-29",
        "2024-1-1",
        "2024-01-01T00:00:00",
        "1000-01-01",
        "kk",
        "xx",
        "for",
        "audio",
        "A\u0308",  # not NFC: the model normalises it
        "\u00c4",
        "A\u200bB",  # an invisible character: refused
        "\ud800",  # a lone surrogate: refused
        "Ω tab\t",
        [],
        ["A", "B"],
        ["A", "A"],
        [{"member": "A", "vote": "for"}],
        [None],
        {},
        {"unknown": 1},
        "012345678901",
        "01234567890",
    ]
)


def _with_texts(data: dict[str, Any]) -> dict[str, Any]:
    """A case with free texts and a pattern too (no constraint reads them: what the check gives
    them shows)."""
    data["id"] = "case-1"
    data["worker"] |= {
        "iin": "012345678901",  # a pattern: the field's own annotation checks it
        "full_name": "A",
        "position": "B",
        "services": ["C"],
    }
    return data


CASES = cases().map(_with_texts)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a case's data a value sits at, or a key could be added."""
    out: list[tuple[Any, ...]] = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
        out.append((*prefix, "unknown_key"))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*prefix, i))
    return out


def _changed(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    if not path:
        return out
    where: Any = out
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return out


def _reference(spec: LoadedSpec, data: Any) -> dict[str, Any] | None:
    """What the model gives: the case's facts, or None where it refuses the case."""
    facts = spec.facts
    assert facts is not None
    try:
        return facts.facts_of(facts.parse(data))
    except FactsError:
        return None


def _held(spec: LoadedSpec, data: Any) -> None:
    facts = spec.facts
    assert facts is not None
    quick = facts.quick_facts(copy.deepcopy(data))
    reference = _reference(spec, data)
    if reference is None:
        assert quick is None, "the quick check took a case the model refuses"
    elif quick is not None:
        assert quick == reference
        assert [type(quick[k]) for k in quick] == [type(reference[k]) for k in reference]


@given(CASES)
def test_a_valid_case_gets_the_model_s_facts(data: dict[str, Any]) -> None:
    facts = REG.facts
    assert facts is not None
    assert facts.quick_facts(copy.deepcopy(data)) == _reference(REG, data)


@given(CASES, st.data())
def test_a_changed_value_never_gets_other_facts_than_the_model_s(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    for path in _paths(data):  # each place in turn, each with a value drawn for it
        _held(REG, _changed(data, path, draw.draw(ODD)))


@given(CASES)
def test_a_missing_value_never_gets_other_facts_than_the_model_s(data: dict[str, Any]) -> None:
    for path in [p for p in _paths(data) if p and p[-1] != "unknown_key"]:
        changed = copy.deepcopy(data)
        where: Any = changed
        for key in path[:-1]:
            where = where[key]
        del where[path[-1]]
        _held(REG, changed)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["loan", "reader", "books", "title", "kind"]), inner)
        ),
        max_leaves=12,
    )
)
def test_any_json_for_the_synthetic_regulation_too(data: Any) -> None:
    _held(LIB, data)


def test_the_bundled_examples_go_the_quick_way() -> None:
    import json

    import yaml

    examples = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))
    assert examples
    for path in examples:  # as a JSON line carries them: dates as ISO text
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        facts = REG.facts
        assert facts is not None
        quick = facts.quick_facts(data)
        assert quick is not None, path.name
        assert quick == _reference(REG, data)


@given(CASES, st.data(), st.sampled_from(["answers", "answers", "answers", "records"]))
def test_a_batch_line_is_answered_as_its_case_would_be(
    data: dict[str, Any], draw: st.DataObject, kind: str
) -> None:
    """``Batch.raw_line`` (the quick way, where it can) writes the very line ``Batch.line``
    writes for the line's case as every case is read: an answer, or the same error."""
    import json

    from attest_rules.engine.facts import case_line
    from attest_rules.tools.payloads import Batch, BatchOptions

    batch = Batch(REG, BatchOptions(answers_only=kind == "answers"))
    lines = [
        json.dumps(data).encode(),
        *(json.dumps(_changed(data, path, draw.draw(ODD))).encode() for path in _paths(data)),
        b'{"worker": {}, "worker": {}}',
        b"not json",
        b"[]",
        None,
    ]
    for n, raw in enumerate(lines, 1):
        reference = batch.line(n, case_line(REG.facts, n, raw, "input"))
        assert batch.raw_line(n, raw, "input") == reference


@given(CASES, st.data())
def test_impact_judges_a_line_as_its_case_would_be(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """``impact`` over cases still to be read (the quick way, where it can) reports what it
    reports over the same cases read the usual way: the same changes, the same rejections."""
    import datetime as dt
    import json

    from attest_rules.engine.facts import CaseSource, read_source
    from attest_rules.tools.impact import Setting, impact

    lines = [
        json.dumps(data).encode(),
        *(json.dumps(_changed(data, path, draw.draw(ODD))).encode() for path in _paths(data)),
        b'{"worker": {}, "worker": {}}',
        b"not json",
        None,
    ]
    sources = [CaseSource(f"in:{n}", None, "in", n, raw) for n, raw in enumerate(lines, 1)]
    a, b = Setting(dt.date(2024, 6, 1)), Setting(dt.date(2025, 6, 1))
    quick = impact(REG, sources, a, b)
    facts = REG.facts
    assert facts is not None
    read = impact(REG, [(s.where, read_source(facts, s)) for s in sources], a, b)
    assert quick.as_dict(1000) == read.as_dict(1000)
