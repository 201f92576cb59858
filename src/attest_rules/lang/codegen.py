"""Python for a rule, generated from its checked AST: straight-line but for the ``for`` loop of
an each, for the answers-only path.

The closures of ``compiler`` carry three-valued logic for unknown facts. When every fact a
rule touches is known, plain Python logic gives the same answer, much faster: each rule gets a
generated function that reads facts directly and raises ``Unknown`` the moment it meets an
unknown one, and the caller then falls back to the closures. A generated function that returns
has read only known values, and on known values Kleene logic is Boolean logic, so the two paths
cannot disagree (a property test holds them equal).

Safety: nothing of the spec's text is pasted into the source. Names come from the facts model or
from identifiers the type checker accepted, always prefixed (``L_``, ``E_``); literals are
emitted with ``repr`` or as constants (``D0``, ``T0``); and the generated source is parsed with
``ast`` and checked against a whitelist of node types and names before it is compiled, with
no builtins but ``sum``, ``any``, ``all``, ``max``, ``min`` and ``len``.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from attest_rules.errors import AttestRulesError
from attest_rules.lang.display import plain, shown_plain
from attest_rules.lang.interpreter import _dated, member_set, render
from attest_rules.lang.syntax import Node
from attest_rules.lang.types import Record
from attest_rules.legal_time import Readings, Term


class Unknown(Exception):
    """A fact the generated code needed is not known: use the three-valued path."""


class CodegenError(AttestRulesError):
    """Generated source that failed the whitelist (a bug in this module, never the spec's)."""


def _k(value: Any) -> Any:
    if value is None:
        raise Unknown
    return value


def _u() -> Any:
    raise Unknown


def _day(name: str, day: dt.date, term: Term, rd: Readings, cal: Any) -> dt.date:
    """A legal-time date (memoised, the same function the closures use)."""
    return _dated(name, day, term, rd, cal).date


def _rd(dates: dict[str, Any], label: str, computed: Any) -> dt.date:
    """Record a computed date under its label; give the date."""
    dates[label] = computed
    return computed.date  # type: ignore[no-any-return]


def _cd(name: str, day: dt.date, term: Term, rd: Readings, cal: Any) -> Any:
    return _dated(name, day, term, rd, cal)


def _floordiv(a: int, b: int) -> int:
    if b == 0:
        raise Unknown  # the three-valued path says why
    return a // b


_BUILTINS: dict[str, Any] = {"sum": sum, "any": any, "all": all, "max": max, "min": min, "len": len}
_HELPERS: dict[str, Any] = {
    "_iso": dt.date.isoformat,  # a date as it appears in an answer, as display.plain gives it
    "_pl": plain,
    "_sh": shown_plain,
    "_k": _k,
    "_u": _u,
    "_floordiv": _floordiv,
    "_members": member_set,
    "_day": _day,
    "_rd": _rd,
    "_cd": _cd,
}
_PARAMS = ("f", "ch", "cal", "rd")
# The case driver (see fastpath.case_source) also takes the day, the versions in force by day
# (``V[day]``, the one subscript not by a fact's name) and the slow path, and names its events,
# versions, answers and the rule functions it calls.
_DRIVER = ("on", "V", "S", "NA", "Unknown")
# The checks' patterns are texts, compiled by ``re`` when first matched (and kept in its
# cache): code is generated after a spec's first case, and a command of one case never does.
_NAME = (
    r"^(L[0-9a-z]*_|E_|R_|S_)[a-z_][a-z0-9_]*$"
    r"|^(T|D|X|W|P|C|Q|K|EV|VEV|A)\d+$"
    r"|^(rule|event|events|gates|case|_t|_d|DT)$"
)
_FUNCTIONS = ("rule", "event", "events", "gates", "case")  # what generated code may define
_CALLABLE = r"^[PQ]\d+$|^S$"
_BY_DAY = r"^V$|^C\d+$"
REMEMBERED_DAYS = 1 << 12
"""Days a generated date function remembers, answers only: past this many, it starts again."""
_ALLOWED_NODES = (
    ast.Module,
    ast.FunctionDef,
    ast.arguments,
    ast.arg,
    ast.Return,
    ast.If,
    ast.For,
    ast.Break,
    ast.Assign,
    ast.Compare,
    ast.BoolOp,
    ast.UnaryOp,
    ast.BinOp,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Subscript,
    ast.Dict,
    ast.NamedExpr,
    ast.Try,
    ast.ExceptHandler,
    ast.Tuple,
    ast.List,
    ast.GeneratorExp,
    ast.ListComp,
    ast.comprehension,
    ast.Load,
    ast.Store,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
)
_CMP = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"}


class Generator:
    """Generates one module of functions; constants go into its namespace."""

    def __init__(self, facts: Record, bound: tuple[Readings, Any] | None = None) -> None:
        """``bound``: legal time's readings and the calendar, when the code is specialised to
        them (legal-time dates become functions of the day)."""
        self.facts = facts
        self.bound = bound
        self.trace = False  # record computed dates into DT, as the closures record them
        self.hoisted = False  # top-level facts read once into R_<name> by the function
        self._date_functions: dict[tuple[str, Term, bool], str] = {}
        self.consts: dict[str, Any] = {}
        self._counter = 0
        self._iterable = 0  # > 0 inside a comprehension's iterable, where := is not allowed
        # inside an each: its variables (with those of the eaches around it), and the sets
        # hoisted out of its test, each (name, code)
        self._hoisted: tuple[frozenset[str], list[tuple[str, str]]] | None = None
        self.let_prefix = "L_"  # one per rule where several rules share a function
        # answers only: statements to run before the one being generated, where an each that
        # is always evaluated becomes a loop (see ``lowered``, ``statements``); None where it
        # stays an expression
        self.pre: list[str] | None = None
        # > 0 inside a part that may not be evaluated (an if's arms, and/or's right side)
        self._branch = 0
        # fact paths read into names before the expression (``read_first``): path → name
        self._read: dict[tuple[str, ...], str] = {}

    def _date_function(self, name: str, term: Term) -> str:
        """A constant ``P<n>``: the date ``name(day, term)`` under the bound choices and
        calendar, as a function of the day alone, remembered per day (bounded). Traced, a
        ``Q<n>`` giving the date with its explanation. Answers only, ``C<n>`` is ``P<n>``'s
        dict of the days it remembers, which the code reads before calling it (``_dated_call``):
        a dict lookup in line costs less than a call through ``functools.lru_cache``."""
        key = (name, term, self.trace)
        if key not in self._date_functions:
            assert self.bound is not None  # noqa: S101 - only called when bound
            rd, cal = self.bound
            if self.trace:

                def computed(day: dt.date) -> Any:
                    return _dated(name, day, term, rd, cal)

                cached = functools.lru_cache(maxsize=1 << 12)(computed)
                self._date_functions[key] = self._const("Q", cached)
            else:
                remembered: dict[dt.date, dt.date] = {}

                def date_of(day: dt.date) -> dt.date:
                    if len(remembered) >= REMEMBERED_DAYS:  # a long batch in constant memory
                        remembered.clear()
                    found = remembered[day] = _dated(name, day, term, rd, cal).date
                    return found

                function = self._const("P", date_of)
                self.consts[f"C{function[1:]}"] = remembered
                self._date_functions[key] = function
        return self._date_functions[key]

    def _dated_call(self, function: str, day: str) -> str:
        """``function(day)``, answers only: the day's date read from ``C<n>`` when remembered
        (no call), where an assignment expression is allowed."""
        if self.trace or self._iterable:
            return f"{function}({day})"
        days = f"C{function[1:]}"
        return f"({days}[_d] if (_d := {day}) in {days} else {function}(_d))"

    def let_name(self, name: str) -> str:
        return f"{self.let_prefix}{name}"

    def _const(self, prefix: str, value: Any) -> str:
        for name, existing in self.consts.items():
            if name.startswith(prefix) and existing == value and type(existing) is type(value):
                return name
        name = f"{prefix}{len(self.consts)}"
        self.consts[name] = value
        return name

    def expr(self, node: Node, lets: frozenset[str], each: frozenset[str]) -> str:
        op, args = node.op, node.args
        if op == "lit":
            value, kind = args
            if kind == "date":
                assert isinstance(value, dt.date)  # noqa: S101
                return self._const("D", value)
            if kind == "term":
                assert isinstance(value, Term)  # noqa: S101
                return self._const("T", value)
            return repr(value)
        if op == "path":
            return self._path(args, lets, each)
        if op == "list":
            return "[" + ", ".join(self.expr(a, lets, each) for a in args) + "]"
        if op == "not":
            return f"(not {self.expr(args[0], lets, each)})"
        if op == "neg":
            return f"(-{self.expr(args[0], lets, each)})"
        if op in ("and", "or"):
            left = self.expr(args[0], lets, each)
            return f"({left} {op} {self._guarded(args[1], lets, each)})"
        if op == "if":
            cond = self.expr(args[0], lets, each)
            then, other = (self._guarded(a, lets, each) for a in args[1:])
            return f"({then} if {cond} else {other})"
        if op == "each":
            func, var, source, cond = args
            if (
                self.pre is not None
                and not self.trace
                and not self._branch
                and not self._iterable
                and self._hoisted is None
            ):
                return self.lowered(func, var, source, cond, lets)
            loop, test = self.loop(var, source, cond, lets, each)
            if func == "count":  # a list is counted faster than a generator is summed
                return f"len([1 {loop} if {test}])"
            if self.trace:  # every item, as the closures evaluate them (dates are recorded)
                return f"{func}([{test} {loop}])"
            return f"{func}({test} {loop})"
        if op == "call":
            return self._call(node, lets, each)
        if op in ("in", "not in") and self._hoisted is not None and self._invariant(args[1]):
            # a list tested for every item of an each, the same for all of them: made a set once
            # for the loop (a loop-invariant hoisted), so the test is constant time
            self._counter += 1
            name = f"S_m{self._counter}"
            code = f"_members({self._iterable_expr(args[1], lets, each)})"
            self._hoisted[1].append((name, code))
            return f"({self.expr(args[0], lets, each)} {op} {name})"
        left, right = (self.expr(a, lets, each) for a in args)
        if op == "//":
            return f"_floordiv({left}, {right})"
        if op in _CMP or op in ("+", "-", "*"):
            return f"({left} {op} {right})"
        raise CodegenError(f"no code for operator {op!r}")

    def _guarded(self, node: Node, lets: frozenset[str], each: frozenset[str]) -> str:
        """``node`` where it is evaluated only under a condition: an each in it stays an
        expression (a loop before the statement would run it always)."""
        self._branch += 1
        try:
            return self.expr(node, lets, each)
        finally:
            self._branch -= 1

    def lowered(self, func: str, var: str, source: Node, cond: Node, lets: frozenset[str]) -> str:
        """An each that is always evaluated, as a ``for`` loop among ``pre``'s statements
        (answers only): a comprehension or a generator is a function of its own, called at
        every evaluation, which costs more than the loop over a handful of items. Its value is
        a name ``W<n>``. ``any`` and ``all`` stop at the first item that decides them, as the
        builtins do; an unknown fact met in the loop raises ``Unknown`` as it would in the
        expression."""
        assert self.pre is not None  # noqa: S101 - only called where statements are collected
        self._counter += 1
        name = f"W{self._counter}"
        source_code = self._iterable_expr(source, lets, frozenset())
        outer, self._hoisted = self._hoisted, (frozenset({var}), [])
        try:
            test = self.expr(cond, lets, frozenset({var}))
            sets = self._hoisted[1]
        finally:
            self._hoisted = outer
        head = [f"{n} = {code}" for n, code in sets] + [f"for E_{var} in {source_code}:"]
        if func == "count":
            body = [f"{name} = 0", *head, f"    if {test}:", f"        {name} = {name} + 1"]
        elif func == "any":
            body = [f"{name} = False", *head, f"    if {test}:", f"        {name} = True"]
            body.append("        break")
        elif func == "all":
            body = [f"{name} = True", *head, f"    if not {test}:", f"        {name} = False"]
            body.append("        break")
        else:
            raise CodegenError(f"no code for {func}(each ...)")
        self.pre += body
        return name

    def flush(self) -> list[str]:
        """The statements collected for the one just generated, and an empty list for the next
        (answers only)."""
        assert self.pre is not None  # noqa: S101
        out, self.pre = self.pre, []
        return out

    @contextlib.contextmanager
    def statements(self, lowering: bool = True) -> Iterator[None]:
        """Within, an each that is always evaluated becomes a loop among ``pre``'s statements
        (``flush`` gives them), or, with ``lowering`` off, stays an expression; as before,
        after."""
        outer, self.pre = self.pre, ([] if lowering else None)
        try:
            yield
        finally:
            self.pre = outer

    def loop(
        self,
        var: str,
        source: Node,
        cond: Node,
        lets: frozenset[str] = frozenset(),
        each: frozenset[str] = frozenset(),
    ) -> tuple[str, str]:
        """The ``for`` clauses and the test of a comprehension over ``source`` testing
        ``cond`` for each item ``var``: a list that ``cond`` tests membership in, and that is
        the same for every item, becomes a set once, before the loop."""
        src = self._iterable_expr(source, lets, each)
        outer, self._hoisted = self._hoisted, (each | {var}, [])
        try:
            test = self.expr(cond, lets, each | {var})
            sets = "".join(f"for {n} in ({code},) " for n, code in self._hoisted[1])
        finally:
            self._hoisted = outer
        return f"{sets}for E_{var} in {src}", test

    def _invariant(self, node: Node) -> bool:
        """Whether ``node``, inside an each, reads none of the variables of the eaches it is in
        (nor a date function, whose label must be recorded where it is evaluated)."""
        assert self._hoisted is not None  # noqa: S101 - asked inside an each only
        inner = self._hoisted[0]
        for sub in node.walk():
            if sub.op == "path" and sub.args[0] in inner:
                return False
            if sub.op == "call" and sub.args[0] not in ("count", "difference", "max", "min"):
                return False
        return True

    def read_first(self, node: Node) -> tuple[list[tuple[str, str]], str] | None:
        """``node`` as an expression over its facts read first, each into a name that is None
        where the fact is unknown (``optional``): (name, reading) for each fact, and the
        expression, to be evaluated only where none of them is None. For a three-valued check
        where an unknown fact is common (a constraint's part): testing for None costs less
        than raising ``Unknown`` and catching it. None where ``node`` reads a fact only under a
        condition (an ``if``, ``and``, ``or``), which an unknown would not always leave
        unknown; an each's items are read in its loop as before (its source first)."""
        paths: list[tuple[str, ...]] = []

        def visit(n: Node) -> bool:
            if n.op in ("if", "and", "or"):
                return False
            if n.op == "path":
                if n.args not in paths:
                    paths.append(n.args)
                return True
            if n.op == "each":
                return visit(n.args[2])  # the items are read in the loop
            if n.op == "call":
                name, args = n.args
                return name in ("known", "happened") or all(visit(a) for a in args)
            return all(visit(a) for a in n.args if isinstance(a, Node))

        if not visit(node) or not paths:
            return None
        reads = [(f"S_f{self._counter + i + 1}", self._optional(p)) for i, p in enumerate(paths)]
        self._counter += len(paths)
        outer, self._read = self._read, {p: name for p, (name, _) in zip(paths, reads, strict=True)}
        try:
            return reads, self.expr(node, frozenset(), frozenset())
        finally:
            self._read = outer

    def _path(self, names: tuple[str, ...], lets: frozenset[str], each: frozenset[str]) -> str:
        head, rest = names[0], names[1:]
        if self._read and head not in each and head not in lets and names in self._read:
            return self._read[names]  # read first, and known here (see read_first)
        if head in each:
            code = f"E_{head}"
        elif head in lets:
            code = self.let_name(head)
        else:
            code = f"R_{head}" if self.hoisted else f"f[{head!r}]"
            section = self.facts.field(head)
            if isinstance(section, Record) and section.section:
                code = self._known(code)
        for name in rest:
            code = self._known(f"{code}[{name!r}]")
        return code if rest or head in each or head in lets else self._known(code)

    def optional(self, node: Node) -> str:
        """A fact path as an expression that is ``None`` where the fact is unknown (where
        ``expr`` would raise): for the events, whose absence is common and decided here."""
        return self._optional(node.args)

    def _optional(self, names: tuple[str, ...]) -> str:
        head, *rest = names
        code = f"R_{head}" if self.hoisted else f"f[{head!r}]"
        for name in rest:
            code = f"(None if (_t := {code}) is None else _t[{name!r}])"
        return code

    def _known(self, code: str) -> str:
        """``code``'s value, or raise ``Unknown`` when it is ``None``: inline where Python
        allows an assignment expression (no call), through ``_k`` inside an iterable."""
        if self._iterable:
            return f"_k({code})"
        return f"(_t if (_t := {code}) is not None else _u())"

    def iterable(self, node: Node) -> str:
        """``node``'s value where a comprehension iterates it (no assignment expression)."""
        return self._iterable_expr(node, frozenset(), frozenset())

    def _iterable_expr(self, node: Node, lets: frozenset[str], each: frozenset[str]) -> str:
        self._iterable += 1
        try:
            return self.expr(node, lets, each)
        finally:
            self._iterable -= 1

    def _call(self, node: Node, lets: frozenset[str], each: frozenset[str]) -> str:
        name, arg_nodes = node.args
        if name == "known":  # a constraint's: whether a fact is given, never Unknown itself
            return f"({self.optional(arg_nodes[0])} is not None)"
        if name == "difference":
            self._counter += 1
            x = f"X{self._counter}"
            source = self._iterable_expr(arg_nodes[0], lets, each)
            other = self._iterable_expr(arg_nodes[1], lets, each)
            kept = f"S_m{self._counter}"
            sets = f"for {kept} in (_members({other}),)"
            return f"[{x} {sets} for {x} in {source} if {x} not in {kept}]"
        args = [self.expr(a, lets, each) for a in arg_nodes]
        if name in ("earliest", "deadline", "deadline_on_receipt", "validity_end"):
            term = arg_nodes[1]
            if self.bound is not None and term.op == "lit":  # a function of the day alone
                code = self._dated_call(self._date_function(name, term.args[0]), args[0])
            else:
                helper = "_cd" if self.trace else "_day"
                code = f"{helper}({name!r}, {args[0]}, {args[1]}, rd, cal)"
            if self.trace:  # record the date and its explanation under the closures' label
                return f"_rd(DT, {self._const('K', render(node))}, {code})"
            return code
        if name == "count":
            return f"len({args[0]})"
        if name in ("max", "min"):
            return f"{name}({', '.join(args)})"
        if name == "happened":
            return f"(f[{arg_nodes[0].args[0]!r}] is not None)"
        raise CodegenError(f"no code for function {name!r}")


WARM_UP = 1
"""Uses answered through the three-valued closures before code is generated for them: a case's
traced rules (``Evaluator``) and its constraints' check (``FactsModel.problems``). Generating,
checking and compiling a case's rules costs more than one case through the closures (16
against 1 ms), and the two answer alike (the property tests hold them to each other), so a
command answering one case generates nothing; a batch or a service generates from its second
case on."""

_ALLOWED_TYPES = frozenset(_ALLOWED_NODES)  # concrete classes: the exact type is what is tested


def _every_node(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` (each field of each node, as ``ast.walk`` visits them, from a
    stack: ``ast.walk``'s generators were most of a whitelist check's time)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))


def check_source(source: str) -> ast.Module:
    """Parse generated source and refuse anything outside the whitelist. Every node is
    visited (its fields in order, as ``ast.walk`` gives them) and its exact type must be one
    of the whitelist's classes; each distinct name is matched once."""
    tree = ast.parse(source)
    allowed_names = set(_PARAMS) | set(_DRIVER) | set(_HELPERS) | set(_BUILTINS)
    callable_names = {*_HELPERS, *_BUILTINS}
    names_ok: set[str] = set()
    for node in _every_node(tree):
        kind = type(node)
        if kind not in _ALLOWED_TYPES:
            raise CodegenError(f"generated code holds a {kind.__name__}")
        if isinstance(node, ast.Name):
            if node.id not in names_ok:
                if node.id not in allowed_names and not re.match(_NAME, node.id):
                    raise CodegenError(f"generated code names {node.id!r}")
                names_ok.add(node.id)
        elif isinstance(node, ast.Subscript):
            by_name = isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
            # by day: the driver's versions (V), a date function's remembered days (C<n>)
            by_day = (
                isinstance(node.value, ast.Name) and re.match(_BY_DAY, node.value.id) is not None
            )
            if not (by_name or by_day):
                raise CodegenError("generated code indexes with something other than a fact name")
        elif isinstance(node, ast.Call):
            func = node.func
            if not (
                isinstance(func, ast.Name)
                and (func.id in callable_names or re.match(_CALLABLE, func.id))
            ):
                raise CodegenError("generated code calls something that is not whitelisted")
        elif isinstance(node, ast.FunctionDef):
            if node.name not in _FUNCTIONS:
                raise CodegenError(f"generated code defines {node.name!r}")
        elif isinstance(node, ast.ExceptHandler) and not (
            isinstance(node.type, ast.Name) and node.type.id == "Unknown" and node.name is None
        ):
            raise CodegenError("generated code catches something other than Unknown")
    return tree


def build(source: str, consts: dict[str, Any], label: str) -> dict[str, Callable[..., Any]]:
    """Check and compile generated source; return the functions it defines."""
    tree = check_source(source)
    namespace: dict[str, Any] = {
        "__builtins__": dict(_BUILTINS),
        **_HELPERS,
        "Unknown": Unknown,
        "NA": ("not_applicable", None),
        **consts,
    }
    _run(tree, namespace, label)
    return {name: namespace[name] for name in _FUNCTIONS if name in namespace}


def _run(tree: ast.Module, namespace: dict[str, Any], label: str) -> None:
    """Compile a checked tree and run it in ``namespace`` (the one place code is run)."""
    code = compile(tree, f"<generated: {label}>", "exec")
    exec(code, namespace)  # noqa: S102 - checked by the caller: generated, whitelisted


# ---- facts checks (spec.quickcheck) ------------------------------------------------------------
# A case's facts checked field by field: the functions ``check<n>(v)``, each a record's check,
# reading a mapping's keys by ``get`` and testing what JSON gives (type, ASCII and printable
# text, a set of values, a date remembered); a doubt is raised by ``_doubt()``. Nothing of the
# spec is in the source but field names (identifiers, as string literals) and integers; every
# other constant is a name ``K<n>`` of the namespace.

# the rules' node types without what a facts check has no use for (arithmetic, subscripts,
# handlers, tuples and lists, generators), with a bare call as a statement and the attributes
# (only the four methods below)
_CHECK_TYPES = (
    _ALLOWED_TYPES
    - {
        ast.BinOp,
        ast.Subscript,
        ast.Try,
        ast.ExceptHandler,
        ast.For,
        ast.Break,
        ast.Tuple,
        ast.List,
        ast.GeneratorExp,
        ast.Add,
        ast.Sub,
        ast.Mult,
    }
) | {ast.Expr, ast.Attribute}
_CHECK_NAME = r"^(v|x|y|o\d+|check\d+|K\d+|M|DAYS|_doubt|type|len|str|dict|list|bool|int)$"
_CHECK_CALLABLE = r"^(check\d+|K\d+|_doubt|type|len)$"
_CHECK_METHODS = frozenset({"get", "keys", "isascii", "isprintable"})
_CHECK_BUILTINS: dict[str, Any] = {
    "type": type,
    "len": len,
    "str": str,
    "dict": dict,
    "list": list,
    "bool": bool,
    "int": int,
}


def check_checker_source(source: str) -> ast.Module:
    """Parse a generated facts check and refuse anything outside its whitelist: the node types
    above, names of its own kinds, calls of its functions and constants or of the methods
    ``get``, ``keys``, ``isascii`` and ``isprintable``, literals only of text, integers,
    booleans and null."""
    tree = ast.parse(source)
    for node in _every_node(tree):
        if type(node) not in _CHECK_TYPES:
            raise CodegenError(f"a generated check holds a {type(node).__name__}")
        if isinstance(node, ast.Name) and not re.match(_CHECK_NAME, node.id):
            raise CodegenError(f"a generated check names {node.id!r}")
        if isinstance(node, ast.Attribute) and node.attr not in _CHECK_METHODS:
            raise CodegenError(f"a generated check reads .{node.attr}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (str, int, type(None))):
            raise CodegenError("a generated check holds a literal that is not text or a number")
        if isinstance(node, ast.Call) and not (
            (isinstance(node.func, ast.Name) and re.match(_CHECK_CALLABLE, node.func.id))
            or isinstance(node.func, ast.Attribute)
        ):
            raise CodegenError("a generated check calls something that is not whitelisted")
        if isinstance(node, ast.Call) and (node.keywords or len(node.args) > 2):
            raise CodegenError("a generated check calls with keywords or many arguments")
        if isinstance(node, ast.FunctionDef) and not re.match(r"^check\d+$", node.name):
            raise CodegenError(f"a generated check defines {node.name!r}")
    return tree


def build_checker(source: str, consts: dict[str, Any], label: str) -> dict[str, Callable[..., Any]]:
    """Check and compile a generated facts check (``check_checker_source``); return its
    functions by name (``check<n>``). ``consts``: ``K<n>``, ``M``, ``DAYS`` and ``_doubt``."""
    tree = check_checker_source(source)
    namespace: dict[str, Any] = {"__builtins__": dict(_CHECK_BUILTINS), **consts}
    _run(tree, namespace, label)
    return {
        name: value
        for name, value in namespace.items()
        if re.match(r"^check\d+$", name) and callable(value)
    }
