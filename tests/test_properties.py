"""Properties of consolidation that must hold on every date."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules import Regulation
from attest_rules.spec.bindings import AFTER_PUBLICATION, WINDOW
from attest_rules.spec.model import AddOp

REG: Regulation = attest_rules.load()
AGAIN: Regulation = attest_rules.load()  # a second, independent load
DATES = st.dates(min_value=dt.date(2023, 7, 1), max_value=dt.date(2030, 12, 31))
CHOICES = st.sampled_from(["report-both", "assume-earliest", "assume-latest"])


def touched_by(reg: Regulation, version_ids: tuple[str, ...]) -> dict[str, str]:
    """Independently of the tree code: which applied version last wrote each provision id."""
    last: dict[str, str] = {}
    for v in reg.versions:
        if v.id not in version_ids:
            continue
        for op in v.changes:
            root = op.provision if isinstance(op, AddOp) else getattr(op, "provision", None)
            ids = [op.target] if not isinstance(op, AddOp) else []
            stack = [root] if root is not None else []
            while stack:
                spec = stack.pop()
                ids.append(spec.id)
                stack.extend(spec.children)
            for pid in ids:
                last[pid] = v.id
    return last


@given(DATES, CHOICES)
def test_every_provision_in_force_takes_its_wording_from_exactly_one_version(
    day: dt.date, choice: str
) -> None:
    text = REG.as_of(day, {"effective-date.window": choice})
    writers = touched_by(REG, text.versions)
    seen: set[str] = set()
    for p in text.in_force():
        assert p.id not in seen
        seen.add(p.id)
        assert p.version in text.versions
        expected = writers.get(p.id, REG.versions[0].id)
        ancestors = []
        parent = p.parent
        while parent is not None:
            ancestors.append(parent)
            parent = text.provision(parent).parent
        if p.id not in writers and any(a in writers for a in ancestors):
            expected = next(writers[a] for a in ancestors if a in writers)
        assert p.version == expected, (p.id, p.version, expected)


@given(DATES, CHOICES)
def test_nothing_repealed_is_in_force_after_its_repeal(day: dt.date, choice: str) -> None:
    choices = REG.choices({"effective-date.window": choice})
    text = REG.as_of(day, choices)
    for v in REG.versions:
        counting = REG.bindings.value(AFTER_PUBLICATION, choices)
        window = REG.bindings.value(WINDOW, choices)
        if v.status_on(day, counting, window) != "in_force":
            continue
        for op in v.changes:
            if op.op == "repeal":
                for p in text.subtree(op.target):
                    assert not p.in_force, (p.id, day)


@given(DATES)
def test_consolidation_is_deterministic(day: dt.date) -> None:
    assert REG.as_of(day) == REG.as_of(day) == AGAIN.as_of(day)
    assert REG.diff(dt.date(2023, 7, 1), day) == AGAIN.diff(dt.date(2023, 7, 1), day)


@given(DATES, DATES)
def test_diff_is_empty_exactly_when_the_texts_agree(d1: dt.date, d2: dt.date) -> None:
    a, b = REG.as_of(d1), REG.as_of(d2)
    assert (REG.diff(d1, d2) == []) == (a.provisions == b.provisions)
