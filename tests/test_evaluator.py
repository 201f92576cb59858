"""Evaluating cases: bad facts, interpretations per call, records and replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attest_rules import Regulation, load_case, parse_case
from attest_rules.engine.records import read_record, replay
from attest_rules.engine.results import Evaluation
from attest_rules.errors import FactsError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_bad_facts_name_every_bad_field_and_nothing_is_evaluated(reg: Regulation) -> None:
    facts = {
        "worker": {
            "iin": "12345",
            "childcare_leave": True,
            "childcare_leave_started_on": "2024-05-01",
            "returned_from_childcare_leave_on": "2024-04-01",
        },
        "commission": {"members": ["A", "B", "C", "D", "E"], "chair": "Z", "secretary": "S"},
        "session": {
            "date": "2025-13-01",
            "present": ["A", "B"],
            "votes": [{"member": "Q", "vote": "for"}],
        },
    }
    with pytest.raises(FactsError) as info:
        reg.evaluate(facts)
    fields = [field for field, _ in info.value.problems]
    assert fields == ["worker.iin", "session.date"]  # shape first: types and formats
    facts["worker"]["iin"] = "900101300123"  # type: ignore[index]
    facts["session"]["date"] = "2025-03-03"  # type: ignore[index]
    with pytest.raises(FactsError) as info:
        reg.evaluate(facts)
    problems = dict(info.value.problems)
    assert set(problems) == {
        "worker.returned_from_childcare_leave_on",
        "commission.chair",
        "session.votes[0].member",
    }
    assert "is not a member" in problems["commission.chair"]
    assert "before the start of the leave" in problems["worker.returned_from_childcare_leave_on"]
    assert "'Q' is not a member" in problems["session.votes[0].member"]


def test_unknown_facts_and_wrong_types_are_named(reg: Regulation) -> None:
    with pytest.raises(FactsError) as info:
        parse_case({"worker": {"appointed": "2023-01-01"}, "session": {"appeared": "maybe"}})
    assert dict(info.value.problems) == {
        "worker.appointed": "unknown fact",
        "session.appeared": "Input should be a valid boolean, unable to interpret input",
    }


def test_an_interpretation_switched_per_call_is_recorded(reg: Regulation) -> None:
    case = {
        "session": {"date": "2024-03-15"},
        "worker": {
            "appointed_on": "2023-03-15",
            "childcare_leave": False,
            "refused_before": False,
            "attested_before": False,
        },
    }
    default = reg.evaluate(case)
    switched = reg.evaluate(case, interpretations={"term.not-earlier-than": "day-after-term"})
    assert default.answer("attestation.window").status == "satisfied"
    assert switched.answer("attestation.window").status == "violated"
    assert switched.overridden == ["term.not-earlier-than"]
    assert (
        switched.answer("attestation.window").interpretations["term.not-earlier-than"]
        == "day-after-term"
    )
    assert default.overridden == []


def test_an_example_evaluates_with_citations_and_reasons(reg: Regulation) -> None:
    ev = reg.evaluate(load_case(EXAMPLES / "quorate-session-2025.yaml"))
    assert ev.case_id == "example-2025-first-attestation"
    vote = ev.answer("decision.vote")
    assert vote.outcome == "tie-decided-for-by-chair"
    assert vote.citations[0].provision_id == "rules.6"
    assert "Дауыстар тең болған кезде" in (vote.citations[0].text_kk or "")
    window = ev.answer("attestation.window")
    assert [d.label for d in window.dates] == [
        "earliest(worker.appointed_on, 1 year)",
        "deadline(worker.appointed_on, 3 years)",
    ]
    assert window.dates[1].steps[-1].startswith("deadline: 2026-03-02")


def test_a_record_replays_and_reports_what_changed(reg: Regulation, tmp_path: Path) -> None:
    ev = reg.evaluate(load_case(EXAMPLES / "window-2024-absence.yaml"))
    path = tmp_path / "record.json"
    path.write_text(ev.model_dump_json(), encoding="utf-8")
    again = replay(reg, read_record(path))
    assert again.matches and again.causes == []

    data = json.loads(path.read_text(encoding="utf-8"))
    data["answers"][0]["status"] = "satisfied"
    data["spec_hash"] = "sha256:0000"
    tampered = Evaluation.model_validate(data)
    result = replay(reg, tampered)
    assert not result.matches
    assert [c.question for c in result.changes] == [data["answers"][0]["question"]]
    assert result.causes and "the spec differs" in result.causes[0]
    assert result.record_changes == ("spec_hash",)


def test_evaluating_on_a_date_uses_that_version(reg: Regulation) -> None:
    case = load_case(EXAMPLES / "quorate-session-2025.yaml")
    old = reg.evaluate(case, on="2024-01-10")
    assert {a.version for a in old.answers if a.version} == {"base"}
    assert old.inputs.on is not None and old.inputs.on.isoformat() == "2024-01-10"


def test_evaluations_share_no_state_a_caller_can_change(reg: Regulation) -> None:
    """Answers are built per case and may be changed by their holder; what is shared between
    answers and cases (citations, date explanations, plans) is frozen or copied."""
    import dataclasses

    case = load_case(EXAMPLES / "quorate-session-2025.yaml")
    first, second = reg.evaluate(case), reg.evaluate(case)
    before = second.model_dump()
    assert first.model_dump() == before
    for answer in first.answers:
        answer.reasons.append("changed")
        answer.values["changed"] = True
        answer.interpretations["changed"] = "yes"
        answer.citations.clear()
    assert second.model_dump() == before
    assert reg.evaluate(case).model_dump() == before
    cited = next(a for a in second.answers if a.citations).citations[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cited.text_kk = "changed"  # type: ignore[misc]
    dated = next(a for a in second.answers if a.dates).dates[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        dated.date = dated.date  # type: ignore[misc]
    assert isinstance(dated.steps, tuple)


@pytest.mark.parametrize(
    "record",
    sorted((Path(__file__).parent / "fixtures").glob("record-*.json")),
    ids=lambda p: p.name,
)
def test_a_record_written_before_the_domain_moved_into_the_spec_still_replays(
    reg: Regulation, record: Path
) -> None:
    """Records committed as written by 58813a7, before facts, events, forms and legal time's
    readings moved into the spec: every answer still matches."""
    result = replay(reg, read_record(record))
    assert not result.changes, [(c.question, c.fields) for c in result.changes]  # every field
    # the spec has grown since (its hash differs; it holds one more interpretation, so every
    # choice in effect is one more), and the replay says so
    assert result.record_changes == ("spec_hash", "interpretations")
    assert "the spec differs" in result.causes[0]
    assert len(result.fresh.answers) == 21


def test_the_facts_parse_made_are_the_case_s_and_no_other_s(reg: Regulation) -> None:
    """facts_of gives the dump parse made for the case it parsed last, and a fresh one for any
    other case: never the facts of another case."""
    a = reg.facts.parse({"id": "a", "session": {"date": "2025-03-03"}})
    b = reg.facts.parse({"id": "b", "session": {"date": "2025-04-04"}})
    assert reg.facts.facts_of(b) is reg.facts.facts_of(b)  # kept
    assert reg.facts.facts_of(a) == a.model_dump() != reg.facts.facts_of(b)
    assert reg.facts.facts_of(a)["id"] == "a"


def test_one_case_generates_no_code_and_the_second_answers_alike() -> None:
    """The first case an evaluator answers goes through the closures (``WARM_UP``): no traced
    rule is generated for it, nor the constraints' check for its facts; the second is answered
    by generated code, and the two records are the same, field by field."""
    from attest_rules import load
    from attest_rules.engine.evaluator import Evaluator

    reg = load()  # its own facts model, none of its code generated yet
    evaluator = Evaluator(reg)
    case = load_case(EXAMPLES / "quorate-session-2025.yaml", reg)
    first = evaluator.evaluate(case)
    assert not evaluator._specialised and reg.facts._fast is None
    assert evaluator._closures is not None and evaluator._closures.reference
    second = evaluator.evaluate(case)
    (made,) = evaluator._specialised.values()
    assert any(plans for plans in made.plans)  # traced rules generated now
    assert reg.facts._fast is None  # one case parsed: its check still the closures'
    reg.parse_case(case.model_dump(mode="json"))
    assert reg.facts._fast is not None
    assert first.model_dump() == second.model_dump()
    assert Evaluator(reg, warm_up=0).evaluate(case).model_dump() == first.model_dump()
