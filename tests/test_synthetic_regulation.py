"""The engine is generic: a second, synthetic regulation (an invented library's lending rules,
``tests/library/lending_rules.yaml``) runs through it unchanged.

It has its own facts and constraint, five questions (one with an unknown wording), a term in
calendar days counted by legal time, an interpretation a rule consults and one bound to a
legal-time reading, an amendment effective from a date, two events with a clock and a close, a
watched question, a deadline and a form. Every command works on it with ``--spec``, and the
engine's generated paths are held to the reference closures on it as on the real one.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules.cli.app import main
from attest_rules.engine.evaluator import Evaluator

HERE = Path(__file__).parent / "library"
SPEC = str(HERE / "lending_rules.yaml")
LIB = attest_rules.load(SPEC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_it_passes_check_and_knows_its_own_questions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", SPEC)
    assert code == 0 and "OK" in out
    assert LIB.rulebook.questions == (
        "loan.limit",
        "loan.return",
        "loan.rare",
        "reader.card",
        "loan.fees",
    )
    assert [v.id for v in LIB.versions] == ["v1", "v2"]


def test_its_case_files_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "test", "--spec", SPEC, str(HERE / "cases"))
    assert code == 0
    assert out.strip().endswith("13 passed, 0 failed")


def test_evaluate_gives_a_record_that_replays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "evaluate", "--spec", SPEC, str(HERE / "slip.yaml"), "--format", "json"
    )
    assert code == 0
    record = json.loads(out)
    assert record["spec_id"] == "example-library-lending"
    answers = {a["question"]: a for a in record["answers"]}
    assert answers["loan.return"]["values"] == {"due": "2024-06-17"}
    assert answers["loan.fees"]["status"] == "undetermined"
    path = tmp_path / "record.json"
    path.write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "replay", "--spec", SPEC, str(path))
    assert code == 0 and "all 5 answers match" in out


def test_its_text_on_a_date_versions_and_diff(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "versions", "--spec", SPEC)
    assert code == 0 and out.startswith("v1 ") and "\nv2 " in out
    code, out, _ = run(capsys, "show", "1", "--on", "2025-02-01", "--spec", SPEC, "--lang", "en")
    assert code == 0 and "at most eight lending books" in out
    code, out, _ = run(capsys, "diff", "2024-12-31", "2025-01-01", "--spec", SPEC, "--lang", "en")
    assert code == 0 and "replaced  rules.1" in out


def test_the_amendment_applies_from_its_effective_date() -> None:
    six = [{"title": str(n), "kind": "lending"} for n in range(6)]
    before = LIB.evaluate({"loan": {"issued_on": "2024-12-31", "books": six}})
    after = LIB.evaluate({"loan": {"issued_on": "2025-01-01", "books": six}})
    assert (before.answer("loan.limit").status, before.answer("loan.limit").version) == (
        "violated",
        "v1",
    )
    assert (after.answer("loan.limit").status, after.answer("loan.limit").version) == (
        "satisfied",
        "v2",
    )
    assert [c.provision_id for c in LIB.diff("2024-12-31", "2025-01-01")] == ["rules.1"]


def test_what_would_decide_is_found_here_too() -> None:
    """The search for witnesses knows no regulation: on the library's rules it halves the
    return date to the day the loan becomes late, and finds the card's none apart from a card
    (the constraint keeps the return on or after the issue)."""
    found = LIB.evaluate({"loan": {"issued_on": "2024-06-03"}, "reader": {}}, explain=True)
    x = {e.question: e for e in found.explanations or []}
    ret = x["loan.return"]
    assert ret.deciding == ["loan.returned_on"]
    days = [w.facts["loan.returned_on"] for w in ret.witnesses]
    assert [w.outcome for w in ret.witnesses] == ["returned-in-time", "returned-late"]
    assert dt.date.fromisoformat(days[1]) - dt.date.fromisoformat(days[0]) == dt.timedelta(1)
    assert days == ["2024-06-17", "2024-06-18"]  # 14 calendar days from 3 June
    card = x["reader.card"]
    assert [(w.facts["reader.card"], w.outcome) for w in card.witnesses] == [
        ("library_card", "shown"),
        ("none", "not-shown"),
    ]
    limit = x["loan.limit"]  # a list of records: as many books as the limit needs
    assert limit.deciding == ["loan.books"]
    assert [w.outcome for w in limit.witnesses] == ["within-limit", "over-limit"]


def test_its_constraint_refuses_contradicting_facts() -> None:
    with pytest.raises(attest_rules.FactsError) as exc:
        LIB.parse_case({"loan": {"issued_on": "2024-06-03", "returned_on": "2024-06-01"}})
    assert exc.value.problems == [
        ("loan.returned_on", "2024-06-01 is before the loan was issued (2024-06-03)")
    ]


def test_the_monitor_follows_its_events(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("durable")
    code, out, _ = run(capsys, "monitor", "--spec", SPEC, str(HERE / "events.jsonl"))
    assert code == 0
    found = [(f["case"], f["finding"]) for f in map(json.loads, out.splitlines())]
    assert found == [
        ("r1", "limit.kept"),
        ("r1", "deadline.computed"),
        ("r2", "limit.exceeded"),
        ("r2", "deadline.computed"),
        ("r1", "deadline.passed"),
        ("r1", "case.closed"),
        ("r2", "case.closed"),
    ]


def test_coverage_and_impact(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", "--spec", SPEC, str(HERE / "cases"), "--format", "json")
    assert code == 0
    assert "loan.limit" in out and "within-limit" in out
    code, out, _ = run(
        capsys,
        "impact",
        "--spec",
        SPEC,
        str(HERE / "loans.jsonl"),
        "--from",
        "2024-12-16",
        "--to",
        "2025-01-02",
    )
    assert code == 0
    assert "violated (over-limit) → satisfied (within-limit): 1 (l1)" in out


def test_its_form_is_filled_and_withheld_as_its_spec_says(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "form", "--spec", SPEC, "slip", str(HERE / "slip.yaml"), "--lang", "en"
    )
    assert code == 0
    assert out.splitlines()[0] == "Loan slip (Annex 1)"
    assert "→ 2024-06-17" in out and "[by hand: The library's stamp" in out
    code, out, _ = run(capsys, "slip", "--spec", SPEC, str(HERE / "slip.yaml"), "--format", "json")
    assert code == 0 and json.loads(out)["fields"][2]["value"] == "2024-06-17"
    refused = tmp_path / "refused.yaml"
    refused.write_text("loan: {issued_on: 2024-06-03, refused: true}\n", encoding="utf-8")
    code, _, err = run(capsys, "slip", "--spec", SPEC, str(refused))
    assert code == 1 and "the loan was refused; there is no slip" in err
    code, _, err = run(capsys, "annex1", "--spec", SPEC, str(refused))
    assert code == 1 and "no command 'annex1'" in err and "slip" in err


# ---- the engine's paths held to the reference, on this spec ---------------------------------

KINDS = st.sampled_from(["lending", "reference", "rare"])
DAYS = st.dates(dt.date(2023, 12, 1), dt.date(2025, 12, 31))


@st.composite
def loans(draw: st.DrawFn) -> dict[str, Any]:
    """Library cases with any fact left out."""
    issued = draw(DAYS)
    books = draw(
        st.lists(
            st.fixed_dictionaries({"title": st.text("AB", min_size=1), "kind": KINDS}), max_size=10
        )
    )
    loan: dict[str, Any] = {"issued_on": issued.isoformat(), "books": books}
    if draw(st.booleans()):
        loan["returned_on"] = (issued + dt.timedelta(days=draw(st.integers(0, 30)))).isoformat()
    reader: dict[str, Any] = {
        "registered_on": draw(DAYS).isoformat(),
        "card": draw(st.sampled_from(["library_card", "identity_document", "none"])),
    }
    for section in (loan, reader):
        for key in [k for k in section if draw(st.integers(0, 9)) == 0]:
            del section[key]
    return {"loan": loan, "reader": reader}


CHOICES = st.fixed_dictionaries(
    {},
    optional={
        "limit.reference-books": st.sampled_from(["all-books", "lending-only"]),
        "term.not-earlier-than": st.sampled_from(["last-day-of-term", "day-after-term"]),
    },
)
REFERENCE = Evaluator(LIB, reference=True)
FAST = Evaluator(LIB, warm_up=0)


@given(loans(), CHOICES, st.one_of(st.none(), DAYS))
def test_generated_answers_equal_the_reference_closures_here_too(
    case: dict[str, Any], choices: dict[str, str], on: dt.date | None
) -> None:
    full = LIB.evaluate(case, on, choices)
    assert full.model_dump() == REFERENCE.evaluate(case, on, choices).model_dump()
    quick = FAST.decide_all(LIB.parse_case(case).model_dump(), on, LIB.choices(choices))
    assert quick == {a.question: (a.status, a.outcome) for a in full.answers}


@given(loans())
def test_durable_rules_agrees_wherever_it_answers(case: dict[str, Any]) -> None:
    pytest.importorskip("durable")
    from attest_rules.durable.engine import DurableEngine

    global DURABLE
    DURABLE = DURABLE or DurableEngine(LIB)
    theirs = DURABLE.answer(case)
    mine = FAST.decide_all(LIB.parse_case(case).model_dump())
    assert all(theirs[q] is None or theirs[q] == mine[q] for q in mine)


DURABLE: Any = None
