"""Legal time on real Kazakh dates: the calendar, and the three kinds of dates a term gives."""

from __future__ import annotations

import datetime as dt

import pytest

from attest_rules import AttestRulesError
from attest_rules.legal_time import (
    CalendarError,
    Readings,
    Term,
    TermError,
    Unit,
    deadline,
    earliest,
    kz_calendar,
    validity_end,
)

D = dt.date.fromisoformat
CAL = kz_calendar()


def assert_working(*days: str) -> None:
    for day in days:
        assert CAL.is_working_day(D(day)), f"{day} should be a working day"


def assert_day_off(*days: str) -> None:
    for day in days:
        assert not CAL.is_working_day(D(day)), f"{day} should be a day off"


# ---- the calendar ------------------------------------------------------------------------


def test_kurban_ait_2024_17_june_stays_a_working_day() -> None:
    assert_day_off("2024-06-16")  # Kurban Ait on a Sunday is not moved
    assert_working("2024-06-17")
    assert "correction" in CAL.info(D("2024-06-17")).reason


def test_weekend_days_that_became_working_days_2023_2025() -> None:
    assert_working("2023-07-01", "2024-05-04", "2025-01-05")
    assert_day_off("2023-07-07", "2024-05-08", "2025-01-03")  # the days off they moved to
    assert "transfer" in CAL.info(D("2025-01-05")).reason


def test_holidays_on_a_day_off_move_to_the_next_working_day() -> None:
    assert_day_off("2025-03-08", "2025-03-10")  # Women's Day on Saturday → Monday
    assert_day_off("2025-07-06", "2025-07-07")  # Capital Day on Sunday → Monday
    assert_working("2025-07-08")


def test_246_working_days_in_2025() -> None:
    assert CAL.working_days_between(D("2025-01-01"), D("2025-12-31")) == 246


def test_add_working_days_and_counting() -> None:
    assert CAL.add_working_days(D("2024-12-13"), 1) == D("2024-12-17")  # Mon 16 Dec: holiday
    assert CAL.next_working_day(D("2025-07-05")) == D("2025-07-08")
    assert CAL.working_days_between(D("2024-12-14"), D("2024-12-19")) == 3
    assert CAL.working_days_between(D("2024-12-19"), D("2024-12-14")) == 0
    with pytest.raises(ValueError, match="at least 1"):
        CAL.add_working_days(D("2024-12-13"), 0)
    with pytest.raises(CalendarError):
        CAL.is_working_day(D("1990-01-01"))


def test_years_without_transfer_data_are_reported_not_guessed() -> None:
    assert CAL.transfers_known_through >= 2025
    later = CAL.transfers_known_through + 2
    warnings = CAL.warnings_for(dt.date(later, 1, 1), dt.date(later, 12, 31))
    assert any("no data yet on transfers" in w for w in warnings)
    assert CAL.warnings_for(D("2024-01-01"), D("2024-12-31")) == ()
    result = deadline(dt.date(later, 3, 2), "3 working days")
    assert any(str(later) in w for w in result.explanation.warnings)


# ---- terms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("1 year", 1, Unit.years),
        ("6 months", 6, Unit.months),
        ("3 working days", 3, Unit.working_days),
        ("10 calendar days", 10, Unit.calendar_days),
        ("2 weeks", 2, Unit.weeks),
    ],
)
def test_term_parse(text: str, amount: int, unit: Unit) -> None:
    term = Term.parse(text)
    assert (term.amount, term.unit) == (amount, unit)
    assert str(term) == text


@pytest.mark.parametrize("text", ["", "year", "0 days", "1 fortnight", "-1 year", "1.5 years"])
def test_term_parse_rejects(text: str) -> None:
    with pytest.raises(TermError):
        Term.parse(text)


def test_three_working_days_across_independence_day_2024() -> None:
    result = deadline(D("2024-12-13"), "3 working days")
    assert result.date == D("2024-12-19")  # Mon 16 Dec is Independence Day
    assert "АППК art. 76" in str(result.explanation)


@pytest.mark.parametrize(
    ("event", "end"), [("2024-01-31", "2024-02-29"), ("2025-01-31", "2025-02-28")]
)
def test_one_month_from_31_january(event: str, end: str) -> None:
    result = validity_end(D(event), "1 month")
    assert result.date == D(end)
    assert "last day" in str(result.explanation)  # the month-end rounding is stated
    assert deadline(D(event), "1 month").date == D(end)  # a working day: no shift


def test_three_year_deadline_on_a_sunday_holiday_moved_to_monday_lands_on_tuesday() -> None:
    result = deadline(D("2022-07-06"), "3 years")
    assert result.explanation.raw_end == D("2025-07-06")  # Sunday, Capital Day
    assert result.date == D("2025-07-08")  # Monday 7 July is its day off: Tuesday
    assert result.explanation.shifted_from == D("2025-07-06")
    assert "Civil Code art. 175" in str(result.explanation)


def test_earliest_not_earlier_than_one_year() -> None:
    assert earliest(D("2023-03-15"), "1 year").date == D("2024-03-15")
    alt = earliest(D("2023-03-15"), "1 year", readings=Readings(not_earlier_than="day-after-term"))
    assert alt.date == D("2024-03-16")
    assert alt.explanation.readings["not_earlier_than"] == "day-after-term"


def test_earliest_and_validity_never_move() -> None:
    sunday = D("2023-06-18")
    assert earliest(sunday - dt.timedelta(days=365), "1 year").date == sunday
    assert validity_end(D("2022-07-06"), "3 years").date == D("2025-07-06")


def test_29_february_follows_the_interpretation() -> None:
    default = validity_end(D("2024-02-29"), "1 year")
    assert default.date == D("2025-02-28")
    assert default.explanation.readings == {"year_from_29_february": "february-28"}
    alt = validity_end(
        D("2024-02-29"), "1 year", readings=Readings(year_from_29_february="march-1")
    )
    assert alt.date == D("2025-03-01")
    assert validity_end(D("2024-02-29"), "4 years").date == D("2028-02-29")


def test_application_received_on_a_day_off_is_registered_on_the_next_working_day() -> None:
    result = deadline(D("2024-12-14"), "5 working days", on_receipt=True)  # a Saturday
    assert "registered on the next working day, 2024-12-17" in str(result.explanation)
    assert result.date == D("2024-12-24")  # 18, 19, 20, 23, 24 December
    assert deadline(D("2024-12-14"), "5 working days").date == D("2024-12-23")


def test_ten_calendar_days_and_weeks() -> None:
    assert validity_end(D("2024-10-21"), "10 calendar days").date == D("2024-10-31")
    assert validity_end(D("2024-10-21"), "2 weeks").date == D("2024-11-04")


def test_unknown_readings_are_errors() -> None:
    with pytest.raises(AttestRulesError, match="no choice"):
        Readings(not_earlier_than="x")
    with pytest.raises(AttestRulesError, match="no reading"):
        Readings().with_(composition="members-only")
    with pytest.raises(TermError):
        earliest(D("2023-03-15"), "3 working days")
