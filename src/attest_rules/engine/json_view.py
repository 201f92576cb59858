"""A result's JSON view for orjson: for one of the results' dataclasses (``engine.results``),
an object that orjson writes byte for byte as it writes what pydantic's
``dump_python(obj, mode="json")`` gives, or refuses (with ``GUARD``).

Pydantic's serializer walks a dataclass field by field, about 0.2 µs a field: about 100 µs for
an evaluation of 21 answers, more than half of sealing its record (docs/performance.md). The
view copies each object's attributes at once (its ``__dict__``) and changes only what pydantic
writes otherwise than orjson would write the value held: a nested result (its view), a date
(its ISO text), and a field with a serializer of its own (the serializer's result). Every
other value stays as held, for orjson with ``GUARD`` to write as pydantic's dump would be
written (a text, an integer, a boolean, null, a float, a list; a tuple as a list, an enum as
its value) or to refuse (a date or datetime where the view did not expect one, a dataclass, a
set, a subclass of a text or an integer, an integer past 64 bits, a key that is not a text):
refused, the caller dumps by pydantic, the reference.

It is derived once per class from its fields' annotations, the ones pydantic's serializer and
the JSON Schema are made from. A class has no view (pydantic dumps it) where a field's
annotation carries anything else (an alias, an exclusion, a serializer of another kind, a type
not listed here), or its config says how to write something; an object raises ``Unsure``
where it is of a subclass or has an attribute beyond its fields. A property test holds the two
writings equal on evaluations of generated cases; another, on each kind of value refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, cast, get_args, get_origin, get_type_hints

import orjson
from pydantic import PlainSerializer, WithJsonSchema
from pydantic.fields import FieldInfo

View = Callable[[Any], Any]

# orjson's options that refuse what the view leaves to it and pydantic would write otherwise
GUARD = (
    orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)

_NONE = type(None)
_HELD = frozenset({str, int, bool, float, _NONE})  # types whose fields are written as held
# what a field's ``Field(...)`` may say that changes nothing written
_QUIET_FIELD = frozenset({"description", "json_schema_extra", "default", "default_factory"})
# what a class's config may say that changes nothing written
_QUIET_CONFIG = frozenset(
    {"extra", "frozen", "title", "json_schema_extra", "json_schema_serialization_defaults_required"}
)


class Unsure(Exception):
    """An object the view does not know how pydantic writes: dump it by pydantic."""


class _NotDerivable(Exception):
    """A class whose fields the view cannot derive its JSON from."""


def _date(v: Any) -> Any:
    if type(v) is dt.date:
        return v.isoformat()
    raise Unsure


# conversions that must see every value, a false one too (a field's own serializer, or one
# holding it): any other conversion leaves a false value as held, which orjson writes as
# pydantic would (null, an empty list or mapping) or refuses
_ALWAYS: set[View] = set()


def _optional(convert: View) -> View:
    def optional(v: Any) -> Any:
        return None if v is None else convert(v)

    if convert in _ALWAYS:
        _ALWAYS.add(optional)
    return optional


def _items(convert: View) -> View:
    def items(v: Any) -> list[Any]:
        if type(v) is not list and type(v) is not tuple:
            raise Unsure
        return [convert(x) for x in v] if v else []  # most lists empty: no comprehension

    return items


def _values(convert: View) -> View:
    def values(v: Any) -> dict[Any, Any]:
        if type(v) is not dict:
            raise Unsure
        return {k: convert(x) for k, x in v.items()}  # a key not a text: GUARD refuses it

    return values


class _Plan:
    """How one class's objects are viewed: the fields converted (the others as held)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.count = 0
        self.converted: tuple[tuple[str, View, bool], ...] = ()

    def derive(self) -> None:
        cls = self.cls
        config = getattr(cls, "__pydantic_config__", None) or {}
        if not _QUIET_CONFIG.issuperset(config):
            raise _NotDerivable(f"{cls.__name__}'s config: {sorted(config)}")
        try:
            hints = get_type_hints(cls, include_extras=True)
        except (NameError, TypeError) as exc:  # an annotation that does not resolve
            raise _NotDerivable(f"{cls.__name__}: {exc}") from None
        fields = dataclasses.fields(cls)
        converted = []
        for f in fields:
            convert = _convert(hints[f.name])
            if convert is not None:
                converted.append((f.name, convert, convert in _ALWAYS))
        self.count = len(fields)
        self.converted = tuple(converted)

    def view(self, obj: Any) -> dict[str, Any]:
        if type(obj) is not self.cls:  # a subclass may have fields of its own
            raise Unsure
        try:
            # the fields, in their order: __init__ sets each in turn
            d: dict[str, Any] = obj.__dict__.copy()
        except AttributeError:  # slots: no __dict__
            raise Unsure from None
        if len(d) != self.count:
            raise Unsure
        for name, convert, always in self.converted:
            v = d[name]
            if v or always:  # most are null or empty: no call
                d[name] = convert(v)
        return d


_plans: dict[type, _Plan | None] = {}


def _plan(cls: type) -> _Plan:
    plan = _plans.get(cls)
    if plan is None:
        if cls in _plans:
            raise _NotDerivable(cls.__name__)
        plan = _plans[cls] = _Plan(cls)  # before its fields: a class may hold itself
        try:
            plan.derive()
        except _NotDerivable:
            _plans[cls] = None
            raise
    return plan


def _convert(tp: Any) -> View | None:
    """How a field of annotation ``tp`` is viewed: None where as it is held (orjson with
    ``GUARD`` writes it as pydantic would, or refuses it), else the conversion."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *metadata = get_args(tp)
        then = _convert(base)
        for m in metadata:
            if isinstance(m, FieldInfo):
                if not _QUIET_FIELD.issuperset(m._attributes_set):
                    raise _NotDerivable(f"Field({', '.join(sorted(m._attributes_set))})")
            elif isinstance(m, PlainSerializer):
                if (
                    m.when_used != "always"
                    or m.return_type not in (Any, dict[str, Any])
                    or len(inspect.signature(m.func).parameters) != 1  # no info passed
                ):
                    raise _NotDerivable(repr(m))
                then = cast(View, m.func)  # its result written as held
                _ALWAYS.add(then)
            elif not isinstance(m, WithJsonSchema):
                raise _NotDerivable(repr(m))
        return then
    if tp is Any or tp in _HELD:
        return None
    if tp is dt.date:
        return _date
    if origin is Literal:
        if all(type(a) in _HELD for a in get_args(tp)):
            return None
        raise _NotDerivable(repr(tp))
    if origin is typing.Union or origin is types.UnionType:
        others = [a for a in get_args(tp) if a is not _NONE]
        converts = [_convert(a) for a in others]
        if all(c is None for c in converts):
            return None
        if len(others) == 1 and converts[0] is not None:
            return _optional(converts[0])
        raise _NotDerivable(repr(tp))
    if origin is list or origin is tuple:
        args = get_args(tp)
        if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
            raise _NotDerivable(repr(tp))
        item = _convert(args[0])
        return None if item is None else _items(item)
    if origin is dict:
        key, value = get_args(tp)
        if key is not str:
            raise _NotDerivable(repr(tp))
        item = _convert(value)
        return None if item is None else _values(item)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _plan(tp).view
    raise _NotDerivable(repr(tp))


def viewer(cls: type) -> View | None:
    """The view of ``cls``'s objects, or None where it has none (pydantic dumps them)."""
    try:
        return _plan(cls).view
    except _NotDerivable:
        return None
