"""A case's facts checked without building its pydantic model, where they are plainly valid:
the batch's fast path to the facts ``case.model_dump()`` would give.

Built from the same declaration as the case model (``facts``), field by field, with the same
functions for what the model calls back into Python (a date's ``_in_range``, a text's
``PLAIN_TEXT``) and the field's own pydantic annotation where a fact is of a rarer kind (a
pattern, a language code). It vouches only for what it is sure of: a value of exactly the type
JSON gives (a ``str``, a ``bool``, an ``int``, a ``list``, a ``dict``) that the model would take
as it is. Anything else - a value pydantic would convert ("true", 1.0), a wrong type, an
unknown key, a missing required field - is a doubt, and a doubt means "ask the model": the
caller validates the case as every case is validated, with its located errors. So it can make
no error message of its own and never disagrees with the model: whatever it returns, the model
would dump alike (a property test holds the two equal, on valid cases and on broken ones).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from attest_rules.lang.codegen import build_checker
from attest_rules.lang.syntax import MAX_INT, MAX_ITEMS, NONE
from attest_rules.spec.model import FactSpec

Check = Callable[[Any], Any]


class Doubt(Exception):
    """A value this check cannot vouch for: the case model decides."""


_MISSING = object()


def quick_check(
    facts: Mapping[str, FactSpec],
    annotations: Mapping[str, Any],
    model: type[BaseModel],
    *,
    text: Callable[[str], str],
    date: Callable[[Any], Any],
    days: Mapping[str, Any],
    case_id: str,
) -> Callable[[Any], dict[str, Any] | None]:
    """A function giving, for a case's data (a mapping, as JSON gives it), the facts
    ``model.model_validate(data).model_dump()`` would give, or ``None`` where it is not sure
    the model would take the data as it is. ``text`` and ``date`` are the functions the model
    calls for a text and a date, ``days`` the dates ``date`` remembers (ISO text → date);
    ``annotations`` the model's annotation of each fact, by its path (items as ``path[]``);
    ``case_id`` the name of every case's own id.

    Generated code, one function per record (``codegen.build_checker``, whitelisted): a
    field's check is a few tests inline, where a loop over the fields or a call per field took
    twice the time (measured)."""
    gen = _Generator(annotations, text, date)
    root = FactSpec(type="record", fields={case_id: FactSpec(type="string"), **facts})
    empty = model.model_validate({}).model_dump()  # a case of which nothing is known
    sections = {
        name: _section_default(empty, name)
        for name, spec in facts.items()
        if spec.type == "record" and not spec.optional
    }
    top = gen.record(root, (), sections)
    consts = {**gen.consts, "M": _MISSING, "DAYS": days, "_doubt": _doubt}
    functions = build_checker("\n\n".join(gen.functions) + "\n", consts, "facts check")
    check = functions[top]

    def quick(data: Any) -> dict[str, Any] | None:
        try:
            return check(data)  # type: ignore[no-any-return]
        except Doubt:
            return None

    return quick


def _doubt(*_: Any) -> Any:
    """Doubt whatever is given (the generated code's ``_doubt()``, and the check of a kind not
    checked here)."""
    raise Doubt


def _section_default(empty: dict[str, Any], name: str) -> Callable[[], dict[str, Any]]:
    """A section not given, as the model dumps it (``empty``: a case of which nothing is
    known): its record with nothing known."""
    section: dict[str, Any] = empty[name]
    if any(isinstance(v, (dict, list)) for v in section.values()):  # pragma: no cover - no such
        raise AssertionError(f"{name}: a section's defaults are all null")
    return section.copy


_PLAIN = "type({x}) is str and {x}.isascii() and {x}.isprintable()"  # as the text check: so


def _plain(spec: FactSpec) -> bool:
    """A string fact checked inline: no pattern, no format, no none, nothing written before."""
    rare = spec.pattern is not None or spec.format is not None or spec.none is not None
    return not (rare or spec.formerly)


def _bounds(spec: FactSpec) -> tuple[int, int]:
    """An integer fact's least and greatest value, as the model bounds it."""
    low = -MAX_INT if spec.minimum is None else spec.minimum
    high = MAX_INT if spec.maximum is None else spec.maximum
    return low, high


