"""The explain search sets values on a case's facts thousands of times (``explain.apply``): held
to a deep copy with the values set, on any nested facts and any paths, and never changing the
facts it was given."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from attest_rules.engine.explain import apply

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
