"""The forms of the answers-only code, held to the reference closures on generated rules: a
rule's named values are computed lazily, an ``each`` that is always evaluated runs as a ``for``
loop (``rule_code``, ``Generator.lowered``), and a legal-time date is read from the days its
function remembers (``Generator._dated_call``).

The vote rule of the bundled spec gets generated named values (numbers and truth values, each
may use those before it, with ``count``, ``any`` and ``all`` over the votes and the members
present, nested, and under ``if``, ``and`` and ``or``) and generated conditions for its first
four outcomes. Cases have facts removed (a list, the chair, a vote's member or its vote), so the
loops meet unknown items. The answers-only path must give every question the reference
closures' status and outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import attest_rules
from attest_rules import Regulation
from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.fastpath import rule_code
from attest_rules.errors import FactsError, SpecError
from attest_rules.lang import codegen
from attest_rules.lang.codegen import Generator
from attest_rules.lang.syntax import parse as parse_expr
from attest_rules.legal_time import Term, deadline, kz_calendar

from .conftest import SPEC
from .strategies import cases

TEXT = SPEC.read_text(encoding="utf-8")
LET_AT = '                      votes_for: count(each v in session.votes where v.vote == "for")\n'
WHENS_AT = [
    "                        when: adopted\n",
    '                        when: tie and chair_vote == "for"\n',
    '                        when: tie and chair_vote == "against"\n',
    "                        when: tie\n",
]
assert TEXT.count(LET_AT) == 1 and all(TEXT.count(w) == 1 for w in WHENS_AT)

EACH_INTS = [
    'count(each v in session.votes where v.vote == "for")',
    "count(each p in session.present where p in commission.members)",
    "count(each v in session.votes where any(each p in session.present where p == v.member))",
]
EACH_BOOLS = [
    'any(each v in session.votes where v.member == commission.chair and v.vote == "for")',
    'all(each v in session.votes where v.vote == "for")',
    "all(each p in session.present where p in commission.members)",
    "any(each v in session.votes where all(each p in session.present where p != v.member))",
    'all(each v in session.votes where v.vote == "against" or v.member == commission.chair)',
]


def _ints(names: list[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from([*EACH_INTS, "votes_for", "count(commission.members)", *names]),
        st.integers(0, 6).map(str),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(_bools_leaf(), inner, inner).map(lambda t: f"({t[1]} if {t[0]} else {t[2]})"),
        ),
        max_leaves=6,
    )


def _bools_leaf() -> st.SearchStrategy[str]:
    return st.sampled_from(EACH_BOOLS)


def _bools(ints: st.SearchStrategy[str], names: list[str]) -> st.SearchStrategy[str]:
    compare = st.tuples(ints, st.sampled_from(["<", "<=", "==", "!=", ">"]), ints).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    return st.recursive(
        st.one_of(compare, _bools_leaf(), *([st.sampled_from(names)] if names else [])),
        lambda inner: st.one_of(
            inner.map(lambda x: f"(not {x})"),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[1]} if {t[0]} else {t[2]})"),
        ),
        max_leaves=6,
    )


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Generated named values for the vote rule (numbers ``n<i>`` and truth values ``b<i>``,
    each may use those before it), and four generated outcome conditions."""
    lets = ""
    ints: list[str] = []
    bools: list[str] = []
    for i in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            lets += f"                      n{i}: '{draw(_ints(ints))}'\n"
            ints.append(f"n{i}")
        else:
            lets += f"                      b{i}: '{draw(_bools(_ints(ints), bools))}'\n"
            bools.append(f"b{i}")
    old = ["adopted", "tie", 'chair_vote == "for"', 'chair_vote != "none"']
    whens = [draw(_bools(_ints(ints), [*bools, *old])) for _ in WHENS_AT]
    return lets, whens


def _load(lets: str, whens: list[str]) -> Regulation | SpecError:
    text = TEXT.replace(LET_AT, LET_AT + lets)
    for at, when in zip(WHENS_AT, whens, strict=True):
        text = text.replace(at, f"                        when: '{when}'\n")
    try:
        return attest_rules.load_bytes(text.encode(), "variant.yaml")
    except SpecError as exc:
        return exc


