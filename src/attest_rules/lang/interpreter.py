"""Compiling a checked expression to Python closures (no source text is ever executed).

Each node becomes a function of an ``Env``. A fact that is not known evaluates to a
``Missing`` value naming it; operators propagate it, and ``and``/``or``/``any``/``all``
follow Kleene's three-valued logic (``false and unknown`` is ``false``), so an answer that can be
decided without a fact is decided, and one that cannot lists exactly what is missing. Adding a
fact can therefore never turn a decided answer into an undecided one.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from attest_rules.errors import LegalTimeError
from attest_rules.lang.syntax import Node
from attest_rules.legal_time import ComputedDate, Readings, WorkingCalendar
from attest_rules.legal_time import deadline as _deadline
from attest_rules.legal_time import earliest as _earliest
from attest_rules.legal_time import validity_end as _validity_end
from attest_rules.legal_time.readings import DEFAULT


class Missing:
    """An unknown value; ``paths`` are the facts whose absence made it unknown. A number or a
    date may still be known to lie between ``low`` and ``high`` (either ``None``: no bound)
    for every value the missing facts could take: ``max(D, unknown)`` is at least ``D``. A
    comparison that its bounds decide is decided (see ``decided``)."""

    __slots__ = ("high", "low", "paths")

    def __init__(self, paths: frozenset[str], low: Any = None, high: Any = None) -> None:
        self.paths = paths
        self.low = low
        self.high = high

    def __repr__(self) -> str:
        bounds = f", low={self.low!r}, high={self.high!r}" if self.bounded else ""
        return f"Missing({sorted(self.paths)}{bounds})"

    @property
    def bounded(self) -> bool:
        return self.low is not None or self.high is not None

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Missing)
            and other.paths == self.paths
            and (other.low, other.high) == (self.low, self.high)
        )

    def __hash__(self) -> int:
        return hash(self.paths)


def missing_of(*values: Any) -> Missing | None:
    """The union of the ``Missing`` among ``values`` (without bounds: an operation that keeps
    them computes them itself), or ``None`` if all are known."""
    found = [v for v in values if v.__class__ is Missing]
    if not found:
        return None
    if len(found) == 1:
        v = found[0]
        return v if v.low is None and v.high is None else Missing(v.paths)
    paths: frozenset[str] = frozenset()
    for v in found:
        paths |= v.paths
    return Missing(paths)


# ---- bounds: what is known of an unknown number or date ----------------------------------


def _orderable(value: Any) -> bool:
    return type(value) is int or type(value) is dt.date


def interval(value: Any) -> tuple[Any, Any]:
    """(least, greatest) a value can be: itself twice where known, its bounds where unknown
    (``None``: no bound); no bounds for what is not a number or a date."""
    if value.__class__ is Missing:
        return value.low, value.high
    return (value, value) if _orderable(value) else (None, None)


def bounded(paths: frozenset[str], low: Any, high: Any) -> Any:
    """An unknown value between ``low`` and ``high``; the value itself where they meet."""
    if low is not None and low == high:
        return low
    return Missing(paths, low, high)


def _less(x: tuple[Any, Any], y: tuple[Any, Any], strict: bool) -> bool | None:
    """Whether every value in ``x`` is below (or at most, not ``strict``) every value in
    ``y`` (True), none is (False), or the bounds do not tell (None)."""
    (xl, xh), (yl, yh) = x, y
    if xh is not None and yl is not None and (xh < yl if strict else xh <= yl):
        return True
    if xl is not None and yh is not None and (xl >= yh if strict else xl > yh):
        return False
    return None


def decided(op: str, x: Any, y: Any) -> bool | None:
    """A comparison of two values, one or both unknown, where their bounds decide it for
    every value they could take; else None."""
    ix, iy = interval(x), interval(y)
    if op == "<":
        return _less(ix, iy, strict=True)
    if op == "<=":
        return _less(ix, iy, strict=False)
    if op == ">":
        return _less(iy, ix, strict=True)
    if op == ">=":
        return _less(iy, ix, strict=False)
    apart = _less(ix, iy, strict=True) is True or _less(iy, ix, strict=True) is True
    if not apart:
        return None  # equal only where both are known: never decided here
    return op == "!="


def _arith_bounds(op: str, x: Any, y: Any) -> tuple[Any, Any]:
    """Bounds of ``x op y`` for whole numbers from those of ``x`` and ``y`` (interval
    arithmetic); (None, None) where they do not give one."""
    (xl, xh), (yl, yh) = interval(x), interval(y)
    if op == "+":
        return (
            None if xl is None or yl is None else xl + yl,
            None if xh is None or yh is None else xh + yh,
        )
    if op == "-":
        return (
            None if xl is None or yh is None else xl - yh,
            None if xh is None or yl is None else xh - yl,
        )
    if op == "*" and None not in (xl, xh, yl, yh):
        products = [xl * yl, xl * yh, xh * yl, xh * yh]
        return min(products), max(products)
    if op == "*":  # one side known exactly: scaled (and flipped by a negative number)
        known, (lo, hi) = (x, (yl, yh)) if x.__class__ is not Missing else (y, (xl, xh))
        if known.__class__ is Missing or type(known) is not int:
            return None, None
        scaled = (None if lo is None else lo * known, None if hi is None else hi * known)
        return scaled if known >= 0 else (scaled[1], scaled[0])
    return None, None


class Bounds(Protocol):
    """(least, greatest) known of an unknown fact, by its path; None where nothing is."""

    def get(self, path: str) -> tuple[Any, Any] | None: ...


class Env:
    """What an expression is evaluated against: the facts, named values, interpretive choices,
    the calendar, and the dates computed so far with their explanations."""

    __slots__ = ("bounds", "calendar", "choices", "dates", "facts", "locals", "readings", "sets")

    def __init__(
        self,
        facts: Mapping[str, Any],
        choices: Mapping[str, str],
        calendar: WorkingCalendar,
        readings: Readings = DEFAULT,
        bounds: Bounds | None = None,
    ) -> None:
        """``bounds``: what the facts' constraints tell of unknown facts, by path (see
        ``FactsModel.bounds``): an unknown fact is read with them."""
        self.facts = facts
        self.bounds = bounds
        self.choices = choices
        self.calendar = calendar
        self.readings = readings
        self.locals: dict[str, Any] = {}
        self.dates: dict[str, ComputedDate] = {}
        # lists tested for membership, as sets: id → (the list, kept so the id stays its own;
        # its set). The facts do not change while an Env is in use.
        self.sets: dict[int, tuple[list[Any], Any]] = {}

    def members(self, items: list[Any]) -> Any:
        """``items`` as a membership test takes it (``member_set``), made once per list
        in this evaluation; the list itself where short."""
        if not isinstance(items, list) or len(items) < 8:
            return items
        found = self.sets.get(id(items))
        if found is None or found[0] is not items:
            found = (items, member_set(items))
            self.sets[id(items)] = found
        return found[1]


def member_set(items: list[Any]) -> Any:
    """A list as membership tests it: a frozenset of its items (tested in constant time, with
    the same answers as the list), or the list itself where its items are not hashable
    (records). The generated code and the closures share it."""
    try:
        return frozenset(items)
    except TypeError:
        return items


Compiled = Callable[[Env], Any]


@dataclass(frozen=True, slots=True)
class Expr:
    """One checked expression: its tree (what the code generators and durable_rules compile)
    and its closure (the reference semantics), both from the one text. Calling it runs the
    closure."""

    node: Node
    run: Compiled

    def __call__(self, env: Env) -> Any:
        return self.run(env)


def checked(node: Node) -> Expr:
    return Expr(node, compile_expr(node))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


def render(node: Node) -> str:
    """Canonical text of an expression (used to label computed dates and in reasons)."""
    op, args = node.op, node.args
    if op == "lit":
        value, kind = args
        return {"str": f'"{value}"', "bool": str(value).lower()}.get(kind, str(value))
    if op == "path":
        return ".".join(args)
    if op == "list":
        return "[" + ", ".join(render(a) for a in args) + "]"
    if op == "call":
        return f"{args[0]}(" + ", ".join(render(a) for a in args[1]) + ")"
    if op == "each":
        return f"{args[0]}(each {args[1]} in {render(args[2])} where {render(args[3])})"
    if op == "not":
        return f"not {render(args[0])}"
    if op == "neg":
        return f"-{render(args[0])}"
    if op == "if":
        return f"{render(args[1])} if {render(args[0])} else {render(args[2])}"
    return f"({render(args[0])} {op} {render(args[1])})"


def compile_expr(node: Node) -> Compiled:
    """A function of ``Env`` computing ``node``'s value (or a ``Missing``)."""
    op, args = node.op, node.args
    if op == "lit":
        value = args[0]
        return lambda env: value
    if op == "path":
        return _path(args)
    if op == "list":
        items = [compile_expr(a) for a in args]

        def make_list(env: Env) -> Any:
            values = [f(env) for f in items]
            return missing_of(*values) or values

        return make_list
    if op == "not":
        inner = compile_expr(args[0])

        def not_(env: Env) -> Any:
            v = inner(env)
            return v if isinstance(v, Missing) else not v

        return not_
    if op == "neg":
        inner = compile_expr(args[0])

        def neg(env: Env) -> Any:
            v = inner(env)
            if isinstance(v, Missing):
                return bounded(
                    v.paths,
                    None if v.high is None else -v.high,
                    None if v.low is None else -v.low,
                )
            return -v

        return neg
    if op == "and":
        return _and(compile_expr(args[0]), compile_expr(args[1]))
    if op == "or":
        return _or(compile_expr(args[0]), compile_expr(args[1]))
    if op == "if":
        return _if(*(compile_expr(a) for a in args))
    if op == "each":
        return _each(args[0], args[1], compile_expr(args[2]), compile_expr(args[3]))
    if op == "call":
        return _call(node)
    return _binary(op, compile_expr(args[0]), compile_expr(args[1]))


