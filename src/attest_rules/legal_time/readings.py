"""The interpretive choices legal time takes, as one explicit value with documented defaults.

Legal time knows no spec: a caller that follows a regulation's interpretations (the engine)
builds a ``Readings`` from them, through the ``binds`` of each interpretation; any other
caller passes one directly, or takes the defaults. A new reading is one more field here, so no
signature of legal time (or of the code generated from rules) changes when one is added.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from attest_rules.errors import LegalTimeError

# Each reading: its allowed values, the default first (what each value means is on Readings).
CHOICES: dict[str, tuple[str, ...]] = {
    "not_earlier_than": ("last-day-of-term", "day-after-term"),
    "year_from_29_february": ("february-28", "march-1"),
}


@dataclass(frozen=True, slots=True)
class Readings:
    """How legal time reads what the Civil Code leaves open.

    ``not_earlier_than``: the first day allowed "not earlier than" a term from an event:
    ``last-day-of-term`` (default; the term has reached its end day, Civil Code arts. 174, 176)
    or ``day-after-term`` (the whole last day must have passed).

    ``year_from_29_february``: where a term in years from 29 February ends in a year without
    that day: ``february-28`` (default; art. 174's month rule by analogy) or ``march-1``.

    Hashable, so dates computed under it can be remembered.
    """

    not_earlier_than: str = "last-day-of-term"
    year_from_29_february: str = "february-28"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in CHOICES[f.name]:
                raise LegalTimeError(
                    f"reading {f.name} has no choice {value!r}; choose one of "
                    f"{', '.join(CHOICES[f.name])}"
                )

    def with_(self, **changes: Any) -> Readings:
        """A copy with some readings changed (each checked)."""
        unknown = sorted(set(changes) - set(CHOICES))
        if unknown:
            raise LegalTimeError(
                f"no reading {', '.join(unknown)}; the readings are {', '.join(CHOICES)}"
            )
        return replace(self, **changes)

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT = Readings()
