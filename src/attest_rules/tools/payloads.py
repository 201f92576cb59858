"""The JSON documents a program reads, built once for the command line (``--format json``) and
the service alike: the same function gives both, so their answers cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.facts import case_line, quick_line_facts
from attest_rules.engine.records import Replay, Verification, record_json
from attest_rules.engine.regulation import Regulation
from attest_rules.engine.results import Citations, Lang, Status
from attest_rules.engine.signing import Signer
from attest_rules.errors import AttestRulesError, FactsError, SpecError
from attest_rules.legal_time import CalendarError, TermError
from attest_rules.messages import localise, raised
from attest_rules.spec.facts import CASE_ID, CaseModel

ERROR_CODES: dict[type[BaseException], str] = {
    SpecError: "spec_error",
    FactsError: "facts_error",
    TermError: "term_error",
    CalendarError: "calendar_error",
}


def _document(title: str) -> ConfigDict:
    return ConfigDict(
        extra="forbid",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
        },
    )


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        description="spec_error, facts_error, io_error, term_error, calendar_error, usage, "
        "attest_rules_error, internal"
    )
    message: str
    location: list[dict[str, Any]] = Field(
        description="Each located issue (file, line, column, path, message, severity), or each "
        "field of bad facts (field, message); empty where there is no place to name"
    )


class ErrorDocument(BaseModel):
    """What a command prints for an error with ``--format json`` (and, with its ``source``,
    for a case of several that cannot be answered)."""

    model_config = _document("attest_rules error")

    error: ErrorBody
    source: str | None = Field(default=None, description="The input it is about, of several")


class AnswersLine(BaseModel):
    """One case's status and outcome per question (``--answers-only``)."""

    model_config = _document("attest_rules answers only")

    case_id: str | None
    answers: dict[str, tuple[Status, str | None]] = Field(
        description="Question id → [status, outcome]"
    )


def error_code(exc: BaseException) -> str:
    """A stable code for an error a user can cause (``attest_rules_error`` for the others of
    the library)."""
    for kind in type(exc).__mro__:
        if kind in ERROR_CODES:
            return ERROR_CODES[kind]
    if isinstance(exc, AttestRulesError):
        return "attest_rules_error"
    if isinstance(exc, OSError):
        return "io_error"
    return "bad_request"


def error_json(exc: BaseException) -> dict[str, Any]:
    """``{"error": {code, message, location}}``: the location is every located issue of a spec
    (file, line, column, path), or every field of bad facts, or empty."""
    location: list[dict[str, Any]] = []
    message = str(exc)
    code = error_code(exc)
    if isinstance(exc, SpecError):
        location = [issue.as_dict() for issue in exc.errors]
        files = ", ".join(dict.fromkeys(issue.file for issue in exc.errors))
        message = f"{len(exc.errors)} error(s) in {files}"
        if all(issue.message.startswith("cannot read") for issue in exc.errors):
            code = "io_error"
    elif isinstance(exc, FactsError):
        location = [{"field": field, "message": why} for field, why in exc.problems]
        message = f"bad facts in {exc.source}"
    elif isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        message = f"cannot use{where}: {exc.strerror or exc}"
    return {"error": {"code": code, "message": message, "location": location}}


def replay_json(result: Replay) -> dict[str, Any]:
    return {
        "matches": result.matches,
        "causes": result.causes,
        "record_changes": list(result.record_changes),
        "verification": result.verification.as_dict() if result.verification else None,
        "changes": [
            {
                "question": c.question,
                "fields": list(c.fields),
                "before": c.before.model_dump(mode="json") if c.before else None,
                "after": c.after.model_dump(mode="json") if c.after else None,
            }
            for c in result.changes
        ],
    }


def verify_json(v: Verification) -> dict[str, Any]:
    return v.as_dict()


def answers_only_json(case_id: str | None, answers: Mapping[str, Any]) -> dict[str, Any]:
    """One case's status and outcome per question (``evaluate --answers-only``)."""
    return {"case_id": case_id, "answers": dict(answers)}


