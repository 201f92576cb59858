"""Properties of term arithmetic and the working calendar (Hypothesis, fixed profile)."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from attest_rules.legal_time import Readings, Term, Unit, deadline, earliest, kz_calendar, term_end

CAL = kz_calendar()
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
CALENDAR_TERMS = st.builds(
    Term,
    st.integers(min_value=1, max_value=40),
    st.sampled_from([Unit.years, Unit.months, Unit.weeks, Unit.calendar_days]),
)
FEB29 = st.sampled_from(["february-28", "march-1"])


@given(DAYS, CALENDAR_TERMS)
def test_a_deadline_is_a_working_day_never_before_the_raw_end(day: dt.date, term: Term) -> None:
    result = deadline(day, term)
    assert CAL.is_working_day(result.date)
    assert result.date >= result.explanation.raw_end
    between = (
        result.explanation.raw_end + dt.timedelta(days=i)
        for i in range((result.date - result.explanation.raw_end).days)
    )
    assert not any(CAL.is_working_day(d) for d in between)  # the first working day, no later


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_add_working_days_is_a_working_day_and_agrees_with_counting(day: dt.date, n: int) -> None:
    result = CAL.add_working_days(day, n)
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(day + dt.timedelta(days=1), result) == n
    assert CAL.add_working_days(day, n + 1) > result


@given(DAYS, st.integers(min_value=0, max_value=800))
def test_working_days_between_matches_a_day_by_day_count(day: dt.date, span: int) -> None:
    end = day + dt.timedelta(days=span)
    walk = sum(CAL.is_working_day(day + dt.timedelta(days=i)) for i in range(span + 1))
    assert CAL.working_days_between(day, end) == walk


@given(DAYS, st.integers(min_value=1, max_value=60))
def test_a_month_term_never_moves_the_day_forward_nor_leaves_its_month(
    day: dt.date, months: int
) -> None:
    end = term_end(day, Term(months, Unit.months)).date
    target = (day.year * 12 + day.month - 1) + months
    assert end.year * 12 + end.month - 1 == target
    assert end.day <= day.day


@given(DAYS, st.integers(min_value=1, max_value=10), FEB29)
def test_a_year_term_equals_twelve_months_except_from_29_february(
    day: dt.date, years: int, choice: str
) -> None:
    by_years = term_end(day, Term(years, Unit.years), feb29=choice).date
    by_months = term_end(day, Term(12 * years, Unit.months)).date
    if (day.month, day.day) == (2, 29) and by_months.day != 29:
        expected = by_months if choice == "february-28" else by_months + dt.timedelta(days=1)
        assert by_years == expected
    else:
        assert by_years == by_months


@given(DAYS, DAYS, CALENDAR_TERMS, st.sampled_from(["last-day-of-term", "day-after-term"]))
def test_earliest_dates_are_monotone_in_the_event(
    a: dt.date, b: dt.date, term: Term, choice: str
) -> None:
    assume(a <= b)
    readings = Readings(not_earlier_than=choice)
    assert earliest(a, term, readings=readings).date <= earliest(b, term, readings=readings).date
