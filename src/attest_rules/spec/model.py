"""The shape of a regulation spec (``spec/regulation_210.yaml``), as pydantic models.

These models are the single source of the spec's JSON Schema (``spec/regulation.schema.json``):
field descriptions here are what an analyst's editor shows while typing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
)

from attest_rules.lang.syntax import MAX_INT, MAX_ITEMS
from attest_rules.located.fields import SpecDate, document_config

ProvisionId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9]*(\.[a-z0-9_]+)*$",
        description="Stable provision id used in every citation, e.g. part.7 or part.8.list.2",
    ),
]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class LangText(_Strict):
    """Official wording, by language. ``kk`` is the text we hold; ``ru`` has room for the official
    Russian text once someone enters it."""

    kk: str = Field(min_length=1, description="Official Kazakh text, verbatim from the source")
    ru: str | None = Field(default=None, description="Official Russian text, where known")


class Gloss(_Strict):
    """An unofficial English gloss, written by the maintainers. Never legal text."""

    en: str = Field(min_length=1, description="Unofficial English gloss (not legal text)")


class MetaText(_Strict):
    """Text about the law (titles, notes, rules on entry into force): Kazakh as printed, and an
    English gloss."""

    kk: str = Field(min_length=1)
    en: str | None = Field(default=None, description="Unofficial English gloss")


def _text_tag(value: Any) -> str:
    return "unknown" if value == "unknown" else "text"


Wording = Annotated[
    Annotated[Literal["unknown"], Tag("unknown")] | Annotated[LangText, Tag("text")],
    Discriminator(_text_tag),
    Field(description='The official wording, or the word "unknown" where we do not hold it'),
]


class LibraryWording(_Strict):
    """The library's own words (a question's title, a reason), never legal text: English, with
    Kazakh and Russian where they have been written. A reader of a language without its
    translation is shown the English."""

    en: str = Field(min_length=1, description="The library's wording in English")
    kk: str | None = Field(
        default=None, description="The library's wording in Kazakh (not legal text)"
    )
    ru: str | None = Field(
        default=None, description="The library's wording in Russian (not legal text)"
    )

    def __str__(self) -> str:
        return self.en

    def said_in(self, lang: str) -> str:
        """The wording in ``lang`` (kk, ru, en); the English where it has none."""
        found = self.kk if lang == "kk" else self.ru if lang == "ru" else None
        return found or self.en


LibraryText = Annotated[
    str | LibraryWording,
    Field(
        description="The library's wording, not legal text: English alone, or {en, kk, ru}; "
        "{name} shows a value where the text is a reason"
    ),
]


def said_in(text: str | LibraryWording, lang: str) -> str:
    """``text`` (the library's wording) in ``lang``; English where it is all there is."""
    return text if isinstance(text, str) else text.said_in(lang)


class Inference(_Strict):
    """Something that can be inferred about an unknown wording, and from what. Not legal text."""

    statement: str = Field(min_length=1, description="What is inferred, in English")
    basis: list[ProvisionId] = Field(description="Provisions the inference rests on")


Status = Literal["satisfied", "violated", "undetermined", "not_applicable"]


class Choose(_Strict):
    """A value that depends on an interpretive choice: one expression per choice."""

    by: Ident = Field(description="The interpretation whose choice decides")
    cases: dict[str, str] = Field(description="Choice id → expression; every choice covered")


class OutcomeSpec(_Strict):
    """One possible answer. Outcomes are tried in order; the first whose ``when`` holds is the
    answer. The last has no ``when``: it is the answer when none before it holds."""

    id: Ident
    status: Status
    when: str | None = Field(default=None, description="Condition (an expression)")
    reason: LibraryText = Field(description="Why: the library's wording; {name} shows a value")
    cites: list[ProvisionId] = Field(default_factory=list, description="Narrower citations")


class CiteWhen(_Strict):
    """Citations that apply when a condition holds (item 7's good reason that was given)."""

    when: str
    cites: list[ProvisionId] = Field(min_length=1)


class RuleSpec(_Strict):
    """A question the provision settles, as data: what it reads, how it decides, why."""

    id: Ident = Field(description="The question's id, stable across versions")
    question: LibraryText = Field(description="The question asked: its title in answers")
    event: str = Field(description="Expression giving the date whose version applies")
    reads: list[str] = Field(default_factory=list, description="The facts it reads (checked)")
    terms: list[str] = Field(default_factory=list, description="The terms it uses (checked)")
    interpretations: list[Ident] = Field(
        default_factory=list, description="The interpretations it relies on (checked)"
    )
    cites: list[ProvisionId] = Field(default_factory=list)
    cite_when: list[CiteWhen] = Field(default_factory=list)
    applies: str | None = Field(default=None, description="When false: not applicable")
    let: dict[str, str | Choose] = Field(default_factory=dict, description="Named values")
    values: list[str] = Field(default_factory=list, description="Named values to report")
    outcomes: list[OutcomeSpec] = Field(default_factory=list)
    undetermined: LibraryText | None = Field(
        default=None, description="Where the wording is unknown: why no answer can be given"
    )


class Kind(StrEnum):
    preamble = "preamble"
    rules = "rules"
    chapter = "chapter"
    paragraph = "paragraph"
    item = "item"
    subitem = "subitem"
    list_entry = "list_entry"
    annex = "annex"
    form_field = "form_field"
    column_group = "column_group"
    table_column = "table_column"


class ProvisionSpec(_Strict):
    """One provision: a part of the act with its own id, number as printed and wording."""

    id: ProvisionId
    kind: Kind
    number: str | None = Field(
        default=None, description='The number as printed: "7.", "1)", "Параграф 2", "1-қосымша"'
    )
    heading: LangText | None = Field(
        default=None,
        description="A printed heading above the provision (an annex's stamp), verbatim",
    )
    text: Wording
    gloss: Gloss | None = None
    text_after: LangText | None = Field(
        default=None,
        description="Official text printed after the sub-provisions (a closing paragraph)",
    )
    gloss_after: Gloss | None = None
    inline: bool = Field(
        default=False,
        description="A list entry whose text also stands inside "
        "its parent's text (a list written out in a sentence)",
    )
    inferred: list[Inference] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list, description="The questions it settles")
    fills: str | None = Field(
        default=None,
        description="For a form field or table column: the expression over the facts that "
        "fills it (checked like a rule's expressions when the spec loads)",
    )
    row_number: bool = Field(
        default=False, description="A table column holding the row's number, not a fact"
    )
    no_rule: str | None = Field(
        default=None,
        description="Why this provision has no rule: the norm it sets is not computable from "
        "facts (an analyst's note, shown by `attest-rules coverage`)",
    )
    children: list[ProvisionSpec] = Field(default_factory=list)


