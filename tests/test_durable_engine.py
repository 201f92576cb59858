"""durable_rules as a second engine: a differential test against the compiled evaluator, and
each of durable_rules' traps shown and handled."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings

pytest.importorskip("durable")

import attest_rules
from attest_rules.durable import SafeHost
from attest_rules.durable.conditions import ConditionCompiler, build_message
from attest_rules.durable.engine import DurableEngine
from attest_rules.lang.interpreter import Env
from attest_rules.lang.syntax import Node, parse
from attest_rules.legal_time import kz_calendar

from .strategies import cases

REG = attest_rules.load()
ENGINE = DurableEngine(REG)


def disagreements(engine: DurableEngine, case: dict[str, Any]) -> list[str]:
    durable = engine.answer(case)
    out = []
    for answer in REG.evaluate(case).answers:
        decision = durable[answer.question]
        if decision is not None and decision != (answer.status, answer.outcome):
            out.append(
                f"{answer.question}: evaluator {answer.status}/{answer.outcome}, durable {decision}"
            )
    return out


@given(cases())
def test_both_engines_agree_on_every_question_both_answer(case: dict[str, Any]) -> None:
    assert disagreements(ENGINE, case) == []


def test_the_durable_engine_answers_most_questions_of_a_full_case() -> None:
    case = attest_rules.load_case("examples/quorate-session-2025.yaml")
    answered = [q for q, d in ENGINE.answer(case).items() if d is not None]
    assert len(answered) >= 17


class _OffByOne(ConditionCompiler):
    """A deliberately broken compilation: ">=" becomes ">"."""

    def condition(self, node: Node) -> dict[str, Any]:
        if node.op == ">=":
            return super().condition(Node(">", node.args, node.pos))
        return super().condition(node)


def test_the_differential_test_catches_a_broken_compilation() -> None:
    broken = DurableEngine(REG, compiler=_OffByOne)
    counterexample = find(
        cases(),
        lambda case: bool(disagreements(broken, case)),
        settings=settings(
            max_examples=500,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert disagreements(broken, counterexample)


# ---- the traps ------------------------------------------------------------------------------


def _raw(condition: dict[str, Any], message: dict[str, Any]) -> bool:
    """Register one rule with ``condition`` on a fresh host, post ``message``: did it fire?"""
    host = SafeHost("trap")
    fired: list[str] = []
    name = host.name("t")
    host.register({name: {"r": {"all": [{"m": condition}], "run": lambda c: fired.append("r")}}})
    host.post(name, {**message, "sid": "0"})
    return fired == ["r"]


def _run(expr: str, facts: dict[str, Any]) -> bool:
    """Compile one condition of the spec's language, post its message: did it hold?"""
    cc = ConditionCompiler(frozenset())
    condition = cc.condition(parse(expr))
    message = build_message(cc.fields, Env(facts, {}, kz_calendar()))
    assert message is not None
    return _raw(condition, message)


def test_trap_integer_division_truncates_so_conditions_never_divide() -> None:
    two_thirds = {"$mul": {"$l": {"$div": {"$l": {"$m": "members"}, "$r": 3}}, "$r": 2}}
    # durable_rules: 3 >= 5 / 3 * 2 = 2, wrong for 3 of 5
    assert _raw({"$gte": {"present": two_thirds}}, {"present": 3, "members": 5})
    assert "$div" not in json.dumps(ENGINE.definitions, default=str)
    case = {
        "commission": {"members": list("ABCDE"), "chair": "A", "secretary": "S"},
        "session": {"date": "2025-03-03", "present": list("ABC")},
    }
    assert ENGINE.answer(case)["session.quorum"] == ("violated", "not-quorate")


def test_trap_arithmetic_on_the_left_becomes_a_derived_field() -> None:
    facts = {"session": {"present": list("ABCD")}, "commission": {"members": list("ABCDEF")}}
    assert _run("count(session.present) * 3 >= count(commission.members) * 2", facts)
    facts["session"]["present"] = list("ABC")
    assert not _run("count(session.present) * 3 >= count(commission.members) * 2", facts)


def test_trap_iall_is_false_on_an_empty_list() -> None:
    # durable_rules: "every element differs from A" is false on []
    assert not _raw({"$iall": {"xs": {"$neq": {"$i": "A"}}}}, {"xs": []})
    assert _run('"A" not in session.present', {"session": {"present": []}})
    assert _run('"A" not in session.present', {"session": {"present": ["B"]}})
    assert not _run('"A" not in session.present', {"session": {"present": ["A", "B"]}})


@pytest.mark.parametrize(("a", "b"), [(True, True), (True, False), (False, True), (False, False)])
def test_trap_no_negation_is_pushed_down(a: bool, b: bool) -> None:
    facts = {"session": {"appeared": a, "removed": b}}
    expr = "not (session.appeared and not session.removed)"
    assert _run(expr, facts) == (not (a and not b))
    cc = ConditionCompiler(frozenset())
    assert "$not" not in json.dumps(cc.condition(parse(expr)))


def test_trap_loose_typing_is_kept_out_by_typed_facts() -> None:
    # durable_rules compares the text "8" with the number 7
    assert _raw({"$gte": {"v": 7}}, {"v": "8"})
    with pytest.raises(attest_rules.FactsError):
        ENGINE.answer({"session": {"date": "2025-03-03", "present": "ABCD"}})
    assert _run(
        "session.date >= 2025-03-03", {"session": {"date": __import__("datetime").date(2025, 3, 4)}}
    )  # dates are posted as day numbers


def test_trap_background_threads_are_never_started_and_posts_are_serialised() -> None:
    before = {t.ident for t in threading.enumerate()}
    engine = DurableEngine(REG)
    assert {t.ident for t in threading.enumerate()} == before
    case = attest_rules.load_case("examples/quorate-session-2025.yaml")
    expected = engine.answer(case)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                results.append(engine.answer(case))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 120
    assert all(r == expected for r in results)


def test_trap_one_host_per_spec_so_ruleset_names_never_collide() -> None:
    other = DurableEngine(attest_rules.load())
    assert set(other.definitions).isdisjoint(ENGINE.definitions)
    case = {"session": {"date": "2025-03-03", "recording": "none"}}
    assert other.answer(case) == ENGINE.answer(case)
