"""A spec that passes ``check`` runs (issue 12, finding 6): generated rule expressions, deep,
long and with chains of named values that multiply, are either refused when the spec loads,
with their line and column, or evaluated on every case by every path (traced, answers only,
the reference closures) without an internal error and in bounded time."""

from __future__ import annotations

import contextlib
import re
import signal
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import attest_rules
from attest_rules import Regulation
from attest_rules.engine.evaluator import Evaluator
from attest_rules.errors import SpecError

from .conftest import SPEC
from .strategies import cases

TEXT = SPEC.read_text(encoding="utf-8")
LETS_AT = "                      required: (composition * 2 + 2) // 3\n"
WHEN_AT = "                        when: attending * 3 >= composition * 2\n"
assert TEXT.count(LETS_AT) == 1 and TEXT.count(WHEN_AT) == 1

ATOMS = [
    "composition",
    "attending",
    "required",
    "count(session.present)",
    "count(commission.members)",
]


def ints() -> st.SearchStrategy[str]:
    """Integer expressions; ``@`` stands for a named value defined before."""
    leaves = st.one_of(
        st.sampled_from([*ATOMS, "@"]),
        st.integers(0, 10**12).map(str),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "//"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda x: f"-{x}"),
            st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})"),
            st.tuples(inner, inner, inner, inner).map(
                lambda t: f"({t[2]} if {t[0]} < {t[1]} else {t[3]})"
            ),
        ),
        max_leaves=30,
    )


def bools_of(numbers: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    compare = st.tuples(numbers, st.sampled_from(["<", "<=", "==", "!=", ">", ">="]), numbers).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    return st.recursive(
        compare,
        lambda inner: st.one_of(
            inner.map(lambda x: f"not {x}"),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
        ),
        max_leaves=8,
    )


INTS = ints()
WHENS = bools_of(INTS)


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, str]:
    """Generated named values for the quorum rule (each may use those before it), and a
    generated condition for its first outcome: the YAML lines to insert."""
    names: list[str] = []

    def named(text: str) -> str:
        return re.sub("@", lambda _: draw(st.sampled_from(names)) if names else "7", text)

    lets = ""
    for i in range(draw(st.integers(0, 8))):
        lets += f"                      g{i}: '{named(draw(INTS))}'\n"
        names.append(f"g{i}")
    chain = draw(st.integers(0, 40))  # a value squared again and again
    for i in range(chain):
        lets += f"                      h{i}: '{f'h{i - 1} * h{i - 1}' if i else '1000'}'\n"
    names += [f"h{i}" for i in range(chain)]
    when = named(draw(WHENS))
    if draw(st.booleans()):  # deep: past the nesting limit now and then
        when = "not " * draw(st.integers(1, 60)) + when
    return lets, when


LOCATED = re.compile(r"^variant\.yaml:\d+:\d+: ")


def _load(lets: str, when: str) -> Regulation | SpecError:
    text = TEXT.replace(LETS_AT, LETS_AT + lets)
    text = text.replace(WHEN_AT, f"                        when: '{when}'\n")
    try:
        return attest_rules.load_bytes(text.encode(), "variant.yaml")
    except SpecError as exc:
        return exc


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(variants(), st.lists(cases(), min_size=3, max_size=3))
def test_a_spec_that_passes_check_evaluates_every_case(
    variant: tuple[str, str], facts: list[dict[str, Any]]
) -> None:
    reg = _load(*variant)
    if isinstance(reg, SpecError):  # refused: every error located, none of them internal
        event("refused")
        assert reg.errors
        assert all(LOCATED.match(str(e)) for e in reg.errors), reg.errors
        return
    event("loaded and evaluated")
    traced, reference = Evaluator(reg, warm_up=0), Evaluator(reg, reference=True)
    with _time_limit(20):  # an unbounded number would hang here (a value squared 40 times)
        for case in facts:
            parsed = reg.parse_case(case)
            ev = traced.evaluate(parsed)
            assert len(ev.answers) == len(reference.evaluate(parsed).answers)
            fast = traced.decide_all(parsed.model_dump())
            assert fast == {a.question: (a.status, a.outcome) for a in ev.answers}


class _TooLong(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise _TooLong(f"evaluating took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
