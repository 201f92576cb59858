"""The live monitor: findings the moment they become true, a stream that survives bad lines,
2,000 cases through durable_rules' 1024-session limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("durable")

import attest_rules
from attest_rules.cli.app import main
from attest_rules.durable.monitor import Event, Monitor

EVENTS = Path(__file__).resolve().parents[1] / "examples" / "events-session-2025.jsonl"
REG = attest_rules.load()
assert REG.events is not None
REG_EVENTS = REG.events


def ev(**fields: Any) -> Event:
    return REG_EVENTS.parse({"case": "c", **fields})


def kinds(findings: list[Any]) -> list[str]:
    return [f.kind for f in findings]


def opened(
    monitor: Monitor, case: str = "c", members: str = "ABCDEF", at: str = "2025-03-03"
) -> None:
    monitor.feed(
        REG_EVENTS.parse(
            {
                "case": case,
                "type": "session_opened",
                "at": at,
                "members": list(members),
                "chair": "A",
                "secretary": "S",
            }
        )
    )


def test_quorum_is_reached_and_lost_as_members_come_and_go() -> None:
    m = Monitor(REG)
    opened(m)
    seen = [kinds(m.feed(ev(type="member_arrived", member=x))) for x in "ABCD"]
    assert seen == [[], [], [], ["quorum.reached"]]  # 4 of 6 is two thirds
    lost = m.feed(ev(type="member_left", member="B"))
    assert kinds(lost) == ["quorum.lost"]
    assert lost[0].citations == ["rules.6 (6.) [base]"]


def test_the_vote_is_reported_when_voting_closes() -> None:
    m = Monitor(REG)
    opened(m)
    for x in "ABCD":
        m.feed(ev(type="member_arrived", member=x))
    for member, vote in [("A", "against"), ("B", "for"), ("C", "for"), ("D", "against")]:
        assert m.feed(ev(type="vote_cast", member=member, vote=vote)) == []
    (finding,) = m.feed(ev(type="voting_closed", at="2025-03-03"))
    assert finding.kind == "decision.tie_resolved_by_chair"
    assert finding.details["outcome"] == "tie-decided-against-by-chair"


def test_deadlines_are_computed_and_found_passed_by_a_clock_tick() -> None:
    m = Monitor(REG)
    opened(m, at="2024-12-13")
    computed = m.feed(ev(type="decision_taken", at="2024-12-13", outcome="second"))
    assert {(f.question, f.details["due"]) for f in computed} == {
        ("certificate.issue", "2024-12-19"),
        ("certificate.information", "2024-12-19"),
    }
    assert m.feed(ev(type="tick", at="2024-12-19")) == []  # the last day is still in time
    assert m.feed(ev(type="certificate_issued", at="2024-12-19")) == []
    passed = m.feed(ev(type="tick", at="2024-12-20"))
    assert [(f.kind, f.question) for f in passed] == [
        ("deadline.passed", "certificate.information")
    ]
    assert m.feed(ev(type="tick", at="2024-12-23")) == []  # found once


def test_absence_with_and_without_a_good_reason() -> None:
    m = Monitor(REG)
    opened(m)
    (absent,) = m.feed(ev(type="worker_absent", reason="business_trip", at="2025-03-03"))
    assert absent.kind == "absence.with_good_reason"
    (due,) = m.feed(ev(type="worker_returned", at="2025-03-10"))
    assert (due.kind, due.details["due"]) == ("deadline.computed", "2025-04-10")
    m2 = Monitor(REG)
    opened(m2)
    (bad,) = m2.feed(ev(type="worker_absent", reason="other", at="2025-03-03"))
    assert bad.kind == "absence.without_good_reason"


def test_two_thousand_cases_pass_through_the_1024_session_limit() -> None:
    m = Monitor(REG)
    for i in range(2000):
        case = f"case-{i}"
        opened(m, case)
        m.feed(
            REG_EVENTS.parse(
                {"case": case, "type": "decision_taken", "at": "2025-03-03", "outcome": "first"}
            )
        )
        m.feed(REG_EVENTS.parse({"case": case, "type": "tick", "at": "2025-03-10"}))
        m.feed(REG_EVENTS.parse({"case": case, "type": "case_closed"}))
    assert m.cases == {}


def test_the_cli_streams_findings_and_reports_a_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = EVENTS.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "events.jsonl"
    bad.write_text(
        "\n".join([lines[0], "{oops", lines[1], '{"case": "c1", "type": "nap"}', *lines[2:]])
        + "\n",
        encoding="utf-8",
    )
    code = main(["monitor", str(bad)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert [o["line"] for o in out if "error" in o] == [2, 4]
    found = [o["finding"] for o in out if "finding" in o]
    assert "quorum.reached" in found and "deadline.passed" in found
    assert found[-1] == "case.closed"


def test_a_second_opening_and_an_event_of_a_case_not_open_are_refused() -> None:
    """Issue 12, finding 3: a second session_opened would wipe attendance and votes; an event
    for a case never opened, or closed, would create state. Both are refused, named."""
    m = Monitor(REG)
    opened(m)
    m.feed(ev(type="member_arrived", member="A"))
    with pytest.raises(attest_rules.AttestRulesError, match="already open"):
        opened(m)
    assert m.cases["c"].facts["session"]["present"] == ["A"]  # nothing wiped
    with pytest.raises(attest_rules.AttestRulesError, match="not open"):
        m.feed(REG_EVENTS.parse({"case": "other", "type": "member_arrived", "member": "A"}))
    assert "other" not in m.cases
    m.feed(ev(type="case_closed"))
    with pytest.raises(attest_rules.AttestRulesError, match="not open"):
        m.feed(ev(type="vote_cast", member="A", vote="for"))
    assert m.cases == {}