class Registration(_Strict):
    registrar: str
    registered_on: SpecDate
    number: str


class Act(_Strict):
    """A legal act whose text or amendments the spec holds."""

    id: Ident
    kind: str
    number: str
    title: Annotated[
        Annotated[Literal["unknown"], Tag("unknown")] | Annotated[MetaText, Tag("text")],
        Discriminator(_text_tag),
    ]
    gloss: Gloss | None = None
    issuer: MetaText
    signed_on: SpecDate
    registration: Registration | None = None
    in_force_from: SpecDate | None = None
    in_force_basis: ProvisionId | None = None
    legal_basis: MetaText | None = None
    notes: list[MetaText] = Field(default_factory=list)


class Window(_Strict):
    """The dates between which an effective date must lie while it is not known."""

    earliest: SpecDate
    earliest_reason: str
    latest: SpecDate = Field(description="An assumption an analyst can edit; say why")
    latest_reason: str


class Effective(_Strict):
    """How an amendment's effective date follows from its publication."""

    rule: MetaText = Field(description="The entry-into-force clause as printed")
    after_publication: str = Field(
        description='The term after publication, e.g. "10 calendar days"'
    )
    published_on: SpecDate | None = Field(
        description="First official publication; null while unknown"
    )
    window: Window | None = None


class ReplaceOp(_Strict):
    """New wording of a provision (``жаңа редакцияда``): wording and sub-provisions are
    replaced."""

    op: Literal["replace"]
    target: ProvisionId
    provision: ProvisionSpec
    note: MetaText | None = None


class AmendOp(_Strict):
    """Changes to a provision (``өзгеріс енгізілді``): its resulting wording is given whole."""

    op: Literal["amend"]
    target: ProvisionId
    provision: ProvisionSpec
    note: MetaText | None = None


class RepealOp(_Strict):
    """Deletion of a provision with everything under it (``алып тасталды``)."""

    op: Literal["repeal"]
    target: ProvisionId
    note: MetaText | None = None


class AddOp(_Strict):
    """A new provision under ``parent`` (or at the top), after ``after`` (or first)."""

    op: Literal["add"]
    parent: ProvisionId | None = None
    after: ProvisionId | None = None
    provision: ProvisionSpec
    note: MetaText | None = None


ChangeOp = Annotated[ReplaceOp | AmendOp | RepealOp | AddOp, Field(discriminator="op")]


class VersionSpec(_Strict):
    """A version of the regulation: the base act, or an amendment given as a delta."""

    id: Ident
    title: str
    act: Ident = Field(description="Id of the act in `acts` this version comes from")
    effective_from: SpecDate | None = Field(default=None, description="Known effective date")
    effective: Effective | None = Field(
        default=None,
        description="Effective date that follows from publication (give this or effective_from)",
    )
    changes: list[ChangeOp] = Field(default_factory=list)


