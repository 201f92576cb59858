"""Types of the rule language, and the types of the facts, read off the pydantic facts model."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Prim:
    name: str  # int, bool, str, date, term, any

    def __str__(self) -> str:
        return {
            "int": "a number",
            "bool": "a yes/no value",
            "str": "a text",
            "date": "a date",
            "term": "a term",
            "any": "anything",
        }[self.name]


@dataclass(frozen=True, slots=True)
class Enum:
    values: frozenset[str]

    def __str__(self) -> str:
        return "one of " + ", ".join(sorted(self.values))


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Type

    def __str__(self) -> str:
        return f"a list of {self.item}"


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    fields: tuple[tuple[str, Type], ...]
    section: bool = False  # a top-level section that may be absent (an event that did not happen)

    def field(self, name: str) -> Type | None:
        return dict(self.fields).get(name)

    def __str__(self) -> str:
        return f"the {self.name} record"


Type = Prim | Enum | ListOf | Record

INT, BOOL, STR, DATE, TERM, ANY = (Prim(n) for n in ("int", "bool", "str", "date", "term", "any"))


def compatible(a: Type, b: Type) -> bool:
    """Whether values of types ``a`` and ``b`` can be compared or mixed."""
    if ANY in (a, b) or a == b:
        return True
    if (a == STR or isinstance(a, Enum)) and (b == STR or isinstance(b, Enum)):
        return True
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return compatible(a.item, b.item)
    return False


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Strip ``Optional`` and ``Annotated``; say whether None was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                raise TypeError(f"unsupported union in the facts model: {annotation}")
            annotation = args[0]
        else:
            return annotation, optional


def type_of(annotation: Any, name: str = "") -> Type:
    """The rule-language type of a facts-model annotation."""
    ann, _ = _unwrap(annotation)
    origin = typing.get_origin(ann)
    if origin is Literal:
        return Enum(frozenset(str(v) for v in typing.get_args(ann)))
    if origin is list:
        return ListOf(type_of(typing.get_args(ann)[0], name))
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return record_of(ann, name or ann.__name__.lower())
    simple = {bool: BOOL, int: INT, str: STR, dt.date: DATE}
    if ann in simple:
        return simple[ann]
    raise TypeError(f"unsupported type in the facts model: {ann!r}")


def record_of(model: type[BaseModel], name: str, *, top: bool = False) -> Record:
    fields = []
    for field_name, info in model.model_fields.items():
        ftype = type_of(info.annotation, field_name)
        if top and isinstance(ftype, Record):
            _, optional = _unwrap(info.annotation)
            ftype = Record(ftype.name, ftype.fields, section=optional)
        fields.append((field_name, ftype))
    return Record(name, tuple(fields))
