"""The JSON of the working calendar's answers (``attest-rules calendar ... --format json``, the
service's ``/calendar/*``): legal time alone, without the engine, so that a calendar command
imports no spec."""

from __future__ import annotations

import datetime as dt
from typing import Any

from attest_rules.legal_time import TermError, WorkingCalendar
from attest_rules.messages import localise


def _warnings(cal: WorkingCalendar, first: dt.date, last: dt.date, lang: str) -> list[str]:
    return [localise(w, lang) for w in cal.said_warnings_for(first, last)]


def working_day_json(cal: WorkingCalendar, day: dt.date, lang: str = "en") -> dict[str, Any]:
    """Whether ``day`` is a working day and why, its reason and warnings in ``lang``."""
    info = cal.info(day)
    return {
        "date": day.isoformat(),
        "working": info.working,
        "reason": localise(info.reason, lang),
        "warnings": _warnings(cal, day, day, lang),
    }


def add_working_days_json(
    cal: WorkingCalendar, day: dt.date, n: int, lang: str = "en"
) -> dict[str, Any]:
    """The ``n``-th working day after ``day``, its reason and warnings in ``lang``."""
    if n < 1:
        raise TermError(f"N must be at least 1, got {n}")
    result = cal.add_working_days(day, n)
    return {
        "date": day.isoformat(),
        "n": n,
        "result": result.isoformat(),
        "reason": localise(cal.info(result).reason, lang),
        "warnings": _warnings(cal, day, result, lang),
    }


def working_days_json(
    cal: WorkingCalendar, date_from: dt.date, date_to: dt.date, lang: str = "en"
) -> dict[str, Any]:
    """Working days from ``date_from`` to ``date_to``, both included; warnings in ``lang``."""
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "working_days": cal.working_days_between(date_from, date_to),
        "warnings": _warnings(cal, date_from, date_to, lang),
    }
