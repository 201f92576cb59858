"""Dated corrections to the working calendar: data an analyst edits (spec/calendar_kz.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from attest_rules.errors import SpecError, SpecIssue
from attest_rules.legal_time.corrected_days import (
    Corrections,
    DayCorrection,
    bundled_calendar_path,
)
from attest_rules.located.fields import SpecDate, document_config
from attest_rules.located.reader import read_file, read_yaml
from attest_rules.located.validation import validation_issues


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Correction(_Strict):
    """A date whose status is fixed whatever the base calendar says."""

    date: SpecDate
    working: bool = Field(description="true: a working day; false: a day off")
    reason: str = Field(min_length=1)
    source: str = Field(min_length=1, description="Where the fact comes from")


class YearNote(_Strict):
    """A year whose transfers of days off are confirmed (possibly: none)."""

    year: int = Field(ge=1991, le=2100)
    transfers: Literal["confirmed"]
    source: str = Field(min_length=1)


class CalendarFile(_Strict):
    """Corrections to the Kazakhstan working calendar on top of the holidays package."""

    model_config = document_config("attest_rules working-calendar corrections")

    format: Literal[1]
    country: Literal["KZ"]
    corrections: list[Correction] = Field(default_factory=list)
    years: list[YearNote] = Field(default_factory=list)


def load_calendar_file(path: str | Path | None = None) -> CalendarFile:
    """Read and check a calendar file; errors are located like spec errors."""
    file = Path(path) if path is not None else bundled_calendar_path()
    return check_calendar_file(read_file(file), str(file))


def check_calendar_file(raw: bytes, name: str) -> CalendarFile:
    """Check the bytes of a calendar file (read from ``name``); errors are located like spec
    errors."""
    located = read_yaml(raw, name)
    if located.issues:
        raise SpecError(located.issues)
    try:
        data = CalendarFile.model_validate(located.data)
    except ValidationError as exc:
        raise SpecError(validation_issues(exc, located)) from None
    issues: list[SpecIssue] = []
    seen: dict[dt.date, int] = {}
    for i, c in enumerate(data.corrections):
        if c.date in seen:
            issues.append(
                located.issue(
                    ("corrections", i, "date"),
                    f"second correction for {c.date} (first is corrections[{seen[c.date]}])",
                )
            )
        seen.setdefault(c.date, i)
    years = [y.year for y in data.years]
    for i, y in enumerate(data.years):
        if years.index(y.year) != i:
            issues.append(located.issue(("years", i, "year"), f"year {y.year} listed twice"))
    if issues:
        raise SpecError(issues)
    return data


def corrected_days(data: CalendarFile) -> Corrections:
    """What a checked calendar file tells the working calendar."""
    days = {c.date: DayCorrection(c.working, c.reason) for c in data.corrections}
    return Corrections(days, frozenset(y.year for y in data.years))