def _path(names: tuple[str, ...]) -> Compiled:
    dotted = ".".join(names)
    absent = Missing(frozenset({dotted}))  # one per path, shared by every lookup
    head, rest = names[0], names[1:]
    if len(rest) == 1:  # the common case, section.fact, without a loop
        (name,) = rest

        def get_fact(env: Env) -> Any:
            value = env.locals[head] if head in env.locals else env.facts.get(head)
            if value is None:
                return absent
            if value.__class__ is Missing:
                return value
            found = value.get(name)
            if found is None:  # unknown: with what the facts' constraints tell of it
                known = env.bounds.get(dotted) if env.bounds else None
                return absent if known is None else Missing(absent.paths, *known)
            return found

        return get_fact

    def get(env: Env) -> Any:
        value = env.locals[head] if head in env.locals else env.facts.get(head)
        if value is not None and value.__class__ is Missing:
            return value
        for name in rest:
            if value is None:
                return absent
            value = value.get(name)
        if value is None:
            known = env.bounds.get(dotted) if env.bounds and head not in env.locals else None
            return absent if known is None else Missing(absent.paths, *known)
        return value

    return get


def _and(a: Compiled, b: Compiled) -> Compiled:
    def and_(env: Env) -> Any:
        x = a(env)
        if x is False:
            return False
        y = b(env)
        if y is False:
            return False
        return missing_of(x, y) or True

    return and_


