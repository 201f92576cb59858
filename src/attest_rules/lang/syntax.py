"""The rule-condition language read: ``parse`` gives an expression's nodes (``nodes``), from
the grammar (``grammar``, lark, built on the first expression not already known) or from what
a load remembers (``remembering``: a spec read from the cache brings its expressions parsed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from attest_rules.lang.nodes import (
    KEYWORDS,
    MAX_DEPTH,
    MAX_INT,
    MAX_ITEMS,
    MAX_LENGTH,
    MAX_VALUE,
    NONE,
    ExprSyntaxError,
    Node,
    from_data,
    to_data,
)

__all__ = [
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_ITEMS",
    "MAX_LENGTH",
    "MAX_VALUE",
    "NONE",
    "ExprSyntaxError",
    "Node",
    "from_data",
    "parse",
    "remembering",
    "to_data",
]

# ---- parsing, remembered for a load ------------------------------------------------------

_parsed: ContextVar[dict[str, Node] | None] = ContextVar("parsed", default=None)


@contextmanager
def remembering(known: dict[str, Node]) -> Iterator[dict[str, Node]]:
    """Within the block, ``parse`` takes an expression's nodes from ``known`` where it holds
    them, and adds each it parses: after a spec's load, ``known`` holds every expression of
    that spec (what the cache keeps)."""
    token = _parsed.set(known)
    try:
        yield known
    finally:
        _parsed.reset(token)


def parse(text: str) -> Node:
    """Parse one expression; raise ``ExprSyntaxError`` with the offset of the problem."""
    known = _parsed.get()
    if known is not None:
        node = known.get(text)
        if node is not None:
            return node
    from attest_rules.lang.grammar import parse_text  # lark, built on first use

    node = parse_text(text)
    if known is not None:
        known[text] = node
    return node
