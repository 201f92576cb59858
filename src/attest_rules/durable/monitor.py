"""The live attestation monitor: events in, findings out, the moment they become true.

Everything it knows of a regulation is the spec's ``events``: the event types it accepts and
the facts each records, the event that tells the date (the clock) and the one that closes a
case, the questions it watches and the deadlines (a rule's value, and the fact recording the
action that meets it). It holds no event type, question id or fact path of its own.

Events arrive over time (a member arrives, a vote is cast, a decision is taken, the clock
ticks...). Each case is one durable_rules session. The watched questions are answered by the
rulesets generated from the spec (``DurableEngine``) under the
version in force, and a change of answer is a finding, of the kind the spec names for the new
outcome. A deadline the spec computes becomes a durable_rules fact; a clock event is joined with
it, so a deadline passed without its action is found by the Rete network. Doing the action
retracts the deadline (durable_rules has no negation to say "not done"). durable_rules keeps at
most 1024 live sessions per ruleset, and its ``delete_state`` can crash the process (a
segmentation fault, seen with two cases open at once): so a case holds a session *slot* while it
is open, its facts are retracted when it closes, and the slot is taken by the next case.

Needs the optional extra: ``pip install 'attest-rules[monitor]'``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from attest_rules.durable.engine import Decision, DurableEngine
from attest_rules.durable.host import MAX_OPEN
from attest_rules.durable.journal import Journal
from attest_rules.engine.evaluator import Evaluator, citation
from attest_rules.engine.regulation import Regulation
from attest_rules.errors import AttestRulesError
from attest_rules.lang.interpreter import Env, Missing
from attest_rules.located.lines import MAX_LINE
from attest_rules.located.strict_json import StrictJSONError
from attest_rules.spec.events import AT, EventBase, Events, validation_error_text
from attest_rules.spec.facts import fact_at
from attest_rules.spec.model import EventType, Watch

Event = EventBase  # an event as validated by the spec's events model


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


@dataclass
class _CaseState:
    facts: dict[str, Any]
    slot: str  # the durable_rules session the case's deadlines live in
    answers: dict[str, Decision | None] = field(default_factory=dict)
    deadlines: dict[str, int] = field(default_factory=dict)  # question → due (day number)
    marks: set[str] = field(default_factory=set)
    checked: dict[str, Any] = field(default_factory=dict)  # the facts as last validated
    last_due: int | None = None  # the latest due day any deadline of the case had
    today: int | None = None  # the case's clock, as its last clock event told it

    def snapshot(self) -> tuple[Any, ...]:
        return (
            copy.deepcopy(self.facts),
            dict(self.answers),
            dict(self.deadlines),
            set(self.marks),
            self.checked,
            self.last_due,
            self.today,
        )

    def restore(self, saved: tuple[Any, ...]) -> None:
        (
            self.facts,
            self.answers,
            self.deadlines,
            self.marks,
            self.checked,
            self.last_due,
            self.today,
        ) = saved

    def evictable(self) -> bool:
        """Whether the case's last deadline has passed, met or not, with none still pending:
        nothing the monitor would report on is left."""
        return (
            not self.deadlines
            and self.last_due is not None
            and self.today is not None
            and self.today > self.last_due
        )


class Monitor:
    """Watches cases as their events arrive, as the spec's ``events`` say."""

    def __init__(
        self,
        reg: Regulation,
        engine: DurableEngine | None = None,
        *,
        max_open: int = MAX_OPEN,
    ) -> None:
        if not 1 <= max_open <= MAX_OPEN:
            raise AttestRulesError(f"at most {MAX_OPEN} cases can be open at once, not {max_open}")
        self.max_open = max_open
        if reg.events is None:
            raise AttestRulesError(f"the spec {reg.id} declares no events for a monitor")
        self.reg = reg
        self.events: Events = reg.events
        self.spec = reg.events.spec
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
                            {"t": {"$and": [{"kind": "clock"}, {"$gt": {"today": {"d": "due"}}}]}},
                        ],
                        "run": self._deadline_passed,
                    },
                }
            }
        )
        self.cases: dict[str, _CaseState] = {}
        self._free: list[str] = []  # session slots of closed cases, retracted and reusable
        self._slots = 0

    def _slot(self) -> str:
        if self._free:
            return self._free.pop()
        self._slots += 1
        return f"s{self._slots}"

    def _deadline_passed(self, c: Any) -> None:
        self._passed.append((str(c.d.sid), str(c.d.question), int(c.t.today)))

    def event(self, data: Any) -> Event:
        """An event (a mapping) validated by the spec's events model."""
        return self.events.parse(data)

    # ---- events -------------------------------------------------------------------------

    def feed(self, event: Event) -> list[Finding]:
        """The findings of one event. An event that cannot be taken (a case not open, a second
        opening, facts it would make inconsistent, a new case past the cap) raises
        ``AttestRulesError``; whatever fails, the case is left as it was before the event
        and the other cases are untouched."""
        state = self.cases.get(event.case)
        if state is None:
            return self._open(event)
        saved = state.snapshot()
        try:
            return self._feed(event, state)
        except BaseException:
            state.restore(saved)  # nothing half-applied
            raise

    def _open(self, event: Event) -> list[Finding]:
        opening = self.spec.open
        if opening is not None and event.type != opening:
            raise AttestRulesError(
                f"case {event.case} is not open (never opened, closed, or evicted): its first "
                f"event is {opening}"
            )
        victim = self._victim(event)  # chosen first, evicted only once the case is open
        state = self.cases[event.case] = _CaseState(self.reg.facts.empty(event.case), self._slot())
        try:
            findings = self._feed(event, state, new=True)
        except BaseException:
            self._close(event.case, state)  # the case was never opened
            raise
        if victim is None:
            return findings
        self._close(victim, self.cases[victim])
        return [Finding(victim, "case.evicted", None, event.at, {"for": event.case}, []), *findings]

    def _victim(self, event: Event) -> str | None:
        """The case to evict so that one more can open: none under the cap; past it, the
        oldest whose last deadline has passed; with none such, the new case is refused."""
        if len(self.cases) < self.max_open:
            return None
        for case, state in self.cases.items():
            if state.evictable():
                return case
        raise AttestRulesError(
            f"case {event.case} is refused: {len(self.cases)} cases are open, the limit "
            f"(--max-open {self.max_open}); close a case first"
        )

    def _feed(self, event: Event, state: _CaseState, *, new: bool = False) -> list[Finding]:
        opening = self.spec.open
        if opening is not None and event.type == opening and not new:
            raise AttestRulesError(
                f"case {event.case} is already open: a second {opening} would wipe what its "
                "events recorded; close it first"
            )
        if event.type == self.spec.close:
            self._close(event.case, state)
            return [Finding(event.case, "case.closed", None, event.at, {}, [])]
        etype = self.spec.types[event.type]
        missing = [n for n in etype.required if self.events.given(event, n) is None]
        if missing:
            raise AttestRulesError(f"a {event.type} event needs {', '.join(missing)}")
        if event.type == self.spec.clock:
            return self._clock(event)
        marks = set(state.marks)
        self._apply(state, event, etype)
        try:
            state.checked = self.reg.facts.parse(state.facts, f"case {event.case}").model_dump()
        except AttestRulesError as exc:
            raise AttestRulesError(
                f"event {event.type} makes case {event.case} inconsistent: {exc}"
            ) from None
        return self._reconsider(event, etype, state, marked=etype.mark not in (None, *marks))

    def _source(self, event: Event, etype: EventType, value: Any) -> tuple[bool, Any]:
        """(given, value) of a source: an event field or ``at``, or a literal."""
        if isinstance(value, str):
            found = self.events.given(event, value)
            if found is None:
                found = etype.defaults.get(value)
            if isinstance(found, list):
                found = list(found)
            elif hasattr(found, "model_dump"):
                found = found.model_dump(mode="json", exclude_none=True)
            elif isinstance(found, dt.date):
                found = found.isoformat()
            return found is not None, found
        if isinstance(value, dict) and set(value) == {"literal"}:
            return True, value["literal"]
        return True, copy.deepcopy(value)

    def _apply(self, state: _CaseState, event: Event, etype: EventType) -> None:
        """Record what ``event`` says in the case's facts, as its type says."""
        facts = state.facts
        for path, value in etype.set.items():
            given, found = self._source(event, etype, value)
            if given:
                _put(facts, path, found)
        for path, value in etype.add.items():
            given, found = self._source(event, etype, value)
            items = list(fact_at(facts, path) or [])
            if given and found not in items:
                _put(facts, path, [*items, found])
        for path, value in etype.remove.items():
            given, found = self._source(event, etype, value)
            if given:
                _put(facts, path, [x for x in fact_at(facts, path) or [] if x != found])
        for path, put in etype.put.items():
            item = {k: self._source(event, etype, v)[1] for k, v in put.item.items()}
            items = [x for x in fact_at(facts, path) or [] if x.get(put.by) != item[put.by]]
            _put(facts, path, [*items, item])
        if etype.mark is not None:
            state.marks.add(etype.mark)

    def _reconsider(
        self, event: Event, etype: EventType, state: _CaseState, *, marked: bool
    ) -> list[Finding]:
        findings: list[Finding] = []
        answers = self.engine.answer(state.facts)
        evaluation = None
        for watch in self.spec.watch:
            if watch.triggered_by and event.type not in watch.triggered_by:
                continue
            if watch.value is not None:
                if evaluation is None:
                    evaluation = self.evaluator.evaluate(state.facts)
                answer = evaluation.answer(watch.question)
                value = answer.values.get(watch.value)
                kind = None if value is None else watch.findings.get(_key(value))
                if kind is not None:
                    details = self._details(watch, event)
                    details.update(status=answer.status, outcome=answer.outcome)
                    findings.append(self._finding(event, state, watch.question, kind, details))
                continue
            finding = self._outcome_finding(watch, event, state, answers, marked=marked)
            if finding is not None:
                findings.append(finding)
        return findings + self._deadlines(event, state)

    def _outcome_finding(
        self,
        watch: Watch,
        event: Event,
        state: _CaseState,
        answers: dict[str, Decision | None],
        *,
        marked: bool,
    ) -> Finding | None:
        """A finding where the watched answer changed (or, on the event that sets the watch's
        mark, the answer as it stands)."""
        q = watch.question
        before, after = state.answers.get(q), answers.get(q)
        state.answers[q] = after
        if after is None:
            return None
        if watch.after is not None:
            if watch.after not in state.marks:
                return None
            news = marked or after != before
        else:
            news = after != before or watch.every_time
        if not news:
            return None
        if watch.quiet_until is not None and before is None and after[1] != watch.quiet_until:
            return None
        kind = watch.findings.get(after[1] or "")
        if kind is None:
            return None
        details = {**self._details(watch, event), "status": after[0], "outcome": after[1]}
        return self._finding(event, state, q, kind, details)

    def _details(self, watch: Watch, event: Event) -> dict[str, Any]:
        return {name: self.events.given(event, name) for name in watch.details}

    def _deadlines(self, event: Event, state: _CaseState) -> list[Finding]:
        out: list[Finding] = []
        evaluation = None
        for deadline in self.spec.deadlines:
            question = deadline.question
            done = fact_at(state.facts, deadline.done_by)
            if question in state.deadlines:
                if done is not None:  # the action is done: no deadline left to pass
                    self.host.retract_fact(
                        self.deadline_ruleset,
                        self._fact(state.slot, question, state.deadlines.pop(question)),
                    )
                continue
            if done is not None:
                continue
            if evaluation is None:
                evaluation = self.evaluator.evaluate(state.facts)
            answer = evaluation.answer(question)
            due = answer.values.get(deadline.value)
            if answer.status == "not_applicable" or due is None:
                continue
            day = dt.date.fromisoformat(due).toordinal()
            state.deadlines[question] = day
            state.last_due = day if state.last_due is None else max(state.last_due, day)
            self.host.assert_fact(self.deadline_ruleset, self._fact(state.slot, question, day))
            out.append(self._finding(event, state, question, "deadline.computed", {"due": due}))
        return out

    def _clock(self, event: Event) -> list[Finding]:
        assert event.at is not None  # noqa: S101 - the clock requires at (checked in feed)
        today = event.at.toordinal()
        state = self.cases[event.case]
        state.today = today if state.today is None else max(state.today, today)
        now = {"sid": state.slot, "kind": "clock", "today": today}
        self._passed.clear()
        self.host.assert_fact(self.deadline_ruleset, now)
        self.host.retract_fact(self.deadline_ruleset, now)
        findings = []
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
            self.host.retract_fact(self.deadline_ruleset, self._fact(state.slot, question, due))
        self._free.append(state.slot)  # empty now: the next case takes it
        del self.cases[case]

    @staticmethod
    def _fact(slot: str, question: str, due: int) -> dict[str, Any]:
        return {"sid": slot, "kind": "deadline", "question": question, "due": due}

    def _finding(
        self, event: Event, state: _CaseState, question: str, kind: str, details: dict[str, Any]
    ) -> Finding:
        """A finding citing the provision of ``question`` in the version in force on its event
        date (the event's own date where that is not known)."""
        cites: list[str] = []
        book = self.reg.rulebook
        choices = self.reg.defaults
        readings = self.reg.bindings.readings(choices)
        env = Env(state.checked, choices, self.evaluator.calendar, readings)
        day = book.events[question].event(env)
        if isinstance(day, Missing):
            day = event.at
        if isinstance(day, dt.date):
            try:
                index, _ = self.reg.version_indices(day, choices)
                version = self.reg.versions[index].id
                rule = book.by_version[version].get(question)
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

    def stream(
        self, lines: Iterable[str | bytes | None], journal: Journal | None = None
    ) -> Iterator[dict[str, Any]]:
        """Events as JSON lines in (text, bytes, or ``None`` for a line too long to read),
        findings and errors as dicts out. A line that cannot be taken is an error line naming
        it (and its case, where known); the other cases go on.

        With a ``journal``, the events it holds are fed again first (writing only the findings
        of an event whose findings it does not hold as written), the input's lines it holds are
        skipped, each checked against it, and every line taken from now on is journaled."""
        resume = 0
        if journal is not None:
            resume = journal.last_line
            for entry in journal.replayed():
                assert entry.event is not None  # noqa: S101 - replayed() gives events
                _, out = self._line(entry.line, entry.event)
                if not entry.done:
                    yield from out
                    journal.done(entry.line)
        for number, line in enumerate(lines, start=1):
            raw = line.encode() if isinstance(line, str) else line
            if number <= resume:
                assert journal is not None  # noqa: S101 - resume is 0 without one
                journal.check(number, raw)
                continue
            if raw is not None and not raw.strip():
                continue
            accepted, out = self._line(number, raw)
            if journal is not None:  # journaled before its findings are written
                if accepted:
                    assert raw is not None  # noqa: S101 - an accepted line was read
                    journal.accepted(number, raw.decode())
                else:
                    journal.refused(number, raw)
            yield from out
            if journal is not None and accepted:
                journal.done(number)

    def _line(self, number: int, raw: bytes | str | None) -> tuple[bool, list[dict[str, Any]]]:
        """Take one input line: (whether its event was accepted, its findings or its error)."""

        def error(why: str, case: str | None = None) -> tuple[bool, list[dict[str, Any]]]:
            where: dict[str, Any] = (
                {"line": number} if case is None else {"line": number, "case": case}
            )
            return False, [{**where, "error": why}]

        if raw is None:
            return error(f"malformed event: longer than {MAX_LINE} bytes, the limit for a line")
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return error(f"malformed event: not UTF-8 at byte {exc.start + 1}")
        try:
            event = self.events.parse_json(raw)
        except ValidationError as exc:
            return error(f"malformed event: {validation_error_text(exc, self.spec.types)}")
        except StrictJSONError as exc:
            return error(f"malformed event: {exc}")
        except (ValueError, RecursionError) as exc:  # not JSON, nested too deep
            return error(f"malformed event: not JSON: {exc}")
        try:
            return True, [finding.as_dict() for finding in self.feed(event)]
        except AttestRulesError as exc:
            return error(str(exc), event.case)
        except Exception as exc:  # a fault in one case never ends the others
            return error(
                f"this event could not be taken ({type(exc).__name__}: {exc}); the case is "
                "left as it was before it",
                event.case,
            )


def _key(value: Any) -> str:
    """A watched value as the spec's findings name it: true, false, or the text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _put(facts: dict[str, Any], path: str, value: Any) -> None:
    """Set the fact at ``path``, making the records on the way (a section that was absent)."""
    *heads, last = path.split(".")
    target = facts
    for name in heads:
        inner = target.get(name)
        if not isinstance(inner, dict):
            inner = target[name] = {}
        target = inner
    target[last] = value


__all__ = ["AT", "MAX_OPEN", "Event", "Finding", "Monitor"]
