"""Legal time: terms counted the way Kazakh law counts them, on the Kazakhstan working calendar.

Sources: Civil Code of the Republic of Kazakhstan, arts. 172–176 ("Calculation of terms"):
art. 173 (a term starts the day after its event), art. 174 (the end of terms in years, months and
weeks), art. 175 (a non-working last day moves to the next working day), art. 176 (an action can be
done until 24:00 of the last day); Administrative Procedural Code (АППК) art. 64 p.3 (an
application received on a non-working day is registered on the next working day) and art. 76
(terms in days start the day after registration); Labour Code arts. 84–85 and the Law "On
holidays" (the working calendar). No other part of the library does date arithmetic of its own.

A pure library: it imports nothing of the spec, and computing a date loads none. What the law
leaves open is a ``Readings``, passed explicitly, with documented defaults.
"""

from attest_rules.legal_time.calendar import CalendarError, DayInfo, WorkingCalendar, kz_calendar
from attest_rules.legal_time.dates import (
    ComputedDate,
    Explanation,
    deadline,
    earliest,
    validity_end,
)
from attest_rules.legal_time.readings import CHOICES, Readings
from attest_rules.legal_time.terms import (
    FIRST_DAY,
    LAST_DAY,
    Term,
    TermEnd,
    TermError,
    Unit,
    check_day,
    term_end,
)

__all__ = [
    "CHOICES",
    "FIRST_DAY",
    "LAST_DAY",
    "CalendarError",
    "ComputedDate",
    "DayInfo",
    "Explanation",
    "Readings",
    "Term",
    "TermEnd",
    "TermError",
    "Unit",
    "WorkingCalendar",
    "check_day",
    "deadline",
    "earliest",
    "kz_calendar",
    "term_end",
    "validity_end",
]
