"""The Kazakhstan working calendar.

Base: the ``holidays`` package, country KZ (five-day week, public holidays, holidays on a day off
moved to the next working day, transfers of days off and weekend working days, Labour Code arts.
84–85, Law "On holidays"). On top: the dated corrections of ``spec/calendar_kz.yaml``.

Each year is computed once. The calendar keeps, over the span of years it has computed, one
flag per day and a running count of working days, so that ``add_working_days`` and
``working_days_between`` are an array look-up, not a walk over days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from attest_rules.errors import LegalTimeError
from attest_rules.legal_time.cldr import weekday_name
from attest_rules.legal_time.corrected_days import (
    KEEP_ENTRIES,
    Corrections,
    bundled_calendar_path,
    entry_name,
)
from attest_rules.located.reader import read_file
from attest_rules.messages import Joined, Message, msg, tr, words
from attest_rules.outputs import kept_in_cache, write_cache_file
from attest_rules.version import __version__

FIRST_YEAR = 1991  # the holidays package's first year for Kazakhstan
LAST_YEAR = 2100


class CalendarError(LegalTimeError):
    """A date the calendar cannot answer for (outside 1991–2100)."""


class Weekday(str):
    """A day's weekday: its English name, said in another language from the CLDR (Babel)."""

    day: dt.date

    def __new__(cls, day: dt.date) -> Weekday:
        text = super().__new__(cls, day.strftime("%A"))
        text.day = day
        return text

    def localised(self, lang: str) -> str:
        return weekday_name(self.day, lang)


class HolidayNames(str):
    """The names of a day's public holidays: in English, or in Kazakh from the holidays
    package's own localisation; the package has no Russian names for Kazakhstan, so Russian
    takes them from this library's catalogue, the English name as the message id."""

    day: dt.date
    names: tuple[str, ...]

    def __new__(cls, day: dt.date, names: tuple[str, ...]) -> HolidayNames:
        text = super().__new__(cls, "; ".join(names))
        text.day, text.names = day, names
        return text

    def localised(self, lang: str) -> str:
        spoken = None if lang == "en" else holiday_table().names_on(self.day, lang)
        if spoken is not None:  # the package's own names in this language
            return "; ".join(spoken)
        return "; ".join(_holiday_name(name, lang) for name in self.names)


_MARKED = re.compile(r"^(?P<name>.+) \((?P<mark>estimated|observed)\)$")
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (?P<day>[0-9/]+)\)$")
_MARKS = {"estimated": words("{name} (estimated)"), "observed": words("{name} (observed)")}
_NAMES = (  # the holidays package's English names for Kazakhstan, for the Russian catalogue
    words("New Year's Day"),
    words("Orthodox Christmas"),
    words("International Women's Day"),
    words("Nowruz Holiday"),
    words("Kazakhstan's People Solidarity Holiday"),
    words("Defender of the Fatherland Day"),
    words("Victory Day"),
    words("Capital Day"),
    words("Eid al-Adha"),
    words("Constitution Day"),
    words("Republic Day"),
    words("First President Day"),
    words("Independence Day"),
)


Names = dict[dt.date, tuple[str, ...]]
"""A day's holiday names, for each day that has any."""


