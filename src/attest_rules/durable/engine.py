"""The stateless questions answered through durable_rules, generated from the same spec.

For each version and question, two rulesets are generated as JSON definitions: one decides
whether the rule applies, the other its outcome. Outcomes are rules with priorities in the
spec's order; a posted event is consumed by the first rule that fires, which is exactly "the
first outcome whose condition holds". Version selection and named values come from the spec's
compiled expressions; durable_rules decides every condition.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from attest_rules.durable.conditions import TRUE, ConditionCompiler, build_message
from attest_rules.durable.host import SafeHost
from attest_rules.engine.core import compute_lets, rule_selected, select
from attest_rules.engine.regulation import Regulation
from attest_rules.errors import AttestRulesError
from attest_rules.lang.interpreter import Compiled, Env
from attest_rules.legal_time import kz_calendar
from attest_rules.spec.facts import CaseModel
from attest_rules.spec.rulebook import CompiledRule

Decision = tuple[str, str | None]  # status, outcome


@dataclass(frozen=True)
class _Plan:
    rule: CompiledRule
    applies: str | None  # ruleset deciding applicability, if the rule has a condition
    applies_fields: dict[str, Compiled]
    outcomes: str
    outcome_fields: dict[str, Compiled]


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


class DurableEngine:
    """Answers the stateless questions of a regulation through durable_rules."""

    def __init__(
        self, reg: Regulation, compiler: type[ConditionCompiler] = ConditionCompiler
    ) -> None:
        self.reg = reg
        self.calendar = kz_calendar()
        self.host = SafeHost(f"ar{reg.content_hash[7:15]}")
        self._fired: list[str] = []
        self._lock = threading.Lock()
        self._plans: dict[tuple[str, str], _Plan] = {}
        rulesets: dict[str, dict[str, Any]] = {}
        for vid, table in reg.rulebook.by_version.items():
            for q, rule in table.items():
                if rule.spec.undetermined is not None:
                    continue
                applies_cc, outcome_cc = compiler(frozenset()), compiler(frozenset(rule.spec.let))
                applies_name = None
                if rule.applies is not None:
                    applies_name = self.host.name(_safe(f"{vid}__{q}__applies"))
                    rulesets[applies_name] = {
                        "no": {
                            "pri": 0,
                            "all": [{"m": applies_cc.negated(rule.applies.node)}],
                            "run": self._record("no"),
                        },
                        "yes": {"pri": 1, "all": [{"m": TRUE}], "run": self._record("yes")},
                    }
                outcome_name = self.host.name(_safe(f"{vid}__{q}"))
                rulesets[outcome_name] = {
                    f"o{i}": {
                        "pri": i,
                        "all": [{"m": outcome_cc.condition(node) if node is not None else TRUE}],
                        "run": self._record(f"o{i}"),
                    }
                    for i, node in enumerate(w.node if w else None for _, w in rule.outcomes)
                }
                self._plans[(vid, q)] = _Plan(
                    rule, applies_name, applies_cc.fields, outcome_name, outcome_cc.fields
                )
        self._by_rule = {id(plan.rule): plan for plan in self._plans.values()}
        self.host.register(rulesets)
        self.definitions = rulesets

    def _record(self, label: str) -> Any:
        def run(closure: Any) -> None:
            del closure
            self._fired.append(label)

        return run

    def _fire(self, ruleset: str, message: dict[str, Any]) -> str | None:
        with self._lock:  # the fired list is shared: clear, post and read it as one step
            self._fired.clear()
            self.host.post(ruleset, {**message, "sid": "0"})
            return self._fired[0] if self._fired else None

    def answer(
        self,
        case: CaseModel | Mapping[str, Any],
        on: dt.date | None = None,
        interpretations: Mapping[str, str] | None = None,
    ) -> dict[str, Decision | None]:
        """Status and outcome per question, or ``None`` where this engine cannot answer (a
        fact a condition needs is unknown: durable_rules has no unknown value)."""
        model = self.reg.facts.model
        parsed = case if isinstance(case, model) else self.reg.facts.parse(case)
        return self.decide_all(parsed.model_dump(), on, self.reg.choices(interpretations))

    def decide_all(
        self,
        facts: Mapping[str, Any],
        on: dt.date | None = None,
        choices: Mapping[str, str] | None = None,
    ) -> dict[str, Decision | None]:
        """The evaluator's interface (``decide_all``): each question's status and
        outcome, from validated facts, through the same selection step (the version in force on
        the event date, or whether the event happened), the rule itself decided by
        durable_rules. ``None`` where a condition needs a fact that is not known."""
        chosen = choices if choices is not None else self.reg.defaults
        book = self.reg.rulebook
        readings = self.reg.bindings.readings(chosen)

        def indices(day: dt.date) -> tuple[int, int | None]:
            return self.reg.version_indices(day, chosen)

        out: dict[str, Decision | None] = {}
        for q in book.questions:
            env = Env(facts, chosen, self.calendar, readings)
            found = rule_selected(book, self.reg, q, select(book.events[q], env, on, indices))
            if isinstance(found, tuple):
                out[q] = found
            elif found.spec.undetermined is not None:
                out[q] = ("undetermined", None)
            else:
                out[q] = self._decide(self._by_rule[id(found)], env)
        return out

    def _decide(self, plan: _Plan, env: Env) -> Decision | None:
        if plan.applies is not None:
            message = build_message(plan.applies_fields, env)
            if message is None:
                return None
            if self._fire(plan.applies, message) == "no":
                return ("not_applicable", None)
        compute_lets(plan.rule, env)
        message = build_message(plan.outcome_fields, env)
        if message is None:
            return None
        fired = self._fire(plan.outcomes, message)
        if fired is None:  # pragma: no cover - the last outcome's condition always holds
            raise AttestRulesError(f"no outcome fired for {plan.rule.spec.id}")
        outcome = plan.rule.spec.outcomes[int(fired[1:])]
        return (outcome.status, outcome.id)
