"""Type-checking an expression against the facts model, and what it reads.

An unknown fact, a function that does not exist, a wrong type, a date compared with a number:
each is an ``ExprTypeError`` with the offset of the offending part, found when the spec is
loaded, never while a case is evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from attest_rules.errors import ExpressionError
from attest_rules.lang.interpreter import render
from attest_rules.lang.syntax import MAX_INT, MAX_ITEMS, MAX_VALUE, Node
from attest_rules.lang.types import (
    ANY,
    BOOL,
    DATE,
    INT,
    NONE,
    STR,
    TERM,
    Enum,
    ListOf,
    Prim,
    Record,
    Type,
    compatible,
    may_be_none,
)
from attest_rules.legal_time import Term, Unit

FEB29 = "year_from_29_february"

# Legal-time functions: (date, term) -> date. Which of legal time's readings each may consult.
DATE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "earliest": ("not_earlier_than", FEB29),
    "deadline": (FEB29,),
    "deadline_on_receipt": (FEB29,),
    "validity_end": (FEB29,),
}
EACH_FUNCTIONS = {"count": INT, "any": BOOL, "all": BOOL}
OTHER_FUNCTIONS = ("count", "max", "min", "difference", "happened")
ALL_FUNCTIONS = sorted({*DATE_FUNCTIONS, *EACH_FUNCTIONS, *OTHER_FUNCTIONS})


class ExprTypeError(ExpressionError):
    """An expression that does not type-check against the facts; ``offset`` is where."""


@dataclass
class Usage:
    """What an expression reads: facts, terms and interpretations."""

    reads: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    interpretations: set[str] = field(default_factory=set)
    locals: set[str] = field(default_factory=set)

    def merge(self, other: Usage) -> None:
        self.reads |= other.reads
        self.terms |= other.terms
        self.interpretations |= other.interpretations
        self.locals |= other.locals


def _power(value: int) -> str:
    """A large number as a reader takes it in: about 10^N."""
    return f"about 10^{len(str(value)) - 1}"


def _suggest(name: str, options: list[str]) -> str:
    import difflib  # only for a spec in error: every start paid 1.1 ms for it

    close = difflib.get_close_matches(name, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Checker:
    """Checks expressions in a scope of facts (a record) and named local values.
    ``readings_by``: for each of legal time's readings that an interpretation sets, that
    interpretation's id (what a rule relying on the reading must list)."""

    def __init__(
        self,
        facts: Record,
        scope: Mapping[str, Type] | None = None,
        readings_by: Mapping[str, str] | None = None,
        *,
        constraints: bool = False,
    ) -> None:
        """``constraints``: checking a consistency constraint of the facts, where ``known(...)``
        may be used (never in a rule: it would let a decided answer become undecided, or
        change, as facts are added)."""
        self.facts = facts
        self.scope: dict[str, Type] = dict(scope or {})
        self.readings_by: Mapping[str, str] = readings_by or {}
        self.constraints = constraints
        self.bounds: dict[str, int] = {}  # the largest magnitude of each named number in scope

    def check(self, node: Node, usage: Usage) -> Type:
        method = getattr(self, "_" + node.op.replace(" ", "_"), None)
        if method is None:
            return self._binary(node, usage)
        result: Type = method(node, usage)
        return result

    # ---- magnitudes -----------------------------------------------------------------------

    def magnitude(self, node: Node) -> int:
        """The largest magnitude an (already checked) expression's numbers can reach, from its
        literals, the bounds of integer facts (±MAX_INT) and of counts (MAX_ITEMS), and the named
        values in scope (``bounds``); an ``ExprTypeError`` where a part can pass
        MAX_VALUE. So no chain of products (a value squared, squared again...) can grow without
        bound while a case is evaluated: it is refused when the spec loads. A named value's bound
        is computed once, where it is defined, so a long chain of them costs no recursion."""
        op, args = node.op, node.args
        if op == "lit":
            return abs(args[0]) if args[1] == "int" else 0
        if op == "path":
            return self.bounds.get(args[0], MAX_INT)
        if op == "each":
            self.magnitude(args[3])
            return MAX_ITEMS
        if op == "call":
            parts = [self.magnitude(a) for a in args[1]]
            if args[0] == "count":
                return MAX_ITEMS
            return max(parts) if args[0] in ("max", "min") else 0
        parts = [self.magnitude(a) for a in args if isinstance(a, Node)]
        if op in ("+", "-"):
            value = parts[0] + parts[1]
        elif op == "*":
            value = parts[0] * parts[1]
        elif op in ("neg", "//"):
            value = parts[0]
        elif op == "if":
            value = max(parts[1], parts[2])
        elif op == "list":
            value = max(parts, default=0)
        else:  # comparisons, and, or, not, in: no number comes out
            return 0
        if value > MAX_VALUE:
            raise ExprTypeError(
                f"this can reach {_power(value)}, more than {_power(MAX_VALUE)}, the largest "
                "number a rule may compute (from the bounds of its facts and values)",
                node.pos,
            )
        return value

    # ---- leaves ---------------------------------------------------------------------------

    def _lit(self, node: Node, usage: Usage) -> Type:
        value, kind = node.args
        if kind == "term":
            assert isinstance(value, Term)  # noqa: S101
            usage.terms.add(str(value))
        return {"int": INT, "str": STR, "bool": BOOL, "date": DATE, "term": TERM, "none": NONE}[
            kind
        ]

    def _path(self, node: Node, usage: Usage) -> Type:
        names: tuple[str, ...] = node.args
        head = names[0]
        current: Type
        if head in self.scope:
            current = self.scope[head]
            usage.locals.add(head)
            walked = head
        else:
            found = self.facts.field(head)
            if found is None:
                options = [n for n, _ in self.facts.fields] + list(self.scope)
                raise ExprTypeError(f"unknown name {head!r}{_suggest(head, options)}", node.pos)
            current = found
            walked = head
        for name in names[1:]:
            if not isinstance(current, Record):
                raise ExprTypeError(f"{walked} is {current}; it has no field {name!r}", node.pos)
            nxt = current.field(name)
            if nxt is None:
                options = [n for n, _ in current.fields]
                raise ExprTypeError(
                    f"unknown fact {walked}.{name}{_suggest(name, options)}", node.pos
                )
            current, walked = nxt, f"{walked}.{name}"
        if head not in self.scope:
            if isinstance(current, Record):
                raise ExprTypeError(f"{walked} is a whole record; name one of its facts", node.pos)
            usage.reads.add(walked)
        return current

    def _list(self, node: Node, usage: Usage) -> Type:
        items = [a for a in node.args if not _is_none(a)]  # none joins a list of any kind
        if not items:
            if node.args:
                raise ExprTypeError("a list of none alone: write == none", node.pos)
            return ListOf(ANY)
        first = self.check(items[0], usage)
        for item in items[1:]:
            other = self.check(item, usage)
            if not compatible(first, other):
                raise ExprTypeError(f"a list mixes {first} and {other}", item.pos)
        if len(items) < len(node.args) and not (first == STR or isinstance(first, Enum)):
            raise ExprTypeError(
                f"none is not {first}: only a text or an enum may be none", node.pos
            )
        return ListOf(first)

    def may_be_none(self, node: Node) -> bool:
        """Whether ``node`` is a fact the facts model lets a case give as an explicit none."""
        if node.op != "path" or node.args[0] in self.scope:
            return False
        return may_be_none(self.facts, ".".join(node.args))

    def _none_operand(self, fact: Node, node: Node) -> None:
        if not self.may_be_none(fact):
            raise ExprTypeError(
                "none is compared only with a fact the facts model says may be none (its "
                f"'none:'); {render(fact)} never is",
                node.pos,
            )

    # ---- operators --------------------------------------------------------------------------

    def _expect(self, node: Node, usage: Usage, want: Type, role: str) -> Type:
        got = self.check(node, usage)
        if not compatible(got, want):
            raise ExprTypeError(f"{role} must be {want}, not {got}", node.pos)
        return got

    def _not(self, node: Node, usage: Usage) -> Type:
        self._expect(node.args[0], usage, BOOL, "the operand of 'not'")
        return BOOL

    def _neg(self, node: Node, usage: Usage) -> Type:
        self._expect(node.args[0], usage, INT, "the operand of '-'")
        return INT

    def _if(self, node: Node, usage: Usage) -> Type:
        cond, then, other = node.args
        self._expect(cond, usage, BOOL, "the condition of 'if'")
        a, b = self.check(then, usage), self.check(other, usage)
        if not compatible(a, b):
            raise ExprTypeError(f"the two branches give {a} and {b}", node.pos)
        return a if a != ANY else b

    def _binary(self, node: Node, usage: Usage) -> Type:
        op = node.op
        left, right = node.args
        if op in ("and", "or"):
            self._expect(left, usage, BOOL, f"each side of '{op}'")
            self._expect(right, usage, BOOL, f"each side of '{op}'")
            return BOOL
        if op in ("==", "!=") and (_is_none(left) or _is_none(right)):
            fact = right if _is_none(left) else left
            self.check(fact, usage)
            self._none_operand(fact, node)
            return BOOL
        a, b = self.check(left, usage), self.check(right, usage)
        if op in ("+", "-", "*", "//"):
            if a != INT or b != INT:
                hint = (
                    " (dates are computed with earliest, deadline, validity_end)"
                    if DATE in (a, b)
                    else ""
                )
                raise ExprTypeError(f"'{op}' works on numbers, not {a} and {b}{hint}", node.pos)
            return INT
        if op in ("in", "not in"):
            if not isinstance(b, ListOf):
                raise ExprTypeError(f"the right side of '{op}' must be a list, not {b}", right.pos)
            if not compatible(a, b.item):
                raise ExprTypeError(f"cannot look for {a} in {b}", node.pos)
            if right.op == "list" and any(_is_none(x) for x in right.args):
                self._none_operand(left, node)
            self._check_enum_literal(b.item, left)
            self._check_enum_literal(a, right)
            return BOOL
        if not compatible(a, b):
            raise ExprTypeError(f"cannot compare {a} with {b}", node.pos)
        if op in ("<", "<=", ">", ">=") and not (a in (INT, DATE) and b in (INT, DATE)):
            raise ExprTypeError(f"'{op}' compares numbers or dates, not {a}", node.pos)
        self._check_enum_literal(a, right)
        self._check_enum_literal(b, left)
        return BOOL

    def _check_enum_literal(self, kind: Type, node: Node) -> None:
        """``session.language == "kz"``: a text that can never match is a spec error."""
        if isinstance(kind, Enum):
            texts = [n for n in node.walk() if n.op == "lit" and n.args[1] == "str"]
            for lit in texts:
                if lit.args[0] not in kind.values:
                    hint = _suggest(lit.args[0], list(kind.values))
                    if lit.args[0] == NONE.name:
                        hint = " (an explicit none is written none, without quotes)"
                    raise ExprTypeError(f"{lit.args[0]!r} is not {kind}{hint}", lit.pos)

    # ---- calls ------------------------------------------------------------------------------

    def _each(self, node: Node, usage: Usage) -> Type:
        func, var, source, cond = node.args
        if func not in EACH_FUNCTIONS:
            raise ExprTypeError(
                f"'each' works with {', '.join(EACH_FUNCTIONS)}, not {func!r}", node.pos
            )
        if var in self.scope or self.facts.field(var) is not None:
            raise ExprTypeError(f"{var!r} is already a name; choose another", node.pos)
        kind = self.check(source, usage)
        if not isinstance(kind, ListOf):
            raise ExprTypeError(f"'each {var} in ...' needs a list, not {kind}", source.pos)
        inner = Checker(
            self.facts,
            {**self.scope, var: kind.item},
            self.readings_by,
            constraints=self.constraints,
        )
        inner_usage = Usage()
        inner._expect(cond, inner_usage, BOOL, "the 'where' condition")
        inner_usage.locals.discard(var)
        usage.merge(inner_usage)
        return EACH_FUNCTIONS[func]

    def _call(self, node: Node, usage: Usage) -> Type:
        name, args = node.args
        if name in DATE_FUNCTIONS:
            if len(args) != 2:
                raise ExprTypeError(f"{name}(date, term) takes 2 arguments", node.pos)
            self._expect(args[0], usage, DATE, f"the first argument of {name}")
            self._expect(args[1], usage, TERM, f"the second argument of {name}")
            term = args[1].args[0] if args[1].op == "lit" else None
            if (
                name != "deadline"
                and name != "deadline_on_receipt"
                and isinstance(term, Term)
                and term.unit is Unit.working_days
            ):
                raise ExprTypeError(f"{name} takes a calendar term, not {term}", args[1].pos)
            for reading in DATE_FUNCTIONS[name]:
                if reading != FEB29 or not isinstance(term, Term) or term.unit is Unit.years:
                    interp = self.readings_by.get(reading)
                    if interp is not None:
                        usage.interpretations.add(interp)
            return DATE
        if name == "count":
            if len(args) != 1:
                raise ExprTypeError("count(list) takes 1 argument", node.pos)
            kind = self.check(args[0], usage)
            if not isinstance(kind, ListOf):
                raise ExprTypeError(f"count needs a list, not {kind}", args[0].pos)
            return INT
        if name in ("max", "min"):
            if len(args) < 2:
                raise ExprTypeError(f"{name} takes 2 or more arguments", node.pos)
            kinds = [self.check(a, usage) for a in args]
            if any(k not in (INT, DATE) for k in kinds) or len(set(kinds)) != 1:
                raise ExprTypeError(f"{name} takes numbers or dates, all alike", node.pos)
            return kinds[0]
        if name == "difference":
            if len(args) != 2:
                raise ExprTypeError("difference(list, list) takes 2 arguments", node.pos)
            a, b = self.check(args[0], usage), self.check(args[1], usage)
            if not isinstance(a, ListOf) or not isinstance(b, ListOf) or not compatible(a, b):
                raise ExprTypeError(
                    f"difference takes two lists of one kind, not {a} and {b}", node.pos
                )
            return a if a.item != ANY else b
        if name == "known":
            if not self.constraints:
                raise ExprTypeError(
                    "known(...) is for the facts' constraints, not for rules: a rule's answer "
                    "must not change as facts are added",
                    node.pos,
                )
            if len(args) != 1 or args[0].op != "path" or args[0].args[0] in self.scope:
                raise ExprTypeError(
                    "known(fact) names one fact, e.g. known(record.field)", node.pos
                )
            self.check(args[0], usage)
            return BOOL
        if name == "happened":
            if len(args) != 1 or args[0].op != "path" or len(args[0].args) != 1:
                raise ExprTypeError(
                    "happened(section) names one section, e.g. happened(complaint)", node.pos
                )
            section = self.facts.field(args[0].args[0])
            if not isinstance(section, Record) or not section.section:
                raise ExprTypeError(
                    f"{args[0].args[0]!r} is not a section that may be absent", args[0].pos
                )
            return BOOL
        raise ExprTypeError(
            f"unknown function {name!r}{_suggest(name, ALL_FUNCTIONS)}; the "
            f"functions are {', '.join(ALL_FUNCTIONS)}",
            node.pos,
        )


def _is_none(node: Node) -> bool:
    return node.op == "lit" and node.args[1] == "none"


__all__ = ["ANY", "Checker", "ExprTypeError", "Prim", "Usage"]
