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
