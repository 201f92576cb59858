"""Terms ("1 year", "6 months", "10 calendar days", "3 working days") and where they end on the
calendar.

Rounding is stated, not hidden: a term in months that starts on a day its last month does not
have ends on that month's last day (Civil Code art. 174), and the explanation says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from attest_rules.errors import LegalTimeError
from attest_rules.legal_time.readings import CHOICES
from attest_rules.messages import Said, ntr, nwords, said


class TermError(LegalTimeError):
    """A term that cannot be read or computed."""


FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
"""The dates legal time accepts as the event of a term, and a case may hold: wide enough for
any worker's file (no one attested today was appointed before 1900), and far enough from the
end of the Gregorian dates Python computes with (9999-12-31) that no term of the Rules runs off
it. A term that would (thousands of years) is a ``TermError``, never an overflow."""


def check_day(day: dt.date) -> dt.date:
    """``day``, if legal time computes with it; else a ``TermError`` saying the range."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise TermError(
            f"{day.isoformat()} is outside the dates legal time computes with "
            f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


class Unit(StrEnum):
    years = "years"
    months = "months"
    weeks = "weeks"
    calendar_days = "calendar days"
    working_days = "working days"


_UNITS = {
    "year": Unit.years,
    "years": Unit.years,
    "month": Unit.months,
    "months": Unit.months,
    "week": Unit.weeks,
    "weeks": Unit.weeks,
    "day": Unit.calendar_days,
    "days": Unit.calendar_days,
    "calendar day": Unit.calendar_days,
    "calendar days": Unit.calendar_days,
    "working day": Unit.working_days,
    "working days": Unit.working_days,
}
_TERM = re.compile(r"^\s*([0-9]{1,4})\s+([a-z]+(?:\s+[a-z]+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Term:
    """A length of time as a norm states it: an amount and a unit."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Term:
        """Read ``"1 year"``, ``"6 months"``, ``"3 working days"``, ``"10 calendar days"``."""
        m = _TERM.match(text.lower())
        unit = _UNITS.get(m.group(2)) if m else None
        if m is None or unit is None:
            raise TermError(
                f"cannot read term {text!r}: expected a number and one of year(s), month(s), "
                "week(s), calendar day(s), working day(s)"
            )
        amount = int(m.group(1))
        if amount < 1:
            raise TermError(f"a term must be at least 1, got {text!r}")
        return cls(amount, unit)

    def __str__(self) -> str:
        unit = str(self.unit)
        if self.amount == 1:
            unit = unit.replace("days", "day").removesuffix("s")
        return f"{self.amount} {unit}"

    def localised(self, lang: str) -> str:
        """The term as a reader of ``lang`` says it ("1 ай", "3 года"); ``str`` is the English."""
        singular, plural = _UNIT_WORDS[self.unit]
        return ntr(lang, singular, plural, self.amount)


@dataclass(frozen=True, slots=True)
class TermEnd:
    """The last day of a term on the calendar, before any working-day shift."""

    date: dt.date
    steps: tuple[Said, ...]  # each said in English by str(), in another language by localise
    readings: tuple[tuple[str, str], ...] = ()  # the readings it relied on, by name


def term_end(event: dt.date, term: Term, *, feb29: str = "february-28") -> TermEnd:
    """The last day of ``term`` counted from ``event`` in calendar units (Civil Code arts.
    173–174). Working-day terms need a calendar and are computed by the calendar module."""
    steps: list[Said] = [
        said("event {event}; the term starts the next day (Civil Code art. 173)", event=_iso(event))
    ]
    used: list[tuple[str, str]] = []
    if term.unit is Unit.working_days:
        raise TermError("a term in working days needs the working calendar")
    try:
        return _term_end(event, term, feb29, steps, used)
    except TermError:
        raise
    except (OverflowError, ValueError):  # past 9999-12-31: no date to give
        raise TermError(
            f"{term} from {event.isoformat()} ends after 9999-12-31, beyond any date"
        ) from None


def _term_end(
    event: dt.date, term: Term, feb29: str, steps: list[Said], used: list[tuple[str, str]]
) -> TermEnd:
    if term.unit is Unit.calendar_days:
        end = event + dt.timedelta(days=term.amount)
        steps.append(
            said(
                "{term}: the {ordinal} day after the event is {end}",
                term=term,
                ordinal=ordinal(term.amount),
                n=term.amount,
                end=_iso(end),
            )
        )
    elif term.unit is Unit.weeks:
        end = event + dt.timedelta(weeks=term.amount)
        steps.append(
            said("{term}: ends on the same weekday, {end} (art. 174)", term=term, end=_iso(end))
        )
    elif term.unit is Unit.months:
        end = event + relativedelta(months=term.amount)
        if end.day != event.day:
            steps.append(
                said(
                    "{term}: the last month has no day {day}; the term ends on its last day, "
                    "{end} (art. 174)",
                    term=term,
                    day=event.day,
                    end=_iso(end),
                )
            )
        else:
            steps.append(
                said(
                    "{term}: ends on the same day of the last month, {end} (art. 174)",
                    term=term,
                    end=_iso(end),
                )
            )
    else:
        end = event + relativedelta(years=term.amount)
        if event.month == 2 and event.day == 29 and end.day != 29:
            if feb29 not in CHOICES["year_from_29_february"]:
                raise TermError(f"unknown choice {feb29!r} for year_from_29_february")
            used.append(("year_from_29_february", feb29))
            if feb29 == "march-1":
                end = end + dt.timedelta(days=1)
            steps.append(
                said(
                    "{term} from 29 February: {year} has no 29 February; the term ends on "
                    "{end} (reading year_from_29_february = {choice})",
                    term=term,
                    year=end.year,
                    end=_iso(end),
                    choice=feb29,
                )
            )
        else:
            steps.append(
                said(
                    "{term}: ends on the same month and day of the last year, {end} (art. 174)",
                    term=term,
                    end=_iso(end),
                )
            )
    return TermEnd(end, tuple(steps), tuple(used))


def _iso(day: dt.date) -> str:
    return day.isoformat()


_UNIT_WORDS = {  # the words of a term, marked for translation
    Unit.years: nwords("{n} year", "{n} years"),
    Unit.months: nwords("{n} month", "{n} months"),
    Unit.weeks: nwords("{n} week", "{n} weeks"),
    Unit.calendar_days: nwords("{n} calendar day", "{n} calendar days"),
    Unit.working_days: nwords("{n} working day", "{n} working days"),
}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
