"""The rule-condition language: short typed expressions an analyst can read.

``present * 3 >= members * 2``, ``session.date >= earliest(worker.appointed_on, 1 year)``,
``count(each v in session.votes where v.vote == "for")``. Parsed with lark into an AST
(``syntax``), type-checked against the facts model at load time (``typecheck``), and
compiled to Python closures (``compiler``). No spec string ever reaches ``eval`` or ``exec``.
See docs/expressions.md.
"""

from attest_rules.lang.syntax import ExprSyntaxError, Node, parse

__all__ = ["ExprSyntaxError", "Node", "parse"]