class Restoration(_Strict):
    """One repair of the PDF extraction: a displaced word put back in reading order."""

    id: Ident
    provision: ProvisionId
    field: Literal["text", "text_after", "heading", "note"] = "text"
    moved: str = Field(description="The displaced word(s)")
    extracted: str = Field(description="The source text as extracted, whitespace folded")
    restored: str = Field(description="The same passage as the spec holds it")
    moved_to: ProvisionId | None = Field(
        default=None, description="Where the displaced words belong when that is another provision"
    )
    note: str | None = None


class Choice(_Strict):
    id: Ident
    description: str


class Binds(_Strict):
    """What of the engine an interpretation sets: a parameter it consults itself."""

    to: str = Field(
        description="The parameter: legal_time.not_earlier_than, "
        "legal_time.year_from_29_february, versions.after_publication or versions.window"
    )
    values: dict[str, str] = Field(
        default_factory=dict,
        description="Each choice id → the parameter's value; omit it where the choice ids are "
        "the values",
    )


class Interpretation(_Strict):
    """A named interpretive choice: the question, the default, the alternatives and why."""

    id: Ident
    question: str
    default: Choice
    alternatives: list[Choice] = Field(min_length=1)
    reasoning: str
    legal_basis: list[str] = Field(min_length=1)
    concerns: list[ProvisionId] = Field(default_factory=list)
    binds: Binds | None = Field(
        default=None,
        description="Set where the engine itself consults this choice (legal time, versions); "
        "otherwise rules consult it by name",
    )


class Source(_Strict):
    file: str
    description: str


class Labels(_Strict):
    kk: str
    ru: str
    en: str


FactType = Literal["date", "bool", "integer", "string", "enum", "list", "record"]


class FactSpec(_Strict):
    """One fact a case may give: its type, what it means, where the Rules speak of it. A fact
    that is not given is unknown; a question that needs it says so."""

    type: FactType
    description: str | None = None
    provisions: list[ProvisionId] = Field(
        default_factory=list, description="The provisions this fact comes from"
    )
    pattern: str | None = Field(default=None, description="A string: the regex it must match")
    format: Literal["language"] | None = Field(
        default=None,
        description="A string that is a standard code: language, an ISO 639 language code "
        "as the Unicode CLDR knows it (kk, ru, en, und...), read with Babel",
    )
    values: list[str] | None = Field(default=None, description="An enum: its values")
    of: FactSpec | None = Field(default=None, description="A list: the type of its items")
    fields: dict[str, FactSpec] | None = Field(default=None, description="A record: its facts")
    optional: bool = Field(
        default=False,
        description="A top-level record that may be absent: the event it records did not happen",
    )
    required: bool = Field(
        default=False, description="A field of a list's record item that every item must give"
    )
    unique: bool = Field(default=False, description="A list: no item twice")
    unique_by: str | None = Field(
        default=None, description="A list of records: no two items with this field equal"
    )
    duplicate: str | None = Field(
        default=None,
        description="The message for an item given twice, after the item ('voted twice'); "
        "default 'is listed twice'",
    )
    max_items: int | None = Field(
        default=None, ge=0, le=MAX_ITEMS, description="A list: at most this many"
    )
    labels: dict[str, Labels] | None = Field(
        default=None,
        description="An enum: a label of each value in kk, ru and en, as forms show it (the "
        "library's words, not the law's: marked unofficial)",
    )
    none: str | None = Field(
        default=None,
        description="A string or an enum the law may say is absent: what an explicit none "
        "means here ('no secretary was appointed'). A case then writes none, apart from leaving "
        "the fact unknown (null, or not given); a rule tests it with == none or != none",
    )
    formerly: dict[str, str] | None = Field(
        default=None,
        description="A string or an enum: values written before, each read now as the value "
        "given (none included), so that older case files keep their meaning",
    )
    minimum: int | None = Field(
        default=None, ge=-MAX_INT, le=MAX_INT, description="An integer: its least value"
    )
    maximum: int | None = Field(
        default=None, ge=-MAX_INT, le=MAX_INT, description="An integer: its greatest value"
    )


class ConstraintSpec(_Strict):
    """Facts that contradict each other: ``require`` must not be false (unknown facts never
    break it). The message names ``field``; ``{path}`` in it shows that value."""

    id: Ident
    each: str | None = Field(
        default=None,
        description="'x in record.items': check every item of a list; '[]' in field is its index",
    )
    require: str = Field(description="An expression over the facts that must hold")
    field: str = Field(description="The field the problem is reported on")
    message: str
    provisions: list[ProvisionId] = Field(default_factory=list)


