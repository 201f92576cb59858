"""The generated code: one function answering every question of a case (answers only), and
each rule as a traced function that also writes its answer (reasons and citations).

See ``codegen``. ``rule_code`` is the one generator of a rule's code,
from its checked AST, with a trace switch: answers only (status and outcome), or traced (the
answer's values, reasons, dates and conditional citations too), as OpenFisca's tracer is an
option of its one calculation. ``case_source`` puts every rule of every version, answers
only, into one function specialised to one set of interpretation choices; ``compile_case``
checks and compiles it. ``trace_source`` wraps a traced rule for
``evaluate``; ``events_source`` and ``gates_source`` give a case's event
days and whether its events happened. ``rule_source`` writes a single rule as a
function of its own, for reading and for tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from attest_rules.lang.codegen import Generator, build
from attest_rules.lang.display import parts, shown_plain
from attest_rules.lang.syntax import Node
from attest_rules.lang.types import BOOL, DATE, INT, STR, Enum
from attest_rules.legal_time import Readings
from attest_rules.spec.model import OutcomeSpec, said_in
from attest_rules.spec.rulebook import CompiledRule, Let, Rulebook

FastCase = Callable[..., dict[str, tuple[str, str | None]]]
SIGNATURE = "(f, ch, cal, rd)"
DRIVER = "(f, ch, cal, rd, on, V, S)"


def _refs(rule: CompiledRule, node: Node | None) -> set[str]:
    """The named values of ``rule`` that ``node`` reads directly."""
    if node is None:
        return set()
    names = {let.name for let in rule.lets}
    return {n.args[0] for n in node.walk() if n.op == "path" and n.args[0] in names}


def _chosen(let: Let, choices: Mapping[str, str] | None) -> Node | None:
    """A named value's expression under ``choices`` (its only one where it has no choice);
    None where the choice is read at run time (no ``choices``)."""
    if let.value is not None or choices is not None:
        return let.chosen(choices or {}).node
    return None


def _let_nodes(let: Let, choices: Mapping[str, str] | None) -> list[Node]:
    """What a named value's code evaluates: the chosen reading, or every reading where the
    choice is read at run time."""
    node = _chosen(let, choices)
    return [node] if node is not None else [case.node for _, case in let.cases]


def _needed(rule: CompiledRule, choices: Mapping[str, str] | None, node: Node | None) -> set[str]:
    """The named values ``node`` needs under ``choices``, directly or through another named
    value."""
    used = _refs(rule, node)
    for let in reversed(rule.lets):  # a value only refers to values defined before it
        if let.name in used:
            for sub in _let_nodes(let, choices):
                used |= _refs(rule, sub)
    return used


def _let_code(
    let: Let, gen: Generator, choices: Mapping[str, str] | None, lets: frozenset[str]
) -> str:
    """A named value's expression: the chosen reading, or, without ``choices``, each reading
    under a test of ``ch``."""
    node = _chosen(let, choices)
    if node is not None:
        return gen.expr(node, lets, frozenset())
    code = "None"
    for choice, case in reversed(let.cases):
        value = gen.expr(case.node, lets, frozenset())
        code = f"({value} if ch[{let.by!r}] == {choice!r} else {code})"
    return code


def rule_code(
    rule: CompiledRule,
    gen: Generator,
    choices: Mapping[str, str] | None,
    *,
    trace: bool,
    target: str = "A0",
    lang: str = "en",
) -> list[str]:
    """The one generator of a rule's code, with a trace switch: the statements deciding
    ``rule``, as the closures decide it (``decide``).

    * ``trace=False`` (answers only): set ``target`` to the (status, outcome id). Each named
      value is computed just before the first outcome's condition that needs it, so a value
      only a later outcome reads is not computed where an earlier one holds; an each that is
      always evaluated is a loop (``Generator.lowered``), and a value ``A if C else B`` is an
      ``if`` statement, so an each in an arm is a loop there. With ``choices``, specialised to
      them: each choice-dependent value is the chosen reading only. Without, the choice is
      read from ``ch``.
    * ``trace=True``: ``return`` the index of the outcome that holds (-1 where the rule does not
      apply), the answer's ``values`` and ``reasons`` for it, the dates computed with their
      explanations (``DT``, as the closures record them), and the citations of its
      ``cite_when`` whose condition holds. Every named value is computed, as ``evaluate``
      reports them all. The reasons are in ``lang``, as the spec words them.

    Either way an unknown fact raises ``Unknown`` (a condition's too): the closures decide
    what a rule over unknown facts gives. Computing fewer values, or computing them later, can
    only raise it less often: where the closures reach an outcome, every value its condition
    and the conditions before it read is known."""
    if rule.spec.undetermined is not None:
        assert not trace  # noqa: S101 - a traced answer of an unknown wording is planned
        return [f"{target} = ('undetermined', None)"]
    if not trace:
        with gen.statements():
            return _answer_code(rule, gen, choices, target)
    lines: list[str] = []
    pad = ""
    if rule.applies is not None:
        applies = gen.expr(rule.applies.node, frozenset(), frozenset())
        lines += [f"if not {applies}:", "    return (-1, None, None, None, ())", "else:"]
        pad = "    "
    lets: frozenset[str] = frozenset()
    for let in rule.lets:
        lines.append(f"{pad}{gen.let_name(let.name)} = {_let_code(let, gen, choices, lets)}")
        lets = lets | {let.name}
    lines.append(f"{pad}A1 = ()")  # the citations that apply when a condition holds
    for cond, ids in rule.cite_when:
        lines += [
            f"{pad}if {gen.expr(cond.node, lets, frozenset())}:",
            f"{pad}    A1 = A1 + {ids!r}",
        ]
    keyword = "if"
    for k, (outcome, when) in enumerate(rule.outcomes):
        node = when.node if when is not None else None
        setup, values, reasons = _rendering(rule, outcome, gen, lang)
        result = [*setup, f"return ({k}, {values}, {reasons}, DT, A1)"]
        if node is None:  # the last outcome, which always holds
            if keyword == "elif":
                lines.append(f"{pad}else:")
                lines += [f"{pad}    {line}" for line in result]
            else:
                lines += [f"{pad}{line}" for line in result]
            break
        lines.append(f"{pad}{keyword} {gen.expr(node, lets, frozenset())}:")
        lines += [f"{pad}    {line}" for line in result]
        keyword = "elif"
    else:
        raise AssertionError(f"{rule.spec.id}: the last outcome always holds")  # pragma: no cover
    return lines


NESTING = 8
"""How deep the answers-only code nests a value's ``if`` statements, and the ``else`` blocks a
rule's outcomes go on inside, before it writes the rest as expressions: Python refuses blocks
nested 100 deep, and a spec's expressions may be 48 deep."""


def _let_lines(
    let: Let, gen: Generator, choices: Mapping[str, str] | None, lets: frozenset[str]
) -> list[str]:
    """Statements setting a named value, answers only (within ``gen.statements``): a
    value that is ``A if C else B`` is an ``if`` statement, each arm setting it, so an each in
    an arm is a loop there (run only where that arm is taken) rather than a generator."""
    target = gen.let_name(let.name)
    chosen = _chosen(let, choices)
    if chosen is None:  # the choice read at run time: one expression
        return [*gen.flush(), f"{target} = {_let_code(let, gen, choices, lets)}"]

    def assign(node: Node, depth: int) -> list[str]:
        if node.op != "if" or depth >= NESTING:  # deeper: one expression
            code = gen.expr(node, lets, frozenset())
            return [*gen.flush(), f"{target} = {code}"]
        cond = gen.expr(node.args[0], lets, frozenset())
        before = gen.flush()
        then, other = assign(node.args[1], depth + 1), assign(node.args[2], depth + 1)
        return [
            *before,
            f"if {cond}:",
            *(f"    {line}" for line in then),
            "else:",
            *(f"    {line}" for line in other),
        ]

    return assign(chosen, 0)


def _answer_code(
    rule: CompiledRule, gen: Generator, choices: Mapping[str, str] | None, target: str
) -> list[str]:
    """``rule_code``'s answers-only statements (within ``gen.statements``: each statement's
    loops are flushed before it)."""
    lines: list[str] = []
    pad = ""
    if rule.applies is not None:
        applies = gen.expr(rule.applies.node, frozenset(), frozenset())
        lines += [*gen.flush(), f"if not {applies}:", f"    {target} = NA", "else:"]
        pad = "    "
    in_scope = {
        let.name: frozenset(x.name for x in rule.lets[:i]) for i, let in enumerate(rule.lets)
    }
    every = frozenset(in_scope)
    done: set[str] = set()
    chain = False  # an if/elif chain is open at ``pad``
    nested = 0  # the elses the chain has gone on inside
    for k, (outcome, when) in enumerate(rule.outcomes):
        result = f"{target} = ({outcome.status!r}, {outcome.id!r})"
        if when is None:  # the last outcome, which always holds
            lines += [f"{pad}else:", f"{pad}    {result}"] if chain else [f"{pad}{result}"]
            return lines
        need = _needed(rule, choices, when.node) - done
        deep = nested >= NESTING  # Python's blocks nest 100 deep at most: the rest at once
        if deep and need:
            for _, later in rule.outcomes[k + 1 :]:
                need |= _needed(rule, choices, later.node if later is not None else None)
            need -= done
        before: list[str] = []
        for let in rule.lets:
            if let.name in need:
                before += _let_lines(let, gen, choices, in_scope[let.name])
                done.add(let.name)
        if deep:  # the condition's eaches as expressions: no statements between the elifs
            with gen.statements(lowering=False):
                test = gen.expr(when.node, every, frozenset())
        else:
            test = gen.expr(when.node, every, frozenset())
            before += gen.flush()
        if before and chain:  # statements before this test: the chain goes on inside an else
            lines.append(f"{pad}else:")
            pad += "    "
            nested += 1
        lines += [f"{pad}{line}" for line in before]
        keyword = "elif" if chain and not before else "if"
        lines += [f"{pad}{keyword} {test}:", f"{pad}    {result}"]
        chain = True
    raise AssertionError(f"{rule.spec.id}: the last outcome always holds")  # pragma: no cover


def trace_source(
    rule: CompiledRule, gen: Generator, choices: Mapping[str, str], lang: str = "en"
) -> str:
    """``rule`` specialised to ``choices``, traced (``rule_code`` with ``trace=True``), as
    a function of its own, its reasons in ``lang``."""
    gen.trace = True
    body = rule_code(rule, gen, choices, trace=True, lang=lang)
    return "\n".join([f"def rule{SIGNATURE}:", "    DT = {}", *("    " + x for x in body)]) + "\n"


def _rendering(
    rule: CompiledRule, outcome: OutcomeSpec, gen: Generator, lang: str
) -> tuple[list[str], str, str]:
    """Where ``outcome`` holds: statements, then the answer's ``values`` and its ``reasons`` as
    expressions, each value written as ``display`` writes it, specialised to its type (a
    value shown in words, as ``_sh``, in ``lang``)."""
    kinds = {let.name: let.kind for let in rule.lets}
    template = parts(said_in(outcome.reason, lang))
    setup: list[str] = []
    as_plain: dict[str, str] = {}
    as_shown: dict[str, str] = {}
    for name in dict.fromkeys([*template[1::2], *rule.spec.values]):
        value, kind = gen.let_name(name), kinds[name]
        if kind == DATE:  # plain and shown: the ISO date
            setup.append(f"S_{name} = _iso({value})")
            as_plain[name] = as_shown[name] = f"S_{name}"
        elif kind == STR or isinstance(kind, Enum):
            as_plain[name] = as_shown[name] = value
        elif kind in (INT, BOOL):
            as_plain[name], as_shown[name] = value, f"_sh({value})"
        else:
            setup.append(f"S_{name} = _pl({value})")
            as_plain[name], as_shown[name] = f"S_{name}", f"_sh(S_{name})"
    pieces = [repr(p) if i % 2 == 0 else as_shown[p] for i, p in enumerate(template) if p]
    reasons = [" + ".join(pieces) or "''"]
    reasons += [f"{name + ' = '!r} + {as_shown[name]}" for name in rule.spec.values]
    values = "{" + ", ".join(f"{name!r}: {as_plain[name]}" for name in rule.spec.values) + "}"
    return setup, values, "[" + ", ".join(reasons) + "]"


TracedRule = Callable[
    ...,
    tuple[int, dict[str, Any] | None, list[str] | None, dict[str, Any] | None, tuple[str, ...]],
]


def compile_traced_rule(
    book: Rulebook,
    vid: str,
    rule: CompiledRule,
    choices: Mapping[str, str],
    bound: tuple[Readings, Any],
    lang: str = "en",
) -> TracedRule | None:
    """One rule of version ``vid``, traced and specialised to ``choices``, its reasons in
    ``lang``; None where its wording is not known (nothing to compute)."""
    if rule.spec.undetermined is not None:
        return None
    gen = Generator(book.facts, bound)
    if lang != "en":  # a value shown in words (_sh), in this language
        gen.consts["_sh"] = functools.partial(shown_plain, lang=lang)
    source = trace_source(rule, gen, choices, lang)
    label = f"traced {vid} {rule.provision_id} {rule.spec.id}"
    traced: TracedRule = build(source, gen.consts, label)["rule"]
    return traced


def rule_source(rule: CompiledRule, gen: Generator) -> str:
    """``rule`` as a function of its own, reading its choices at run time."""
    body = rule_code(rule, gen, None, trace=False)
    return "\n".join([f"def rule{SIGNATURE}:", *("    " + line for line in body), "    return A0"])


def event_source(rule: CompiledRule, gen: Generator) -> str:
    return (
        f"def event{SIGNATURE}:\n    return {gen.expr(rule.event.node, frozenset(), frozenset())}"
    )


def event_index(book: Rulebook) -> dict[str, int]:
    """Question → the index of its event among the distinct events, in order of first use."""
    seen: dict[str, int] = {}
    return {q: seen.setdefault(book.events[q].event_text, len(seen)) for q in book.questions}


def _event_lines(book: Rulebook, gen: Generator, names: list[str]) -> list[str]:
    """Statements setting each distinct event ``names[i]`` to its day, None when unknown."""
    lines: list[str] = []
    done: set[int] = set()
    for q, i in event_index(book).items():
        if i in done:
            continue
        done.add(i)
        node = book.events[q].event.node
        if node.op == "path":  # a fact: None when unknown, no exception raised
            lines.append(f"    {names[i]} = {gen.optional(node)}")
            continue
        lines += _or_none(names[i], gen.expr(node, frozenset(), frozenset()))
    return lines


def _or_none(name: str, code: str) -> list[str]:
    """Statements setting ``name`` to ``code``'s value, None where a fact it reads is unknown."""
    return ["    try:", f"        {name} = {code}", "    except Unknown:", f"        {name} = None"]


def events_source(book: Rulebook, bound: tuple[Readings, Any]) -> tuple[str, dict[str, Any]]:
    """A function giving the day of each distinct event of a case (see ``event_index``),
    None where a fact it needs is unknown."""
    gen = Generator(book.facts, bound)
    names = [f"EV{i}" for i in range(len(set(event_index(book).values())))]
    lines = [f"def events{SIGNATURE}:", *_event_lines(book, gen, names)]
    lines.append("    return (" + "".join(f"{n}, " for n in names) + ")")
    return "\n".join(lines) + "\n", gen.consts


def compile_events(book: Rulebook, bound: tuple[Readings, Any]) -> Callable[..., tuple[Any, ...]]:
    source, consts = events_source(book, bound)
    return build(source, consts, "events")["events"]


def gates_source(book: Rulebook, bound: tuple[Readings, Any]) -> tuple[str, dict[str, Any]]:
    """A function giving, for each question in order, whether its event happened by its gate
    (the ``applies`` of the rule that selects its version): True, False, or None where the
    question has no gate or a fact the gate reads is unknown."""
    gen = Generator(book.facts, bound)
    lines = [f"def gates{SIGNATURE}:"]
    for n, q in enumerate(book.questions):
        gate = book.events[q].applies
        if gate is None:
            lines.append(f"    A{n} = None")
            continue
        lines += _or_none(f"A{n}", gen.expr(gate.node, frozenset(), frozenset()))
    lines.append("    return (" + "".join(f"A{n}, " for n in range(len(book.questions))) + ")")
    return "\n".join(lines) + "\n", gen.consts


def compile_gates(book: Rulebook, bound: tuple[Readings, Any]) -> Callable[..., tuple[Any, ...]]:
    source, consts = gates_source(book, bound)
    return build(source, consts, "gates")["gates"]


def case_source(
    book: Rulebook, choices: Mapping[str, str], bound: tuple[Readings, Any]
) -> tuple[str, dict[str, Any]]:
    """One function answering every question of a case under ``choices``: each distinct event
    computed once, the version in force on it looked up once (``V``), then each question's rule
    for that version, inline. A question falls back to the three-valued path (``S``) when a fact
    it needs is unknown, except where its event did not happen and its gate says so (no
    revocation, no complaint): that is decided here, as the closures would decide it."""
    gen = Generator(book.facts, bound)
    event_of = event_index(book)
    names = [f"EV{i}" for i in range(len(set(event_of.values())))]
    lines = [f"def case{DRIVER}:"]
    gen.hoisted = True  # each top-level fact read once
    lines += [f"    R_{name} = f[{name!r}]" for name, _ in book.facts.fields]
    lines.append("    if on is None:")
    lines += ["    " + line for line in _event_lines(book, gen, names)]
    lines += ["    else:", f"        {' = '.join(names)} = on"]
    lines += [f"    V{name} = None if {name} is None else V[{name}]" for name in names]
    answers: list[str] = []
    for n, q in enumerate(book.questions):
        selector = book.events[q]
        ev = names[event_of[q]]
        answer = f"A{n}"
        answers.append(f"{q!r}: {answer}")
        slow = f"S({q!r}, f, on, ch)"
        lines += ["    try:", f"        if {ev} is None:"]
        if selector.applies is None:
            lines.append(f"            {answer} = {slow}")
        else:
            gate = gen.expr(selector.applies.node, frozenset(), frozenset())
            lines.append(f"            {answer} = {slow} if {gate} else NA")
        # the versions that keep a question's rule unchanged share one branch; where every
        # version does, it is taken whenever a version is in force (its id is not '')
        kept: dict[int, tuple[CompiledRule, list[str]]] = {}
        for vid, table in book.by_version.items():
            version_rule = table.get(q)
            if version_rule is not None:
                kept.setdefault(id(version_rule), (version_rule, []))[1].append(vid)
        for i, (version_rule, vids) in enumerate(kept.values()):
            gen.let_prefix = f"L{n}v{i}_"  # each rule's values apart from the others'
            if len(vids) == len(book.by_version):
                lines.append(f"        elif V{ev}:")
            else:
                lines.append(f"        elif {' or '.join(f'V{ev} == {v!r}' for v in vids)}:")
            body = rule_code(version_rule, gen, choices, trace=False, target=answer)
            lines += ["            " + line for line in body]
        lines += [
            "        else:",
            f"            {answer} = NA",
            "    except Unknown:",
            f"        {answer} = {slow}",
        ]
    lines.append("    return {" + ", ".join(answers) + "}")
    return "\n".join(lines) + "\n", gen.consts


def compile_case(
    book: Rulebook, choices: Mapping[str, str], bound: tuple[Readings, Any]
) -> FastCase:
    """The case driver specialised to ``choices`` and ``bound`` (the legal-time choices and the
    calendar; see ``case_source``)."""
    source, consts = case_source(book, choices, bound)
    return build(source, consts, "case driver")["case"]
