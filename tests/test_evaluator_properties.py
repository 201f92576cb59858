"""Properties of the evaluator: quorum and voting arithmetic, monotonicity in facts, list order
and determinism (Hypothesis, fixed profile)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules import Regulation
from attest_rules.engine.results import Evaluation

from .strategies import cases

REG: Regulation = attest_rules.load()
DETERMINED = {"satisfied", "violated", "not_applicable"}


def answers(ev: Evaluation) -> dict[str, tuple[Any, ...]]:
    return {a.question: a.key() for a in ev.answers}


@given(cases())
def test_quorum_is_integer_two_thirds_and_monotone(case: dict[str, Any]) -> None:
    members = len(case["commission"]["members"])
    present = len(case["session"]["present"])
    quorum = REG.evaluate(case).answer("session.quorum")
    assert (quorum.status == "satisfied") == (3 * present >= 2 * members)
    more = [m for m in case["commission"]["members"] if m not in case["session"]["present"]]
    if quorum.status == "satisfied" and more:
        bigger = {
            **case,
            "session": {**case["session"], "present": [*case["session"]["present"], more[0]]},
        }
        assert REG.evaluate(bigger).answer("session.quorum").status == "satisfied"


@given(cases())
def test_a_tie_is_decided_by_the_chair_only_when_the_chair_voted(case: dict[str, Any]) -> None:
    vote = REG.evaluate(case).answer("decision.vote")
    votes = case["session"]["votes"]
    n_for = sum(v["vote"] == "for" for v in votes)
    n_against = len(votes) - n_for
    chair_voted = any(v["member"] == case["commission"]["chair"] for v in votes)
    decided_by_chair = vote.outcome in ("tie-decided-for-by-chair", "tie-decided-against-by-chair")
    assert decided_by_chair == (n_for == n_against and chair_voted)
    if n_for != n_against:
        assert vote.outcome == ("adopted" if n_for > n_against else "rejected")


def _drop(case: dict[str, Any], section: str, field: str) -> dict[str, Any]:
    return {**case, section: {**case[section], field: None}}


LEAVES = [
    (s, f)
    for s, fs in {
        "worker": ["appointed_on", "childcare_leave", "attested_before"],
        "commission": ["secretary", "members"],
        "session": [
            "date",
            "present",
            "votes",
            "appeared",
            "identity",
            "language",
            "recording",
            "qualification_document",
            "informed_of_stages",
            "rescheduled_on",
        ],
        "application": ["documents", "has_previous_certificate", "submitted_on"],
        "decision": ["date", "outcome"],
    }.items()
    for f in fs
]


@given(cases(), st.lists(st.sampled_from(LEAVES), min_size=1, max_size=4, unique=True))
def test_adding_a_missing_fact_never_undoes_a_determined_answer(
    case: dict[str, Any], dropped: list[tuple[str, str]]
) -> None:
    partial = case
    for section, field in dropped:
        if section == "commission" and field == "members":
            continue  # members decide who may vote: dropping them makes other facts invalid
        partial = _drop(partial, section, field)
    full = {a.question: a for a in REG.evaluate(case).answers}
    for answer in REG.evaluate(partial).answers:
        if answer.status not in DETERMINED:
            continue
        more = full[answer.question]
        assert (more.status, more.outcome) == (answer.status, answer.outcome), answer.question
        for name, value in answer.values.items():  # a known value stays; an unknown may be found
            if value is not None:
                assert more.values[name] == value, (answer.question, name)


@given(cases(), st.randoms(use_true_random=False))
def test_answers_do_not_depend_on_the_order_of_lists(case: dict[str, Any], rnd: Any) -> None:
    shuffled = {k: dict(v) for k, v in case.items()}
    for section, field in [
        ("commission", "members"),
        ("session", "present"),
        ("session", "votes"),
        ("application", "documents"),
    ]:
        items = list(shuffled[section][field])
        rnd.shuffle(items)
        shuffled[section][field] = items
    assert answers(REG.evaluate(case)) == answers(REG.evaluate(shuffled))


@given(cases())
def test_evaluation_is_deterministic(case: dict[str, Any]) -> None:
    assert REG.evaluate(case) == REG.evaluate(case)


def _readings() -> st.SearchStrategy[dict[str, str]]:
    """Any reading of any interpretation: the fast path is specialised to its choices."""
    options = {
        i.id: [i.default.id, *(a.id for a in i.alternatives)] for i in REG.interpretations.values()
    }
    return st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in options.items()})


_FAST = None  # one evaluator across examples, so its per-choices compilations are reused


@given(
    cases(), _readings(), st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2027, 1, 1)))
)
def test_the_answers_only_path_agrees_with_the_full_evaluation(
    case: dict[str, Any], readings: dict[str, str], on: dt.date | None
) -> None:
    from attest_rules import parse_case
    from attest_rules.engine.evaluator import Evaluator

    global _FAST
    _FAST = _FAST or Evaluator(REG)
    fast = _FAST.decide_all(parse_case(case).model_dump(), on, REG.choices(readings))
    full = REG.evaluate(case, on, readings)
    assert fast == {a.question: (a.status, a.outcome) for a in full.answers}


_REFERENCE = None
_GENERATED = None


@given(
    cases(), _readings(), st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2027, 1, 1)))
)
def test_generated_answers_equal_the_reference_closures(
    case: dict[str, Any], readings: dict[str, str], on: dt.date | None
) -> None:
    """Every field of every answer (values, reasons, dates, citations, alternatives) is the
    same whether a rule ran as generated code or through the three-valued closures."""
    from attest_rules.engine.evaluator import Evaluator

    global _REFERENCE, _GENERATED
    _REFERENCE = _REFERENCE or Evaluator(REG, reference=True)
    _GENERATED = _GENERATED or Evaluator(REG, warm_up=0)  # generated code from the first case
    full = _GENERATED.evaluate(case, on, readings)
    reference = _REFERENCE.evaluate(case, on, readings)
    assert full.model_dump() == reference.model_dump()
