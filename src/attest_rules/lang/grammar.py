"""The grammar of the rule-condition language and its parser (lark, LALR): imported on the
first expression parsed, so a spec loaded from the cache (its expressions already parsed) never
builds it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError

from attest_rules.lang.nodes import (
    KEYWORDS,
    MAX_DEPTH,
    MAX_INT,
    MAX_LENGTH,
    NONE,
    ExprSyntaxError,
    Node,
)
from attest_rules.legal_time import Term, TermError

GRAMMAR = r"""
?start: expr

?expr: or_expr "if" or_expr "else" expr      -> ifelse
     | or_expr

?or_expr: or_expr "or" and_expr              -> or_
        | and_expr
?and_expr: and_expr "and" not_expr           -> and_
         | not_expr
?not_expr: "not" not_expr                    -> not_
         | comparison
?comparison: sum "==" sum                    -> eq
           | sum "!=" sum                    -> ne
           | sum "<" sum                     -> lt
           | sum "<=" sum                    -> le
           | sum ">" sum                     -> gt
           | sum ">=" sum                    -> ge
           | sum "in" sum                    -> in_
           | sum "not" "in" sum              -> not_in
           | sum
?sum: sum "+" product                        -> add
    | sum "-" product                        -> sub
    | product
?product: product "*" unary                  -> mul
        | product "//" unary                 -> floordiv
        | unary
?unary: "-" unary                            -> neg
      | atom
?atom: DATE                                  -> date
     | INT UNIT                              -> term
     | INT                                   -> int
     | STRING                                -> string
     | "true"                                -> true
     | "false"                               -> false
     | "none"                                -> none
     | NAME "(" "each" NAME "in" expr "where" expr ")"   -> each
     | NAME "(" [expr ("," expr)*] ")"       -> call
     | NAME ("." NAME)*                      -> path
     | "[" [expr ("," expr)*] "]"            -> list
     | "(" expr ")"

UNIT: /(calendar days?|working days?|years?|months?|weeks?|days?)(?![a-z_])/
DATE.2: /[0-9]{4}-[0-9]{2}-[0-9]{2}/
INT: /[0-9]+/
NAME: /[a-z_][a-z0-9_]*/
STRING: /"[^"\\\n]*"/
%ignore /[ \t\r\n]+/
"""

_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _pos(meta: Any) -> int:
    return int(getattr(meta, "start_pos", 0) or 0)


@v_args(meta=True, inline=True)
class _ToAst(Transformer[Token, Node]):
    def _bin(self, op: str, meta: Any, a: Node, b: Node) -> Node:
        return Node(op, (a, b), _pos(meta))

    def ifelse(self, meta: Any, then: Node, cond: Node, other: Node) -> Node:
        return Node("if", (cond, then, other), _pos(meta))

    def or_(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("or", meta, a, b)

    def and_(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("and", meta, a, b)

    def not_(self, meta: Any, a: Node) -> Node:
        return Node("not", (a,), _pos(meta))

    def neg(self, meta: Any, a: Node) -> Node:
        return Node("neg", (a,), _pos(meta))

    def eq(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("==", meta, a, b)

    def ne(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("!=", meta, a, b)

    def lt(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("<", meta, a, b)

    def le(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("<=", meta, a, b)

    def gt(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin(">", meta, a, b)

    def ge(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin(">=", meta, a, b)

    def in_(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("in", meta, a, b)

    def not_in(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("not in", meta, a, b)

    def add(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("+", meta, a, b)

    def sub(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("-", meta, a, b)

    def mul(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("*", meta, a, b)

    def floordiv(self, meta: Any, a: Node, b: Node) -> Node:
        return self._bin("//", meta, a, b)

    def date(self, meta: Any, tok: Token) -> Node:
        try:
            return Node("lit", (dt.date.fromisoformat(str(tok)), "date"), _pos(meta))
        except ValueError as exc:
            raise ExprSyntaxError(f"bad date {tok}: {exc}", _pos(meta)) from None

    def term(self, meta: Any, amount: Token, unit: Token) -> Node:
        try:
            return Node("lit", (Term.parse(f"{amount} {unit}"), "term"), _pos(meta))
        except TermError as exc:
            raise ExprSyntaxError(str(exc), _pos(meta)) from None

    def int(self, meta: Any, tok: Token) -> Node:
        value = int(tok)
        if value > MAX_INT:
            raise ExprSyntaxError(f"{tok} is larger than {MAX_INT}, the largest number", _pos(meta))
        return Node("lit", (value, "int"), _pos(meta))

    def string(self, meta: Any, tok: Token) -> Node:
        return Node("lit", (str(tok)[1:-1], "str"), _pos(meta))

    def true(self, meta: Any) -> Node:
        return Node("lit", (True, "bool"), _pos(meta))

    def false(self, meta: Any) -> Node:
        return Node("lit", (False, "bool"), _pos(meta))

    def none(self, meta: Any) -> Node:
        return Node("lit", (NONE, "none"), _pos(meta))

    def each(self, meta: Any, func: Token, var: Token, source: Node, cond: Node) -> Node:
        return Node("each", (str(func), str(var), source, cond), _pos(meta))

    def call(self, meta: Any, func: Token, *args: Node) -> Node:
        return Node("call", (str(func), tuple(args)), _pos(meta))

    def path(self, meta: Any, *names: Token) -> Node:
        for name in names:
            if str(name) in KEYWORDS:
                raise ExprSyntaxError(f"{name!s} is a keyword, not a name", name.start_pos or 0)
        return Node("path", tuple(str(n) for n in names), _pos(meta))

    def list(self, meta: Any, *items: Node) -> Node:
        return Node("list", tuple(items), _pos(meta))


def parse_text(text: str) -> Node:
    """Parse one expression with the grammar; ``ExprSyntaxError`` with the offset of the
    problem."""
    if len(text) > MAX_LENGTH:
        raise ExprSyntaxError(f"expression longer than {MAX_LENGTH} characters", 0)
    try:
        tree = _PARSER.parse(text)
    except RecursionError:
        raise ExprSyntaxError(f"expression nested deeper than {MAX_DEPTH} levels", 0) from None
    except UnexpectedInput as exc:
        offset = int(getattr(exc, "pos_in_stream", 0) or 0)
        near = text[offset : offset + 20] or "the end"
        raise ExprSyntaxError(f"cannot read the expression at {near!r}", offset) from None
    if _depth(tree) > MAX_DEPTH:  # before the transformer, which recurses on the tree
        raise ExprSyntaxError(f"expression nested deeper than {MAX_DEPTH} levels", 0)
    try:
        result = _ToAst().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, ExprSyntaxError):
            raise exc.orig_exc from None
        raise
    if not isinstance(result, Node):  # a bare token, e.g. a lone name
        raise ExprSyntaxError("not an expression", 0)
    return result


def _depth(tree: Any) -> int:
    """The nesting of a parse tree, counted without recursion (a deep tree must not overflow
    the stack that measures it)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in getattr(node, "children", ()))
    return deepest