@st.composite
def partial_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A case with some of what the loops read unknown."""
    case = draw(cases())
    session, commission = dict(case["session"]), dict(case["commission"])
    votes = [dict(v) for v in session["votes"]]
    for what in draw(st.lists(st.sampled_from(["votes", "present", "chair", "item"]), max_size=2)):
        if what == "votes":
            session["votes"] = None
        elif what == "present":
            session["present"] = None
        elif what == "chair":
            commission["chair"] = None
        elif votes:
            field = draw(st.sampled_from(["vote", "member"]))
            votes[draw(st.integers(0, len(votes) - 1))][field] = None
    if session.get("votes") is not None:
        session["votes"] = votes
    return {**case, "session": session, "commission": commission}


@settings(max_examples=60)
@given(variants(), st.lists(partial_cases(), min_size=4, max_size=4))
def test_lazy_values_and_loops_answer_as_the_closures_do(
    variant: tuple[str, list[str]], facts: list[dict[str, Any]]
) -> None:
    reg = _load(*variant)
    if isinstance(reg, SpecError):  # a drawn expression the checker refuses
        event("refused")
        assert all(re.match(r"^variant\.yaml:\d+:\d+: ", str(e)) for e in reg.errors)
        return
    event("loaded")
    fast, reference = Evaluator(reg, warm_up=0), Evaluator(reg, reference=True)
    for case in facts:
        try:
            parsed = reg.parse_case(case)
        except FactsError:  # a removal the facts model refuses (a chair no longer a member)
            event("case refused")
            continue
        expected = {a.question: (a.status, a.outcome) for a in reference.evaluate(parsed).answers}
        assert fast.decide_all(parsed.model_dump()) == expected


def _vote_code(reg: Regulation) -> str:
    rule = reg.rulebook.by_version["amend-403"]["decision.vote"]
    return "\n".join(rule_code(rule, Generator(reg.rulebook.facts), reg.defaults, trace=False))


def test_a_value_only_a_later_outcome_needs_is_computed_after_the_earlier_test(
    reg: Regulation,
) -> None:
    code = _vote_code(reg)
    adopted, chair = code.index("if L_adopted:"), code.index("L_chair_vote =")
    assert adopted < chair  # a vote adopted never looks for the chair's vote
    assert code.index("L_votes_for =") < adopted


def test_an_each_always_evaluated_is_a_loop_and_one_under_a_condition_is_not(
    reg: Regulation,
) -> None:
    code = _vote_code(reg)
    assert re.search(r"^ *for E_v in _k\(f\['session'\]\['votes'\]\):$", code, re.M)
    assert "len([" not in code and "any(" not in code  # the counts and the anys are loops
    # chair_vote ("for" if any(...) else ("against" if any(...) else "none")) is an if
    # statement, each arm setting it, the second any a loop in the arm that needs it
    assert re.search(r"^( *)if W\d+:\n\1    L_chair_vote = 'for'\n\1else:\n", code, re.M)
    # an each on the right of and: an expression, evaluated only where the left holds
    lets = (
        "                      b0: 'votes_for > 0 and any(each v in session.votes where "
        'v.vote == "for")\'\n'
    )
    whens = ["adopted or b0", *(w.split("when: ")[1].strip() for w in WHENS_AT[1:])]
    variant = _load(lets, whens)
    assert isinstance(variant, Regulation), variant
    code = _vote_code(variant)
    assert re.search(r"^ *L_b0 = \(\(L_votes_for > 0\) and any\(", code, re.M), code


def test_a_date_function_remembers_a_bounded_number_of_days(
    reg: Regulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers only, a legal-time date is read from the day's remembered date before its
    function is called (``Generator._dated_call``); the days kept start again past the bound,
    and a date computed again is the same."""
    monkeypatch.setattr(codegen, "REMEMBERED_DAYS", 5)
    readings, calendar = reg.bindings.readings(reg.defaults), kz_calendar()
    gen = Generator(reg.rulebook.facts, (readings, calendar))
    code = gen.expr(parse_expr("deadline(session.date, 3 working days)"), frozenset(), frozenset())
    assert re.fullmatch(r"\(C(\d+)\[_d\] if \(_d := .*\) in C\1 else P\1\(_d\)\)", code), code
    (name,) = [n for n in gen.consts if n.startswith("P")]
    function, days = gen.consts[name], gen.consts["C" + name[1:]]
    first = dt.date(2025, 1, 6)
    dates = [function(first + dt.timedelta(days=i)) for i in range(12)]
    assert 0 < len(days) <= 5
    assert dates == [function(first + dt.timedelta(days=i)) for i in range(12)]
    term = Term.parse("3 working days")
    assert dates == [
        deadline(first + dt.timedelta(days=i), term, readings=readings, calendar=calendar).date
        for i in range(12)
    ]


def _deep_variant() -> Regulation:
    """The vote rule with 60 more outcomes before its last, each reading a value of its own,
    and a value of 40 nested ``if``s: the answers-only code nests its blocks only so deep
    (``fastpath.NESTING``), where Python refuses blocks nested 100 deep."""
    lets = "".join(
        f"                      k{i}: 'count(each v in session.votes where "
        f'v.vote == "for") + {i}\'\n'
        for i in range(60)
    )
    nested = "0"
    for i in range(40):
        nested = f"({i} if votes_for > {i} else {nested})"
    lets += f"                      deep: '{nested}'\n"
    reason = "                        reason: {en: x, kk: x, ru: x}\n"
    outcomes = "".join(
        f"                      - id: extra-{i}\n                        status: violated\n"
        f"                        when: {when}\n{reason}"
        for i, when in [*((str(i), f"k{i} > 1000 + {i}") for i in range(60)), ("deep", "deep > 39")]
    )
    last = "                      - id: rejected\n"
    text = TEXT.replace(LET_AT, LET_AT + lets)
    assert text.count(last) == 1
    return attest_rules.load_bytes(text.replace(last, outcomes + last).encode(), "deep.yaml")


_DEEP: list[tuple[Regulation, Evaluator, Evaluator]] = []


@settings(max_examples=20)
@given(st.lists(partial_cases(), min_size=3, max_size=3))
def test_a_rule_of_many_outcomes_and_deep_values_compiles_and_answers_as_the_closures(
    facts: list[dict[str, Any]],
) -> None:
    if not _DEEP:
        reg = _deep_variant()
        _DEEP.append((reg, Evaluator(reg, warm_up=0), Evaluator(reg, reference=True)))
    reg, fast, reference = _DEEP[0]
    for case in facts:
        try:
            parsed = reg.parse_case(case)
        except FactsError:
            continue
        expected = {a.question: (a.status, a.outcome) for a in reference.evaluate(parsed).answers}
        assert fast.decide_all(parsed.model_dump()) == expected
