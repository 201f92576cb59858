"""A calendar file's corrections as the working calendar uses them: each corrected day's status
and reason, and the years whose transfers of days off are confirmed.

A file is checked by its model (``corrections.check_calendar_file``, pydantic) once for its
content: what the check gives (``corrections.corrected_days``) is kept in the cache folder
under the file's SHA-256 and the library's version, and read from there at the next start
(``calendar.checked_corrections``). Building the file's four model classes and checking it
took about 5 ms of every command's start, for one correction. A cache entry is read as plain
JSON of an exact shape; anything else in it (an edited or cut short file) is not trusted, and
the file is checked again. This module imports no model: a start that reads the entry does
not build them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from attest_rules.resources import bundled_data_path
from attest_rules.version import __version__

CALENDAR_NAME = "calendar_kz.yaml"  # the bundled file

KEEP_ENTRIES = 4
"""Checked calendar files kept in the cache folder, the latest written: the bundled file of
each installation in use, and a file or two of the analyst's."""


class DayCorrection(NamedTuple):
    """A day whose status the calendar file fixes, whatever the base calendar says."""

    working: bool
    reason: str  # the file's words, as written


class Corrections(NamedTuple):
    """What a checked calendar file tells the working calendar. (Named tuples, where a frozen
    dataclass took 0.7 ms of every start to make on Python 3.11.)"""

    days: dict[dt.date, DayCorrection]
    confirmed_years: frozenset[int]

    def as_json(self) -> str:
        return orjson.dumps(
            {
                "library_version": __version__,
                "days": {d.isoformat(): [c.working, c.reason] for d, c in self.days.items()},
                "confirmed_years": sorted(self.confirmed_years),
            }
        ).decode()

    @classmethod
    def from_json(cls, raw: bytes) -> Corrections | None:
        """The corrections as ``as_json`` wrote them with this library's version; ``None`` for
        anything else."""
        try:
            data: Any = orjson.loads(raw)
            if data["library_version"] != __version__:
                return None
            days = {}
            for day, (working, reason) in data["days"].items():
                if type(working) is not bool or type(reason) is not str or not reason:
                    return None
                days[dt.date.fromisoformat(day)] = DayCorrection(working, reason)
            years = data["confirmed_years"]
            if type(years) is not list or any(type(y) is not int for y in years):
                return None
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return cls(days, frozenset(years))


def bundled_calendar_path() -> Path:
    """The calendar file shipped beside the bundled spec."""
    return bundled_data_path(CALENDAR_NAME)


def entry_name(raw: bytes) -> str:
    """The cache folder's file for the calendar file of bytes ``raw``, checked by this
    library's version."""
    return f"calendar-corrections-{hashlib.sha256(raw).hexdigest()}-{__version__}.json"
