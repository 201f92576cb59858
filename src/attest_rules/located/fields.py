"""Field types and model settings shared by every document the library reads (specs, calendar
corrections, cases): strict ISO dates, and the config of a model that is a whole document."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Accept a date or an ISO ``YYYY-MM-DD`` string, nothing else (no timestamps, no ints)."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"bad date {value!r}: {exc}") from None
    raise ValueError(f"expected a date (YYYY-MM-DD), got {value!r}")


SpecDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def document_config(title: str) -> ConfigDict:
    """The config of a model that is a whole document: strict, frozen, with a schema title."""
    return ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
        },
    )