class _Generator:
    def __init__(
        self, annotations: Mapping[str, Any], text: Callable[[str], str], date: Check
    ) -> None:
        self.annotations = annotations
        self.text = text
        self.date = date
        self.consts: dict[str, Any] = {}
        self.functions: list[str] = []
        self._text_check: str | None = None
        self._date_check: str | None = None

    def const(self, value: Any) -> str:
        name = f"K{len(self.consts)}"
        self.consts[name] = value
        return name

    def record(
        self,
        spec: FactSpec,
        where: tuple[str, ...],
        sections: Mapping[str, Callable[[], dict[str, Any]]] | None = None,
    ) -> str:
        """A function checking a record of ``spec``'s fields (``sections``: at the top, the
        records always there, made empty when not given); its name."""
        fields = spec.fields or {}
        allowed = self.const(frozenset(sys.intern(n) for n in fields))
        lines = [f"    if type(v) is not dict or not v.keys() <= {allowed}:", "        _doubt()"]
        out = []
        in_item = "[]" in where
        for k, (name, child) in enumerate(fields.items()):
            var = f"o{k}"
            if sections is not None and name in sections:
                default = self.const(sections[name])
                lines += [
                    f"    x = v.get({name!r}, M)",
                    "    if x is M:",
                    f"        x = {default}()",
                    "    elif x is None:",
                    "        _doubt()",
                    "    else:",
                    *("    " + line for line in self.value(child, (*where, name))),
                ]
            elif in_item and child.required:
                lines += [
                    f"    x = v.get({name!r})",
                    "    if x is None:",
                    "        _doubt()",
                    *self.value(child, (*where, name)),
                ]
            else:
                lines += [
                    f"    x = v.get({name!r})",
                    "    if x is not None:",
                    *("    " + line for line in self.value(child, (*where, name))),
                ]
            lines.append(f"    {var} = x")
            out.append(f"{name!r}: {var}")
        lines.append("    return {" + ", ".join(out) + "}")
        function = f"check{len(self.functions)}"
        self.functions.append("\n".join([f"def {function}(v):", *lines]))
        return function

    def value(self, spec: FactSpec, where: tuple[str, ...]) -> list[str]:
        """Statements checking ``x`` (not null) as a fact of ``spec``, leaving its value in
        ``x``, or calling ``_doubt()``."""
        kind = spec.type
        if kind == "string" and _plain(spec):
            plain = _PLAIN.format(x="x")
            return [f"    if not ({plain}):", f"        x = {self.text_name()}(x)"]
        if kind == "enum" and spec.none is None and not spec.formerly:
            values = self.const(frozenset(spec.values or ()))
            return [f"    if type(x) is not str or x not in {values}:", "        _doubt()"]
        if kind in ("string", "enum"):  # a pattern, a language code, none or formerly
            return [f"    x = {self.const(self.check(spec, where))}(x)"]
        if kind == "date":
            return [
                "    if type(x) is not str or (y := DAYS.get(x)) is None:",
                f"        x = {self.date_name()}(x)",
                "    else:",
                "        x = y",
            ]
        if kind == "bool":
            return ["    if type(x) is not bool:", "        _doubt()"]
        if kind == "integer":
            low, high = _bounds(spec)
            test = f"type(x) is not int or not {int(low)} <= x <= {int(high)}"
            return [f"    if {test}:", "        _doubt()"]
        if kind == "list":
            assert spec.of is not None  # noqa: S101 - the spec's load refused a list without
            most = MAX_ITEMS if spec.max_items is None else spec.max_items
            lines = [f"    if type(x) is not list or len(x) > {int(most)}:", "        _doubt()"]
            item, item_where = spec.of, (*where, "[]")
            if item.type == "record":
                each = f"{self.record(item, item_where)}(y)"
            elif item.type == "string" and _plain(item):
                each = f"(y if {_PLAIN.format(x='y')} else {self.text_name()}(y))"
            else:
                each = f"{self.const(self.check(item, item_where))}(y)"
            return [*lines, f"    x = [{each} for y in x]"]
        return [f"    x = {self.record(spec, where)}(x)"]

    def check(self, spec: FactSpec, where: tuple[str, ...]) -> Check:
        """A fact of ``spec`` checked by a function (an item of a list of scalars)."""
        kind = spec.type
        if kind in ("string", "enum"):
            if kind == "string" and (spec.pattern is not None or spec.format is not None):
                return self._by_model(where)
            base = self.text_check() if kind == "string" else _enum(spec)
            return _none_and_formerly(spec, base)
        if kind == "date":
            return _date(self.date)
        if kind == "bool":
            return _bool
        if kind == "integer":
            return _integer(*_bounds(spec))
        return _doubt  # a list of lists: not checked here (the model decides)

    def text_name(self) -> str:
        if self._text_check is None:
            self._text_check = self.const(self.text_check())
        return self._text_check

    def date_name(self) -> str:
        if self._date_check is None:
            self._date_check = self.const(_date(self.date))
        return self._date_check

    def text_check(self) -> Check:
        text = self.text

        def check(value: Any) -> Any:
            if type(value) is not str:
                raise Doubt
            try:
                return text(value)
            except ValueError:
                raise Doubt from None

        return check

    def _by_model(self, where: tuple[str, ...]) -> Check:
        adapter: TypeAdapter[Any] = TypeAdapter(
            self.annotations[".".join(where).replace(".[]", "[]")]
        )

        def check(value: Any) -> Any:
            if type(value) is not str:
                raise Doubt
            try:
                return adapter.validate_python(value)
            except ValidationError:
                raise Doubt from None

        return check


def _none_and_formerly(spec: FactSpec, base: Check) -> Check:
    """As the model reads such a fact: a value written before read as what it means now
    (first), then an explicit none as it is, else the value as its type has it."""
    if spec.none is None and not spec.formerly:
        return base
    formerly = dict(spec.formerly or {})
    takes_none = spec.none is not None

    def check(value: Any) -> Any:
        if type(value) is str:
            value = formerly.get(value, value)
            if takes_none and value == NONE:
                return value
        return base(value)

    return check


def _enum(spec: FactSpec) -> Check:
    values = frozenset(spec.values or ())

    def check(value: Any) -> Any:
        if type(value) is str and value in values:
            return value
        raise Doubt

    return check


def _date(date: Check) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not str:
            raise Doubt  # a date object is the model's to take (or a date-time to refuse)
        try:
            return date(value)
        except ValueError:
            raise Doubt from None

    return check


def _bool(value: Any) -> Any:
    if type(value) is bool:
        return value
    raise Doubt


def _integer(low: int, high: int) -> Check:
    def check(value: Any) -> Any:
        if type(value) is int and low <= value <= high:
            return value
        raise Doubt

    return check
