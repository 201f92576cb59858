"""The events a spec's monitor accepts (``events:``), checked and built when the spec loads.

Each event type names its fields, each typed as a fact of the case, and what it records: facts
it sets, list facts it adds to or removes from, a list of records it puts an item into, a mark
the case carries from then on. The spec also says which event tells the date (the clock) and
which closes a case, which questions are watched (a change of answer is a finding) and which
rule values are deadlines met by which fact. Here is only the checking and the validating
model: ``monitor`` runs them, knowing no event type of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from attest_rules.errors import DocPath
from attest_rules.lang.types import ANY, BOOL, DATE, ListOf, Record, Type, compatible, type_at
from attest_rules.located import strict_json
from attest_rules.located.fields import SpecText
from attest_rules.spec.facts import CaseDate
from attest_rules.spec.model import EventsSpec, EventType, FactSpec, SpecDocument

Problem = tuple[DocPath, str]
AT = "at"  # every event's date


class EventBase(BaseModel):
    """What every event has: its case and its type; ``at``, its date, where given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case: Annotated[SpecText, Field(min_length=1)]
    type: str
    at: CaseDate | None = None


@dataclass(frozen=True)
class Events:
    """A spec's events: their validating model and what the monitor runs. The model (one per
    event type, a pydantic class each) is made when the first event is read, not when the spec
    loads: most commands never read an event, and making them was a fifth of a load."""

    spec: EventsSpec
    _models: tuple[tuple[str, dict[str, Any]], ...]  # each type's title and fields

    @functools.cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """The validator of an event of any of the types, told apart by its type."""
        models = [create_model(t, __base__=EventBase, **f) for t, f in self._models]
        union: Any = models[0]
        if len(models) > 1:  # one model per type, told apart by the type
            union = Annotated[Union[tuple(models)], Field(discriminator="type")]  # noqa: UP007
        return TypeAdapter(union)

    def parse(self, data: Any) -> EventBase:
        """Validate one event (a mapping); raises ``pydantic.ValidationError``."""
        event: EventBase = self.adapter.validate_python(data)
        return event

    def parse_json(self, raw: str | bytes) -> EventBase:
        """Validate one event from JSON, read strictly (no key twice, no NaN): a
        ``StrictJSONError`` or ``ValueError`` for bad JSON, ``ValidationError`` for a bad
        event."""
        return self.parse(strict_json.loads(raw))

    def given(self, event: EventBase, name: str) -> Any:
        """The value of an event's field, ``at`` as its ISO date; None where not given."""
        value = getattr(event, name, None)
        if name == AT and value is not None:
            return value.isoformat()
        return value


def _fact_at(facts: Mapping[str, FactSpec], path: str) -> FactSpec | None:
    """The declaration of ``path`` (``session.votes[].vote`` for a field of a list's item)."""
    spec: FactSpec | None = None
    fields: Mapping[str, FactSpec] | None = facts
    for part in path.split("."):
        item = part.endswith("[]")
        name = part.removesuffix("[]")
        if fields is None or name not in fields:
            return None
        spec = fields[name]
        if item:
            if spec.of is None:
                return None
            spec = spec.of
        fields = spec.fields
    return spec


def _literal_type(value: Any) -> Type:
    if isinstance(value, dict) and set(value) == {"literal"}:
        return ANY
    if value is None:
        return ANY
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, list):
        return ListOf(ANY)
    return ANY