class FormSpec(_Strict):
    """A form the regulation prescribes (an annex), filled from a case: a document (one per
    case) or a table (a row per case). Its fields are the annex's form fields or table columns,
    each with its ``fills``."""

    id: Ident = Field(description="How the form is named on the command line")
    provision: ProvisionId = Field(description="The annex that is this form")
    kind: Literal["document", "table"]
    title: Labels = Field(description="The form's heading in kk, ru and en")
    issued_when: str | None = Field(
        default=None,
        description="When false, no form is issued for the case (a table has no row for it); "
        "unknown facts never withhold it",
    )
    not_issued: str | None = Field(default=None, description="Why, where issued_when is false")
    version_on: str | None = Field(
        default=None,
        description="The date whose version's annex text applies (the latest where unknown)",
    )


class PutItem(_Strict):
    by: str = Field(description="The item field that identifies it")
    item: dict[str, str] = Field(description="Item field → event field")


class EventType(_Strict):
    """One kind of event the monitor accepts, and what it records in the case's facts.

    A source is the name of one of the event's ``fields`` or ``at`` (its date); any other YAML
    value (true, [], null, or ``{literal: TEXT}``) is a literal. A field the event does not give
    changes nothing."""

    description: str | None = None
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="The event's fields, each typed as the fact it names (record.items[].field "
        "for the field of a list's item)",
    )
    required: list[str] = Field(default_factory=list, description="Fields the event must give")
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="The value of a field the event does not give"
    )
    set: dict[str, Any] = Field(default_factory=dict, description="fact path → source")
    add: dict[str, str] = Field(
        default_factory=dict, description="list fact → a field whose value joins it (once)"
    )
    remove: dict[str, str] = Field(
        default_factory=dict, description="list fact → a field whose value leaves it"
    )
    put: dict[str, PutItem] = Field(
        default_factory=dict,
        description="list of records → the item built from fields, replacing one with the same key",
    )
    mark: str | None = Field(default=None, description="A mark the case carries from then on")


class Watch(_Strict):
    """A question the monitor watches: a change of its answer is a finding."""

    question: Ident
    value: str | None = Field(
        default=None, description="Watch this named value of the rule instead of its outcome"
    )
    findings: dict[str, str] = Field(
        description="Outcome id (or the value: true, false, a text) → the finding's kind"
    )
    triggered_by: list[str] = Field(
        default_factory=list, description="Only on these event types (default: on any)"
    )
    every_time: bool = Field(
        default=False, description="Report on each such event, not only when the answer changes"
    )
    quiet_until: str | None = Field(
        default=None, description="No finding until the answer first reaches this outcome"
    )
    after: str | None = Field(
        default=None,
        description="No finding before the case carries this mark; the marking event reports "
        "the answer as it stands",
    )
    details: list[str] = Field(
        default_factory=list, description="Event fields copied into the finding's details"
    )


class Deadline(_Strict):
    """A rule value that is a due date, and the fact that records the action meeting it."""

    question: Ident
    value: str = Field(description="The rule's named value that is the due date")
    done_by: str = Field(description="The date fact recording the action")


class EventsSpec(_Strict):
    """What the live monitor accepts and watches (``attest-rules monitor``)."""

    clock: str = Field(description="The event type that tells the date (it needs at)")
    open: str | None = Field(
        default=None,
        description="The event type that opens a case: any other event of a case not open, "
        "and a second opening of an open case, are refused (without it, any event opens one)",
    )
    close: str = Field(description="The event type that closes a case")
    types: dict[str, EventType] = Field(min_length=1)
    watch: list[Watch] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)


class SpecDocument(_Strict):
    """A regulation spec: one YAML document per law."""

    model_config = document_config("attest_rules regulation spec")

    format: Literal[1] = Field(description="Spec format version")
    id: Ident
    version: str = Field(
        pattern=r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$",
        description="The version of this spec's content (its text, rules and choices), as its "
        "authors number it; every decision record carries it beside the content hash",
    )
    title: LangText
    gloss: Gloss | None = None
    source: Source
    acts: list[Act] = Field(min_length=1)
    versions: list[VersionSpec] = Field(min_length=1)
    provisions: list[ProvisionSpec] = Field(min_length=1)
    restorations: list[Restoration] = Field(default_factory=list)
    interpretations: list[Interpretation] = Field(default_factory=list)
    bare_number: str | None = Field(
        default=None,
        description="What a bare number N means where a provision id is asked for, as a "
        "template: the id with {n} (attest-rules show 7)",
        pattern=r"^[a-z0-9._]*\{n\}[a-z0-9._]*$",
    )
    facts: dict[str, FactSpec] = Field(
        default_factory=dict, description="Every fact a case may give, by name (a record)"
    )
    constraints: list[ConstraintSpec] = Field(
        default_factory=list, description="Consistency of the facts, checked before evaluating"
    )
    forms: list[FormSpec] = Field(default_factory=list, description="The annexes filled from cases")
    events: EventsSpec | None = Field(default=None, description="The live monitor's events")
