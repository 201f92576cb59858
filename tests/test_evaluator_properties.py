"""Properties of the evaluator: quorum and voting arithmetic, monotonicity in facts, list order
and determinism (Hypothesis, fixed profile)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules import Regulation
from attest_rules.results import Evaluation

REG: Regulation = attest_rules.load()
NAMES = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
DATES = st.dates(min_value=dt.date(2023, 7, 1), max_value=dt.date(2026, 12, 31))
DETERMINED = {"satisfied", "violated", "not_applicable"}


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    members = draw(st.lists(st.sampled_from(NAMES), min_size=3, max_size=9, unique=True))
    present = draw(st.lists(st.sampled_from(members), unique=True))
    voters = draw(st.lists(st.sampled_from(present), unique=True)) if present else []
    votes = [{"member": m, "vote": draw(st.sampled_from(["for", "against"]))} for m in voters]
    session_date = draw(DATES)
    appointed = session_date - dt.timedelta(days=draw(st.integers(0, 2000)))
    decision_date = session_date + dt.timedelta(days=draw(st.integers(0, 3)))
    appeared = draw(st.booleans())
    return {
        "worker": {
            "appointed_on": appointed.isoformat(),
            "childcare_leave": False,
            "refused_before": False,
            "attested_before": False,
        },
        "commission": {
            "members": members,
            "chair": draw(st.sampled_from(members)),
            "secretary": "S",
        },
        "session": {
            "date": session_date.isoformat(),
            "present": present,
            "votes": votes,
            "appeared": appeared,
            "absence_reason": None
            if appeared
            else draw(st.sampled_from(["leave", "business_trip", "other"])),
            "returned_to_work_on": None if appeared else session_date.isoformat(),
            "rescheduled_on": None
            if appeared
            else (session_date + dt.timedelta(days=draw(st.integers(1, 40)))).isoformat(),
            "identity": draw(st.sampled_from(["identity_document", "digital_id", "none"])),
            "qualification_document": draw(st.booleans()),
            "informed_of_stages": draw(st.booleans()),
            "language": draw(st.sampled_from(["kk", "ru", "other"])),
            "devices_violation": False,
            "recording": draw(st.sampled_from(["audio", "video", "audio_video", "none"])),
        },
        "application": {
            "submitted_on": session_date.isoformat(),
            "has_previous_certificate": draw(st.booleans()),
            "documents": draw(
                st.lists(
                    st.sampled_from(
                        [
                            "written_application",
                            "personnel_sheet",
                            "diploma_copy",
                            "work_book_copy",
                            "certificate_copy",
                            "qualification_recognition",
                        ]
                    ),
                    unique=True,
                )
            ),
        },
        "decision": {
            "date": decision_date.isoformat(),
            "outcome": draw(st.sampled_from(["second", "first", "higher", "refusal"])),
        },
        "certificate": {
            "issued_on": (decision_date + dt.timedelta(days=draw(st.integers(0, 8)))).isoformat()
        },
    }


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
