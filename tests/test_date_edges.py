"""Dates at the edges (issue 12, finding 5): a date fact outside the range legal time computes
with is refused naming its field; a date the working calendar does not cover leaves only the
values that need the calendar undetermined, with the reason; no term runs off the calendar of
dates with an overflow."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attest_rules import Regulation
from attest_rules.cli.app import main
from attest_rules.engine.evaluator import Evaluator
from attest_rules.errors import FactsError, LegalTimeError
from attest_rules.legal_time import (
    FIRST_DAY,
    LAST_DAY,
    Term,
    deadline,
    earliest,
    kz_calendar,
    validity_end,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quorate-session-2025.yaml"


def _case(**sections: object) -> dict[str, object]:
    return {
        "session": {"date": "2025-03-03", "present": ["A", "B", "C", "D"]},
        "commission": {"members": ["A", "B", "C", "D", "E"], "chair": "A", "secretary": "S"},
        **sections,
    }


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"])
def test_a_date_fact_outside_the_range_is_refused_naming_the_field(
    reg: Regulation, day: str
) -> None:
    with pytest.raises(FactsError) as info:
        reg.parse_case(_case(session={"date": day}))
    assert "session.date" in str(info.value)
    assert "1900-01-01 to 2999-12-31" in str(info.value)


@pytest.mark.parametrize("command", ["evaluate", "annex1"])
def test_a_far_date_is_bad_input_in_every_command_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    case = tmp_path / "far.yaml"
    case.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("date: 2025-03-03", "date: 9999-12-31", 1),
        encoding="utf-8",
    )
    assert main([command, str(case)]) == 1
    err = capsys.readouterr().err
    assert "session.date" in err
    assert "internal error" not in err


def test_one_far_line_does_not_abort_an_impact_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps(_case(id="good"))
        + "\n"
        + json.dumps(_case(id="far", session={"date": "9999-12-31"}))
        + "\n"
        + json.dumps(_case(id="also-good"))
        + "\n",
        encoding="utf-8",
    )
    code = main(["impact", str(batch), "--from", "2024-10-01", "--to", "2025-03-01"])
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert code in (0, 1)
    assert "session.date" in out + err
    assert "3" in out or "2" in out  # the two good cases are counted


def test_a_term_past_the_end_of_dates_is_a_term_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["term", "9999-12-31", "1 day", "--deadline"]) == 1
    assert main(["term", "2999-12-31", "9999 years", "--validity"]) == 1
    err = capsys.readouterr().err
    assert "outside the dates legal time computes with" in err
    assert "beyond any date" in err
    assert "internal error" not in err


@given(
    st.dates(FIRST_DAY, LAST_DAY),
    st.integers(1, 9999),
    st.sampled_from(["years", "months", "weeks", "calendar days", "working days"]),
)
def test_legal_time_gives_a_date_or_its_own_error_for_any_day_and_term(
    day: dt.date, amount: int, unit: str
) -> None:
    term = Term.parse(f"{amount} {unit}")
    cal = kz_calendar()
    for kind in ("deadline", "earliest", "validity_end"):
        try:
            if kind == "deadline":
                result = deadline(day, term, calendar=cal)
            elif kind == "earliest":
                result = earliest(day, term, calendar=cal)
            else:
                result = validity_end(day, term)
        except LegalTimeError:
            continue
        assert result.date >= day


def test_an_appointment_in_1985_costs_only_what_needs_the_calendar(reg: Regulation) -> None:
    """The calendar covers 1991–2100; an earliest date needs no working day, so a worker
    appointed in 1985 has every answer, the earliest date with a warning."""
    facts = _case(worker={"appointed_on": "1985-03-01"})
    ev = reg.evaluate(reg.parse_case(facts))
    assert len(ev.answers) == 21
    window = ev.answer("attestation.window")
    warnings = [w for d in window.dates for w in d.warnings]
    assert any("1985: outside the working calendar" in w for w in warnings)
    assert ev.answer("session.quorum").status == "satisfied"


def test_a_deadline_beyond_the_calendar_is_undetermined_with_its_reason(
    reg: Regulation,
) -> None:
    facts = _case(
        session={"date": "2100-12-30", "present": ["A", "B", "C", "D"]},
        decision={"date": "2100-12-30", "outcome": "second"},
        certificate={"issued_on": "2101-01-03"},
    )
    ev = reg.evaluate(reg.parse_case(facts))
    issue = ev.answer("certificate.issue")
    assert issue.status == "undetermined"
    assert any("working calendar covers 1991–2100, not 2101" in m for m in issue.missing)
    assert ev.answer("session.quorum").status == "satisfied"
    # the fast path agrees with the traced one
    fast = Evaluator(reg).decide_all(reg.parse_case(facts).model_dump())
    assert {q: s for q, (s, _) in fast.items()} == {a.question: a.status for a in ev.answers}