def _or(a: Compiled, b: Compiled) -> Compiled:
    def or_(env: Env) -> Any:
        x = a(env)
        if x is True:
            return True
        y = b(env)
        if y is True:
            return True
        return missing_of(x, y) or False

    return or_


def _if(cond: Compiled, then: Compiled, other: Compiled) -> Compiled:
    def if_(env: Env) -> Any:
        c = cond(env)
        if isinstance(c, Missing):
            x, y = then(env), other(env)
            if not isinstance(x, Missing) and x == y:
                return x  # both branches agree: the condition does not matter
            missing = missing_of(c, x, y)
            assert missing is not None  # noqa: S101 - c is missing
            (xl, xh), (yl, yh) = interval(x), interval(y)  # whichever branch: between both
            low = None if xl is None or yl is None else min(xl, yl)
            high = None if xh is None or yh is None else max(xh, yh)
            return bounded(missing.paths, low, high)
        return then(env) if c else other(env)

    return if_


def _binary(op: str, a: Compiled, b: Compiled) -> Compiled:
    if op in ("in", "not in"):
        negate = op == "not in"

        def member(env: Env) -> Any:
            x, items = a(env), b(env)
            if isinstance(items, list) and not items:
                return negate
            missing = missing_of(x, items)
            if missing:
                return missing
            return (x in env.members(items)) != negate

        return member
    if op == "//":

        def floordiv(env: Env) -> Any:
            x, y = a(env), b(env)
            missing = missing_of(x, y)
            if missing:
                return missing
            if y == 0:
                return Missing(frozenset({"(a division by zero)"}))
            return x // y

        return floordiv
    if op in _COMPARE:
        compare = _COMPARE[op]

        def comparison(env: Env) -> Any:
            x, y = a(env), b(env)
            missing = missing_of(x, y)
            if missing is None:
                return compare(x, y)
            found = decided(op, x, y)  # bounds may decide it for every completion
            return missing if found is None else found

        return comparison
    func = _ARITH[op]

    def arithmetic(env: Env) -> Any:
        x, y = a(env), b(env)
        missing = missing_of(x, y)
        if missing is None:
            return func(x, y)
        return bounded(missing.paths, *_arith_bounds(op, x, y))

    return arithmetic


