"""Membership tested in sets (issue 12, finding 7): a list tested for each item of an each is
made a set once, in the generated code (a hoisted loop invariant) and in the reference closures
(once per evaluation), so a commission of the largest size the facts allow is linear, not
quadratic; the answers are those of lists, held to the reference here on large commissions."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from attest_rules import Regulation
from attest_rules.engine.evaluator import Evaluator
from attest_rules.lang.codegen import Generator
from attest_rules.lang.syntax import parse

POOL = [f"m{i}" for i in range(80)]


@st.composite
def large_commissions(draw: st.DrawFn) -> dict[str, Any]:
    members = draw(st.lists(st.sampled_from(POOL), min_size=8, max_size=60, unique=True))
    present = draw(st.lists(st.sampled_from([*members, "S"]), unique=True))
    attending = [p for p in present if p in members]  # the secretary does not vote
    voters = draw(st.lists(st.sampled_from(attending), unique=True)) if attending else []
    return {
        "commission": {
            "members": members,
            "chair": draw(st.sampled_from(members)),
            "secretary": "S",
        },
        "session": {
            "date": "2025-03-03",
            "present": present,
            "votes": [
                {"member": v, "vote": draw(st.sampled_from(["for", "against"]))} for v in voters
            ],
        },
    }


@settings(max_examples=60)
@given(large_commissions())
def test_sets_answer_as_lists_on_large_commissions(reg: Regulation, case: dict[str, Any]) -> None:
    parsed = reg.parse_case(case)
    reference = Evaluator(reg, reference=True).evaluate(parsed)
    traced = Evaluator(reg, warm_up=0).evaluate(parsed)
    assert [a.model_dump() for a in traced.answers] == [a.model_dump() for a in reference.answers]
    fast = Evaluator(reg).decide_all(parsed.model_dump())
    assert fast == {a.question: (a.status, a.outcome) for a in reference.answers}


def test_a_list_tested_for_each_item_is_made_a_set_once(reg: Regulation) -> None:
    gen = Generator(reg.rulebook.facts)
    node = parse("count(each p in session.present where p in commission.members)")
    code = gen.expr(node, frozenset(), frozenset())
    assert "for S_m" in code and "_members(" in code  # hoisted before the loop
    assert code.index("_members(") < code.index("for E_p in")
    # a list that depends on the item is not hoisted
    varying = parse("count(each v in session.votes where v.member in [v.member])")
    assert "_members(" not in gen.expr(varying, frozenset(), frozenset())
