"""The explain search sets values on a case's facts thousands of times (``explain.apply``): held
to a deep copy with the values set, on any nested facts and any paths, and never changing the
facts it was given."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.explain import _Search, apply
from attest_rules.lang.types import ListOf, Record

from .strategies import cases

NAMES = st.sampled_from(["a", "b", "c", "d"])
LEAVES = st.one_of(
    st.none(), st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=3)
)
FACTS = st.recursive(
    st.dictionaries(NAMES, LEAVES, max_size=4),
    lambda inner: st.dictionaries(NAMES, st.one_of(LEAVES, inner), max_size=4),
    max_leaves=12,
)


def _reference(facts: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy with each value set: what the search did before ``apply``."""
    out = copy.deepcopy(dict(facts))
    for path, value in values.items():
        *heads, last = path.split(".")
        node = out
        for name in heads:
            if node.get(name) is None:
                node[name] = {}
            node = node[name]
        node[last] = value
    return out


def _settable(facts: dict[str, Any], path: list[str]) -> bool:
    """Whether each head of ``path`` is a record or none (as a fact's path always is)."""
    node: Any = facts
    for name in path[:-1]:
        if not isinstance(node, dict):
            return False
        node = node.get(name)
        if node is None:
            return True
    return isinstance(node, dict)


@given(FACTS, st.lists(st.tuples(st.lists(NAMES, min_size=1, max_size=3), LEAVES), max_size=4))
def test_apply_is_a_deep_copy_with_the_values_set(
    facts: dict[str, Any], pairs: list[tuple[list[str], Any]]
) -> None:
    values = {".".join(path): value for path, value in pairs if _settable(facts, path)}
    before = copy.deepcopy(facts)
    try:
        expected = _reference(facts, values)
    except (AttributeError, TypeError):  # one path through another's leaf: not a fact's path
        return
    made = apply(facts, values)
    assert made == expected
    assert facts == before  # the facts given are never changed
    for path in values:  # each record on a path is the call's own, not the facts' (writable)
        mine: Any = made
        theirs: Any = facts
        for name in path.split(".")[:-1]:
            mine = mine.get(name) if isinstance(mine, dict) else None
            theirs = theirs.get(name) if isinstance(theirs, dict) else None
            if isinstance(mine, dict) and isinstance(theirs, dict):
                assert mine is not theirs


# ---- the search's completions, checked by the generated constraints -----------------------

REG = attest_rules.load()
EVALUATOR = Evaluator(REG, warm_up=0)


def _leaves(record: Record, prefix: str = "") -> list[str]:
    """Every fact's path that is not inside a list's items."""
    out: list[str] = []
    for name, kind in record.fields:
        path = f"{prefix}{name}"
        if isinstance(kind, Record):
            out += _leaves(kind, path + ".")
        elif not isinstance(kind, ListOf) or not isinstance(kind.item, Record):
            out.append(path)
    return out


LEAVES_OF_SPEC = _leaves(REG.facts.record)


@given(
    cases(),
    st.lists(st.sampled_from(LEAVES_OF_SPEC), max_size=8),
    st.lists(st.tuples(st.sampled_from(LEAVES_OF_SPEC), st.integers(0, 50)), max_size=3),
)
def test_a_completion_is_checked_by_the_generated_constraints_as_by_the_reference(
    data: dict[str, Any], removed: list[str], chosen: list[tuple[str, int]]
) -> None:
    """The search checks each completion by the generated constraint check, on facts in the
    model's form (a record a value opens holds every field, unknown but the value's); the
    reference closures on the facts with only the values set say the same of them."""
    for path in removed:  # facts the case does not give
        section, *rest = path.split(".")
        if rest and isinstance(data.get(section), dict):
            data[section].pop(rest[0], None)
        elif not rest:
            data.pop(section, None)
    try:
        case = REG.parse_case(data)
    except attest_rules.FactsError:
        return
    search = _Search(EVALUATOR, case, REG.rulebook.questions[0], None, None, 400)
    values = {}
    for path, pick in chosen:
        candidates = search.candidates(path)
        if candidates:
            values[path] = candidates[pick % len(candidates)]
    filled = search._apply(values)
    assert REG.facts.problems(filled) == REG.facts.problems(
        apply(search.facts, values), reference=True
    )
    assert REG.facts.problems(filled, reference=True) == REG.facts.problems(filled)
