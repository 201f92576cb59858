"""A calendar file's corrections as the working calendar uses them: each corrected day's status
and reason, and the years whose transfers of days off are confirmed.

A file is checked by its model (``corrections.check_calendar_file``, pydantic) once for its
content: what the check gives is kept in the cache folder under the file's SHA-256 and the
library's version, and read from there at the next start. Building the file's four model
classes and checking it took about 5 ms of every command's start, for one correction. A cache
entry is read as plain JSON of an exact shape; anything else in it (an edited or cut short
file) is not trusted, and the file is checked again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from attest_rules.located.reader import read_file
from attest_rules.outputs import prune_cache, write_cache_file
from attest_rules.resources import bundled_data_path, read_cache_file
from attest_rules.version import __version__

if TYPE_CHECKING:
    from attest_rules.legal_time.corrections import CalendarFile

CALENDAR_NAME = "calendar_kz.yaml"  # the bundled file (``corrections.bundled_calendar_path``)

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

    @classmethod
    def of(cls, data: CalendarFile) -> Corrections:
        days = {c.date: DayCorrection(c.working, c.reason) for c in data.corrections}
        return cls(days, frozenset(y.year for y in data.years))

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


def _entry_name(raw: bytes) -> str:
    return f"calendar-corrections-{hashlib.sha256(raw).hexdigest()}-{__version__}.json"


def checked_corrections(path: str | Path | None = None) -> Corrections:
    """The corrections of the calendar file at ``path`` (the bundled one by default), checked
    by its model where the cache folder does not hold this content's; errors are located like
    spec errors."""
    file = Path(path) if path is not None else bundled_data_path(CALENDAR_NAME)
    raw = read_file(file)
    name = _entry_name(raw)
    cached = read_cache_file(name)
    corrections = Corrections.from_json(cached) if cached is not None else None
    if corrections is None:
        from attest_rules.legal_time.corrections import check_calendar_file

        corrections = Corrections.of(check_calendar_file(raw, str(file)))
        write_cache_file(name, corrections.as_json())
        prune_cache("calendar-corrections-*.json", KEEP_ENTRIES)
    return corrections