def answers_only_line(
    evaluator: Evaluator,
    case_id: str | None,
    facts: Mapping[str, Any],
    on: dt.date | None,
    chosen: Mapping[str, str],
) -> bytes:
    """A case's answers-only JSON (``answers_only_json``) from its facts: compact, as a
    record's line is (orjson writes it without a dict of str first)."""
    return orjson.dumps(answers_only_json(case_id, evaluator.decide_all(facts, on, chosen)))


def quick_answers_only(
    evaluator: Evaluator, raw: bytes | None, on: dt.date | None, chosen: Mapping[str, str]
) -> bytes | None:
    """A JSON case's answers-only JSON (``answers_only_json``, compact) where its facts are
    plainly valid (``quick_line_facts``: checked without building its model, as it would
    check them) and it is answered without error; ``None`` for any other case, to be read as
    every case is, which says what is wrong with it. ``chosen``: ``Regulation.choices``."""
    facts = quick_line_facts(evaluator.reg.facts, raw)
    if facts is None:
        return None
    try:
        return answers_only_line(evaluator, facts[CASE_ID], facts, on, chosen)
    except (ValueError, AttestRulesError):
        return None  # read again as every case is, and answered or refused as it says


@dataclass(frozen=True)
class BatchOptions:
    """How each line of a batch is answered (``evaluate --jsonl``, ``POST /evaluate/batch``)."""

    on: dt.date | None = None
    interpretations: Mapping[str, str] = field(default_factory=dict)
    answers_only: bool = False
    explain: bool = False
    signer: Signer | None = None
    lang: Lang = "en"
    citations: Citations = "ids"  # a record's clauses once, cited by id; or "full"


class Batch:
    """How a batch answers each of its lines (``evaluate --jsonl``, ``POST /evaluate/batch``):
    its evaluator and choices made once, for every line."""

    def __init__(self, reg: Regulation, options: BatchOptions) -> None:
        self.reg = reg
        self.options = options
        self.evaluator = Evaluator(reg)
        self.choices = reg.choices(dict(options.interpretations))  # an unknown one: refused here

    def raw_line(self, number: int, raw: bytes | None, name: str) -> tuple[str, bool]:
        """The output line for input line ``number`` of ``name``, given as its bytes (``None``:
        a line past the limit), as ``line`` gives it for the line's case. Answers only, the
        facts of a case that is plainly valid are checked without building its model
        (``FactsModel.quick_facts``), as they would be by it; any other line is read as
        every case is (``case_line``), which says what is wrong with it."""
        if self.options.answers_only:
            quick = quick_answers_only(self.evaluator, raw, self.options.on, self.choices)
            if quick is not None:
                return quick.decode(), True
        return self.line(number, case_line(self.reg.facts, number, raw, name))

    def _answers_only(self, case_id: str | None, facts: Mapping[str, Any]) -> str:
        """A case's answers-only line (``answers_only_line``)."""
        return answers_only_line(
            self.evaluator, case_id, facts, self.options.on, self.choices
        ).decode()

    def line(self, number: int, case: CaseModel | FactsError) -> tuple[str, bool]:
        """The output line for input line ``number`` (a case, or why it was refused) and
        whether it is an answer: a record, or only statuses and outcomes, or an error line
        ``{"line": N, "error": ...}``; a bad line never stops the others."""
        options = self.options
        try:
            if isinstance(case, FactsError):
                raise case
            if options.answers_only:
                return self._answers_only(case.id, self.reg.facts.facts_of(case)), True
            ev = self.reg.evaluate(
                case,
                options.on,
                dict(options.interpretations),
                explain=options.explain,
                lang=options.lang,
            )
            return record_json(ev, options.signer, options.citations), True
        except (ValueError, FactsError, AttestRulesError) as exc:
            said = localise(raised(exc), options.lang)
            return json.dumps({"line": number, "error": said}, ensure_ascii=False), False


def parse_choice(text: str) -> tuple[str, str]:
    """``ID=CHOICE``, an interpretation switched (a command's option, a query parameter)."""
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise AttestRulesError(f"expected ID=CHOICE, got {text!r}")
    return key, value
