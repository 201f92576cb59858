"""The forms a regulation prescribes (its annexes), filled from cases: a document (one per case,
such as a certificate) or a table (a row per case).

Everything about a form is the spec's (``forms:``): which annex it is, when it is issued (an
expression: a refusal gets no certificate and no row), which version's text applies, and, on
each form field or table column, ``fills``, the expression that fills it. A field whose facts
are not given is reported with the facts it needs, never left as a silent blank; a field filled
by hand (a seal) says so. The wording of each field is the annex's official Kazakh text in the
version in force on the form's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from attest_rules.engine.regulation import Regulation
from attest_rules.errors import AttestRulesError
from attest_rules.lang.interpreter import Env, Missing
from attest_rules.lang.syntax import NONE
from attest_rules.lang.typecheck import Checker
from attest_rules.legal_time import kz_calendar
from attest_rules.spec.facts import CaseModel
from attest_rules.spec.rulebook import FIELD_KINDS, CompiledForm


class FormError(AttestRulesError):
    """A form that cannot be made for this case (it is not issued), or is not in the spec."""


@dataclass(frozen=True)
class FilledField:
    id: str
    number: str | None
    text_kk: str | None
    gloss_en: str | None
    value: Any  # JSON-ready; None where not filled
    missing: tuple[str, ...] = ()  # facts it needs that are not given
    by_hand: str | None = None  # why it is not filled from facts (the seal)
    labels: Mapping[str, str] | None = None  # the value's label by language, where it has one
    kind: str = "text"  # what the value is: text, date (ISO), number, yes/no (bool), none


@dataclass(frozen=True)
class Form:
    annex: str
    title_kk: str | None
    version: str
    case_id: str | None
    fields: tuple[FilledField, ...]

    @property
    def missing(self) -> list[str]:
        return sorted({m for f in self.fields for m in f.missing})

    def as_dict(self) -> dict[str, Any]:
        out = {**asdict(self), "missing": self.missing}
        for f in out["fields"]:
            if f.pop("kind") == NONE:  # the JSON value says what it is, but for none
                f[NONE] = True
            if f["labels"] is None:
                del f["labels"]
        return out


def _may_be_none(reg: Regulation, fills: str) -> bool:
    return Checker(reg.facts.record).may_be_none(reg.rulebook.fills[fills].node)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(_plain(v)) for v in value)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "number"
    return "text"


def form_of(reg: Regulation, form_id: str) -> CompiledForm:
    """The form ``form_id`` of the spec; an error listing the forms where there is none."""
    form = reg.rulebook.forms.get(form_id)
    if form is None:
        known = ", ".join(reg.rulebook.forms) or "none"
        raise FormError(f"the spec has no form {form_id!r}; its forms: {known}")
    return form


def _env(reg: Regulation, case: CaseModel, choices: Mapping[str, str]) -> Env:
    return Env(case.model_dump(), choices, kz_calendar(), reg.bindings.readings(choices))


def _version(reg: Regulation, form: CompiledForm, env: Env, on: dt.date | None) -> str:
    """The version whose annex text applies: the one in force on ``on`` or the form's date;
    the latest where neither is known."""
    day = on
    if day is None and form.version_on is not None:
        found = form.version_on(env)
        day = None if isinstance(found, Missing) else found
    if day is None:
        return reg.versions[-1].id
    return reg.versions[reg.version_indices(day, env.choices)[0]].id


def issued(
    reg: Regulation, form: CompiledForm, case: CaseModel, choices: Mapping[str, str]
) -> bool:
    """Whether ``form`` is issued for ``case``: not where its condition is false (unknown facts
    never withhold it)."""
    return form.issued_when is None or form.issued_when(_env(reg, case, choices)) is not False


def fill(
    reg: Regulation,
    form_id: str,
    case: CaseModel,
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
    row: int | None = None,
) -> Form:
    """Fill ``form_id`` (its form fields or table columns, in order) from ``case``; a form
    not issued for the case is a ``FormError`` saying why."""
    form = form_of(reg, form_id)
    choices = reg.choices(interpretations)
    env = _env(reg, case, choices)
    if form.issued_when is not None and form.issued_when(env) is False:
        raise FormError(f"case {case.id or '(no id)'}: {form.spec.not_issued}")
    version = _version(reg, form, env, on)
    index = reg.provision_index(version)
    annex = form.spec.provision
    if annex not in index:
        raise FormError(f"no {annex} in version {version}")
    labels = reg.facts.labels
    fields: list[FilledField] = []
    for p in index.values():
        if not p.id.startswith(annex + ".") or p.kind != FIELD_KINDS[form.spec.kind]:
            continue
        text = p.text["kk"] if p.text else None
        gloss = p.gloss.get("en")
        if p.row_number:
            fields.append(FilledField(p.id, p.number, text, gloss, row, kind="number"))
            continue
        if p.fills is None:
            why = p.no_rule or "not filled from facts"
            fields.append(FilledField(p.id, p.number, text, gloss, None, by_hand=why.strip()))
            continue
        value = reg.rulebook.fills[p.fills](env)
        if isinstance(value, Missing):
            fields.append(
                FilledField(p.id, p.number, text, gloss, None, tuple(sorted(value.paths)))
            )
            continue
        if value == NONE and _may_be_none(reg, p.fills):  # the law's "none": an empty field
            fields.append(FilledField(p.id, p.number, text, gloss, None, kind=NONE))
            continue
        label = labels.get(p.fills.strip(), {}).get(value) if isinstance(value, str) else None
        fields.append(
            FilledField(p.id, p.number, text, gloss, _plain(value), labels=label, kind=_kind(value))
        )
    title = index[annex].text
    return Form(annex, title["kk"] if title else None, version, case.id, tuple(fields))


def document(
    reg: Regulation,
    form_id: str,
    case: CaseModel,
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
) -> Form:
    """A document form (one per case) filled from ``case``."""
    form = form_of(reg, form_id)
    if form.spec.kind != "document":
        raise FormError(f"{form_id} is a table: give it cases, a row each")
    return fill(reg, form_id, case, on, interpretations)


@dataclass(frozen=True)
class Table:
    columns: tuple[FilledField, ...]  # the column headings (values empty)
    # (id, text_kk, gloss_en, column ids) of each group of columns
    groups: tuple[tuple[str, str | None, str | None, tuple[str, ...]], ...]
    rows: tuple[Form, ...]
    skipped: tuple[str, ...]  # cases with no row, and why
    sheet: str  # the annex's number, as the workbook's sheet is named

    @property
    def missing(self) -> list[str]:
        return [
            f"row {i} ({r.case_id}): {', '.join(r.missing)}"
            for i, r in enumerate(self.rows, 1)
            if r.missing
        ]


def table(
    reg: Regulation,
    form_id: str,
    cases: Iterable[CaseModel],
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
) -> Table:
    """A table form: one row per case it is issued for (the others are listed in
    ``skipped`` with why), its columns in the annex's order."""
    form = form_of(reg, form_id)
    if form.spec.kind != "table":
        raise FormError(f"{form_id} is a document: give it one case")
    choices = reg.choices(interpretations)
    rows: list[Form] = []
    skipped: list[str] = []
    for case in cases:
        if not issued(reg, form, case, choices):
            skipped.append(f"{case.id or '(no id)'}: {form.spec.not_issued}")
            continue
        rows.append(fill(reg, form_id, case, on, interpretations, row=len(rows) + 1))
    version = rows[0].version if rows else reg.versions[-1].id
    index = reg.provision_index(version)
    annex = form.spec.provision
    columns = tuple(
        FilledField(p.id, p.number, p.text["kk"] if p.text else None, p.gloss.get("en"), None)
        for p in index.values()
        if p.id.startswith(annex + ".") and p.kind == "table_column"
    )
    groups = tuple(
        (p.id, p.text["kk"] if p.text else None, p.gloss.get("en"), p.children)
        for p in index.values()
        if p.id.startswith(annex + ".") and p.kind == "column_group"
    )
    sheet = index[annex].number if annex in index else None
    return Table(columns, groups, tuple(rows), tuple(skipped), sheet or form_id)
