"""The annex forms filled from a case: the certificate (Annex 1) and the information table
(Annex 2).

What goes into each field is the spec's: a form field or table column carries ``fills``, an
expression over the facts checked when the spec loads. A field whose facts are not given is
reported with the facts it needs, never left as a silent blank; a field filled by hand (the
seal) says so. The wording of each field is the annex's official Kazakh text in the version in
force on the decision date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from attest_rules.engine.facts import Case
from attest_rules.errors import AttestRulesError
from attest_rules.lang.interpreter import Env, Missing
from attest_rules.legal_time import kz_calendar
from attest_rules.spec.regulation import Regulation

CERTIFICATE, TABLE = "annex1", "annex2"


class FormError(AttestRulesError):
    """A form that cannot be made for this case (a refusal has no certificate)."""


@dataclass(frozen=True)
class FilledField:
    id: str
    number: str | None
    text_kk: str | None
    gloss_en: str | None
    value: Any  # JSON-ready; None where not filled
    missing: tuple[str, ...] = ()  # facts it needs that are not given
    by_hand: str | None = None  # why it is not filled from facts (the seal)


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
        return {**asdict(self), "missing": self.missing}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(_plain(v)) for v in value)
    return value


def _version(reg: Regulation, case: Case, on: dt.date | None, choices: Mapping[str, str]) -> str:
    """The version whose annex text applies: the one in force on ``on`` or the decision date;
    the latest where neither is known (the annexes have not been amended)."""
    day = on or case.decision.date
    if day is None:
        return reg.versions[-1].id
    return reg.versions[reg.version_indices(day, choices)[0]].id


def fill(
    reg: Regulation,
    annex: str,
    case: Case,
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
    row: int | None = None,
) -> Form:
    """Fill ``annex`` (its form fields or table columns, in order) from ``case``."""
    choices = reg.choices(interpretations)
    version = _version(reg, case, on, choices)
    index = reg.provision_index(version)
    if annex not in index:
        raise FormError(f"no {annex} in version {version}")
    facts = case.model_dump()
    env = Env(facts, choices, kz_calendar(), reg.bindings.readings(choices))
    fields: list[FilledField] = []
    for p in index.values():
        if not p.id.startswith(annex + ".") or p.kind not in ("form_field", "table_column"):
            continue
        text = p.text["kk"] if p.text else None
        gloss = p.gloss.get("en")
        if p.row_number:
            fields.append(FilledField(p.id, p.number, text, gloss, row))
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
        else:
            fields.append(FilledField(p.id, p.number, text, gloss, _plain(value)))
    title = index[annex].text
    return Form(annex, title["kk"] if title else None, version, case.id, tuple(fields))


def certificate(
    reg: Regulation,
    case: Case,
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
) -> Form:
    """Annex 1, the certificate of the category granted. A refusal grants none (item 15)."""
    if case.decision.outcome == "refusal":
        raise FormError(
            f"case {case.id or '(no id)'}: the decision refused a category; there is no "
            "certificate (items 15, 17)"
        )
    return fill(reg, CERTIFICATE, case, on, interpretations)


@dataclass(frozen=True)
class Table:
    columns: tuple[FilledField, ...]  # the column headings (values empty)
    # (id, text_kk, gloss_en, column ids) of each group of columns
    groups: tuple[tuple[str, str | None, str | None, tuple[str, ...]], ...]
    rows: tuple[Form, ...]
    skipped: tuple[str, ...]  # cases with no row, and why

    @property
    def missing(self) -> list[str]:
        return [
            f"row {i} ({r.case_id}): {', '.join(r.missing)}"
            for i, r in enumerate(self.rows, 1)
            if r.missing
        ]


def information_table(
    reg: Regulation,
    cases: Iterable[Case],
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
) -> Table:
    """Annex 2: one row per case that granted a category (a refusal grants none and is listed
    in ``skipped``), its columns in the annex's order."""
    rows: list[Form] = []
    skipped: list[str] = []
    for case in cases:
        if case.decision.outcome == "refusal":
            skipped.append(f"{case.id or '(no id)'}: the decision refused a category")
            continue
        rows.append(fill(reg, TABLE, case, on, interpretations, row=len(rows) + 1))
    version = rows[0].version if rows else reg.versions[-1].id
    index = reg.provision_index(version)
    columns = tuple(
        FilledField(p.id, p.number, p.text["kk"] if p.text else None, p.gloss.get("en"), None)
        for p in index.values()
        if p.id.startswith(TABLE + ".") and p.kind == "table_column"
    )
    groups = tuple(
        (p.id, p.text["kk"] if p.text else None, p.gloss.get("en"), p.children)
        for p in index.values()
        if p.id.startswith(TABLE + ".") and p.kind == "column_group"
    )
    return Table(columns, groups, tuple(rows), tuple(skipped))