def build_events(
    doc: SpecDocument,
    annotations: Mapping[str, Any],
    record: Record,
    rule_values: Mapping[str, set[str]],
) -> tuple[Events | None, list[Problem]]:
    """``doc``'s events checked against its facts and questions (``rule_values``: question →
    the named values of its rules); problems as (path, message)."""
    spec = doc.events
    if spec is None:
        return None, []
    problems: list[Problem] = []
    base: DocPath = ("events",)
    models: list[tuple[str, dict[str, Any]]] = []
    for name, etype in spec.types.items():
        path: DocPath = (*base, "types", name)
        field_types = _field_types(etype, path, doc, annotations, record, problems)
        _check_ops(etype, path, field_types, record, problems)
        fields: dict[str, Any] = {"type": (Literal[name], Field())}
        for fname, (annotation, _) in field_types.items():
            fields[fname] = (annotation | None, Field(default=None))
        title = "".join(p.capitalize() for p in name.replace("-", "_").split("_")) + "Event"
        models.append((title, fields))
    for role in ("clock", "close", "open"):
        if getattr(spec, role) is not None and getattr(spec, role) not in spec.types:
            problems.append(((*base, role), f"no event type {getattr(spec, role)!r} under types"))
    for i, watch in enumerate(spec.watch):
        wpath: DocPath = (*base, "watch", i)
        if watch.question not in rule_values:
            problems.append(((*wpath, "question"), f"no question {watch.question!r}"))
        elif watch.value is not None and watch.value not in rule_values[watch.question]:
            problems.append(((*wpath, "value"), f"{watch.question} has no value {watch.value!r}"))
        for k, on in enumerate(watch.triggered_by):
            if on not in spec.types:
                problems.append(((*wpath, "triggered_by", k), f"no event type {on!r}"))
        marks = {t.mark for t in spec.types.values() if t.mark}
        if watch.after is not None and watch.after not in marks:
            problems.append(((*wpath, "after"), f"no event type marks {watch.after!r}"))
        for k, detail in enumerate(watch.details):
            if not any(detail in t.fields for t in spec.types.values()):
                problems.append(((*wpath, "details", k), f"no event has a field {detail!r}"))
    for i, deadline in enumerate(spec.deadlines):
        dpath: DocPath = (*base, "deadlines", i)
        if deadline.question not in rule_values:
            problems.append(((*dpath, "question"), f"no question {deadline.question!r}"))
        elif deadline.value not in rule_values[deadline.question]:
            problems.append(
                ((*dpath, "value"), f"{deadline.question} has no value {deadline.value!r}")
            )
        if type_at(record, deadline.done_by) != DATE:
            problems.append(((*dpath, "done_by"), f"{deadline.done_by!r} is not a date fact"))
    if problems or not models:
        return None, problems
    return Events(spec, tuple(models)), []


def _field_types(
    etype: EventType,
    path: DocPath,
    doc: SpecDocument,
    annotations: Mapping[str, Any],
    record: Record,
    problems: list[Problem],
) -> dict[str, tuple[Any, Type]]:
    """Each field of an event type: the annotation and type of the fact it is typed as."""
    out: dict[str, tuple[Any, Type]] = {}
    for fname, fact in etype.fields.items():
        if fname in EventBase.model_fields:
            problems.append(((*path, "fields", fname), f"{fname!r} is every event's own"))
            continue
        kind = type_at(record, fact)
        if kind is None or _fact_at(doc.facts, fact) is None:
            problems.append(((*path, "fields", fname), f"no fact {fact!r} to type it by"))
            out[fname] = (Any, ANY)  # reported once here, not again where it is used
            continue
        out[fname] = (annotations[fact], kind)
    for k, name in enumerate(etype.required):
        if name not in out and name != AT:
            problems.append(((*path, "required", k), f"no field {name!r}"))
    return out


def _check_ops(
    etype: EventType,
    path: DocPath,
    field_types: Mapping[str, tuple[Any, Type]],
    record: Record,
    problems: list[Problem],
) -> None:
    """Every fact an event records exists and takes what it is given."""

    def source_type(value: Any) -> Type | None:
        if isinstance(value, str):
            if value == AT:
                return DATE
            if value not in field_types:
                return None
            return field_types[value][1]
        return _literal_type(value)

    for fact, value in etype.set.items():
        want = type_at(record, fact)
        got = source_type(value)
        where: DocPath = (*path, "set", fact)
        if want is None:
            problems.append((where, f"no fact {fact!r}"))
        elif got is None:
            problems.append((where, f"{value!r} is not a field of this event, nor at"))
        elif not compatible(want, got):
            problems.append((where, f"{fact} is {want}; {value!r} gives {got}"))
    for op in ("add", "remove"):
        for fact, value in getattr(etype, op).items():
            want = type_at(record, fact)
            got = source_type(value)
            where = (*path, op, fact)
            if not isinstance(want, ListOf):
                problems.append((where, f"{fact!r} is not a list fact"))
            elif got is None or not compatible(want.item, got):
                problems.append((where, f"{value!r} cannot join {fact}, {want}"))
    for fact, put in etype.put.items():
        want = type_at(record, fact)
        where = (*path, "put", fact)
        if not (isinstance(want, ListOf) and isinstance(want.item, Record)):
            problems.append((where, f"{fact!r} is not a list of records"))
            continue
        item = want.item
        if put.by not in put.item:
            problems.append(((*where, "by"), f"the item has no field {put.by!r}"))
        for key, value in put.item.items():
            kind, got = item.field(key), source_type(value)
            if kind is None:
                problems.append(((*where, "item", key), f"{fact}'s items have no field {key!r}"))
            elif got is None or not compatible(kind, got):
                problems.append(((*where, "item", key), f"{value!r} cannot fill {key}"))


def validation_error_text(exc: ValidationError, types: Mapping[str, EventType]) -> str:
    """The first problem of an event, as one line naming the field."""
    first = exc.errors(include_url=False)[0]
    loc = [str(p) for p in first["loc"]]
    if loc and loc[0] in types:  # the event's type, which told its model
        loc = loc[1:]
    return f"{'.'.join(loc) or '(event)'}: {first['msg']}"