def _each(func: str, var: str, source: Compiled, cond: Compiled) -> Compiled:
    def each(env: Env) -> Any:
        items = source(env)
        if isinstance(items, Missing):
            return items
        saved = env.locals.get(var, _UNSET)
        results = []
        try:
            for item in items:
                env.locals[var] = item
                results.append(cond(env))
        finally:
            if saved is _UNSET:
                env.locals.pop(var, None)
            else:
                env.locals[var] = saved
        missing = missing_of(*results)
        if func == "count":
            holds = sum(1 for r in results if r is True)
            if missing is None:
                return holds
            unknown = sum(1 for r in results if r.__class__ is Missing)
            return bounded(missing.paths, holds, holds + unknown)  # each unknown: 0 or 1
        if func == "any":
            return True if any(r is True for r in results) else (missing or False)
        return False if any(r is False for r in results) else (missing or True)

    return each


_UNSET = object()

_DATE_FUNCS: dict[str, Callable[..., ComputedDate]] = {
    "earliest": lambda d, t, rd, cal: _earliest(d, t, readings=rd, calendar=cal),
    "deadline": lambda d, t, rd, cal: _deadline(d, t, readings=rd, calendar=cal),
    "deadline_on_receipt": lambda d, t, rd, cal: _deadline(
        d, t, on_receipt=True, readings=rd, calendar=cal
    ),
    "validity_end": lambda d, t, rd, cal: _validity_end(d, t, readings=rd),
}


@functools.lru_cache(maxsize=1 << 16)
def _dated(
    name: str, day: Any, term: Any, readings: Readings, calendar: WorkingCalendar
) -> ComputedDate:
    """A legal-time date: a pure function of its arguments, so computed once and remembered
    (bounded, so a long batch runs in constant memory)."""
    return _DATE_FUNCS[name](day, term, readings, calendar)


def _date_bound(name: str, day: Any, term: Any, env: Env) -> Any:
    """The date ``name`` gives from ``day``, a bound of an unknown event; None without one."""
    if day is None:
        return None
    try:
        return _dated(name, day, term, env.readings, env.calendar).date
    except LegalTimeError:
        return None


def _call(node: Node) -> Compiled:
    name, arg_nodes = node.args
    args = [compile_expr(a) for a in arg_nodes]
    label = render(node)
    if name in _DATE_FUNCS:
        date_of, term_of = args

        def date_call(env: Env) -> Any:
            day, term = date_of(env), term_of(env)
            missing = missing_of(day, term)
            if missing:
                if term.__class__ is Missing or day.__class__ is not Missing:
                    return missing
                # every legal-time date is non-decreasing in its event: the bounds of the
                # event give the bounds of the date
                return bounded(
                    missing.paths,
                    _date_bound(name, day.low, term, env),
                    _date_bound(name, day.high, term, env),
                )
            try:
                result = _dated(name, day, term, env.readings, env.calendar)
            except LegalTimeError as exc:  # a date beyond the calendar: this value alone is
                return Missing(frozenset({f"({label}: {exc})"}))  # unknown, and says why
            env.dates[label] = result
            return result.date

        return date_call
    if name == "count":
        (items,) = args

        def count(env: Env) -> Any:
            v = items(env)
            return v if isinstance(v, Missing) else len(v)

        return count
    if name in ("max", "min"):
        pick = max if name == "max" else min

        def extreme(env: Env) -> Any:
            values = [f(env) for f in args]
            missing = missing_of(*values)
            if missing is None:
                return pick(values)
            # the greatest is at least every value's least and at most the greatest of the
            # greatest (the least alike, mirrored): bounds from the values that have them
            lows, highs = zip(*(interval(v) for v in values), strict=True)
            if name == "max":
                low = max((v for v in lows if v is not None), default=None)
                high = None if None in highs else max(highs)
            else:
                high = min((v for v in highs if v is not None), default=None)
                low = None if None in lows else min(lows)
            return bounded(missing.paths, low, high)

        return extreme
    if name == "difference":
        first, second = args

        def difference(env: Env) -> Any:
            x, y = first(env), second(env)
            missing = missing_of(x, y)
            if missing:
                return missing
            kept = env.members(y)
            return [v for v in x if v not in kept]

        return difference
    if name == "known":  # only in the facts' constraints (the type checker sees to it)
        (fact,) = args
        return lambda env: not isinstance(fact(env), Missing)
    if name == "happened":
        section = arg_nodes[0].args[0]
        return lambda env: env.facts.get(section) is not None
    raise ValueError(f"unknown function {name!r}")  # the type checker rejects it first