@dataclass(frozen=True)
class HolidayTable:
    """What the holidays package says of Kazakhstan from 1991 to 2100, before this library's
    corrections: whether each day is a working day (``is_working_day``), each holiday's English
    names, and the last year it knows transfers of days off for. Computed by the package once
    (``from_package``), and kept as JSON in the cache folder under the package's version and
    the library's, so that a process reads it instead of importing the package's 200 countries
    and populating 110 years (about 250 ms of a command's start). The values are the
    package's, stored, not worked out again: a test holds the table to the package day by
    day.

    The names are kept as a JSON text for each language and year (``named``), each read when
    first asked for (``names_on``): a command that only counts days reads none, one that
    explains a day in Kazakh reads that year's in English and in Kazakh (all 5,900 days in
    three languages took 5 ms of every start when read at once). A text found damaged then is
    not trusted: the names are taken from the package again, and the cache written anew."""

    version: str  # the holidays package's
    flags: dict[int, bytes]  # per year, one byte per day: 1 a working day
    transfers_known_through: int
    # language ("en": the package's English) → year → JSON: day → names
    named: dict[str, dict[int, str]]
    # the days whose holidays' dates the package estimates (religious holidays): day → names,
    # as the package joins them; a dated term's warnings name them, for the year it ends in
    estimated: dict[dt.date, str]
    _read: dict[tuple[str, int], Names] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_package(cls, version: str) -> HolidayTable:
        """The table computed by the holidays package (of ``version``, as installed)."""
        import holidays

        days = holidays.country_holidays(
            "KZ", years=range(FIRST_YEAR, LAST_YEAR + 1), language="en_US"
        )
        flags = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            day, out = dt.date(year, 1, 1), bytearray()
            while day.year == year:
                out.append(1 if days.is_working_day(day) else 0)
                day += dt.timedelta(days=1)
            flags[year] = bytes(out)
        names = {day: tuple(days.get_list(day)) for day in sorted(days)}
        workday_years = [d.year for d in days.weekend_workdays]
        through = max(workday_years) if workday_years else FIRST_YEAR
        names_in = {}
        for lang in sorted(set(days.supported_languages) - {"en_US"}):
            spoken = holidays.country_holidays(
                "KZ", years=range(FIRST_YEAR, LAST_YEAR + 1), language=lang
            )
            names_in[lang] = {day: tuple(spoken.get_list(day)) for day in sorted(spoken)}
        named = {lang: _by_year(days) for lang, days in {"en": names, **names_in}.items()}
        joined = {day: "; ".join(n) for day, n in names.items()}  # as the package joins them
        estimated = {day: name for day, name in joined.items() if "estimated" in name}
        return cls(version, flags, through, named, estimated)

    def names_on(self, day: dt.date, lang: str = "en") -> tuple[str, ...] | None:
        """The names of ``day``'s holidays (none: empty) in ``lang``, where the package names
        them in it (English always), else ``None``."""
        if lang not in self.named:
            return None
        return self._year(lang, day.year).get(day, ())

    def _year(self, lang: str, year: int) -> Names:
        """The names of ``year``'s holidays in ``lang`` (a language of ``named``), each year
        read once."""
        read = self._read.get((lang, year))
        if read is None:
            read = self._read[(lang, year)] = self._read_year(lang, year)
        return read

    def _read_year(self, lang: str, year: int) -> Names:
        text = self.named[lang].get(year)
        if text is None:
            return {}
        try:
            return _names(orjson.loads(text))
        except (ValueError, TypeError, AttributeError, RecursionError):
            fresh = HolidayTable.from_package(self.version)  # damaged: the package's again
            write_cache_file(_table_name(self.version), fresh.as_json())
            return fresh._read_year(lang, year)

    def _all(self, lang: str) -> Names:
        return {d: n for year in self.named[lang] for d, n in self._year(lang, year).items()}

    @functools.cached_property
    def names(self) -> Names:
        """Each holiday's English names, by day (every year read: ``names_on`` reads one)."""
        return self._all("en")

    @functools.cached_property
    def names_in(self) -> dict[str, Names]:
        """The names in each other language the package names them in (kk...): language →
        day → names (every year read)."""
        return {lang: self._all(lang) for lang in self.named if lang != "en"}

    def as_json(self) -> str:
        flags = {str(y): f.translate(_AS_TEXT).decode() for y, f in self.flags.items()}
        return json.dumps(
            {
                "library_version": __version__,
                "holidays_version": self.version,
                "flags": flags,
                "transfers_known_through": self.transfers_known_through,
                "named": {
                    lang: {str(y): text for y, text in years.items()}
                    for lang, years in self.named.items()
                },
                "estimated": {d.isoformat(): n for d, n in self.estimated.items()},
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: bytes, version: str) -> HolidayTable | None:
        """The table as ``as_json`` wrote it for the package's ``version``; ``None`` for
        anything else (another version, an edited or cut short file). Its names are checked
        when first read (``names_on``)."""
        try:
            data: Any = orjson.loads(raw)
            if data["library_version"] != __version__ or data["holidays_version"] != version:
                return None
            flags = {int(y): _flags(int(y), f) for y, f in data["flags"].items()}
            if sorted(flags) != list(range(FIRST_YEAR, LAST_YEAR + 1)):
                return None
            through = int(data["transfers_known_through"])
            named: dict[str, dict[int, str]] = {}
            for lang, years in data["named"].items():
                named[lang] = {int(y): text for y, text in years.items()}
                if any(type(text) is not str for text in named[lang].values()):
                    return None
            estimated = {}
            for d, n in data["estimated"].items():
                if type(n) is not str:
                    return None
                estimated[dt.date.fromisoformat(d)] = n
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return cls(version, flags, through, named, estimated)


def _by_year(days: Names) -> dict[int, str]:
    """Each year's names as JSON (ISO day → names), for ``named``."""
    years: dict[int, dict[str, list[str]]] = {}
    for d, n in days.items():
        years.setdefault(d.year, {})[d.isoformat()] = list(n)
    return {y: json.dumps(v, ensure_ascii=False) for y, v in years.items()}


def _names(days: Any) -> Names:
    """Days' holiday names as ``as_json`` wrote them (a list of texts for each ISO day);
    anything else is a ``ValueError`` (checked by exact type, in one loop)."""
    out: Names = {}
    day = dt.date.fromisoformat
    for d, n in days.items():
        if type(n) is not list:
            raise ValueError("not a list of names")
        for x in n:
            if type(x) is not str:
                raise ValueError("not a name")
        out[day(d)] = tuple(n)
    return out


_AS_TEXT = bytes.maketrans(b"\x00\x01", b"01")  # a year's flags as a line of 0 and 1
_AS_FLAGS = bytes.maketrans(b"01", b"\x00\x01")


def _flags(year: int, text: str) -> bytes:
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    if len(text) != days or set(text) - {"0", "1"}:
        raise ValueError(f"not the flags of {year}")
    return text.encode().translate(_AS_FLAGS)


def _holidays_version() -> str:
    """The installed holidays package's version, without importing the package: from the name
    of the metadata folder installed beside it (``holidays-<version>.dist-info``, as a wheel
    names it), else as ``importlib.metadata`` reads it from that metadata (1.5 ms more of
    every start)."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.origin is not None:
        beside = Path(spec.origin).parent.parent
        with contextlib.suppress(OSError):
            found = [
                n[len("holidays-") : -len(".dist-info")]
                for n in os.listdir(beside)
                if n.startswith("holidays-") and n.endswith(".dist-info")
            ]
            if len(found) == 1:
                return found[0]
    from importlib.metadata import version

    return version("holidays")


KEEP_TABLES = 4
"""Holiday tables kept in the cache folder, the latest written: one for each version of the
library and of the holidays package in use (an upgrade leaves the old one, 400 KB)."""
_TABLE_FORMAT = 3
"""The table file's own format (3: the names a JSON text for each language and year, read
when asked for)."""


def _table_name(version: str) -> str:
    """The table's file for the holidays package's ``version``, of this library's version and
    format: two installations of the library sharing a cache folder each keep their own,
    where one file for both was written anew by each in turn (the other's refused)."""
    return f"calendar-kz-holidays-{version}-{__version__}-{_TABLE_FORMAT}.json"


@functools.cache
def holiday_table() -> HolidayTable:
    """The holidays package's Kazakhstan, from the cache where it holds this version's."""
    version = _holidays_version()
    return kept_in_cache(
        _table_name(version),
        lambda raw: HolidayTable.from_json(raw, version),
        lambda: HolidayTable.from_package(version),
        HolidayTable.as_json,
        ("calendar-kz-holidays-*.json", KEEP_TABLES),
    )


def _holiday_name(name: str, lang: str) -> str:
    """One English holiday name in ``lang`` from this library's catalogue (unchanged where it
    has none)."""
    marked = _MARKED.match(name)
    if marked:
        inner = _holiday_name(marked["name"], lang)
        return tr(lang, _MARKS[marked["mark"]], name=inner)
    substituted = _SUBSTITUTED.match(name)
    if substituted:
        return tr(lang, "Day off (substituted from {day})", day=substituted["day"])
    return tr(lang, name)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Why a day is working or not."""

    date: dt.date
    working: bool
    reason: str


class WorkingCalendar:
    """A working-day calendar for Kazakhstan. Build it with ``kz_calendar``."""

    def __init__(self, corrections: Corrections, *, source: str = "holidays KZ") -> None:
        self.corrections = corrections
        self.source = source
        self._corrections = corrections.days
        self._confirmed_years = corrections.confirmed_years
        self._years: dict[int, bytes] = {}
        self._first = 0
        self._last = -1
        self._base = 0  # ordinal of 1 January of the first computed year
        self._flags = bytearray()
        self._prefix = array("l")  # working days in [base, base + i]
        self._workdays = array("l")  # ordinals of working days, ascending
        table = holiday_table()
        self._holidays = table
        self._estimated: dict[int, list[Message]] | None = None  # made when first asked for
        self._warnings: dict[int, tuple[Message, ...]] = {}  # few: the English kept
        self.transfers_known_through = table.transfers_known_through

    def _estimated_in(self) -> dict[int, list[Message]]:
        """The holidays whose dates the package estimates, by year (religious holidays)."""
        if self._estimated is None:
            estimated: dict[int, list[Message]] = {}
            for day, name in self._holidays.estimated.items():
                estimated.setdefault(day.year, []).append(
                    msg("{name} ({day})", name=HolidayNames(day, (name,)), day=day.isoformat())
                )
            self._estimated = estimated
        return self._estimated

    # ---- per-year data -------------------------------------------------------------------

    def _year_flags(self, year: int) -> bytes:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        flags = bytearray(self._holidays.flags[year])
        for day, correction in self._corrections.items():
            if day.year == year:
                flags[day.timetuple().tm_yday - 1] = 1 if correction.working else 0
        self._years[year] = bytes(flags)
        return self._years[year]

    def _cover(self, first: int, last: int) -> None:
        """Make the arrays span at least ``first``..``last`` (with a margin when growing)."""
        if first < FIRST_YEAR or last > LAST_YEAR:
            year = first if first < FIRST_YEAR else last
            raise CalendarError(f"the working calendar covers {FIRST_YEAR}–{LAST_YEAR}, not {year}")
        if self._first <= first and last <= self._last:
            return
        if self._last >= self._first:  # grow with a margin, so walking years is amortised
            first = min(first, self._first)
            last = max(last, self._last)
        first = max(FIRST_YEAR, first - 1)
        last = min(LAST_YEAR, last + 2)
        flags = bytearray()
        for year in range(first, last + 1):
            flags += self._year_flags(year)
        prefix = array("l")
        workdays = array("l")
        base = dt.date(first, 1, 1).toordinal()
        count = 0
        for i, flag in enumerate(flags):
            if flag:
                count += 1
                workdays.append(base + i)
            prefix.append(count)
        self._first, self._last, self._base = first, last, base
        self._flags, self._prefix, self._workdays = flags, prefix, workdays

    def _index(self, day: dt.date) -> int:
        self._cover(day.year, day.year)
        return day.toordinal() - self._base

    # ---- queries ---------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        index = self._index(day)  # may rebuild the arrays: index before reading them
        return bool(self._flags[index])

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``n`` ≥ 1); ``day`` itself is not counted."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        index = self._index(day)
        target = self._prefix[index] + n
        while target > len(self._workdays):
            self._cover(self._first, self._last + 1)
            target = self._prefix[day.toordinal() - self._base] + n
        return dt.date.fromordinal(self._workdays[target - 1])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` to ``end``, both included (0 when ``end`` < ``start``)."""
        if end < start:
            return 0
        self._cover(start.year, end.year)
        i, j = start.toordinal() - self._base, end.toordinal() - self._base
        return self._prefix[j] - (self._prefix[i - 1] if i > 0 else 0)

    def info(self, day: dt.date) -> DayInfo:
        """Whether ``day`` is working, and why."""
        working = self.is_working_day(day)
        correction = self._corrections.get(day)
        if correction is not None:
            why = correction.reason.strip()  # the calendar file's words, as written
            if correction.working:
                return DayInfo(day, working, msg("a working day by correction: {why}", why=why))
            return DayInfo(day, working, msg("a day off by correction: {why}", why=why))
        names = self._holidays.names_on(day) or ()
        weekday = Weekday(day)
        if names:
            held = HolidayNames(day, tuple(names))
            return DayInfo(
                day, working, msg("{weekday}, {holidays}", weekday=weekday, holidays=held)
            )
        if working and day.weekday() >= 5:
            return DayInfo(
                day,
                working,
                msg("{weekday}, a working day by transfer of days off", weekday=weekday),
            )
        if not working:
            return DayInfo(day, working, msg("{weekday}", weekday=weekday))
        return DayInfo(day, working, msg("{weekday}, a working day", weekday=weekday))

    def warnings_for(self, first: dt.date, last: dt.date) -> tuple[str, ...]:
        """What this calendar does not know for certain about the years ``first``..``last``,
        in English (``said_warnings_for`` keeps them to be said in another language)."""
        return tuple(str(w) for w in self.said_warnings_for(first, last))

    def said_warnings_for(self, first: dt.date, last: dt.date) -> tuple[Message, ...]:
        """``warnings_for``, each kept as a message to be said in any language."""
        out: list[Message] = []
        low, high = min(first, last).year, max(first, last).year
        if low < FIRST_YEAR:  # one warning for the years before the calendar, one after
            out.extend(self._year_warnings(low))
        for year in range(max(low, FIRST_YEAR), min(high, LAST_YEAR) + 1):
            out.extend(self._year_warnings(year))
        if high > LAST_YEAR:
            out.extend(self._year_warnings(high))
        return tuple(out)

    def _year_warnings(self, year: int) -> tuple[Message, ...]:
        cached = self._warnings.get(year)
        if cached is not None:
            return cached
        if not FIRST_YEAR <= year <= LAST_YEAR:  # a date that needs no working day still
            return (  # computes; say the calendar could not have been asked about it
                msg(
                    "{year}: outside the working calendar ({first}–{last}); a working day in "
                    "this year cannot be computed",
                    year=year,
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            )
        out: list[Message] = []
        if year > self.transfers_known_through and year not in self._confirmed_years:
            out.append(
                msg(
                    "{year}: no data yet on transfers of days off ({source} has them through "
                    "{through}); the government may still move days off (Labour Code art. 85 "
                    "p.3), so working days in this year may change",
                    year=year,
                    source=self.source,
                    through=self.transfers_known_through,
                )
            )
        estimated = self._estimated_in().get(year)
        if estimated:
            out.append(
                msg(
                    "{year}: religious holiday dates are estimated by {source}: {days}",
                    year=year,
                    source=self.source,
                    days=Joined(estimated, ", "),
                )
            )
        self._warnings[year] = tuple(out)
        return self._warnings[year]


def checked_corrections(path: str | Path | None = None) -> Corrections:
    """The corrections of the calendar file at ``path`` (the bundled one by default), checked
    by its model where the cache folder does not hold this content's (``corrected_days``);
    errors are located like spec errors."""
    file = Path(path) if path is not None else bundled_calendar_path()
    raw = read_file(file)

    def checked() -> Corrections:
        from attest_rules.legal_time.corrections import check_calendar_file, corrected_days

        return corrected_days(check_calendar_file(raw, str(file)))

    return kept_in_cache(
        entry_name(raw),
        Corrections.from_json,
        checked,
        Corrections.as_json,
        ("calendar-corrections-*.json", KEEP_ENTRIES),
    )


@functools.cache
def _cached(path: str | None) -> WorkingCalendar:
    return WorkingCalendar(
        checked_corrections(path), source=f"holidays {holiday_table().version} (KZ)"
    )


def kz_calendar(corrections: str | Path | None = None) -> WorkingCalendar:
    """The Kazakhstan working calendar with the bundled corrections (or those of a file)."""
    return _cached(str(corrections) if corrections is not None else None)
