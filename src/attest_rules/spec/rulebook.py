"""The rules of each version, checked and compiled once when the spec is loaded.

A rule belongs to a provision; the version's consolidated text decides which rules are in force,
so an amendment's new wording brings its own rules and a repealed provision takes its rules
with it. Everything an analyst can get wrong in a rule is found here, located in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field

from attest_rules.errors import DocPath
from attest_rules.lang.display import PLACEHOLDER
from attest_rules.lang.interpreter import Compiled, Expr, checked, compile_expr, render
from attest_rules.lang.syntax import ExprSyntaxError, Node, parse
from attest_rules.lang.typecheck import Checker, ExprTypeError, Usage
from attest_rules.lang.types import BOOL, DATE, Record, Type
from attest_rules.messages import tr
from attest_rules.spec.consolidation import Provision
from attest_rules.spec.model import (
    Choose,
    FormSpec,
    Interpretation,
    LibraryWording,
    OutcomeSpec,
    RuleSpec,
    SpecDocument,
    said_in,
)
from attest_rules.spec.placement import placed_provisions

Problem = tuple[DocPath, str]


@dataclass(frozen=True)
class Let:
    name: str
    value: Expr | None  # None when it depends on a choice
    by: str | None = None
    cases: tuple[tuple[str, Expr], ...] = ()  # each choice of ``by`` and its expression
    kind: Type | None = None  # its type, as the checker found it

    def chosen(self, choices: Mapping[str, str]) -> Expr:
        """The expression that gives this value under ``choices``."""
        if self.value is not None:
            return self.value
        return dict(self.cases)[choices[str(self.by)]]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: its spec, where it stands, and its checked expressions."""

    spec: RuleSpec
    provision_id: str
    path: DocPath
    event: Expr
    event_text: str
    applies: Expr | None
    lets: tuple[Let, ...]
    outcomes: tuple[tuple[OutcomeSpec, Expr | None], ...]
    usage: Usage
    cite_when: tuple[tuple[Expr, tuple[str, ...]], ...] = ()

    @property
    def let_names(self) -> tuple[str, ...]:
        return tuple(let.name for let in self.lets)

    def expressions(self) -> Iterator[Expr]:
        """Every checked expression of the rule: event, applies, values, conditions."""
        yield self.event
        if self.applies is not None:
            yield self.applies
        for let in self.lets:
            yield from (e for e in (let.value, *(c for _, c in let.cases)) if e is not None)
        yield from (e for _, e in self.outcomes if e is not None)
        yield from (e for e, _ in self.cite_when)

    @property
    def not_applying(self) -> str:
        """The reason of an answer where this rule does not apply."""
        return self.not_applying_in("en")

    def not_applying_in(self, lang: str) -> str:
        """The reason of an answer where this rule does not apply, in ``lang``."""
        return tr(lang, "does not apply: {condition}", condition=self.spec.applies)

    @property
    def wording_unknown(self) -> str:
        """The reason of an answer where this rule's wording is not known (``undetermined``)."""
        return self.wording_unknown_in("en")

    def wording_unknown_in(self, lang: str) -> str:
        """Why this rule's wording is not known, in ``lang`` (the spec's wording)."""
        return said_in(self.spec.undetermined or "", lang).strip()

    def fixed_in(self, lang: str) -> str:
        """The reason where no outcome is reached: why it does not apply, or why unknown."""
        if self.spec.undetermined is None:
            return self.not_applying_in(lang)
        return self.wording_unknown_in(lang)


FIELD_KINDS = {"document": "form_field", "table": "table_column"}  # what a form is filled into


@dataclass(frozen=True)
class CompiledForm:
    """A form of the spec with its conditions compiled."""

    spec: FormSpec
    issued_when: Compiled | None
    version_on: Compiled | None


@dataclass(frozen=True)
class Rulebook:
    """Question id → compiled rule, for each version; questions in document order."""

    by_version: dict[str, dict[str, CompiledRule]]
    questions: tuple[str, ...]
    titles: dict[str, str]  # in English
    events: dict[str, CompiledRule]  # the rule whose event expression selects the version
    homes: dict[str, str]  # question → the provision that carries it (in some version)
    facts: Record  # the type of a case's facts, as the spec declares them
    fills: dict[str, Expr] = dc_field(default_factory=dict)  # a form field's expression → code
    forms: dict[str, CompiledForm] = dc_field(default_factory=dict)
    wordings: dict[str, str | LibraryWording] = dc_field(default_factory=dict)  # titles, all langs

    def title(self, q: str, lang: str) -> str:
        """Question ``q``'s title in ``lang`` (the library's wording)."""
        wording = self.wordings.get(q)
        return self.titles[q] if wording is None else " ".join(said_in(wording, lang).split())


