"""What the engine itself consults, and how a spec's interpretations set it.

The engine reads a few things the law leaves open: legal time's readings (see
``Readings``) and how a version's effective date is read (the
first day after a term from publication; a date inside an effective-date window). Each is a
*parameter* here with its allowed values, the default first. A spec names the choice and its
reasoning in ``interpretations``, and an interpretation that ``binds`` a parameter sets it: its
choice ids map onto the parameter's values (``values``; the ids themselves where omitted). A
parameter no interpretation binds takes its default. The engine names no interpretation id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from attest_rules.legal_time import CHOICES as READING_CHOICES
from attest_rules.legal_time import Readings
from attest_rules.spec.model import Interpretation

AFTER_PUBLICATION = "versions.after_publication"
WINDOW = "versions.window"
UNKNOWN_DATE = "versions.unknown_date"
LEGAL_TIME = "legal_time."

PARAMETERS: dict[str, tuple[str, ...]] = {
    **{LEGAL_TIME + name: values for name, values in READING_CHOICES.items()},
    # The first day in force of an act in force "N days after publication": the term's last day,
    # or the day after it.
    AFTER_PUBLICATION: ("day-after-term", "last-day-of-term"),
    # A date inside an effective-date window: report both wordings, or assume one.
    WINDOW: ("report-both", "assume-earliest", "assume-latest"),
    # An event whose date is not known: it may fall on any day (the answer stays undetermined),
    # or in force of the regulation, under any of its versions (an answer they all agree on is
    # determined).
    UNKNOWN_DATE: ("any-date", "in-force"),
}


@dataclass(frozen=True, slots=True)
class Binding:
    interpretation: str
    parameter: str
    values: Mapping[str, str]  # choice id → the parameter's value


class Bindings:
    """The parameters a spec's interpretations set, and their values under a set of choices."""

    def __init__(self, interpretations: Sequence[Interpretation]) -> None:
        self.by_parameter: dict[str, Binding] = {}
        for interp in interpretations:
            if interp.binds is None or interp.binds.to not in PARAMETERS:
                continue  # the checks report it
            ids = [interp.default.id, *(a.id for a in interp.alternatives)]
            values = {c: interp.binds.values.get(c, c) for c in ids}
            self.by_parameter.setdefault(
                interp.binds.to, Binding(interp.id, interp.binds.to, values)
            )
        self.interpretations = frozenset(b.interpretation for b in self.by_parameter.values())
        # reading name (not_earlier_than) → the interpretation that sets it
        self.readings_by = {
            p.removeprefix(LEGAL_TIME): b.interpretation
            for p, b in self.by_parameter.items()
            if p.startswith(LEGAL_TIME)
        }
        self._readings: dict[tuple[tuple[str, str], ...], Readings] = {}

    def value(self, parameter: str, choices: Mapping[str, str]) -> str:
        """The value of ``parameter`` under ``choices`` (its default where nothing binds it)."""
        binding = self.by_parameter.get(parameter)
        if binding is None:
            return PARAMETERS[parameter][0]
        return binding.values[choices[binding.interpretation]]

    def interpretations_of(
        self, readings: Mapping[str, str], choices: Mapping[str, str]
    ) -> dict[str, str]:
        """The interpretations (with their choices) that set the readings a date relied on;
        a reading no interpretation sets is left out."""
        out: dict[str, str] = {}
        for name in readings:
            interp = self.readings_by.get(name)
            if interp is not None:
                out[interp] = choices[interp]
        return out

    def readings(self, choices: Mapping[str, str]) -> Readings:
        """Legal time's readings under ``choices`` (one object, remembered per set)."""
        key = tuple((iid, choices[iid]) for iid in self.readings_by.values())
        found = self._readings.get(key)
        if found is None:
            found = self._readings[key] = Readings(
                **{name: self.value(LEGAL_TIME + name, choices) for name in self.readings_by}
            )
        return found
