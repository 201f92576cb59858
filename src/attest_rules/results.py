"""What an evaluation answers: a status per question, its values, citations and reasons.

These models are the result's JSON Schema (``attest-rules schema result``). An ``Evaluation`` is
also the decision record: it holds its inputs, the spec's content hash and the library version,
so ``attest-rules replay`` can evaluate it again and say what changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .model import document_config

Status = Literal["satisfied", "violated", "undetermined", "not_applicable"]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Result):
    """The clause an answer rests on, in the wording of the version it comes from."""

    provision_id: str
    number: str | None
    kind: str
    version: str = Field(description="The version the wording comes from")
    text_kk: str | None = Field(description="Official Kazakh text; null where unknown")
    anchor: str = Field(description="Anchor of the provision in the rendered regulation")
    href: str = Field(
        default="",
        description="The provision in the documentation site's consolidated text of its "
        "version, relative to the site root: regulation/<version>/#<anchor>",
    )


class DateReason(_Result):
    """A date computed on the way, and how it was reached."""

    label: str
    date: dt.date
    steps: list[str]
    interpretations: dict[str, str]
    warnings: list[str]


class Answer(_Result):
    question: str
    title: str
    status: Status
    outcome: str | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list, description="Facts needed but not given")
    reasons: list[str] = Field(default_factory=list)
    dates: list[DateReason] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    interpretations: dict[str, str] = Field(default_factory=dict)
    version: str | None = None
    event_date: dt.date | None = None
    uncertain: bool = Field(
        default=False, description="The event date is inside an amendment's effective-date window"
    )
    depends_on_version: bool | None = Field(
        default=None,
        description="Inside a window: whether the answer differs under the other version",
    )
    alternative: Answer | None = Field(
        default=None, description="The answer under the other version, inside a window"
    )

    def key(self) -> tuple[Any, ...]:
        """What decides whether two answers agree: status, outcome, values, missing facts."""
        return (self.status, self.outcome, self.values, sorted(self.missing))


class Inputs(_Result):
    case: dict[str, Any]
    on: dt.date | None = None
    interpretations: dict[str, str] = Field(default_factory=dict, description="Overrides")


class Evaluation(_Result):
    """The answers to every question for one case; also the replayable decision record."""

    model_config = document_config("attest_rules evaluation (decision record)")

    format: Literal[1] = 1
    library_version: str
    spec_id: str
    spec_hash: str
    case_id: str | None
    inputs: Inputs
    interpretations: dict[str, str] = Field(description="Every choice in effect")
    overridden: list[str] = Field(default_factory=list, description="Choices switched in this call")
    answers: list[Answer]

    def answer(self, question: str) -> Answer:
        for a in self.answers:
            if a.question == question:
                return a
        raise KeyError(question)
