"""The facts a case may give, as the spec declares them (``facts:`` and ``constraints:``).

From the declaration, built once when the spec loads:

* the **case model**, a pydantic model (``attest-rules schema case``; validation of every case
  file, JSON line and monitor state), every fact optional: a fact not given is unknown;
* the **record type** the rule language type-checks expressions against;
* the **consistency checks**: lists whose items must be distinct, and the spec's constraints,
  each an expression that must not be false, with a message naming the field.

Nothing here knows any regulation's facts. Every case has an ``id`` of its own (not a fact of
the regulation): it names the case in records, forms and monitor streams.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from attest_rules.errors import DocPath, FactsError
from attest_rules.lang.codegen import WARM_UP, Generator, build
from attest_rules.lang.display import shown
from attest_rules.lang.interpreter import Compiled, Env, Expr, Missing, checked, compile_expr
from attest_rules.lang.syntax import MAX_INT, MAX_ITEMS, NONE, ExprSyntaxError, Node, parse
from attest_rules.lang.typecheck import Checker, ExprTypeError, Usage
from attest_rules.lang.types import BOOL, DATE, INT, STR, Enum, ListOf, Record, Type
from attest_rules.legal_time import TermError, check_day, kz_calendar
from attest_rules.legal_time.cldr import LANGUAGE_CODE, language_codes
from attest_rules.located.fields import (
    PLAIN_TEXT,
    SpecText,
    document_config,
    iso_date,
    plain_text,
)
from attest_rules.spec.model import ConstraintSpec, FactSpec, SpecDocument
from attest_rules.spec.quickcheck import quick_check

Problem = tuple[DocPath, str]
CASE_ID = "id"  # every case's own name; not a fact of the regulation
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
_EACH = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s+in\s+(.+?)\s*$")


class CaseModel(BaseModel):
    """The base of every case model. A regulation's own is built from its ``facts``; every
    case has an ``id`` of its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: SpecText | None = Field(default=None, description="The case's own id")


class _CaseRoot(CaseModel):
    model_config = document_config("attest_rules case")


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


@dataclass(frozen=True, slots=True)
class _Unique:
    path: tuple[str, ...]  # where the list stands, from the case
    by: str | None  # the item field compared, or the items themselves
    duplicate: str


@dataclass(frozen=True, slots=True)
class _Constraint:
    spec: ConstraintSpec
    var: str | None
    source: Expr | None  # the list of ``each``
    require: Expr
    shown: tuple[tuple[str, Compiled], ...]  # each {placeholder} and its value
    # Unknown wherever a fact it reads is: then it holds, and the closures need not say so
    strict: bool = False


class CaseBounds:
    """The bounds the constraints give a case's unknown facts (``bounds``),
    computed the first time an unknown fact they order is read, and only then."""

    __slots__ = ("_facts", "_found", "_model")

    def __init__(self, model: FactsModel, facts: Mapping[str, Any]) -> None:
        self._model = model
        self._facts = facts
        self._found: dict[str, tuple[Any, Any]] | None = None

    def get(self, path: str) -> tuple[Any, Any] | None:
        if path not in self._model.ordered:
            return None
        if self._found is None:
            self._found = self._model.bounds(self._facts)
        return self._found.get(path)


