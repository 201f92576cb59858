"""The shapes of the JSON documents the command line and the service print, as typed
dictionaries: ``attest-rules schema NAME`` generates each one's JSON Schema from them (the
committed files in ``spec/``), and a test validates what each command prints against it."""

from __future__ import annotations

from typing import Any, Literal, NotRequired

# typing_extensions (a dependency of pydantic): pydantic reads its TypedDict on Python 3.11
from typing_extensions import TypedDict

Text = dict[str, str]  # a text by language: {"kk": ...}, {"en": ...}


class Act(TypedDict):
    id: str
    number: str
    signed_on: str | None


class Window(TypedDict):
    earliest: str | None
    latest: str | None
    earliest_reason: str
    latest_reason: str


class VersionDoc(TypedDict):
    """A version of the regulation (``versions``, ``GET /versions``: a list of them)."""

    id: str
    title: str
    act: Act
    effective_from: str | None
    published_on: str | None
    window: Window | None
    changes: list[dict[str, Any]]


class ProvisionDoc(TypedDict):
    id: str
    number: str | None
    kind: str
    status: str
    version: str | None
    change: str | None
    parent: str | None
    children: list[str]
    heading: Text | None
    text: Text | None
    text_after: Text | None
    gloss: dict[str, Any] | None
    inferred: list[dict[str, Any]]
    notes: list[dict[str, Any]]


class RegulationDoc(TypedDict):
    """The text in force on a date (``show``, ``GET /regulation``); inside an effective-date
    window, the other reading as ``alternative``."""

    on: str
    version: str
    versions: list[str]
    uncertain: bool
    uncertain_versions: list[str]
    assumed: str | None
    interpretations: dict[str, str]
    provisions: list[ProvisionDoc]
    alternative: NotRequired[RegulationDoc]


class ChangeDoc(TypedDict):
    provision_id: str
    number: str | None
    provision_kind: str
    kind: str
    before: Text | None
    after: Text | None
    before_version: str | None
    after_version: str | None
    by_version: str | None
    uncertain: bool
    parts: list[ChangeDoc]


class Side(TypedDict):
    date: str
    version: str
    uncertain: bool


DiffDoc = TypedDict("DiffDoc", {"from": Side, "to": Side, "changes": list[ChangeDoc]})
DiffDoc.__doc__ = "What changed between two dates' texts (``diff``, ``GET /diff``)."


class VerifyDoc(TypedDict):
    """A record's digest and signature (``verify``, ``POST /verify``)."""

    ok: bool
    digest: bool
    signed: bool
    signature: bool | None
    key_id: str | None
    trusted_key: bool
    problems: list[str]


class ReplayChange(TypedDict):
    question: str
    fields: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ReplayDoc(TypedDict):
    """A record evaluated again (``replay``, ``POST /replay``)."""

    matches: bool
    causes: list[str]
    record_changes: list[str]
    verification: VerifyDoc | None
    changes: list[ReplayChange]


class CheckDoc(TypedDict):
    """A spec that loads (``check``); its errors are an error document."""

    ok: bool
    file: str
    warnings: list[dict[str, Any]]


class Explanation(TypedDict):
    kind: str
    event: str
    term: str
    raw_end: str
    shifted_from: str | None
    steps: list[str]
    readings: dict[str, str]
    warnings: list[str]
    interpretations: NotRequired[dict[str, str]]


class TermDoc(TypedDict):
    """The date a term gives, and how (``term``)."""

    date: str
    explanation: Explanation


class WorkingDayDoc(TypedDict):
    """``calendar is-working-day``, ``GET /calendar/working-day``."""

    date: str
    working: bool
    reason: str
    warnings: list[str]


class AddWorkingDaysDoc(TypedDict):
    """``calendar add-working-days``, ``GET /calendar/add-working-days``."""

    date: str
    n: int
    result: str
    reason: str
    warnings: list[str]


WorkingDaysDoc = TypedDict(
    "WorkingDaysDoc", {"from": str, "to": str, "working_days": int, "warnings": list[str]}
)
WorkingDaysDoc.__doc__ = "``calendar working-days``, ``GET /calendar/working-days``."


class CoverageSummary(TypedDict):
    provisions: int
    with_rules: int
    rules: int
    rules_exercised: int
    outcomes: int
    outcomes_reached: int
    gaps: int


class CoverageDoc(TypedDict):
    """Rules, case files and outcomes per provision (``coverage``)."""

    summary: CoverageSummary
    provisions: list[dict[str, Any]]
    gaps: list[str]


class Movement(TypedDict):
    status: str
    outcome: str | None


ImpactChange = TypedDict(
    "ImpactChange",
    {"from": Movement, "to": Movement, "cases": int, "case_ids": list[str]},
)


class ImpactQuestion(TypedDict):
    question: str
    changed: int
    changes: list[ImpactChange]


class ImpactDoc(TypedDict):
    """What an amendment or an interpretation does to a batch (``impact``)."""

    a: str
    b: str
    cases: int
    cases_changed: int
    rejected: list[str]
    questions: list[ImpactQuestion]


class FormField(TypedDict):
    id: str
    number: str | None
    text_kk: str | None
    gloss_en: str | None
    value: Any
    missing: list[str]
    by_hand: str | None
    labels: NotRequired[dict[str, str]]
    none: NotRequired[Literal[True]]


class FormDoc(TypedDict):
    """A document form filled from a case (``annex1``, ``form FORM``)."""

    annex: str
    title_kk: str | None
    version: str
    case_id: str | None
    fields: list[FormField]
    missing: list[str]


class Choice(TypedDict):
    id: str
    description: str


class InterpretationDoc(TypedDict):
    """An interpretive choice of the spec (``GET /interpretations``: a list of them)."""

    id: str
    question: str
    default: Choice
    alternatives: list[Choice]
    reasoning: str
    legal_basis: list[str]


class HealthDoc(TypedDict):
    """``GET /health``."""

    status: Literal["ok"]
    spec_id: str
    spec_version: str
    spec_hash: str
    library_version: str


class PageWordsDoc(TypedDict):
    """``GET /messages?lang=``: the page's own words in one language, from the gettext
    catalogues (the library's wording, not legal text)."""

    satisfied: str
    violated: str
    undetermined: str
    not_applicable: str
    missing: str
    title: str
    case: str
    lang: str
    on: str
    compare: str
    on2: str
    evaluate: str
    compare_button: str
    question: str
    status: str
    why: str
    other: str
    clause: str
    changed: str
    default_choice: str
    wording: str


SHAPES: dict[str, Any] = {
    "versions": list[VersionDoc],
    "consolidated": RegulationDoc,
    "diff": DiffDoc,
    "replay": ReplayDoc,
    "verify": VerifyDoc,
    "check": CheckDoc,
    "term": TermDoc,
    "working-day": WorkingDayDoc,
    "add-working-days": AddWorkingDaysDoc,
    "working-days": WorkingDaysDoc,
    "coverage": CoverageDoc,
    "impact": ImpactDoc,
    "form": FormDoc,
    "interpretations": list[InterpretationDoc],
    "health": HealthDoc,
    "messages": PageWordsDoc,
}
"""Each document a program reads, by the name of its schema (``<name>.schema.json``)."""
