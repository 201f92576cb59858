"""Generated straight-line functions for every rule: the answers-only fast path.

See :mod:`attest_rules.expr.codegen`. :func:`rule_source` writes one rule as Python source from
its checked AST; :func:`compile_rule` checks and compiles it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .expr.codegen import Generator, build
from .rulebook import FACTS, CompiledRule

FastRule = Callable[..., tuple[str, str | None]]
FastEvent = Callable[..., Any]
SIGNATURE = "(f, ch, cal, ne, fb)"


def rule_source(rule: CompiledRule, gen: Generator) -> str:
    lines = [f"def rule{SIGNATURE}:"]
    if rule.spec.undetermined is not None:
        lines.append("    return ('undetermined', None)")
        return "\n".join(lines)
    if rule.applies_node is not None:
        lines.append(f"    if not {gen.expr(rule.applies_node, frozenset(), frozenset())}:")
        lines.append("        return ('not_applicable', None)")
    lets: frozenset[str] = frozenset()
    for let in rule.lets:
        if let.node is not None:
            code = gen.expr(let.node, lets, frozenset())
        else:
            code = "None"
            for choice, case_node in reversed(let.case_nodes):
                value = gen.expr(case_node, lets, frozenset())
                code = f"({value} if ch[{let.by!r}] == {choice!r} else {code})"
        lines.append(f"    L_{let.name} = {code}")
        lets = lets | {let.name}
    for (outcome, _), node in zip(rule.outcomes, rule.outcome_nodes, strict=True):
        result = f"return ({outcome.status!r}, {outcome.id!r})"
        if node is None:
            lines.append(f"    {result}")
        else:
            lines.append(f"    if {gen.expr(node, lets, frozenset())}:")
            lines.append(f"        {result}")
    return "\n".join(lines)


def event_source(rule: CompiledRule, gen: Generator) -> str:
    assert rule.event_node is not None  # noqa: S101 - every compiled rule has its event
    return (
        f"def event{SIGNATURE}:\n    return {gen.expr(rule.event_node, frozenset(), frozenset())}"
    )


def compile_rule(rule: CompiledRule) -> tuple[FastRule, FastEvent]:
    gen = Generator(FACTS)
    source = rule_source(rule, gen) + "\n\n" + event_source(rule, gen) + "\n"
    functions = build(source, gen.consts, f"{rule.provision_id} {rule.spec.id}")
    return functions["rule"], functions["event"]
