"""The regulation a caller uses: the loaded spec, with evaluation."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attest_rules.engine.facts import load_case_file
from attest_rules.spec.facts import CaseModel
from attest_rules.spec.loader import load_spec, load_spec_bytes
from attest_rules.spec.regulation import LoadedSpec, as_date

# the evaluator (its plans, results and generated code) is imported when a case is first
# evaluated: a command that reads a spec's text (versions, diff, check) starts without it
if TYPE_CHECKING:
    from attest_rules.engine.evaluator import Evaluator
    from attest_rules.engine.results import Evaluation, Lang


class Regulation(LoadedSpec):
    """A regulation spec, loaded and checked, that answers cases. Create it with
    ``load``."""

    _evaluator: Evaluator | None = None

    def evaluate(
        self,
        case: CaseModel | Mapping[str, Any],
        on: dt.date | str | None = None,
        interpretations: Mapping[str, str] | None = None,
        *,
        explain: bool = False,
        lang: Lang = "en",
    ) -> Evaluation:
        """Answer every question the spec settles for ``case`` (facts, or a parsed case).
        ``explain``: for each undetermined answer, search for the missing facts that decide
        it and two witnesses (``explain``), in ``explanations``. ``lang``: the language of
        titles, reasons and date steps (kk, ru, en: the library's wording, not legal text)."""
        if self._evaluator is None:
            from attest_rules.engine.evaluator import Evaluator

            self._evaluator = Evaluator(self)
        day = as_date(on) if on is not None else None
        result = self._evaluator.evaluate(case, day, interpretations, lang)
        if explain:
            from attest_rules.engine.explain import explain as search

            result.explanations = search(
                self._evaluator,
                result.inputs.case,
                result.answers,
                day,
                interpretations,
                lang=lang,
            )
        return result

    def parse_case(self, data: Any, source: str = "facts") -> CaseModel:
        """Validate facts against this spec's case model; ``FactsError`` names every bad
        field."""
        return self.facts.parse(data, source)


def load(path: str | Path | None = None, *, cached: bool = True) -> Regulation:
    """Load and check a regulation spec (the bundled Order No. 210 spec by default).

    ``cached=False``: read from the spec's YAML alone, whatever the cache folder holds (what
    ``replay`` and the service do; see ``spec.cache``).

    Raises ``SpecError`` listing every problem found, each with file, line, column and the
    path inside the document.
    """
    return load_spec(Regulation, path, cached=cached)


def load_bytes(raw: bytes, name: str = "<spec>") -> Regulation:
    """Load a spec from its bytes; ``name`` is used in error locations."""
    return load_spec_bytes(Regulation, raw, name)


@functools.cache
def bundled() -> Regulation:
    """The bundled spec, loaded once: the default of the helpers below."""
    return load()


def load_case(path: str | Path, reg: LoadedSpec | None = None) -> CaseModel:
    """Read and validate a case file (YAML or JSON) against ``reg``'s facts (the bundled spec
    by default); ``FactsError`` names every bad field."""
    return load_case_file((reg or bundled()).facts, path)


def parse_case(data: Any, source: str = "facts", reg: LoadedSpec | None = None) -> CaseModel:
    """Validate facts (a mapping) against ``reg``'s facts (the bundled spec by default)."""
    return (reg or bundled()).facts.parse(data, source)
