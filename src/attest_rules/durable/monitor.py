"""The live attestation monitor: events in, findings out, the moment they become true.

Events arrive over time (a member arrives, a vote is cast, a decision is taken, a clock tick...).
Each case is one durable_rules session. The questions the events touch are answered by the
rulesets generated from the spec (:class:`attest_rules.durable.engine.DurableEngine`) under the
version in force, and a change of answer is a finding (quorum reached or lost; a decision
adopted, rejected, or tied and resolved by the chair; an absence with or without a good reason).
A deadline the spec computes becomes a durable_rules fact; a clock tick is joined with it, so a
deadline passed without its action is found by the Rete network. Doing the action retracts the
deadline (durable_rules has no negation to say "not done"). A closed case's state is deleted:
durable_rules keeps at most 1024 live sessions per ruleset.

Needs the optional extra: ``pip install 'attest-rules[monitor]'``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from attest_rules.durable.engine import Decision, DurableEngine
from attest_rules.engine.evaluator import Evaluator, citation
from attest_rules.engine.regulation import Regulation
from attest_rules.errors import AttestRulesError
from attest_rules.located.fields import SpecDate

EventType = Literal[
    "session_opened",
    "member_arrived",
    "member_left",
    "vote_cast",
    "voting_closed",
    "worker_appeared",
    "worker_absent",
    "worker_returned",
    "session_rescheduled",
    "decision_taken",
    "certificate_issued",
    "information_sent",
    "revocation_received",
    "revocation_decided",
    "worker_notified",
    "authority_informed",
    "complaint_registered",
    "complaint_reviewed",
    "tick",
    "case_closed",
]


class Event(BaseModel):
    """One thing that happened in a case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str = Field(min_length=1)
    type: EventType
    at: SpecDate | None = None
    member: str | None = None
    members: list[str] | None = None
    chair: str | None = None
    secretary: str | None = None
    vote: str | None = None
    reason: str | None = None
    outcome: str | None = None
    worker: dict[str, Any] | None = Field(default=None, description="Facts about the worker")


@dataclass(frozen=True)
class Finding:
    case: str
    kind: str
    question: str | None
    at: dt.date | None
    details: dict[str, Any]
    citations: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "finding": self.kind,
            "question": self.question,
            "at": self.at.isoformat() if self.at else None,
            "details": self.details,
            "citations": self.citations,
        }


# Deadlines: question → (the value under the rule's let that is the due date, the fact that
# records the action, the event that does it).
DEADLINES: dict[str, tuple[str, tuple[str, str]]] = {
    "certificate.issue": ("due", ("certificate", "issued_on")),
    "certificate.information": ("due", ("certificate", "information_sent_on")),
    "revocation.review": ("due", ("revocation", "decided_on")),
    "revocation.notices": ("due", ("revocation", "authority_informed_on")),
    "complaint.review": ("due", ("complaint", "reviewed_on")),
    "admission.absence": ("latest", ("session", "rescheduled_on")),
}
WATCHED = ("session.quorum", "decision.vote")


@dataclass
class _CaseState:
    facts: dict[str, Any]
    answers: dict[str, Decision | None] = field(default_factory=dict)
    deadlines: dict[str, int] = field(default_factory=dict)  # question → due (day number)
    voting_closed: bool = False


