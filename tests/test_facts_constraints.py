"""The spec's consistency constraints: the generated check is held to the three-valued
closures, on cases with any fact given or not, and on contradicting ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st
from pydantic import ValidationError

import attest_rules
from attest_rules.legal_time.terms import FIRST_DAY, LAST_DAY
from tests.strategies import NAMES, cases

REG = attest_rules.load()
NAME = st.sampled_from([*NAMES[:6], "S", "Z"])
# dates legal time computes with (others are refused by the model before any constraint), a
# few weeks apart often enough that two of them fall either way round
DAY = st.one_of(
    st.dates(FIRST_DAY, LAST_DAY), st.dates(dt.date(2024, 1, 1), dt.date(2024, 2, 1))
).map(lambda d: d.isoformat())
MAYBE = st.one_of(st.none(), st.booleans())


@st.composite
def contradicting(draw: st.DrawFn) -> dict[str, Any]:
    """Cases whose facts may well contradict each other: any members, chair, secretary,
    attendance, votes, leave and complaint dates, each given or not."""

    def some(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(st.none(), strategy))

    votes = st.lists(
        st.fixed_dictionaries({"member": NAME, "vote": st.sampled_from(["for", "against"])}),
        max_size=4,
    )
    return {
        "worker": {
            "childcare_leave": draw(MAYBE),
            "childcare_leave_started_on": some(DAY),
            "returned_from_childcare_leave_on": some(DAY),
            "appointed_on": some(DAY),
            "refused_before": draw(MAYBE),
            "last_refusal_on": some(DAY),
        },
        "commission": {
            "members": some(st.lists(NAME, max_size=5)),
            "chair": some(NAME),
            "secretary": some(NAME),
        },
        "session": {
            "date": some(DAY),
            "present": some(st.lists(NAME, max_size=5)),
            "votes": some(votes),
            "appeared": draw(MAYBE),
            "absence_reason": some(st.sampled_from(["leave", "other"])),
            "rescheduled_on": some(DAY),
        },
        "complaint": some(
            st.fixed_dictionaries(
                {
                    "pre_trial_filed": MAYBE,
                    "registered_on": st.one_of(st.none(), DAY),
                    "reviewed_on": st.one_of(st.none(), DAY),
                    "went_to_court": MAYBE,
                    "court_filed_on": st.one_of(st.none(), DAY),
                }
            )
        ),
    }


def _agree(data: dict[str, Any]) -> None:
    try:
        facts = REG.facts.model.model_validate(data).model_dump()
    except ValidationError:
        event("refused by the model")
        return
    event("checked")
    assert REG.facts.problems(facts) == REG.facts.problems(facts, reference=True)


@given(contradicting())
def test_the_generated_check_equals_the_closures_on_contradicting_facts(
    data: dict[str, Any],
) -> None:
    _agree(data)


@given(cases())
def test_the_generated_check_equals_the_closures_on_consistent_cases(data: dict[str, Any]) -> None:
    _agree(data)
    assert REG.facts.problems(REG.facts.model.model_validate(data).model_dump()) == []


@given(contradicting())
def test_an_item_given_twice_is_named_where_it_is_given_again(data: dict[str, Any]) -> None:
    """The spec's ``unique`` lists (the commission's members) and ``unique_by`` lists (the
    votes, by member): each known value given again is named at its second place, with the
    spec's wording, and nothing else is (an unknown value is never a repeat)."""
    try:
        facts = REG.facts.model.model_validate(data).model_dump()
    except ValidationError:
        return
    expected = []
    for section, name, by, said in [
        ("commission", "members", None, "is listed twice"),
        ("session", "votes", "member", "voted twice"),
    ]:
        items = (facts.get(section) or {}).get(name) or []
        seen: set[Any] = set()
        for i, item in enumerate(items):
            value = item if by is None else item.get(by)
            if value is None:
                continue
            if value in seen:
                where = f"{section}.{name}[{i}]" + (f".{by}" if by else "")
                expected.append((where, f"{value!r} {said}"))
            seen.add(value)
    event("a repeat" if expected else "no repeat")
    repeats = [p for p in REG.facts.problems(facts) if "twice" in p[1]]
    assert repeats == expected
