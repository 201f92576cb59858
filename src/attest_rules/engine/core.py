"""The one evaluation core: how a question's answer is reached, defined once.

* ``select`` is the step every way of answering shares: the event date, the version(s) in
  force on it (both inside an effective-date window), or, where the date is not known, whether
  the event happened by its gate;
* ``rule_selected`` is the rule that then runs (or the answer where none does);
* ``decide`` runs a rule through the three-valued closures: whether it applies, its named
  values, its first outcome that holds.

This is the reference semantics (docs/expressions.md). The traced answers, the answers-only
path and durable_rules go through the same selection; the generated code
(``fastpath``) is its generated form, held to it by property tests on both specs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from attest_rules.errors import AttestRulesError
from attest_rules.lang.interpreter import Env, Missing
from attest_rules.messages import raised
from attest_rules.spec.model import OutcomeSpec
from attest_rules.spec.regulation import LoadedSpec
from attest_rules.spec.rulebook import CompiledRule, Rulebook

Stage = Literal["unknown_wording", "applies_unknown", "not_applicable", "when_unknown", "outcome"]


@dataclass(frozen=True, slots=True)
class Decided:
    """What a rule decided, and at which stage: the core shared by every way of answering."""

    status: str
    outcome: OutcomeSpec | None
    missing: frozenset[str]
    stage: Stage


@dataclass(slots=True)  # not frozen: built for each question of a case, and a frozen
class Selection:  # dataclass's __init__ measured a fifth of the traced path
    """Where a question's answer comes from on a case: the step every way of answering shares.
    The event date and the versions in force on it (the primary, and inside an effective-date
    window the other); or the reason no version is (a date before the regulation); or, where
    the date is not known, whether the event happened (``False``: it did not) and the facts
    that would decide it."""

    day: dt.date | None
    versions: tuple[int, int | None] | None = None
    not_in_force: str | None = None
    happened: bool | None = None
    missing: frozenset[str] = frozenset()
    # where the date is not known: the least and greatest it can be (from the facts'
    # constraints, or a rule's own bounds), None where nothing is known
    earliest: dt.date | None = None
    latest: dt.date | None = None


def on_day(day: dt.date, indices: Callable[[dt.date], tuple[int, int | None]]) -> Selection:
    """The selection on a known event date: the version(s) in force, or why none is."""
    try:
        return Selection(day, indices(day), happened=True)
    except AttestRulesError as exc:
        return Selection(day, None, raised(exc), happened=True)


def select(
    rule: CompiledRule,
    env: Env,
    on: dt.date | None,
    indices: Callable[[dt.date], tuple[int, int | None]],
) -> Selection:
    """The selection for a question whose version is chosen by ``rule`` (its event, and its
    gate where the event date is not known): the reference definition of the step. The
    generated code (``fastpath``) does the same, held to it by property tests."""
    day = on if on is not None else rule.event(env)
    if not isinstance(day, Missing):
        return on_day(day, indices)
    gate = rule.applies(env) if rule.applies is not None else None
    if gate is False:  # the event did not happen
        return Selection(None, happened=False)
    missing = day.paths | (gate.paths if isinstance(gate, Missing) else frozenset())
    return Selection(None, missing=missing, earliest=day.low, latest=day.high)


def rule_selected(
    book: Rulebook, reg: LoadedSpec, q: str, sel: Selection
) -> CompiledRule | tuple[str, str | None]:
    """The rule that answers ``q`` under ``sel``'s primary version, or the answer where none
    runs: the event did not happen or no version is in force (not applicable), its date is
    not known (undetermined), or the version has no rule for it (not applicable)."""
    if sel.happened is False or sel.not_in_force is not None:
        return ("not_applicable", None)
    if sel.versions is None:
        return ("undetermined", None)
    rule = book.by_version[reg.versions[sel.versions[0]].id].get(q)
    return rule if rule is not None else ("not_applicable", None)


def decide(rule: CompiledRule, env: Env) -> Decided:
    """Run ``rule`` against ``env``: whether it applies, its named values, its first outcome."""
    if rule.spec.undetermined is not None:
        return Decided("undetermined", None, frozenset(), "unknown_wording")
    if rule.applies is not None:
        applies = rule.applies(env)
        if isinstance(applies, Missing):
            return Decided("undetermined", None, applies.paths, "applies_unknown")
        if not applies:
            return Decided("not_applicable", None, frozenset(), "not_applicable")
    compute_lets(rule, env)
    for outcome, when in rule.outcomes:
        holds = True if when is None else when(env)
        if isinstance(holds, Missing):
            return Decided("undetermined", outcome, holds.paths, "when_unknown")
        if holds is True:
            return Decided(outcome.status, outcome, frozenset(), "outcome")
    raise AssertionError("the last outcome always holds")  # pragma: no cover


def possible_versions(
    sel: Selection,
    indices: Callable[[dt.date], tuple[int, int | None]],
    count: int,
    *,
    assume_in_force: bool,
) -> list[int] | None:
    """Where the date that selects the version is not known: the versions that could be in
    force on it, from what is known of it (its least and greatest value); None where it could
    fall before the regulation (unless ``assume_in_force``: the case is taken to be one it
    governs), or after a bound before it."""

    def at(day: dt.date) -> tuple[int, int] | None:
        try:
            primary, other = indices(day)
        except AttestRulesError:
            return None  # not in force on that day
        return (primary, primary) if other is None else (min(primary, other), max(primary, other))

    first, last = 0, count - 1
    if sel.earliest is not None:
        found = at(sel.earliest)
        if found is None and not assume_in_force:
            return None
        first = found[0] if found is not None else 0
    elif not assume_in_force:
        return None
    if sel.latest is not None:
        found = at(sel.latest)
        if found is None:
            return None  # the event is before the regulation, or may be
        last = found[1]
    return list(range(first, last + 1)) if first <= last else None


def across_versions(
    book: Rulebook,
    reg: LoadedSpec,
    q: str,
    make_env: Callable[[], Env],
    versions: Sequence[int] | None = None,
) -> list[tuple[int, CompiledRule | None, Decided | None]]:
    """Where the date that selects the version is not known: under each version that could be
    in force (``versions``, by index; all by default), its rule for ``q`` and what it decides
    with that date unknown (``None`` where the version has no rule for ``q``)."""
    out: list[tuple[int, CompiledRule | None, Decided | None]] = []
    seen: dict[int, Decided] = {}  # a rule a version keeps unchanged decides once
    for index in range(len(reg.versions)) if versions is None else versions:
        version = reg.versions[index]
        rule = book.by_version[version.id].get(q)
        if rule is not None and id(rule) not in seen:
            seen[id(rule)] = decide(rule, make_env())
        out.append((index, rule, None if rule is None else seen[id(rule)]))
    return out


def agreed(decisions: list[tuple[int, CompiledRule | None, Decided | None]]) -> bool:
    """Whether every version decides the same determined status and outcome."""
    keys = {
        ("not_applicable", None)
        if d is None
        else (d.status, d.outcome.id if d.stage == "outcome" and d.outcome else None)
        for _, _, d in decisions
    }
    return len(keys) == 1 and next(iter(keys))[0] != "undetermined"


def compute_lets(rule: CompiledRule, env: Env) -> None:
    """Compute a rule's named values, in order, into ``env.locals``."""
    for let in rule.lets:
        env.locals[let.name] = let.chosen(env.choices)(env)
