"""The query parameters of the evaluating endpoints (``POST /evaluate``, ``POST
/evaluate/batch``), declared once: each one's name, its OpenAPI schema and description, and how
its text is read. The OpenAPI document's parameters and the endpoints' reading of a query both
come from here, so the two cannot drift apart.

A value that is not valid is a ``QueryError`` naming its parameter (``query.on``), which the
service answers 422 ``bad_request`` as it does any parameter of its other endpoints. A
parameter not declared is ignored, as the other endpoints ignore one. Given twice, a single
value's last one counts; ``interpretation`` may be given any number of times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from attest_rules.engine.vocabulary import CITATIONS
from attest_rules.errors import AttestRulesError
from attest_rules.messages import LANGS


class QueryError(AttestRulesError):
    """Query parameters that are not valid: ``location`` has a field and a message for each."""

    def __init__(self, location: list[dict[str, str]]) -> None:
        super().__init__("the request's parameters are not valid")
        self.location = location


# as pydantic reads a boolean from text (what FastAPI's parameters accept)
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("Input should be a valid boolean, unable to interpret input")


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        message = f"Input should be a valid date in the format YYYY-MM-DD, not {text!r}"
        raise ValueError(message) from None


def _one_of(values: Sequence[str]) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in values:
            raise ValueError(f"Input should be {' or '.join(repr(v) for v in values)}")
        return text

    return read


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, its OpenAPI schema, what it means, and how its text is
    read (a ``ValueError`` saying why it is not valid); ``many``: given any number of times,
    its values a list."""

    name: str
    schema: Mapping[str, Any]
    description: str
    read: Callable[[str], Any]
    default: Any = None
    many: bool = False

    def openapi(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": "query",
            "required": False,
            "schema": dict(self.schema),
            "description": self.description,
        }


INTERPRETATION = Param(
    "interpretation",
    {"type": "array", "items": {"type": "string"}, "default": []},
    "ID=CHOICE, an interpretation switched for this call (repeat for more)",
    str,
    default=(),
    many=True,
)
ON = Param(
    "on",
    {"type": "string", "format": "date"},
    "YYYY-MM-DD: every question evaluated under the text in force on this date (default: "
    "each under the text in force on its own event's date)",
    _date,
)


def _flag(name: str, description: str) -> Param:
    return Param(name, {"type": "boolean", "default": False}, description, _boolean, default=False)


ANSWERS_ONLY = _flag("answers_only", "only each question's status and outcome")
EXPLAIN = _flag("explain", "for each undetermined answer, what would decide it")
LANG = Param(
    "lang",
    {"type": "string", "enum": list(LANGS), "default": "kk"},
    "the language of titles, reasons and date steps",
    _one_of(LANGS),
    default="kk",
)
CITATIONS_PARAM = Param(
    "citations",
    {"type": "string", "enum": list(CITATIONS), "default": "ids"},
    "ids: each cited clause held once in the record's clauses, cited by id (format 2); "
    "full: each citation the clause itself (format 1)",
    _one_of(CITATIONS),
    default="ids",
)

EVALUATE = (INTERPRETATION, ON, ANSWERS_ONLY, EXPLAIN, LANG, CITATIONS_PARAM)
"""``POST /evaluate``'s parameters."""
BATCH = (INTERPRETATION, ON, ANSWERS_ONLY, LANG, CITATIONS_PARAM)
"""``POST /evaluate/batch``'s parameters (one case's search is not a batch's)."""


def read_query(query: bytes | str, params: Sequence[Param]) -> dict[str, Any]:
    """Every parameter of ``params`` from a query string: its value, or its default where it is
    not given. Each value that is not valid is named in one ``QueryError``."""
    text = query.decode("latin-1") if isinstance(query, bytes) else query
    given: dict[str, list[str]] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        given.setdefault(key, []).append(value)
    values: dict[str, Any] = {}
    problems: list[dict[str, str]] = []
    for param in params:
        texts = given.get(param.name)
        if not texts:
            values[param.name] = list(param.default) if param.many else param.default
            continue
        try:
            if param.many:
                values[param.name] = [param.read(t) for t in texts]
            else:
                values[param.name] = param.read(texts[-1])
        except ValueError as exc:
            problems.append({"field": f"query.{param.name}", "message": str(exc)})
    if problems:
        raise QueryError(problems)
    return values
