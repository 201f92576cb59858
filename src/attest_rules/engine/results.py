"""What an evaluation answers: a status per question, its values, citations and reasons.

An ``Evaluation`` is also the decision record: it holds its inputs, the spec's content hash and
the library version, so ``attest-rules replay`` can evaluate it again and say what changed.

The results are plain dataclasses: the evaluator builds them from values it has already
checked, about 21 answers per case, and a validating constructor cost more than the rest of a
traced answer (see docs/performance.md). An evaluation and its answers are built fresh for
each case and are not frozen (a frozen dataclass cost a quarter of the traced rate); citations
and date explanations are shared between answers, so they are frozen. They have no slots: a
record is written from each object's ``__dict__``, copied at once (``engine.json_view``),
where pydantic's serializer reads a field at a time (built as fast either way).

Pydantic stays the JSON layer: each class has ``model_validate``/``model_validate_json``
(which do validate, for a record read back), ``model_dump``/``model_dump_json``,
``model_json_schema`` (``attest-rules schema result``) and ``model_copy``, through a
``TypeAdapter`` built on first use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, Self, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    WithJsonSchema,
    with_config,
)

from attest_rules.engine.vocabulary import CITATIONS, STATUS_WORDS, Citations, Lang, Status
from attest_rules.located.fields import document_config

__all__ = [  # the results, and the vocabulary's names (imported from here before they moved)
    "CITATIONS",
    "STATUS_WORDS",
    "Answer",
    "Citation",
    "Citations",
    "DateReason",
    "Evaluation",
    "Explanation",
    "Inputs",
    "Integrity",
    "Lang",
    "Status",
    "Witness",
]

# written records always carry every field, defaults included: required in their schema
_STRICT = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class _Record:
    """JSON in and out, and the JSON Schema, through pydantic."""

    _adapters: ClassVar[dict[type, TypeAdapter[Any]]] = {}

    @classmethod
    def _adapter(cls) -> TypeAdapter[Any]:
        adapter = _Record._adapters.get(cls)
        if adapter is None:
            adapter = _Record._adapters[cls] = TypeAdapter(cls)
        return adapter

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """Validate ``obj`` (a mapping, as from JSON) into this class; raises
        ``pydantic.ValidationError`` naming each field that is wrong."""
        value: Self = cls._adapter().validate_python(obj)
        return value

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Self:
        value: Self = cls._adapter().validate_json(data)
        return value

    @classmethod
    def model_json_schema(
        cls, mode: Literal["validation", "serialization"] = "serialization"
    ) -> dict[str, Any]:
        """The JSON Schema of what is written (``serialization``: every field always present is
        required, so a generated client need not test for it), or of what is read back."""
        schema: dict[str, Any] = cls._adapter().json_schema(mode=mode)
        return schema

    def model_dump(
        self, *, mode: Literal["python", "json"] = "python", exclude_none: bool = False
    ) -> dict[str, Any]:
        dumped: dict[str, Any] = self._adapter().dump_python(
            self, mode=mode, exclude_none=exclude_none
        )
        return dumped

    def model_dump_json(self, *, indent: int | None = None, exclude_none: bool = False) -> str:
        return self._adapter().dump_json(self, indent=indent, exclude_none=exclude_none).decode()

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with the fields in ``update`` replaced (not validated, as in pydantic)."""
        copied: Self = dataclasses.replace(cast(Any, self), **(update or {}))
        return copied


@with_config(_STRICT)
@dataclass(kw_only=True, frozen=True)  # built once, shared by the answers citing it
class Citation(_Record):
    """The clause an answer rests on, in the wording of the version it comes from."""

    provision_id: str
    number: str | None
    kind: str
    version: Annotated[str, Field(description="The version the wording comes from")]
    text_kk: Annotated[str | None, Field(description="Official Kazakh text; null where unknown")]
    anchor: Annotated[str, Field(description="Anchor of the provision in the rendered regulation")]
    href: Annotated[
        str,
        Field(
            description="The provision in the documentation site's consolidated text of its "
            "version, relative to the site root: regulation/<version>/#<anchor>"
        ),
    ] = ""


@with_config(_STRICT)
@dataclass(kw_only=True, frozen=True)  # built once per date, shared as citations are
class DateReason(_Record):
    """A date computed on the way, and how it was reached."""

    label: str
    date: dt.date
    steps: tuple[str, ...]
    interpretations: dict[str, str]
    warnings: tuple[str, ...]


def _cited_by_id(schema: dict[str, Any]) -> None:
    """A citation written as it is in a record of format 2 (a clause's id) or 1 (the clause)."""
    schema["items"] = {"anyOf": [{"type": "string"}, schema["items"]]}