class FactsModel:
    """A regulation's facts: the case model, its record type and its consistency checks."""

    def __init__(
        self,
        model: type[CaseModel],
        record: Record,
        uniques: tuple[_Unique, ...],
        constraints: tuple[_Constraint, ...],
        sections: tuple[str, ...],
        labels: Mapping[str, Mapping[str, Mapping[str, str]]],
        annotations: Mapping[str, Any],
        declared: Mapping[str, FactSpec] | None = None,
    ) -> None:
        """``declared``: the spec's facts, from which the quick check of plainly valid
        cases is built (``quick_facts``); without them, every case goes through the model."""
        self.model = model
        # fact path (items as ``list[].field``) → its pydantic annotation, without None: what
        # an event's field typed as that fact validates with
        self.annotations = annotations
        # fact path → value → language → label, for an enum fact whose values are labelled
        self.labels = labels
        self.record = record
        self._uniques = uniques
        self._constraints = constraints
        self.sections = sections  # the top-level records that are always there (maybe empty)
        # the constraints' generated check, made on the second case checked (``problems``):
        # one case is checked by the closures sooner than its code is generated (7 ms)
        self._fast: Callable[..., Any] | None = None
        self._checked = 0
        # (later, earlier): fact paths a constraint orders, ``later >= earlier`` (a strict
        # order read as not strict: weaker, so still true of every consistent completion)
        self.orderings: tuple[tuple[str, str], ...] = tuple(
            pair for c in constraints if (pair := _ordering(c)) is not None
        )
        self.ordered = frozenset(path for pair in self.orderings for path in pair)
        self._last: tuple[CaseModel, dict[str, Any]] | None = None  # see facts_of
        self._declared = declared
        self._annotations = annotations

    @functools.cached_property
    def _quick(self) -> Callable[[Any], dict[str, Any] | None] | None:
        """The quick check, generated the first time a batch asks for it (it takes about as
        long as a fifth of a spec's load, and only a batch answering only uses it)."""
        if self._declared is None:
            return None
        return quick_check(
            self._declared,
            self._annotations,
            self.model,
            text=plain_text,
            date=_in_range,
            days=_DAYS,
            case_id=CASE_ID,
        )

    def quick_facts(self, data: Any) -> dict[str, Any] | None:
        """The facts of a case's data (a mapping, as JSON gives it) as ``parse`` would give
        them (``facts_of`` its case), where they are plainly valid and consistent; ``None``
        where the model is to decide (``parse`` it: it says what is wrong, if anything). For a
        batch that needs the facts and not the case. Not to be changed: the facts are the
        caller's."""
        if self._quick is None:
            return None
        facts = self._quick(data)
        if facts is None or self.problems(facts):
            return None
        return facts

    def bounds(self, facts: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
        """What the constraints tell of each unknown fact they order: (least, greatest), either
        ``None``. ``decision.date >= session.date`` with the session's date known: the decision
        is on that day or later, whatever it is. Propagated along chains (a return from leave is
        after its start, which is after the appointment) until nothing changes. A fact of a
        section that is absent (an event that did not happen) has none."""
        out: dict[str, tuple[Any, Any]] = {}
        if not self.orderings:
            return out

        values = {path: fact_at(facts, path, _ABSENT) for path in self.ordered}

        def span(path: str) -> tuple[Any, Any] | None:
            value = values[path]
            if value is _ABSENT:
                return None
            if value is not None:
                return value, value
            return out.get(path, (None, None))

        for _ in range(len(self.orderings) + 1):
            changed = False
            for later, earlier in self.orderings:
                hi, lo = span(later), span(earlier)
                if hi is None or lo is None:
                    continue
                if hi[0] != hi[1] or hi[0] is None:  # the later one is unknown: at least ...
                    low = lo[0] if hi[0] is None or lo[0] is None else max(hi[0], lo[0])
                    if low is not None and low != hi[0]:
                        out[later] = (low, hi[1])
                        changed = True
                if lo[0] != lo[1] or lo[0] is None:  # the earlier one is unknown: at most ...
                    high = hi[1] if lo[1] is None or hi[1] is None else min(hi[1], lo[1])
                    if high is not None and high != lo[1]:
                        out[earlier] = (lo[0], high)
                        changed = True
            if not changed:
                break
        return out

    def empty(self, case_id: str | None = None) -> dict[str, Any]:
        """The facts of a case of which nothing is known yet."""
        return {CASE_ID: case_id, **{name: {} for name in self.sections}}

    def parse(self, data: Any, source: str = "facts") -> CaseModel:
        """Validate facts (a mapping, or a case of another load of a spec); raise
        ``FactsError`` naming every bad field."""
        if isinstance(data, BaseModel):
            data = data.model_dump()
        try:
            case = self.model.model_validate(data)
        except ValidationError as exc:
            problems = []
            for err in exc.errors(include_url=False):
                field = ".".join(str(p) for p in err["loc"]) or "(case)"
                reason = str(err["msg"]).removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    reason = "unknown fact"
                problems.append((field, reason))
            raise FactsError(problems, source) from None
        facts = case.model_dump()
        problems = self.problems(facts)
        if problems:
            raise FactsError(problems, source)
        self._last = (case, facts)
        return case

    def facts_of(self, case: CaseModel) -> dict[str, Any]:
        """``case.model_dump()``: the one ``parse`` made in checking it, where ``case`` is the
        last case it parsed (a batch answers each case just after reading it), else made anew.
        Not to be changed: it may be the one ``parse`` keeps."""
        last = self._last  # one read: another thread may parse meanwhile
        if last is not None and last[0] is case:
            return last[1]
        return case.model_dump()

    def _generated_check(self) -> Callable[..., Any] | None:
        """The constraints' generated check (``_generated``), or None while the closures check
        (the first case: ``WARM_UP``) and where there are no constraints. Made once; two
        threads making it at once make the same function."""
        fast = self._fast
        if fast is None and self._constraints:
            if self._checked < WARM_UP:
                self._checked += 1
                return None
            fast = self._fast = _generated(self._constraints, self.record)
        return fast

    def problems(
        self, facts: Mapping[str, Any], *, reference: bool = False
    ) -> list[tuple[str, str]]:
        """Facts that contradict each other, as (field, reason), in the spec's order.
        ``reference``: through the three-valued closures only (what the generated checks are
        held to)."""
        out: list[tuple[str, str]] = []
        for unique in self._uniques:
            items = fact_at(facts, unique.path)
            if not isinstance(items, list):
                continue
            by = unique.by
            values = items if by is None else [x.get(by) for x in items]
            if len(set(values)) == len(values):  # all distinct (most cases): nothing to say
                continue
            known = [v for v in values if v is not None]
            if len(set(known)) == len(known):  # none known twice: nothing to say
                continue
            seen: set[Any] = set()
            where = ".".join(unique.path)
            for i, item in enumerate(items):
                value = item.get(unique.by) if unique.by is not None else item
                if value is None:
                    continue
                if value in seen:
                    field = f"{where}[{i}]" + (f".{unique.by}" if unique.by else "")
                    out.append((field, f"{value!r} {unique.duplicate}"))
                seen.add(value)
        fast = None if reference else self._generated_check()
        if fast is None:
            doubtful: tuple[int, ...] = tuple(range(len(self._constraints)))
        else:  # the generated check: the constraints it cannot show to hold
            doubtful = fast(facts, None, None, None)
        if not doubtful:
            return out
        env = Env(facts, {}, kz_calendar())
        for i in doubtful:
            c = self._constraints[i]
            if c.source is None or c.var is None:
                if c.require(env) is False:
                    out.append((c.spec.field, _message(c, env)))
                continue
            items = c.source(env)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                env.locals[c.var] = item
                if c.require(env) is False:
                    out.append((c.spec.field.replace("[]", f"[{i}]"), _message(c, env)))
            env.locals.pop(c.var, None)
        return out


_ABSENT = object()  # a fact of a section that is absent: it does not exist


def fact_at(facts: Mapping[str, Any], path: str | tuple[str, ...], absent: Any = None) -> Any:
    """The fact at ``path`` (dotted, or its names) in a case's facts: None where it is not
    given, ``absent`` where a record on the way is missing (a section whose event did not
    happen)."""
    value: Any = facts
    for name in path.split(".") if isinstance(path, str) else path:
        if type(value) is not dict and not isinstance(value, Mapping):  # a dict, most often
            return absent
        value = value.get(name)
    return value


def _message(c: _Constraint, env: Env) -> str:
    values = {name: compute(env) for name, compute in c.shown}
    return _PLACEHOLDER.sub(lambda m: _show(values.get(m.group(1))), c.spec.message)


def _show(value: Any) -> str:
    return "unknown" if isinstance(value, Missing) else shown(value)


def _in_range(value: Any) -> Any:
    """A date of a case: an ISO date (``SpecDate``) that legal time computes with; one
    validator, not two, as it runs for every date of every case, and a text read before
    remembered (a batch's cases share their dates)."""
    if type(value) is str:
        known = _DAYS.get(value)
        if known is not None:
            return known
    day = iso_date(value)
    try:
        day = check_day(day)
    except TermError as exc:  # as a field's error, which pydantic names
        raise ValueError(str(exc)) from None
    if type(value) is str and len(_DAYS) < 1 << 14:  # bounded: about 45 years of days
        _DAYS[value] = day
    return day


_DAYS: dict[str, dt.date] = {}  # ISO text → the date it validated to


def _none_or(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """An explicit none as it is; any other value as the fact's type has it."""
    return value if value == NONE else handler(value)


def _reader(formerly: dict[str, str]) -> Callable[[Any], Any]:
    """A value written before (``formerly``) read as what it means now."""

    def read(value: Any) -> Any:
        return formerly.get(value, value) if isinstance(value, str) else value

    return read


def _language(code: str) -> str:
    if code not in language_codes():
        raise ValueError(f"{code!r} is not an ISO 639 language code (kk, ru, en...)")
    return code


LanguageCode = Annotated[
    str,
    Field(pattern=LANGUAGE_CODE.pattern, description="An ISO 639 language code (kk, ru, en...)"),
    AfterValidator(_language),
]
"""A language fact: an ISO 639 code, two or three small letters, that the CLDR names."""

CaseDate = Annotated[dt.date, BeforeValidator(_in_range)]
"""A date fact of a case (or an event): an ISO date within the range legal time computes
with, so no term counted from it, and no comparison, runs off the calendar of dates."""


# ---- building -----------------------------------------------------------------------------


class _AlsoTaking:
    """The JSON Schema of a fact that takes, besides its own values, those of ``extra`` (none,
    or values written before): its own schema or any of these. Made when a schema is asked
    for, from the schema pydantic makes of the fact (``handler``), not when the spec loads
    (a schema made of each such fact took 2 ms of every load)."""

    def __init__(self, extra: tuple[dict[str, Any], ...]) -> None:
        self.extra = extra

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [handler(core_schema), *self.extra]}


class _Builder:
    def __init__(self, known_ids: set[str]) -> None:
        self.known_ids = known_ids
        self.problems: list[Problem] = []
        self.uniques: list[_Unique] = []
        self.sections: list[str] = []
        self.labels: dict[str, dict[str, dict[str, str]]] = {}
        self.annotations: dict[str, Any] = {}

    def problem(self, path: DocPath, message: str) -> None:
        self.problems.append((path, message))

    def fact(
        self,
        spec: FactSpec,
        where: tuple[str, ...],
        path: DocPath,
        *,
        top: bool = False,
        in_item: bool = False,
    ) -> tuple[Any, Type] | None:
        """The pydantic annotation (without None) and the rule-language type of one fact."""
        built = self._fact(spec, where, path, top=top, in_item=in_item)
        if built is not None:
            self.annotations[".".join(where).replace(".[]", "[]")] = built[0]
        return built

    def _fact(
        self,
        spec: FactSpec,
        where: tuple[str, ...],
        path: DocPath,
        *,
        top: bool,
        in_item: bool,
    ) -> tuple[Any, Type] | None:
        self._keys(spec, path, top=top, in_item=in_item)
        for k, ref in enumerate(spec.provisions):
            if ref not in self.known_ids:
                self.problem((*path, "provisions", k), f"no provision {ref!r}")
        kind = spec.type
        if kind in ("string", "enum"):
            built = self._text(spec, where, path)
            if built is None:
                return None
            return self._none_and_formerly(spec, built, path)
        if kind == "date":
            return CaseDate, DATE
        if kind == "bool":
            return bool, BOOL
        if kind == "integer":
            low = -MAX_INT if spec.minimum is None else spec.minimum
            high = MAX_INT if spec.maximum is None else spec.maximum
            return Annotated[int, Field(ge=low, le=high)], INT
        if kind == "list":
            if spec.of is None:
                self.problem(path, "a list needs 'of', the type of its items")
                return None
            item = self.fact(spec.of, (*where, "[]"), (*path, "of"), in_item=True)
            if item is None:
                return None
            item_type = item[1]
            if spec.unique_by is not None and not (
                isinstance(item_type, Record) and item_type.field(spec.unique_by) is not None
            ):
                self.problem((*path, "unique_by"), f"the items have no field {spec.unique_by!r}")
            elif (spec.unique or spec.unique_by) and "[]" in where:
                self.problem(
                    (*path, "unique"), "unique is not supported on a list inside a list's items"
                )
            elif spec.unique and isinstance(item_type, Record | ListOf):
                self.problem(
                    (*path, "unique"),
                    "unique compares the items themselves, and these are not single values: "
                    "name the field that must differ with unique_by",
                )
            elif spec.unique or spec.unique_by:
                self.uniques.append(
                    _Unique(where, spec.unique_by, spec.duplicate or "is listed twice")
                )
            most = MAX_ITEMS if spec.max_items is None else spec.max_items
            items = Annotated[list[item[0]], Field(max_length=most)]  # type: ignore[valid-type]
            return items, ListOf(item_type)
        return self.record(spec, where, path, in_item=in_item, section=top and spec.optional)

    def _text(
        self, spec: FactSpec, where: tuple[str, ...], path: DocPath
    ) -> tuple[Any, Type] | None:
        """A string or an enum fact: its annotation and type, before none and formerly."""
        if spec.type == "string":
            if spec.format == "language":
                if spec.pattern is not None:
                    self.problem((*path, "pattern"), "a language code has its own form")
                    return None
                return LanguageCode, Enum(language_codes(), "an ISO 639 language code")
            if spec.pattern is None:
                return SpecText, STR
            try:
                re.compile(spec.pattern)
            except re.error as exc:
                self.problem((*path, "pattern"), f"not a regular expression: {exc}")
                return None
            return Annotated[str, Field(pattern=spec.pattern), PLAIN_TEXT], STR
        values = spec.values or []
        if not values or len(set(values)) != len(values):
            self.problem((*path, "values"), "an enum needs its values, each once")
            return None
        if NONE in values:
            self.problem(
                (*path, "values", values.index(NONE)),
                "none is not a value: give 'none:' what an explicit none means here, so rules "
                "can tell it from unknown",
            )
            return None
        for value in sorted(set(spec.labels or {}) - set(values)):
            self.problem((*path, "labels", value), f"{value!r} is not one of its values")
        if spec.labels:
            self.labels[".".join(where)] = {
                v: label.model_dump() for v, label in spec.labels.items()
            }
        return Literal[tuple(values)], Enum(frozenset(values))

    def _none_and_formerly(
        self, spec: FactSpec, built: tuple[Any, Type], path: DocPath
    ) -> tuple[Any, Type]:
        """A fact that may be none takes ``none`` besides its values; one with values written
        before reads each as what it means now (checked here, when the spec loads). No union of
        types: a bad value's error names the field alone, as for any other fact."""
        annotation, kind = built
        if spec.none is None and not spec.formerly:  # most facts: as built (no schema work)
            return built
        extra: list[dict[str, Any]] = []
        if spec.none is not None:
            annotation = Annotated[annotation, WrapValidator(_none_or)]
            extra.append({"const": NONE, "description": f"none: {spec.none}"})
        if spec.formerly:
            adapter = TypeAdapter(annotation)
            for old, now in spec.formerly.items():
                if now == NONE and spec.none is None:
                    self.problem((*path, "formerly", old), "'none': give the fact 'none:' first")
                    continue
                try:
                    adapter.validate_python(now)
                except ValidationError:
                    self.problem((*path, "formerly", old), f"{now!r}: not a value it takes")
            read = BeforeValidator(_reader(dict(spec.formerly)))
            annotation = Annotated[annotation, read]
            # the values written before still validate, so an editor accepts older case files
            said = ", ".join(f"{old!r} as {now!r}" for old, now in spec.formerly.items())
            extra.append({"enum": list(spec.formerly), "description": f"written before: {said}"})
        if extra:
            annotation = Annotated[annotation, _AlsoTaking(tuple(extra))]
        return annotation, kind

    def record(
        self,
        spec: FactSpec,
        where: tuple[str, ...],
        path: DocPath,
        *,
        in_item: bool = False,
        section: bool = False,
        root: bool = False,
    ) -> tuple[Any, Type] | None:
        if not spec.fields:
            self.problem(path, "a record needs its fields")
            return None
        fields: dict[str, Any] = {}
        types: list[tuple[str, Type]] = []
        nones = frozenset(name for name, child in spec.fields.items() if child.none is not None)
        if root:
            types.append((CASE_ID, STR))  # every case's own (see CaseModel)
        for raw_name, child in spec.fields.items():
            # interned, as the generated code's constants are: a dict lookup then matches the
            # key by identity (measured 6% of the answers-only path when it did not)
            name = sys.intern(raw_name)
            cpath: DocPath = (*path, "fields", name) if not root else ("facts", name)
            if not _NAME.match(name) or (root and name == CASE_ID):
                why = "every case has its own id" if name == CASE_ID else "a fact's name"
                self.problem(cpath, f"{name!r} cannot name a fact here ({why})")
                continue
            built = self.fact(child, (*where, name), cpath, top=root, in_item=in_item)
            if built is None:
                continue
            annotation, kind = built
            desc = child.description
            if root and child.type == "record" and not child.optional:
                self.sections.append(name)
                fields[name] = (annotation, Field(default_factory=annotation, description=desc))
            elif in_item and child.required:
                fields[name] = (annotation, Field(description=desc))
            else:
                fields[name] = (annotation | None, Field(default=None, description=desc))
            types.append((name, kind))
        title = "".join(p.capitalize() for p in where if p != "[]") or "Case"
        if any(p == "[]" for p in where):
            title += "Item"
        model = create_model(title, __base__=_CaseRoot if root else _Facts, **fields)
        if spec.description:
            model.__doc__ = spec.description
        name = where[-1] if where else "case"
        return model, Record(name, tuple(types), section=section, nones=nones)

    def _keys(self, spec: FactSpec, path: DocPath, *, top: bool, in_item: bool) -> None:
        """Keys that mean nothing for this type of fact, or here, are errors, not ignored."""
        allowed = {
            "string": {"pattern", "format", "none", "formerly"},
            "enum": {"values", "labels", "none", "formerly"},
            "list": {"of", "unique", "unique_by", "duplicate", "max_items"},
            "record": {"fields", "optional"},
            "integer": {"minimum", "maximum"},
        }.get(spec.type, set())
        given = {
            k
            for k in spec.model_fields_set
            if k not in ("type", "description", "provisions", "required")
        }
        for key in sorted(given - allowed):
            self.problem((*path, key), f"{key!r} does not apply to a fact of type {spec.type}")
        if spec.optional and not top:
            self.problem((*path, "optional"), "only a top-level record can be optional")
        if spec.required and not in_item:
            self.problem(
                (*path, "required"),
                "only a field of a list's items can be required: a fact may be unknown",
            )


def build_facts(
    doc: SpecDocument,
    known_ids: set[str],
    readings_by: Mapping[str, str],
) -> tuple[FactsModel | None, list[Problem]]:
    """The facts model of ``doc``; problems as (path, message)."""
    builder = _Builder(known_ids)
    if not doc.facts:
        return None, [(("facts",), "the spec declares no facts: a case would have nothing to say")]
    root = FactSpec(type="record", fields=doc.facts)
    built = builder.record(root, (), ("facts",), root=True)
    if built is None or builder.problems:
        return None, builder.problems
    model, record = built
    assert isinstance(record, Record)  # noqa: S101 - a record builds a record
    constraints = []
    for i, spec in enumerate(doc.constraints):
        compiled = _constraint(spec, ("constraints", i), record, readings_by, builder, known_ids)
        if compiled is not None:
            constraints.append(compiled)
    if builder.problems:
        return None, builder.problems
    facts = FactsModel(
        model,
        record,
        tuple(builder.uniques),
        tuple(constraints),
        tuple(builder.sections),
        builder.labels,
        builder.annotations,
        doc.facts,
    )
    return facts, []


def _constraint(
    spec: ConstraintSpec,
    path: DocPath,
    record: Record,
    readings_by: Mapping[str, str],
    builder: _Builder,
    known_ids: set[str],
) -> _Constraint | None:
    checker = Checker(record, readings_by=readings_by, constraints=True)
    before = len(builder.problems)

    def typed(text: str, where: DocPath, want: Type | None) -> Node | None:
        try:
            node = parse(text)
            kind = checker.check(node, Usage())
            checker.magnitude(node)
        except (ExprSyntaxError, ExprTypeError) as exc:
            builder.problem(where, f"{exc} (at character {exc.offset + 1})")
            return None
        if want is not None and kind != want:
            builder.problem(where, f"this must give {want}, but gives {kind}")
            return None
        return node

    var = source = list_node = None
    if spec.each is not None:
        m = _EACH.match(spec.each)
        if m is None:
            builder.problem((*path, "each"), "write it as 'NAME in LIST', e.g. 'x in record.items'")
            return None
        var = m.group(1)
        try:
            list_node = parse(m.group(2))
            list_type = checker.check(list_node, Usage())
        except (ExprSyntaxError, ExprTypeError) as exc:
            builder.problem((*path, "each"), str(exc))
            return None
        if not isinstance(list_type, ListOf) or var in checker.scope or record.field(var):
            builder.problem((*path, "each"), f"{m.group(2)} must be a list and {var} a new name")
            return None
        source = checked(list_node)
        checker.scope[var] = list_type.item
        if "[]" not in spec.field:
            builder.problem((*path, "field"), "with 'each', the field names the item with '[]'")
    elif "[]" in spec.field:
        builder.problem((*path, "field"), "'[]' stands for the item of 'each', which is not given")
    require_node = typed(spec.require, (*path, "require"), BOOL)
    require = checked(require_node) if require_node is not None else None
    shown_values: list[tuple[str, Compiled]] = []
    for name in dict.fromkeys(_PLACEHOLDER.findall(spec.message)):
        shown_node = typed(name, (*path, "message"), None)
        if shown_node is not None:
            shown_values.append((name, compile_expr(shown_node)))
    for k, ref in enumerate(spec.provisions):
        if ref not in known_ids:
            builder.problem((*path, "provisions", k), f"no provision {ref!r}")
    if require is None or len(builder.problems) > before:
        return None
    return _Constraint(
        spec,
        var,
        source,
        require,
        tuple(shown_values),
        strict=var is None and _strict(require.node),
    )


_STRICT = {"<", "<=", ">", ">=", "==", "!=", "+", "-", "*", "//", "neg", "path", "lit"}


def _strict(node: Node) -> bool:
    """Whether ``node`` is unknown wherever a fact it reads is (no and, or, not, if, in,
    known, or function that decides without it)."""
    if node.op not in _STRICT:
        return False
    if node.op in ("path", "lit"):
        return True
    return all(_strict(a) for a in node.args)


_ORDERS = {">=": False, ">": False, "<=": True, "<": True}  # whether the sides swap


def _ordering(c: _Constraint) -> tuple[str, str] | None:
    """(later, earlier) where a constraint is ``fact >= fact`` (or ``>``, ``<=``, ``<``)."""
    node = c.require.node
    if c.var is not None or node.op not in _ORDERS:
        return None
    left, right = node.args
    if left.op != "path" or right.op != "path":
        return None
    a, b = ".".join(left.args), ".".join(right.args)
    return (b, a) if _ORDERS[node.op] else (a, b)


def _generated(constraints: tuple[_Constraint, ...], record: Record) -> Callable[..., Any] | None:
    """One generated function checking every constraint: the indices of those it cannot show
    to hold, for the closures to decide. A constraint's and/or/not are decided three-valued
    here as the closures decide them (True, False, or None for unknown). Each other part reads
    its facts first and is None where one is not given (``Generator.read_first``: most cases
    leave some fact a constraint reads unknown, and a test costs less than raising and catching
    ``Unknown``), or, where it reads a fact only under a condition, is generated code that
    raises ``Unknown`` on it. An ``each`` constraint checks its items in a loop that stops at
    the first that fails. Whatever it decides the closures would decide alike, and what it
    leaves (None, or False) they decide. A strict constraint that is unknown holds without
    them."""
    if not constraints:
        return None
    gen = Generator(record)
    gen.hoisted = True  # each top-level fact the constraints read, read once into R_<name>
    read = {
        n.args[0]
        for c in constraints
        for node in (c.require.node, c.source.node if c.source is not None else None)
        if node is not None
        for n in node.walk()
        if n.op in ("path", "call")
    }
    heads = [name for name, _ in record.fields if name in read]
    names = iter(range(1, 1 << 30))
    lines = ["def rule(f, ch, cal, rd):", *(f"    R_{h} = f[{h!r}]" for h in heads), "    A0 = ()"]
    for i, c in enumerate(constraints):
        node = c.require.node
        if c.var is None:
            var = f"A{next(names)}"
            lines += ["    " + line for line in _three_valued(node, var, gen, names)]
            keep = f"{var} is not True" if not c.strict else f"{var} is False"
            lines += [f"    if {keep}:", f"        A0 = A0 + ({i},)"]
            continue
        assert c.source is not None  # noqa: S101 - a var comes with each
        with gen.statements():  # its items checked in a loop that stops at the first failing
            every = gen.lowered("all", c.var, c.source.node, node, frozenset())
            loop = gen.flush()
        lines += [
            "    try:",
            *(f"        {line}" for line in loop),
            f"        if not {every}:",
            f"            A0 = A0 + ({i},)",
            "    except Unknown:",
            f"        A0 = A0 + ({i},)",
        ]
    lines.append("    return A0")
    return build("\n".join(lines) + "\n", gen.consts, "constraints")["rule"]


def _three_valued(node: Node, var: str, gen: Generator, names: Iterator[int]) -> list[str]:
    """Statements setting ``var`` to ``node``'s value, True, False or None (unknown), with
    and/or/not in Kleene's logic as the closures have them."""
    if node.op in ("and", "or"):
        a, b = f"A{next(names)}", f"A{next(names)}"
        stop = "False" if node.op == "and" else "True"
        lines = _three_valued(node.args[0], a, gen, names)
        lines += [f"if {a} is {stop}:", f"    {var} = {stop}", "else:"]
        inner = _three_valued(node.args[1], b, gen, names)
        inner.append(
            f"{var} = {stop} if {b} is {stop} else (None if {a} is None or {b} is None "
            f"else {'True' if stop == 'False' else 'False'})"
        )
        return lines + ["    " + line for line in inner]
    if node.op == "not":
        a = f"A{next(names)}"
        lines = _three_valued(node.args[0], a, gen, names)
        return [*lines, f"{var} = None if {a} is None else (not {a})"]
    first = gen.read_first(node)
    if first is None:
        code = gen.expr(node, frozenset(), frozenset())
        return ["try:", f"    {var} = {code}", "except Unknown:", f"    {var} = None"]
    reads, code = first
    unknown = " or ".join(f"{name} is None" for name, _ in reads)
    return [
        *(f"{name} = {reading}" for name, reading in reads),
        f"if {unknown}:",
        f"    {var} = None",
        "else:",
        "    try:",  # an each's item, or a division by zero, may still be unknown
        f"        {var} = {code}",
        "    except Unknown:",
        f"        {var} = None",
    ]


def walk_facts(facts: Mapping[str, FactSpec], prefix: str = "") -> Iterator[tuple[str, FactSpec]]:
    """Every declared fact with its dotted path (list items as ``path[]``)."""
    for name, spec in facts.items():
        path = f"{prefix}{name}"
        yield path, spec
        if spec.fields:
            yield from walk_facts(spec.fields, path + ".")
        if spec.of is not None and spec.of.fields:
            yield from walk_facts(spec.of.fields, path + "[].")
