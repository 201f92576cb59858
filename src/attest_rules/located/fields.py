"""Field types and model settings shared by every document the library reads (specs, calendar
corrections, cases): strict ISO dates, and the config of a model that is a whole document."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def iso_date(value: Any) -> Any:
    """Accept a date or an ISO ``YYYY-MM-DD`` string, nothing else (no timestamps, no ints)."""
    if type(value) is str and _ISO_DATE.match(value):  # the usual case first: a JSON date
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"bad date {value!r}: {exc}") from None
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


SpecDate = Annotated[dt.date, BeforeValidator(iso_date)]


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


# C0 controls but tab and newline, DEL, C1 controls, zero-width and joiner characters, the
# bidirectional overrides and isolates, and the byte-order mark: nothing a person types in a
# name, and what lets a text hide or reorder what a reader sees (or a terminal run).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain_text(value: str) -> str:
    """A case's text as ``SpecText`` has it (NFC), or ``ValueError`` saying why it is not one."""
    if value.isascii() and value.isprintable():  # no control character, and NFC already
        return value
    half = _SURROGATE.search(value)
    if half is not None:  # from a JSON escape (\\ud800): half of a pair, not a character
        raise ValueError(
            f"holds a lone surrogate (U+{ord(half.group()):04X} at character {half.start() + 1}), "
            "which is not a character"
        )
    found = _INVISIBLE.search(value)
    if found is not None:
        raise ValueError(
            f"holds an invisible or control character (U+{ord(found.group()):04X} at "
            f"character {found.start() + 1}); type the text without it"
        )
    return unicodedata.normalize("NFC", value)


PLAIN_TEXT = AfterValidator(plain_text)
SpecText = Annotated[str, PLAIN_TEXT]
"""A text of a case: NFC-normalised, with no control, zero-width or bidirectional-override
character."""
