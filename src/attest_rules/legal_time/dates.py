"""The three kinds of dates a term gives, each explaining itself.

* a **deadline**, the last day for an action: a last day that is not a working day moves to the
  next working day (Civil Code art. 175); a term in working days ends on its Nth working day
  (Administrative Procedural Code art. 76), counted from registration where the event is the
  receipt of an application (a receipt on a non-working day is registered on the next working
  day, art. 64 p.3);
* an **earliest** date ("not earlier than"): by default the last day of the term (reading
  ``not_earlier_than``); it never moves;
* a **validity end** ("granted for three years"): the last day of the term; it never moves.

The open questions of reading are a ``Readings``, passed
explicitly (the defaults are documented there); a year term from 29 February follows its
``year_from_29_february``, an earliest date its ``not_earlier_than``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from attest_rules.legal_time.calendar import WorkingCalendar, kz_calendar
from attest_rules.legal_time.readings import DEFAULT, Readings
from attest_rules.legal_time.terms import Term, TermError, Unit, check_day, ordinal, term_end
from attest_rules.messages import Joined, Said, localise, said, tr

DateKind = Literal["deadline", "earliest", "validity_end"]


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a date was reached: every step, the readings relied on (by name: ``not_earlier_than``,
    ``year_from_29_february``) and what is uncertain. The steps and warnings are kept as
    messages (``said_steps``, ``said_warnings``), said in English by ``steps`` and
    ``warnings`` and in another language by ``localised``."""

    kind: DateKind
    event: dt.date
    term: str
    raw_end: dt.date
    said_steps: tuple[Said, ...]
    readings: Mapping[str, str] = field(default_factory=dict)
    said_warnings: tuple[str | Said, ...] = ()
    shifted_from: dt.date | None = None

    @property
    def steps(self) -> tuple[str, ...]:
        """Every step, in English."""
        return tuple(str(s) for s in self.said_steps)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What is uncertain, in English."""
        return tuple(str(w) for w in self.said_warnings)

    def __str__(self) -> str:
        lines = list(self.steps)
        lines += [f"reading {k} = {v}" for k, v in self.readings.items()]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def localised(self, lang: str) -> str:
        """The explanation in ``lang``: its steps and warnings said in it."""
        lines = [localise(s, lang) for s in self.said_steps]
        lines += [
            tr(lang, "reading {id} = {choice}", id=k, choice=v) for k, v in self.readings.items()
        ]
        lines += [tr(lang, "warning: {text}", text=w) for w in self.said_warnings]
        return "\n".join(lines)

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        """As JSON, its steps and warnings in ``lang``."""
        return {
            "kind": self.kind,
            "event": self.event.isoformat(),
            "term": self.term,
            "raw_end": self.raw_end.isoformat(),
            "shifted_from": self.shifted_from.isoformat() if self.shifted_from else None,
            "steps": [localise(s, lang) for s in self.said_steps],
            "readings": dict(self.readings),
            "warnings": [localise(w, lang) for w in self.said_warnings],
        }


@dataclass(frozen=True, slots=True)
class ComputedDate:
    """A date a term gives, with its explanation."""

    date: dt.date
    explanation: Explanation

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        """As JSON, its explanation in ``lang``."""
        return {"date": self.date.isoformat(), "explanation": self.explanation.as_dict(lang)}


def _term(term: Term | str) -> Term:
    return term if isinstance(term, Term) else Term.parse(term)


def _calendar_end(
    event: dt.date, term: Term, readings: Readings
) -> tuple[dt.date, list[Said], dict[str, str]]:
    end = term_end(event, term, feb29=readings.year_from_29_february)
    return end.date, list(end.steps), dict(end.readings)


def deadline(
    event: dt.date,
    term: Term | str,
    *,
    on_receipt: bool = False,
    readings: Readings = DEFAULT,
    calendar: WorkingCalendar | None = None,
) -> ComputedDate:
    """The last day for an action due ``term`` after ``event``.

    ``on_receipt``: the event is the receipt of an application, registered on the next working
    day when received on a non-working day (Administrative Procedural Code art. 64 p.3).
    """
    cal = calendar or kz_calendar()
    t = _term(term)
    check_day(event)
    steps: list[Said] = []
    start = event
    if on_receipt and not cal.is_working_day(event):
        start = cal.next_working_day(event)
        steps.append(
            said(
                "received {event} ({why}), a non-working day: registered on the next working "
                "day, {start} (АППК art. 64 p.3)",
                event=event.isoformat(),
                why=cal.info(event).reason,
                start=start.isoformat(),
            )
        )
    used: dict[str, str] = {}
    shifted: dt.date | None = None
    if t.unit is Unit.working_days:
        raw = end = cal.add_working_days(start, t.amount)
        steps.append(
            said(
                "{term} counted from the day after {start} (АППК art. 76): the {ordinal} "
                "working day is {end}",
                term=t,
                start=start.isoformat(),
                ordinal=ordinal(t.amount),
                n=t.amount,
                end=end.isoformat(),
            )
        )
    else:
        raw, more, used = _calendar_end(start, t, readings)
        steps += more
        end = raw
        if not cal.is_working_day(raw):
            end = cal.next_working_day(raw)
            shifted = raw
            skipped = [cal.info(raw + dt.timedelta(days=i)) for i in range((end - raw).days)]
            why = Joined(
                [said("{day} {why}", day=d.date.isoformat(), why=d.reason) for d in skipped]
            )
            steps.append(
                said(
                    "the last day is not a working day ({why}); it moves to the next working "
                    "day, {end} (Civil Code art. 175)",
                    why=why,
                    end=end.isoformat(),
                )
            )
    steps.append(said("deadline: {end} (until 24:00, Civil Code art. 176)", end=end.isoformat()))
    return ComputedDate(
        end,
        Explanation(
            "deadline",
            event,
            str(t),
            raw,
            tuple(steps),
            used,
            cal.said_warnings_for(event, end),
            shifted,
        ),
    )


def earliest(
    event: dt.date,
    term: Term | str,
    *,
    readings: Readings = DEFAULT,
    calendar: WorkingCalendar | None = None,
) -> ComputedDate:
    """The first day an action is permitted "not earlier than ``term`` from ``event``"."""
    t = _term(term)
    check_day(event)
    if t.unit is Unit.working_days:
        raise TermError("an earliest date is given by a calendar term, not working days")
    raw, steps, used = _calendar_end(event, t, readings)
    choice = readings.not_earlier_than
    used["not_earlier_than"] = choice
    day = raw
    if choice == "day-after-term":
        day = raw + dt.timedelta(days=1)
        steps.append(
            said(
                "the term must have fully passed: earliest is the next day, {day}",
                day=day.isoformat(),
            )
        )
    elif choice == "last-day-of-term":
        steps.append(
            said("earliest permitted day: the last day of the term, {day}", day=day.isoformat())
        )
    else:
        raise TermError(f"unknown choice {choice!r} for not_earlier_than")
    steps.append(said("an earliest date does not move to a working day"))
    cal = calendar or kz_calendar()
    return ComputedDate(
        day,
        Explanation(
            "earliest", event, str(t), raw, tuple(steps), used, cal.said_warnings_for(event, day)
        ),
    )


def validity_end(
    event: dt.date,
    term: Term | str,
    *,
    readings: Readings = DEFAULT,
) -> ComputedDate:
    """The last day of validity of something granted for ``term`` from ``event``."""
    t = _term(term)
    check_day(event)
    if t.unit is Unit.working_days:
        raise TermError("a validity is given by a calendar term, not working days")
    raw, steps, used = _calendar_end(event, t, readings)
    steps.append(
        said("valid until {day} inclusive; a validity end does not move", day=raw.isoformat())
    )
    return ComputedDate(raw, Explanation("validity_end", event, str(t), raw, tuple(steps), used))
