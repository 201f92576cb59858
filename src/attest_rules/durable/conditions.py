"""Rule conditions of the spec, compiled to durable_rules' JSON condition language.

The message posted for a question is flat: a field per fact path (``session__date``), per named
value (``let__attending``) and per *derived* value, a sub-expression durable_rules cannot state
(a left side with arithmetic, a division, a function call, a ``count(each ...)``); derived
values are computed by the spec's own compiled expressions. Dates are posted as day numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from attest_rules.lang.interpreter import Compiled, Env, Missing, compile_expr
from attest_rules.lang.syntax import Node

TRUE: dict[str, Any] = {"one": 1}  # every message carries one = 1
FALSE: dict[str, Any] = {"$lt": {"one": 0}}
_FLIP = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    ">=": "<",
    ">": "<=",
    "<=": ">",
    "in": "not in",
    "not in": "in",
}
_CMP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_ARITH = {"+": "$add", "-": "$sub", "*": "$mul"}  # never "$div": it truncates integers


def plain(value: Any) -> Any:
    """A value as durable_rules may see it: dates as day numbers, lists of such values."""
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class ConditionCompiler:
    """Compiles the conditions of one rule; ``fields`` says how to fill its messages."""

    def __init__(self, lets: frozenset[str]) -> None:
        self.lets = lets
        self.fields: dict[str, Compiled] = {}
        self._derived: dict[Node, str] = {}

    # ---- fields -------------------------------------------------------------------------

    def field_of(self, node: Node) -> str:
        """The message field holding ``node``'s value (a fact, a named value, or derived)."""
        if node.op == "path":
            names: tuple[str, ...] = node.args
            if len(names) == 1 and names[0] in self.lets:
                name = f"let__{names[0]}"
                self.fields.setdefault(name, _local(names[0]))
                return name
            name = "__".join(names)
            self.fields.setdefault(name, compile_expr(node))
            return name
        if node not in self._derived:
            self._derived[node] = f"d{len(self._derived)}"
            self.fields[self._derived[node]] = compile_expr(node)
        return self._derived[node]

    def operand(self, node: Node) -> Any:
        """A right-hand side: a literal, another field, or right-side arithmetic."""
        if node.op == "lit":
            return plain(node.args[0])
        if node.op in _ARITH:
            return {
                _ARITH[node.op]: {
                    "$l": self.operand(node.args[0]),
                    "$r": self.operand(node.args[1]),
                }
            }
        return {"$m": self.field_of(node)}

    # ---- conditions -----------------------------------------------------------------------

    def condition(self, node: Node) -> dict[str, Any]:
        op = node.op
        if op == "lit":
            return TRUE if node.args[0] is True else FALSE
        if op == "and":
            return {"$and": [self.condition(a) for a in node.args]}
        if op == "or":
            return {"$or": [self.condition(a) for a in node.args]}
        if op == "not":
            return self.negated(node.args[0])
        if op in ("==", *_CMP):
            left = self.field_of(node.args[0])
            right = self.operand(node.args[1])
            return {left: right} if op == "==" else {_CMP[op]: {left: right}}
        if op in ("in", "not in"):
            return self._membership(node, negate=op == "not in")
        return {self.field_of(node): True}  # a yes/no value: a fact, a named value, derived

    def negated(self, node: Node) -> dict[str, Any]:
        """``not node``, pushed down: durable_rules has no negation operator."""
        op = node.op
        if op == "lit":
            return FALSE if node.args[0] is True else TRUE
        if op == "not":
            return self.condition(node.args[0])
        if op == "and":
            return {"$or": [self.negated(a) for a in node.args]}
        if op == "or":
            return {"$and": [self.negated(a) for a in node.args]}
        if op in _FLIP:
            return self.condition(Node(_FLIP[op], node.args, node.pos))
        return {self.field_of(node): False}

    def _membership(self, node: Node, *, negate: bool) -> dict[str, Any]:
        item, items = node.args
        if items.op == "list":
            values = [self.operand(i) for i in items.args]
            left = self.field_of(item)
            if negate:
                return {"$and": [{"$neq": {left: v}} for v in values]} if values else TRUE
            return {"$or": [{left: v} for v in values]} if values else FALSE
        listed = self.field_of(items)
        wanted = self.operand(item)
        if not negate:
            return {"$iany": {listed: {"$i": wanted}}}
        # $iall is false on an empty list, but nothing is in an empty list: guard with its length
        length = self.field_of(Node("call", ("count", (items,)), items.pos))
        return {"$or": [{length: 0}, {"$iall": {listed: {"$neq": {"$i": wanted}}}}]}


def _local(name: str) -> Compiled:
    return lambda env: env.locals.get(name)


def build_message(fields: dict[str, Compiled], env: Env) -> dict[str, Any] | None:
    """The message for ``env``, or ``None`` when a value it needs is unknown."""
    message: dict[str, Any] = {"one": 1}
    for name, compute in fields.items():
        value = compute(env)
        if isinstance(value, Missing) or value is None:
            return None
        message[name] = plain(value)
    return message