@with_config(_STRICT)
@dataclass  # not kw_only: the evaluator builds ~20 a case, positionally (2x faster)
class Answer(_Record):
    question: str
    title: str
    status: Status
    outcome: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    missing: Annotated[list[str], Field(description="Facts needed but not given")] = field(
        default_factory=list
    )
    reasons: list[str] = field(default_factory=list)
    dates: list[DateReason] = field(default_factory=list)
    citations: Annotated[
        list[Citation],
        Field(
            description="The clauses the answer rests on: in a record of format 2, each the "
            "key of a clause in the record's clauses (provision_id@version); in format 1 "
            "(--citations full), each the clause itself",
            json_schema_extra=_cited_by_id,
        ),
    ] = field(default_factory=list)
    interpretations: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    event_date: dt.date | None = None
    uncertain: Annotated[
        bool, Field(description="The event date is inside an amendment's effective-date window")
    ] = False
    depends_on_version: Annotated[
        bool | None,
        Field(description="Inside a window: whether the answer differs under the other version"),
    ] = None
    alternative: Annotated[
        Answer | None, Field(description="The answer under the other version, inside a window")
    ] = None

    def key(self) -> tuple[Any, ...]:
        """What decides whether two answers agree: status, outcome, values, missing facts."""
        return (self.status, self.outcome, self.values, sorted(self.missing))


@with_config(_STRICT)
@dataclass(kw_only=True, frozen=True)
class Integrity(_Record):
    """What makes a record tamper-evident: the digest of its canonical JSON (every field but
    this one; keys sorted, no spaces, UTF-8), and optionally an Ed25519 signature of the same
    bytes (``attest-rules verify`` checks both)."""

    digest: Annotated[str, Field(description="sha256:HEX of the record's canonical JSON")]
    signature: Annotated[
        str | None, Field(description="Ed25519 signature of the canonical JSON, base64")
    ] = None
    public_key: Annotated[
        str | None, Field(description="The signer's Ed25519 public key, raw, base64")
    ] = None
    key_id: Annotated[
        str | None, Field(description="ed25519:HEX, the first 16 bytes of the key's sha256")
    ] = None


def _case_json(case: Any) -> dict[str, Any]:
    if isinstance(case, BaseModel):
        dumped: dict[str, Any] = case.model_dump(mode="json", exclude_none=True)
        return dumped
    return dict(case)


@with_config(_STRICT)
@dataclass(kw_only=True)
class Inputs(_Record):
    """What was evaluated. The case is held as validated (a record read back holds it as the
    JSON object it was written as, for the spec to validate again); it is written out as JSON
    without the facts that were not given."""

    case: Annotated[
        Any,
        PlainSerializer(_case_json, return_type=dict[str, Any]),
        WithJsonSchema(
            {
                "type": "object",
                "description": "The case's facts as given (its schema: attest-rules schema case)",
            }
        ),
    ]
    on: dt.date | None = None
    interpretations: Annotated[dict[str, str], Field(description="Overrides")] = field(
        default_factory=dict
    )
    lang: Annotated[
        Lang,
        Field(
            description="The language of titles, reasons and date steps (the library's "
            "wording, not legal text); en in records before it"
        ),
    ] = "en"


@with_config(_STRICT)
@dataclass(kw_only=True)
class Witness(_Record):
    """A completion of an undetermined answer's missing facts, and the answer it gives when
    evaluated: the case's facts with these added."""

    facts: Annotated[dict[str, Any], Field(description="Fact path → the value it is given")]
    status: Status
    outcome: str | None = None


@with_config(_STRICT)
@dataclass(kw_only=True)
class Explanation(_Record):
    """What would decide an undetermined answer (``evaluate --explain``): the missing facts
    shown to change it, and two witnesses, each evaluated, that give different answers."""

    question: str
    deciding: Annotated[
        list[str],
        Field(
            description="Missing facts shown to change the answer: two evaluated completions "
            "that differ in that fact alone give different answers"
        ),
    ] = field(default_factory=list)
    witnesses: Annotated[
        list[Witness], Field(description="Two evaluated completions with different answers")
    ] = field(default_factory=list)
    note: str = ""
    evaluations: Annotated[int, Field(description="Completions evaluated in the search")] = 0


@with_config(
    ConfigDict(
        **document_config("attest_rules evaluation (decision record)"),
        json_schema_serialization_defaults_required=True,
    )
)
@dataclass(kw_only=True)
class Evaluation(_Record):
    """The answers to every question for one case; also the replayable decision record."""

    format: Annotated[
        Literal[1, 2],
        Field(
            description="2: each cited clause held once, in clauses, the answers citing it by "
            "id; 1: each citation the clause itself (records before format 2, records written "
            "with --citations full, and an evaluation in memory before it is written)"
        ),
    ] = 1
    library_version: str
    spec_id: str
    spec_hash: str
    spec_version: Annotated[
        str | None,
        Field(description="The spec's own version of its content (null in records before it)"),
    ] = None
    case_id: str | None
    inputs: Inputs
    interpretations: Annotated[dict[str, str], Field(description="Every choice in effect")]
    overridden: Annotated[list[str], Field(description="Choices switched in this call")] = field(
        default_factory=list
    )
    answers: list[Answer]
    clauses: Annotated[
        dict[str, Citation] | None,
        Field(
            description="Format 2: each clause an answer cites, once, by its id "
            "(provision_id@version); null in format 1, where each citation is the clause"
        ),
    ] = None
    explanations: Annotated[
        list[Explanation] | None,
        Field(
            description="With --explain: for each undetermined answer, what would decide it "
            "(not part of what replay compares)"
        ),
    ] = None
    integrity: Annotated[
        Integrity | None,
        Field(description="The record's digest and signature, where it was written as a record"),
    ] = None

    def answer(self, question: str) -> Answer:
        for a in self.answers:
            if a.question == question:
                return a
        raise KeyError(question)