def _names(names: Iterable[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(set(names))) or "none"


def rule_paths(doc: SpecDocument) -> dict[int, DocPath]:
    """Where each rule spec object stands in the document, by ``id()``."""
    out: dict[int, DocPath] = {}
    for placed in placed_provisions(doc):
        for i, rule in enumerate(placed.spec.rules):
            out[id(rule)] = (*placed.path, "rules", i)
    return out


class _RuleCompiler:
    def __init__(
        self,
        interpretations: dict[str, Interpretation],
        known_ids: set[str],
        readings_by: dict[str, str],
        facts: Record,
    ) -> None:
        self.facts = facts
        self.interpretations = interpretations
        self.known_ids = known_ids
        self.readings_by = readings_by
        self.problems: list[Problem] = []
        self.failed_lets: set[str] = set()  # the rule's named values that failed to check

    def _placeholders(self, text: str | LibraryWording, spec: RuleSpec, path: DocPath) -> None:
        """Each ``{name}`` of a reason names a value under let, and each translation shows the
        values the English shows."""
        english = set(PLACEHOLDER.findall(str(text)))
        for name in sorted(english - set(spec.let)):
            self.problems.append((path, f"{{{name}}} names no value under let"))
        if isinstance(text, LibraryWording):
            for lang in ("kk", "ru"):
                said = getattr(text, lang)
                if said is not None and set(PLACEHOLDER.findall(said)) != english:
                    self.problems.append(
                        (
                            (*path, lang),
                            f"the {lang} wording shows values "
                            f"{_names(PLACEHOLDER.findall(said))}, the English "
                            f"{_names(english)}: each translation shows the same values",
                        )
                    )

    def expression(
        self, text: str, path: DocPath, checker: Checker, want: Type | None, usage: Usage
    ) -> tuple[Node, Type] | None:
        try:
            node = parse(text)
            kind = checker.check(node, usage)
            checker.magnitude(node)
        except (ExprSyntaxError, ExprTypeError) as exc:
            if any(str(exc).startswith(f"unknown name {n!r}") for n in self.failed_lets):
                return None  # a value that failed is reported once, where it is defined
            where = (
                f" (at character {exc.offset + 1}: {text[exc.offset : exc.offset + 25]!r})"
                if exc.offset
                else ""
            )
            self.problems.append((path, f"{exc}{where}"))
            return None
        if want is not None and kind != want:
            self.problems.append((path, f"this must give {want}, but gives {kind}"))
            return None
        return node, kind

    def rule(self, spec: RuleSpec, provision_id: str, path: DocPath) -> CompiledRule | None:
        usage = Usage()
        self.failed_lets = set()
        before = len(self.problems)
        checker = Checker(self.facts, readings_by=self.readings_by)
        event = self.expression(spec.event, (*path, "event"), checker, DATE, usage)
        applies = None
        if spec.applies is not None:
            applies = self.expression(spec.applies, (*path, "applies"), checker, BOOL, usage)
        lets: list[Let] = []
        for name, value in spec.let.items():
            lpath: DocPath = (*path, "let", name)
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or self.facts.field(name) is not None:
                self.problems.append((lpath, f"{name!r} cannot name a value here"))
                continue
            let = self._let(name, value, lpath, checker, usage)
            if let is None:
                self.failed_lets.add(name)
            else:
                lets.append(let[0])
                checker.scope[name] = let[1]
                exprs = [e for _, e in let[0].cases] if let[0].value is None else [let[0].value]
                checker.bounds[name] = max(checker.magnitude(e.node) for e in exprs)
        outcomes: list[tuple[OutcomeSpec, Expr | None]] = []
        for i, outcome in enumerate(spec.outcomes):
            opath: DocPath = (*path, "outcomes", i)
            last = i == len(spec.outcomes) - 1
            if last and outcome.when is not None:
                self.problems.append(
                    (
                        (*opath, "when"),
                        "the last outcome has no 'when': it is the answer when no other holds",
                    )
                )
            if not last and outcome.when is None:
                self.problems.append((opath, "only the last outcome may omit 'when'"))
            compiled = None
            if outcome.when is not None:
                when = self.expression(outcome.when, (*opath, "when"), checker, BOOL, usage)
                compiled = checked(when[0]) if when else None
            self._placeholders(outcome.reason, spec, (*opath, "reason"))
            for k, ref in enumerate(outcome.cites):
                if ref not in self.known_ids:
                    self.problems.append(((*opath, "cites", k), f"no provision {ref!r}"))
            outcomes.append((outcome, compiled))
        cite_when: list[tuple[Expr, tuple[str, ...]]] = []
        for i, cw in enumerate(spec.cite_when):
            cpath: DocPath = (*path, "cite_when", i)
            cond = self.expression(cw.when, (*cpath, "when"), checker, BOOL, usage)
            if cond is not None:
                cite_when.append((checked(cond[0]), tuple(cw.cites)))
            for k, ref in enumerate(cw.cites):
                if ref not in self.known_ids:
                    self.problems.append(((*cpath, "cites", k), f"no provision {ref!r}"))
        if len(self.problems) == before:  # an expression that failed used nothing: no echo
            self._declarations(spec, path, usage)
        if spec.undetermined is not None and spec.outcomes:
            self.problems.append(
                ((*path, "outcomes"), "a rule that is undetermined has no outcomes")
            )
        if spec.undetermined is None and not spec.outcomes:
            self.problems.append((path, "a rule needs outcomes (or 'undetermined' with why)"))
        for k, ref in enumerate(spec.cites):
            if ref not in self.known_ids:
                self.problems.append(((*path, "cites", k), f"no provision {ref!r}"))
        for k, name in enumerate(spec.values):
            if name not in spec.let:
                self.problems.append(((*path, "values", k), f"{name!r} names no value under let"))
        if len(self.problems) > before or event is None:
            return None
        return CompiledRule(
            spec,
            provision_id,
            path,
            checked(event[0]),
            render(event[0]),
            checked(applies[0]) if applies else None,
            tuple(lets),
            tuple(outcomes),
            usage,
            cite_when=tuple(cite_when),
        )

    def _let(
        self, name: str, value: str | Choose, path: DocPath, checker: Checker, usage: Usage
    ) -> tuple[Let, Type] | None:
        if isinstance(value, str):
            result = self.expression(value, path, checker, None, usage)
            if result is None:
                return None
            return Let(name, checked(result[0]), kind=result[1]), result[1]
        interp = self.interpretations.get(value.by)
        if interp is None:
            self.problems.append(((*path, "by"), f"no interpretation {value.by!r}"))
            return None
        choices = [interp.default.id, *(a.id for a in interp.alternatives)]
        if set(value.cases) != set(choices):
            self.problems.append(
                (
                    (*path, "cases"),
                    f"give one expression for each choice of {value.by}: {', '.join(choices)}",
                )
            )
            return None
        usage.interpretations.add(value.by)
        cases: list[tuple[str, Expr]] = []
        kinds: set[Type] = set()
        for choice, text in value.cases.items():
            result = self.expression(text, (*path, "cases", choice), checker, None, usage)
            if result is None:
                return None
            cases.append((choice, checked(result[0])))
            kinds.add(result[1])
        if len(kinds) != 1:
            self.problems.append(
                ((*path, "cases"), "every choice must give the same kind of value")
            )
            return None
        kind = kinds.pop()
        let = Let(name, None, value.by, tuple(cases), kind=kind)
        return let, kind

    def _declarations(self, spec: RuleSpec, path: DocPath, usage: Usage) -> None:
        """What a rule says it reads, uses and relies on must be what it does."""
        for field, declared, actual in (
            ("reads", set(spec.reads), usage.reads),
            ("terms", set(spec.terms), usage.terms),
            ("interpretations", set(spec.interpretations), usage.interpretations),
        ):
            if declared != actual:
                extra, lacking = sorted(declared - actual), sorted(actual - declared)
                parts = ([f"not used: {', '.join(extra)}"] if extra else []) + (
                    [f"used but not listed: {', '.join(lacking)}"] if lacking else []
                )
                self.problems.append(
                    (
                        (*path, field),
                        f"{field} must list exactly what the rule uses; {'; '.join(parts)}",
                    )
                )
        for ref in spec.interpretations:
            if ref not in self.interpretations:
                self.problems.append(((*path, "interpretations"), f"no interpretation {ref!r}"))


def build_rulebook(
    doc: SpecDocument,
    version_ids: tuple[str, ...],
    snapshots: tuple[tuple[Provision, ...], ...],
    facts: Record,
    readings_by: dict[str, str],
) -> tuple[Rulebook, list[Problem]]:
    interpretations = {i.id: i for i in doc.interpretations}
    known = {p.id for snap in snapshots for p in snap}
    compiler = _RuleCompiler(interpretations, known, readings_by, facts)
    paths = rule_paths(doc)
    compiled: dict[int, CompiledRule | None] = {}
    by_version: dict[str, dict[str, CompiledRule]] = {}
    questions: list[str] = []
    titles: dict[str, str] = {}
    wordings: dict[str, str | LibraryWording] = {}
    events: dict[str, CompiledRule] = {}
    homes: dict[str, str] = {}
    for vid, snapshot in zip(version_ids, snapshots, strict=True):
        table: dict[str, CompiledRule] = {}
        for provision, spec in _rules_in_force(snapshot):
            key = id(spec)
            path = paths.get(key, ())
            if key not in compiled:
                compiled[key] = compiler.rule(spec, provision.id, path)
            rule = compiled[key]
            if spec.id in table:
                compiler.problems.append(
                    ((*path, "id"), f"question {spec.id!r} is answered twice in version {vid}")
                )
                continue
            if rule is None:
                continue
            table[spec.id] = rule
            if spec.id not in titles:
                questions.append(spec.id)
                titles[spec.id] = said_in(spec.question, "en")
                wordings[spec.id] = spec.question
                events[spec.id] = rule
                homes[spec.id] = provision.id
            elif events[spec.id].event_text != rule.event_text:
                compiler.problems.append(
                    (
                        (*path, "event"),
                        f"question {spec.id!r} selects its "
                        f"version by {events[spec.id].event_text} elsewhere; "
                        "every version must use the same event",
                    )
                )
        by_version[vid] = table
    fills: dict[str, Expr] = {}
    for placed in placed_provisions(doc):
        text = placed.spec.fills
        if text is not None and text not in fills:
            checked = compiler.expression(
                text,
                (*placed.path, "fills"),
                Checker(facts, readings_by=compiler.readings_by),
                None,
                Usage(),
            )
            if checked is not None:
                fills[text] = Expr(checked[0], compile_expr(checked[0]))
    forms = _forms(doc, compiler, facts)
    book = Rulebook(
        by_version, tuple(questions), titles, events, homes, facts, fills, forms, wordings
    )
    return book, compiler.problems


def _forms(doc: SpecDocument, compiler: _RuleCompiler, facts: Record) -> dict[str, CompiledForm]:
    """Each form with its conditions checked: a known annex whose fields match the form's kind,
    ``issued_when`` a yes/no, ``version_on`` a date."""
    placed = list(placed_provisions(doc))
    out: dict[str, CompiledForm] = {}
    for i, form in enumerate(doc.forms):
        path: DocPath = ("forms", i)
        if form.id in out:
            compiler.problems.append(((*path, "id"), f"duplicate form id {form.id!r}"))
            continue
        fields = [p.spec.kind.value for p in placed if p.spec.id.startswith(form.provision + ".")]
        if not any(p.spec.id == form.provision for p in placed):
            compiler.problems.append(((*path, "provision"), f"no provision {form.provision!r}"))
        elif FIELD_KINDS[form.kind] not in fields:
            compiler.problems.append(
                (
                    (*path, "kind"),
                    f"a {form.kind} is filled into {FIELD_KINDS[form.kind]}s, and "
                    f"{form.provision} has none",
                )
            )
        compiled: dict[str, Compiled | None] = {}
        for name, want in (("issued_when", BOOL), ("version_on", DATE)):
            text = getattr(form, name)
            compiled[name] = None
            if text is not None:
                checker = Checker(facts, readings_by=compiler.readings_by)
                checked = compiler.expression(text, (*path, name), checker, want, Usage())
                compiled[name] = compile_expr(checked[0]) if checked else None
        if form.issued_when is not None and not form.not_issued:
            compiler.problems.append((path, "say why no form is issued (not_issued)"))
        out[form.id] = CompiledForm(form, compiled["issued_when"], compiled["version_on"])
    return out


def _rules_in_force(snapshot: tuple[Provision, ...]) -> Iterator[tuple[Provision, RuleSpec]]:
    for provision in snapshot:
        if provision.in_force:
            for spec in provision.rules:
                yield provision, spec
