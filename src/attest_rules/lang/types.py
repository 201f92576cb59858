"""Types of the rule language (the facts model gives each fact its type: spec/facts.py)."""

from __future__ import annotations

from dataclasses import dataclass


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
            "none": "none",
        }[self.name]


@dataclass(frozen=True, slots=True)
class Enum:
    values: frozenset[str]
    name: str | None = None  # what the values are, where they are a standard's codes

    def __str__(self) -> str:
        return self.name or "one of " + ", ".join(sorted(self.values))


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
    nones: frozenset[str] = frozenset()  # the fields a case may give as an explicit none

    def field(self, name: str) -> Type | None:
        return dict(self.fields).get(name)

    def __str__(self) -> str:
        return f"the {self.name} record"


Type = Prim | Enum | ListOf | Record

INT, BOOL, STR, DATE, TERM, ANY = (Prim(n) for n in ("int", "bool", "str", "date", "term", "any"))
NONE = Prim("none")  # the literal none: compared (== or !=) only with a fact that may be none


def compatible(a: Type, b: Type) -> bool:
    """Whether values of types ``a`` and ``b`` can be compared or mixed."""
    if ANY in (a, b) or a == b:
        return True
    if (a == STR or isinstance(a, Enum)) and (b == STR or isinstance(b, Enum)):
        return True
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return compatible(a.item, b.item)
    return False


def type_at(record: Record, path: str) -> Type | None:
    """The type of the fact at ``path`` (``session.votes[].vote`` for a field of a list's
    items), or None where there is no such fact."""
    current: Type = record
    for part in path.split("."):
        name = part.removesuffix("[]")
        if not isinstance(current, Record):
            return None
        found = current.field(name)
        if found is None:
            return None
        current = found
        if part.endswith("[]"):
            if not isinstance(current, ListOf):
                return None
            current = current.item
    return current


def may_be_none(record: Record, path: str) -> bool:
    """Whether the facts model lets a case give the fact at ``path`` as an explicit none."""
    head, _, last = path.rpartition(".")
    parent = type_at(record, head) if head else record
    return isinstance(parent, Record) and last in parent.nones
