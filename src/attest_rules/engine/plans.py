"""What the evaluator compiles for one set of interpretation choices, on first use: the
answers-only case driver, the traced rules with a plan per question and version (what every
traced answer of it shares), the version in force on a day, and a case's event days and gates.
See ``fastpath`` for the generated code itself."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from attest_rules.engine.core import Selection, on_day
from attest_rules.engine.fastpath import (
    FastCase,
    TracedRule,
    compile_case,
    compile_events,
    compile_gates,
    compile_traced_rule,
    event_index,
)
from attest_rules.engine.results import Citation, Status
from attest_rules.errors import AttestRulesError
from attest_rules.legal_time import WorkingCalendar
from attest_rules.messages import raised
from attest_rules.spec.rulebook import CompiledRule

if TYPE_CHECKING:
    from attest_rules.spec.regulation import LoadedSpec as Regulation


class VersionOf:
    """The version in force on a day under one set of choices: its id (``ids[day]``, '' when
    none is) for the answers-only driver, or the regulation's version indices (``indices``), each
    remembered per day (bounded: a batch runs in constant memory). The regulation remembers
    the day's versions too, but going through it measured about 10% slower on the answers-only
    path, and a day before the Rules were in force would raise every time."""

    __slots__ = ("_choices", "_indices", "_reg", "_selections", "ids")

    def __init__(self, reg: Regulation, choices: Mapping[str, str]) -> None:
        self._reg, self._choices = reg, dict(choices)
        # day → version id, what the answers-only driver indexes (a dict lookup once known)
        self.ids = _VersionIds(self)
        self._indices: dict[dt.date, tuple[int, int | None] | str] = {}
        self._selections: dict[dt.date, Selection] = {}

    def selection(self, day: dt.date) -> Selection:
        """The selection on ``day`` (``on_day``), remembered
        per day: the same object for every question of a case that is asked on that day
        (read, never changed)."""
        found = self._selections.get(day)
        if found is None:
            if len(self._selections) > 1 << 16:
                self._selections.clear()
            found = self._selections[day] = on_day(day, self.indices)
        return found

    def indices(self, day: dt.date) -> tuple[int, int | None]:
        """The regulation's ``version_indices`` on ``day`` under these choices, remembered
        per day with the error a day before the Rules were in force raises."""
        found = self._indices.get(day)
        if found is None:
            if len(self._indices) > 1 << 16:
                self._indices.clear()
            try:
                found = self._reg.version_indices(day, self._choices)
            except AttestRulesError as exc:
                found = raised(exc)  # a Message stays one
            self._indices[day] = found
        if isinstance(found, str):
            raise AttestRulesError(found)  # a fresh one: a raised error keeps its traceback
        return found


class _VersionIds(dict[dt.date, str]):
    """Day → the id of the version in force on it ('' when none is), each found on first use
    and remembered (bounded: a batch runs in constant memory)."""

    __slots__ = ("_of",)

    def __init__(self, of: VersionOf) -> None:
        super().__init__()
        self._of = of

    def __missing__(self, day: dt.date) -> str:
        if len(self) > 1 << 16:
            self.clear()
        try:
            vid = self._of._reg.versions[self._of.indices(day)[0]].id
        except AttestRulesError:
            vid = ""  # not in force on that day: nothing applies
        self[day] = vid
        return vid


@dataclass(frozen=True, slots=True)
class OutcomePlan:
    status: Status
    id: str
    cites: tuple[str, ...]  # the rule's, then the outcome's
    citations: tuple[Citation, ...]  # theirs, in the version's wording


@dataclass(frozen=True, slots=True)
class Plan:
    """What every traced answer of one question in one version shares, worked out once."""

    run: TracedRule | None  # None where the wording is not known: the answer is undetermined
    question: str
    title: str
    version: str
    used: dict[str, str]  # the choices the rule relies on (copied into each answer)
    outcomes: tuple[OutcomePlan, ...]
    fixed: str  # the reason where no outcome is reached: why it does not apply, or why unknown
    citations: tuple[Citation, ...]  # the rule's own


def make_plan(
    rule: CompiledRule,
    run: TracedRule | None,
    title: str,
    version: str,
    choices: Mapping[str, str],
    cite: Callable[[str, tuple[str, ...]], list[Citation]],
    lang: str = "en",
) -> Plan:
    cites = (rule.provision_id, *rule.spec.cites)
    outcomes = []
    for outcome, _ in rule.outcomes:
        ids = (*cites, *outcome.cites)
        outcomes.append(OutcomePlan(outcome.status, outcome.id, ids, tuple(cite(version, ids))))
    return Plan(
        run,
        rule.spec.id,
        title,
        version,
        {k: choices[k] for k in sorted(rule.usage.interpretations)},
        tuple(outcomes),
        rule.fixed_in(lang),
        tuple(cite(version, cites)),
    )


class Specialised:
    """What the evaluator compiles for one set of interpretation choices and one language of
    answers: the version selector and, each on first use, the answers-only case driver, the
    traced rules and their plans, and the functions giving a case's event days and gates."""

    def __init__(
        self,
        reg: Regulation,
        calendar: WorkingCalendar,
        choices: Mapping[str, str],
        cite: Callable[[str, tuple[str, ...]], list[Citation]],
        lang: str = "en",
    ) -> None:
        self.choices = dict(choices)
        self.lang = lang
        self.readings = reg.bindings.readings(choices)
        self.version_of = VersionOf(reg, choices)
        self._reg, self._book, self._cite = reg, reg.rulebook, cite
        self._bound = (self.readings, calendar)  # what generated dates are bound to
        book = reg.rulebook
        self.did_not_happen = tuple(  # a question's reason when its gate says so
            book.events[q].not_applying_in(lang) for q in book.questions
        )
        self.titles = {q: book.title(q, lang) for q in book.questions}
        self.questions = tuple(event_index(book).items())
        self.event_count = len({event for _, event in self.questions})

    @functools.cached_property
    def case(self) -> FastCase:
        return compile_case(self._book, self.choices, self._bound)

    @functools.cached_property
    def plans(self) -> list[VersionPlans]:
        """Per version (by index), the plan of each question it answers, each made (its rule
        traced and compiled) the first time a case asks for it: a case of 2025 needs no plan
        of the base text, and one command answering one case makes only what it uses."""
        return [VersionPlans(self, v.id) for v in self._reg.versions]

    def plan(self, vid: str, q: str) -> Plan | None:
        rule = self._book.by_version[vid].get(q)
        if rule is None:
            return None
        traced = compile_traced_rule(self._book, vid, rule, self.choices, self._bound, self.lang)
        titles, choices = self.titles, self.choices
        return make_plan(rule, traced, titles[q], vid, choices, self._cite, self.lang)

    @functools.cached_property
    def gates(self) -> Callable[..., tuple[Any, ...]]:
        return compile_gates(self._book, self._bound)

    @functools.cached_property
    def events(self) -> Callable[..., tuple[Any, ...]]:
        return compile_events(self._book, self._bound)


class VersionPlans(dict[str, Plan | None]):
    """The plans of one version's questions, by question, each made on first use
    (``Specialised.plans``): a plain dict lookup once made."""

    __slots__ = ("_sp", "_vid")

    def __init__(self, sp: Specialised, vid: str) -> None:
        super().__init__()
        self._sp, self._vid = sp, vid

    def __missing__(self, q: str) -> Plan | None:
        plan = self[q] = self._sp.plan(self._vid, q)
        return plan
