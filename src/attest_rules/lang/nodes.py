"""The abstract syntax of the rule-condition language: its nodes and bounds, and the nodes as
plain data (``to_data``, ``from_data``), for the spec cache. Parsing is ``syntax``'s."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from attest_rules.errors import ExpressionError
from attest_rules.legal_time import Term, TermError

KEYWORDS = frozenset(
    {"if", "else", "or", "and", "not", "in", "each", "where", "true", "false", "none"}
)
NONE = "none"  # the value of an explicit none: a fact the law says is absent (not unknown)
MAX_LENGTH = 2000
MAX_DEPTH = 48  # nesting of an expression's tree: deeper is refused when the spec loads
MAX_INT = 10**12  # the largest whole number an expression may write, or an integer fact hold
MAX_ITEMS = 100_000  # the most items a list fact holds (a spec may state fewer: max_items)
MAX_VALUE = 10**36  # the largest number a rule may compute (bounded when the spec loads)


class ExprSyntaxError(ExpressionError):
    """An expression that cannot be read; ``offset`` is where, from its start."""


@dataclass(frozen=True, slots=True)
class Node:
    """One node of an expression. ``op`` names it; ``args`` are children or literal values;
    ``pos`` is its offset in the source text."""

    op: str
    args: tuple[Any, ...]
    pos: int

    def walk(self) -> list[Node]:
        out: list[Node] = [self]
        for a in self.args:
            if isinstance(a, Node):
                out.extend(a.walk())
            elif isinstance(a, tuple):
                out.extend(x for n in a if isinstance(n, Node) for x in n.walk())
        return out


# ---- nodes as plain data -------------------------------------------------------------------

_BINARY = frozenset(
    {"or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "//"}
)
_UNARY = frozenset({"not", "neg"})
_ARITY = {"if": 3, **dict.fromkeys(_BINARY, 2), **dict.fromkeys(_UNARY, 1)}  # and "list": any
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_STRING = re.compile(r'[^"\\\n]*')


def to_data(node: Node) -> list[Any]:
    """``node`` as JSON data: ``[op, pos, ...]``, a literal's value as its text."""
    op, args = node.op, node.args
    if op == "lit":
        value, kind = args
        if kind in ("date", "term"):
            value = value.isoformat() if kind == "date" else str(value)
        return [op, node.pos, kind, value]
    if op == "path":
        return [op, node.pos, *args]
    if op == "call":
        return [op, node.pos, args[0], [to_data(a) for a in args[1]]]
    if op == "each":
        return [op, node.pos, args[0], args[1], to_data(args[2]), to_data(args[3])]
    return [op, node.pos, *(to_data(a) for a in args)]


def from_data(data: Any, depth: int = 1) -> Node:
    """The node ``to_data`` wrote, checked as strictly as the parser would build it: only
    the parser's operators, names and literals, within its bounds (a node read from a file
    goes on to become generated code); ``ExprSyntaxError`` for anything else."""
    if depth > MAX_DEPTH or not isinstance(data, list) or len(data) < 2:
        raise ExprSyntaxError("not an expression's nodes", 0)
    op, pos, rest = data[0], data[1], data[2:]
    if type(pos) is not int or pos < 0 or pos > MAX_LENGTH:
        raise ExprSyntaxError("not an expression's nodes", 0)
    if op == "lit" and len(rest) == 2:
        return Node(op, (_literal(rest[0], rest[1]), rest[0]), pos)
    if op == "path" and rest and all(_is_name(n) for n in rest):
        return Node(op, tuple(rest), pos)
    if op == "call" and len(rest) == 2 and _is_name(rest[0]) and isinstance(rest[1], list):
        return Node(op, (rest[0], tuple(from_data(a, depth + 1) for a in rest[1])), pos)
    if op == "each" and len(rest) == 4 and _is_name(rest[0]) and _is_name(rest[1]):
        parts = (from_data(rest[2], depth + 1), from_data(rest[3], depth + 1))
        return Node(op, (rest[0], rest[1], *parts), pos)
    if isinstance(op, str) and (op == "list" or _ARITY.get(op) == len(rest)):
        return Node(op, tuple(from_data(a, depth + 1) for a in rest), pos)
    raise ExprSyntaxError("not an expression's nodes", 0)


def _is_name(name: Any) -> bool:
    return isinstance(name, str) and _NAME.fullmatch(name) is not None and name not in KEYWORDS


def _literal(kind: Any, value: Any) -> Any:
    ok = (
        (kind == "int" and type(value) is int and 0 <= value <= MAX_INT)
        or (kind == "bool" and type(value) is bool)
        or (kind == "none" and value == NONE)
        or (kind == "str" and isinstance(value, str) and _STRING.fullmatch(value) is not None)
        or (kind in ("date", "term") and isinstance(value, str))
    )
    if not ok:
        raise ExprSyntaxError("not an expression's nodes", 0)
    try:
        if kind == "date":
            return dt.date.fromisoformat(value)
        return Term.parse(value) if kind == "term" else value
    except (ValueError, TermError):
        raise ExprSyntaxError("not an expression's nodes", 0) from None
