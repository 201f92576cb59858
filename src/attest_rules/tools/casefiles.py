"""Case files: YAML tests an analyst can write, each a case and the answers it must get.

```yaml
base: {...}                     # optional: facts every case starts from
cases:
  - name: two thirds exactly is quorate
    on: 2025-03-03              # optional: evaluate every question on this date
    interpretations: {}         # optional: ID: CHOICE
    case: {...}                 # the facts, merged over base (mappings merge, lists replace)
    expect:
      session.quorum:
        status: satisfied
        outcome: quorate
        values: {attending: 4}  # only the values named are compared
        version: amend-403      # optional, like missing, citations, depends_on_version
      attestation.window:       # an undetermined answer: what would decide it (explain)
        status: undetermined
        deciding: [worker.appointed_on]
        witnesses: [{status: violated, outcome: overdue}, {status: satisfied}]
```
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema

from attest_rules.engine.regulation import Regulation
from attest_rules.engine.results import Answer, Explanation, Status
from attest_rules.errors import AttestRulesError, SpecError
from attest_rules.located.fields import SpecDate
from attest_rules.located.reader import input_name, read_file, read_yaml
from attest_rules.located.validation import validation_issues


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expected(_Strict):
    status: Status
    outcome: str | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] | None = None
    version: str | None = None
    citations: list[str] = Field(default_factory=list, description="Provision ids cited")
    depends_on_version: bool | None = None
    deciding: list[str] | None = Field(
        default=None,
        description="An undetermined answer: the missing facts shown to decide it (the case is "
        "then evaluated with explain)",
    )
    witnesses: list[Expected] | None = Field(
        default=None,
        description="An undetermined answer: the status (and outcome) of its two witnesses",
    )


# a case's facts as the spec's case schema has them (committed beside this one: the schema
# generator points this mark at it)
FACTS_MARK = "x-attest-rules-facts"
_FACTS = WithJsonSchema({"type": "object", FACTS_MARK: True})


class CaseSpec(_Strict):
    name: str
    on: SpecDate | None = None
    interpretations: dict[str, str] = Field(
        default_factory=dict, description="ID: CHOICE, switched for this case"
    )
    case: Annotated[dict[str, Any], _FACTS] = Field(
        description="The facts, merged over the file's base (mappings merge, lists replace)"
    )
    expect: dict[str, Expected] = Field(
        min_length=1, description="Question id → what its answer must be"
    )


class CaseFile(_Strict):
    """A case file: cases an analyst writes, each with the answers it must get
    (``attest-rules test``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "attest_rules case file",
        },
    )

    description: str | None = None
    base: Annotated[dict[str, Any], _FACTS] = Field(
        default_factory=dict,
        description="Facts every case starts from; each case's facts are merged over them",
    )
    cases: list[CaseSpec] = Field(min_length=1)


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base``: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Exercised:
    """One asserted answer as it ran: the question, the version and the outcome (also under
    the other version, inside an effective-date window)."""

    question: str
    version: str | None
    status: str
    outcome: str | None


@dataclass(frozen=True)
class CaseResult:
    file: str
    name: str
    failures: tuple[str, ...]
    exercised: tuple[Exercised, ...] = ()  # what the asserted answers ran through

    @property
    def passed(self) -> bool:
        return not self.failures


def load_case_file(path: str | Path) -> CaseFile:
    file = Path(path)
    located = read_yaml(read_file(file), input_name(file))
    if located.issues:
        raise SpecError(located.issues)
    try:
        return CaseFile.model_validate(located.data)
    except ValidationError as exc:
        raise SpecError(validation_issues(exc, located)) from None


def _compare(
    question: str, want: Expected, got: Answer, explained: Explanation | None = None
) -> list[str]:
    problems = []

    def differ(what: str, expected: Any, actual: Any) -> None:
        clause = (
            "; ".join(
                f"{c.provision_id} [{c.version}]: {(c.text_kk or '(unknown)')[:90]}"
                for c in got.citations[:2]
            )
            or "no clause"
        )
        problems.append(
            f"{question}: {what}: expected {expected!r}, got {actual!r} "
            f"(reasons: {'; '.join(got.reasons[:2])}; clause: {clause})"
        )

    if want.status != got.status:
        differ("status", want.status, got.status)
    if want.outcome is not None and want.outcome != got.outcome:
        differ("outcome", want.outcome, got.outcome)
    for name, value in want.values.items():
        expected = value.isoformat() if isinstance(value, dt.date) else value
        if got.values.get(name) != expected:
            differ(f"value {name}", expected, got.values.get(name))
    if want.missing is not None and sorted(want.missing) != sorted(got.missing):
        differ("missing", sorted(want.missing), got.missing)
    if want.version is not None and want.version != got.version:
        differ("version", want.version, got.version)
    cited = {c.provision_id for c in got.citations}
    for pid in want.citations:
        if pid not in cited:
            differ("citation", pid, sorted(cited))
    if want.depends_on_version is not None and want.depends_on_version != got.depends_on_version:
        differ("depends_on_version", want.depends_on_version, got.depends_on_version)
    if want.deciding is not None or want.witnesses is not None:
        if explained is None:
            differ("an explanation", "one (the answer is undetermined)", "none")
            return problems
        if want.deciding is not None and sorted(want.deciding) != explained.deciding:
            differ("deciding", sorted(want.deciding), explained.deciding)
        if want.witnesses is not None:
            shown = [(w.status, w.outcome) for w in explained.witnesses]
            wanted = [(w.status, w.outcome) for w in want.witnesses]
            if len(shown) != len(wanted) or any(
                s != w[0] or (w[1] is not None and o != w[1])
                for (s, o), w in zip(shown, wanted, strict=False)
            ):
                differ("witnesses", wanted, f"{shown} ({explained.note})")
    return problems


def run_case(
    reg: Regulation, file: str, spec: CaseSpec, base: dict[str, Any] | None = None
) -> CaseResult:
    explain = any(w.deciding is not None or w.witnesses is not None for w in spec.expect.values())
    try:
        evaluation = reg.evaluate(
            merged(base or {}, spec.case), spec.on, spec.interpretations, explain=explain
        )
    except AttestRulesError as exc:  # bad facts, an unknown interpretation: this case fails
        return CaseResult(file, spec.name, (str(exc),))
    failures: list[str] = []
    exercised: list[Exercised] = []
    for question, want in spec.expect.items():
        try:
            got = evaluation.answer(question)
        except KeyError:
            failures.append(f"{question}: no such question")
            continue
        explained = next((x for x in evaluation.explanations or [] if x.question == question), None)
        failures += _compare(question, want, got, explained)
        for answer in (got, got.alternative):
            if answer is not None:
                exercised.append(Exercised(question, answer.version, answer.status, answer.outcome))
    return CaseResult(file, spec.name, tuple(failures), tuple(exercised))


def case_paths(paths: list[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    return out


def run_files(reg: Regulation, paths: list[str | Path]) -> list[CaseResult]:
    """Every case of every case file under ``paths``; a file that cannot be read is one failed
    result naming it, and the others run."""
    results = []
    for path in case_paths(paths):
        try:
            loaded = load_case_file(path)
        except SpecError as exc:
            results.append(CaseResult(str(path), "(the file)", tuple(str(e) for e in exc.errors)))
            continue
        except OSError as exc:
            reason = f"cannot read {path}: {exc.strerror or exc}"
            results.append(CaseResult(str(path), "(the file)", (reason,)))
            continue
        for spec in loaded.cases:
            results.append(run_case(reg, str(path), spec, loaded.base))
    return results