class Monitor:
    """Watches attestation cases as their events arrive."""

    def __init__(self, reg: Regulation, engine: DurableEngine | None = None) -> None:
        self.reg = reg
        self.engine = engine or DurableEngine(reg)
        self.evaluator = Evaluator(reg)
        self.host = self.engine.host
        self.deadline_ruleset = self.host.name("deadlines")
        self._passed: list[tuple[str, str, int]] = []
        self.host.register(
            {
                self.deadline_ruleset: {
                    "passed": {
                        "all": [
                            {"d": {"kind": "deadline"}},
                            {"t": {"$and": [{"kind": "tick"}, {"$gt": {"today": {"d": "due"}}}]}},
                        ],
                        "run": self._deadline_passed,
                    },
                }
            }
        )
        self.cases: dict[str, _CaseState] = {}

    def _deadline_passed(self, c: Any) -> None:
        self._passed.append((str(c.d.sid), str(c.d.question), int(c.t.today)))

    # ---- events -------------------------------------------------------------------------

    def feed(self, event: Event) -> list[Finding]:
        state = self.cases.get(event.case)
        if state is None:
            state = self.cases[event.case] = _CaseState(self.reg.facts.empty(event.case))
        if event.type == "case_closed":
            self._close(event.case, state)
            return [Finding(event.case, "case.closed", None, event.at, {}, [])]
        if event.type == "tick":
            return self._tick(event)
        before = copy.deepcopy(state.facts)
        _apply(state, event)
        try:
            self.reg.facts.parse(state.facts, f"case {event.case}")
        except AttestRulesError as exc:
            state.facts = before  # nothing half-applied
            raise AttestRulesError(
                f"event {event.type} makes case {event.case} inconsistent: {exc}"
            ) from None
        return self._reconsider(event, state)

    def _reconsider(self, event: Event, state: _CaseState) -> list[Finding]:
        findings: list[Finding] = []
        answers = self.engine.answer(state.facts)
        for question in WATCHED:
            before, after = state.answers.get(question), answers.get(question)
            state.answers[question] = after
            if after is None or after == before:
                continue
            if question == "decision.vote" and not state.voting_closed:
                continue
            if question == "session.quorum" and (before is None) and after[1] != "quorate":
                continue  # not yet quorate is no news; only reaching or losing quorum is
            kind = _finding_kind(question, after)
            if kind is not None:
                findings.append(
                    self._finding(
                        event, state, question, kind, {"status": after[0], "outcome": after[1]}
                    )
                )
        if event.type == "voting_closed" and answers.get("decision.vote") is not None:
            vote = answers["decision.vote"]
            assert vote is not None  # noqa: S101
            kind = _finding_kind("decision.vote", vote)
            if kind is not None and not any(f.question == "decision.vote" for f in findings):
                findings.append(
                    self._finding(
                        event, state, "decision.vote", kind, {"status": vote[0], "outcome": vote[1]}
                    )
                )
        findings += self._absence(event, state)
        findings += self._deadlines(event, state)
        return findings

    def _absence(self, event: Event, state: _CaseState) -> list[Finding]:
        """An absence is news once the rule can say whether its reason is a good one."""
        if event.type != "worker_absent":
            return []
        answer = self.evaluator.evaluate(state.facts).answer("admission.absence")
        good = answer.values.get("good_reason")
        if good is None:
            return []
        kind = "absence.with_good_reason" if good else "absence.without_good_reason"
        details = {"reason": event.reason, "status": answer.status, "outcome": answer.outcome}
        return [self._finding(event, state, "admission.absence", kind, details)]

    def _deadlines(self, event: Event, state: _CaseState) -> list[Finding]:
        out: list[Finding] = []
        evaluation = None
        for question, (value, (section, done_field)) in DEADLINES.items():
            done = (state.facts.get(section) or {}).get(done_field)
            if question in state.deadlines:
                if done is not None:  # the action is done: no deadline left to pass
                    self.host.retract_fact(
                        self.deadline_ruleset,
                        self._fact(event.case, question, state.deadlines.pop(question)),
                    )
                continue
            if done is not None:
                continue
            if evaluation is None:
                evaluation = self.evaluator.evaluate(state.facts)
            answer = evaluation.answer(question)
            due = answer.values.get(value)
            if answer.status == "not_applicable" or due is None:
                continue
            day = dt.date.fromisoformat(due).toordinal()
            state.deadlines[question] = day
            self.host.assert_fact(self.deadline_ruleset, self._fact(event.case, question, day))
            out.append(self._finding(event, state, question, "deadline.computed", {"due": due}))
        return out

    def _tick(self, event: Event) -> list[Finding]:
        if event.at is None:
            raise AttestRulesError("a tick needs 'at', the current date")
        today = event.at.toordinal()
        tick = {"sid": event.case, "kind": "tick", "today": today}
        self._passed.clear()
        self.host.assert_fact(self.deadline_ruleset, tick)
        self.host.retract_fact(self.deadline_ruleset, tick)
        findings = []
        state = self.cases[event.case]
        for sid, question, _ in list(self._passed):
            due = state.deadlines.pop(question, None)
            if due is None:
                continue
            self.host.retract_fact(self.deadline_ruleset, self._fact(sid, question, due))
            findings.append(
                self._finding(
                    event,
                    state,
                    question,
                    "deadline.passed",
                    {"due": dt.date.fromordinal(due).isoformat()},
                )
            )
        return findings

    def _close(self, case: str, state: _CaseState) -> None:
        for question, due in state.deadlines.items():
            self.host.retract_fact(self.deadline_ruleset, self._fact(case, question, due))
        self.host.delete_state(self.deadline_ruleset, case)
        del self.cases[case]

    @staticmethod
    def _fact(case: str, question: str, due: int) -> dict[str, Any]:
        return {"sid": case, "kind": "deadline", "question": question, "due": due}

    def _finding(
        self, event: Event, state: _CaseState, question: str, kind: str, details: dict[str, Any]
    ) -> Finding:
        cites: list[str] = []
        day = (state.facts.get("session") or {}).get("date") or event.at
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        if isinstance(day, dt.date):
            try:
                index, _ = self.reg.version_indices(day, self.reg.defaults)
                version = self.reg.versions[index].id
                rule = self.reg.rulebook.by_version[version].get(question)
                if rule is not None:
                    provisions = self.reg.provision_index(version)
                    cites = [
                        f"{c.provision_id} ({c.number}) [{c.version}]"
                        for c in (
                            citation(provisions[p])
                            for p in [rule.provision_id, *rule.spec.cites]
                            if p in provisions
                        )
                    ]
            except AttestRulesError:
                cites = []
        return Finding(event.case, kind, question, event.at, details, cites)

    # ---- streams ------------------------------------------------------------------------

    def stream(self, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Events as JSON lines in, findings (and errors, with their line) as dicts out."""
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                event = Event.model_validate_json(line)
                for finding in self.feed(event):
                    yield finding.as_dict()
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"]) or "(event)"
                yield {"line": number, "error": f"malformed event: {where}: {first['msg']}"}
            except AttestRulesError as exc:
                yield {"line": number, "error": str(exc)}


def _empty_case(case: str) -> dict[str, Any]:
    return {
        "id": case,
        "worker": {},
        "commission": {},
        "session": {},
        "application": {},
        "decision": {},
    }


def _finding_kind(question: str, decision: Decision) -> str | None:
    status, outcome = decision
    if question == "session.quorum":
        return "quorum.reached" if outcome == "quorate" else "quorum.lost"
    if question == "decision.vote":
        if outcome in ("tie-decided-for-by-chair", "tie-decided-against-by-chair"):
            return "decision.tie_resolved_by_chair"
        return "decision.adopted" if status == "satisfied" else "decision.rejected"
    return None


def _apply(state: _CaseState, event: Event) -> None:
    """Record what ``event`` says in the case's facts."""
    facts = state.facts
    session, at = facts["session"], event.at.isoformat() if event.at else None
    kind = event.type
    if kind == "session_opened":
        facts["commission"] = {
            "members": event.members,
            "chair": event.chair,
            "secretary": event.secretary,
        }
        session.update({"date": at, "present": [], "votes": []})
        if event.worker:
            facts["worker"] = dict(event.worker)
    elif kind == "member_arrived" and event.member not in session.setdefault("present", []):
        session["present"] = [*session["present"], event.member]
    elif kind == "member_left":
        session["present"] = [m for m in session.get("present", []) if m != event.member]
    elif kind == "vote_cast":
        session["votes"] = [v for v in session.get("votes", []) if v["member"] != event.member]
        session["votes"].append({"member": event.member, "vote": event.vote})
    elif kind == "voting_closed":
        state.voting_closed = True
    elif kind == "worker_appeared":
        session.update({"appeared": True, "absence_reason": None})
    elif kind == "worker_absent":
        session.update({"appeared": False, "absence_reason": event.reason or "other"})
    elif kind == "worker_returned":
        session["returned_to_work_on"] = at
    elif kind == "session_rescheduled":
        session["rescheduled_on"] = at
    elif kind == "decision_taken":
        facts["decision"] = {"date": at, "outcome": event.outcome}
    elif kind in ("certificate_issued", "information_sent"):
        name = "issued_on" if kind == "certificate_issued" else "information_sent_on"
        facts["certificate"] = {**(facts.get("certificate") or {}), name: at}
    elif kind == "revocation_received":
        facts["revocation"] = {"received_on": at}
    elif kind == "revocation_decided":
        facts["revocation"] = {
            **(facts.get("revocation") or {}),
            "decided_on": at,
            "outcome": event.outcome,
        }
    elif kind in ("worker_notified", "authority_informed"):
        name = "worker_notified_on" if kind == "worker_notified" else "authority_informed_on"
        facts["revocation"] = {**(facts.get("revocation") or {}), name: at}
    elif kind == "complaint_registered":
        facts["complaint"] = {"pre_trial_filed": True, "registered_on": at}
    elif kind == "complaint_reviewed":
        facts["complaint"] = {**(facts.get("complaint") or {}), "reviewed_on": at}
