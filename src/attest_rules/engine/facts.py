"""Facts about a worker and an attestation: the input of the evaluator.

Every field is optional: a fact that is not given is *unknown*, and a question that needs it is
answered "undetermined", listing what is missing. A section left out (no ``revocation``, no
``complaint``) means that event did not happen. Facts that contradict each other (a return from
leave before the leave, a vote by someone not on the commission, a chair who is not a member)
are errors naming each bad field; nothing is evaluated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from attest_rules.errors import AttestRulesError, FactsError
from attest_rules.located.fields import SpecDate, document_config
from attest_rules.located.reader import read_file, read_yaml

Category = Literal["second", "first", "higher"]
Outcome = Literal["second", "first", "higher", "refusal"]
Vote = Literal["for", "against"]
AbsenceReason = Literal[
    "temporary_incapacity", "leave", "child_illness", "relative_death", "business_trip", "other"
]
Identity = Literal["identity_document", "digital_id", "none"]
Language = Literal["kk", "ru", "other"]
Recording = Literal["audio", "video", "audio_video", "none"]
Document = Literal[
    "written_application",
    "personnel_sheet",
    "diploma_copy",
    "work_book_copy",
    "certificate_copy",
    "qualification_recognition",
]


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Worker(_Facts):
    """The social worker (Annex 2 columns 2–6, items 3, 7, 16)."""

    iin: str | None = Field(default=None, pattern=r"^\d{12}$", description="ЖСН, 12 digits")
    full_name: str | None = None
    education: str | None = None
    work_experience: str | None = None
    services: list[str] | None = Field(
        default=None, description="Kinds of special social services provided (Annex 2 col. 6)"
    )
    position: str | None = None
    appointed_on: SpecDate | None = Field(default=None, description="Took up the position")
    childcare_leave: bool | None = Field(
        default=None, description="Was on childcare leave since taking up the position"
    )
    childcare_leave_started_on: SpecDate | None = None
    returned_from_childcare_leave_on: SpecDate | None = None
    attested_before: bool | None = Field(default=None, description="Attested in this position")
    last_attested_on: SpecDate | None = None
    last_category: Category | None = None
    last_category_awarded_on: SpecDate | None = None
    refused_before: bool | None = Field(
        default=None, description="The last attestation ended in a refusal"
    )
    last_refusal_on: SpecDate | None = None


class Commission(_Facts):
    """The attestation commission (item 5): its members, the chair elected from them, and the
    secretary."""

    members: list[str] | None = Field(default=None, description="Members' names or ids")
    chair: str | None = None
    secretary: str | None = None
    details: str | None = Field(
        default=None,
        description="As the information table (Annex 2, column 9) gives them: the authorised "
        "body, its address and telephone",
    )


class CastVote(_Facts):
    member: str
    vote: Vote


class Session(_Facts):
    """The session of the commission that attests the worker (items 6, 7, 13)."""

    date: SpecDate | None = None
    present: list[str] | None = Field(default=None, description="Members present")
    votes: list[CastVote] | None = Field(default=None, description="Open vote (item 6)")
    appeared: bool | None = Field(default=None, description="The worker appeared")
    absence_reason: AbsenceReason | None = None
    returned_to_work_on: SpecDate | None = Field(
        default=None, description="After an absence for a good reason"
    )
    rescheduled_on: SpecDate | None = Field(default=None, description="The postponed session")
    identity: Identity | None = None
    qualification_document: bool | None = Field(
        default=None, description="Document on recognition of professional qualification"
    )
    informed_of_stages: bool | None = None
    language: Language | None = None
    devices_violation: bool | None = None
    violation_act: bool | None = Field(default=None, description="An act of the breach drawn up")
    removed: bool | None = Field(default=None, description="Removed from the attestation")
    recording: Recording | None = None


class Application(_Facts):
    """The application for a qualification category and its documents (item 8)."""

    submitted_on: SpecDate | None = None
    documents: list[Document] | None = None
    has_previous_certificate: bool | None = None


class Decision(_Facts):
    """The commission's protocol decision (item 15)."""

    date: SpecDate | None = None
    protocol_number: str | None = None
    outcome: Outcome | None = None


class Certificate(_Facts):
    """Issue of the certificate and the information to the authorized state body (item 17)."""

    issued_on: SpecDate | None = None
    registration_number: str | None = None
    place: str | None = None
    information_sent_on: SpecDate | None = None


class Revocation(_Facts):
    """An application about unreliable documents and its handling (items 18–19)."""

    received_on: SpecDate | None = None
    decided_on: SpecDate | None = None
    outcome: Literal["no_grounds", "revoked"] | None = None
    worker_notified_on: SpecDate | None = None
    authority_informed_on: SpecDate | None = None


class Complaint(_Facts):
    """A complaint against the commission and its handling, and any recourse to court
    (items 20–22)."""

    pre_trial_filed: bool | None = Field(
        default=None, description="A complaint was filed with the authorized body (item 20)"
    )
    registered_on: SpecDate | None = None
    reviewed_on: SpecDate | None = Field(default=None, description="The decision on it")
    went_to_court: bool | None = None
    court_filed_on: SpecDate | None = None


class Case(_Facts):
    """Everything known about one worker's attestation. A case file is this, in YAML or JSON."""

    model_config = document_config("attest_rules case")

    id: str | None = None
    worker: Worker = Field(default_factory=Worker)
    commission: Commission = Field(default_factory=Commission)
    session: Session = Field(default_factory=Session)
    application: Application = Field(default_factory=Application)
    decision: Decision = Field(default_factory=Decision)
    certificate: Certificate | None = None
    revocation: Revocation | None = None
    complaint: Complaint | None = None


def _after(
    problems: list[tuple[str, str]],
    field: str,
    later: dt.date | None,
    earlier: dt.date | None,
    what: str,
) -> None:
    if later is not None and earlier is not None and later < earlier:
        problems.append((field, f"{later} is before {what} ({earlier})"))


def consistency_problems(case: Case) -> list[tuple[str, str]]:
    """Facts that contradict each other, as (field, reason)."""
    out: list[tuple[str, str]] = []
    w, c, s = case.worker, case.commission, case.session
    _after(
        out,
        "worker.returned_from_childcare_leave_on",
        w.returned_from_childcare_leave_on,
        w.childcare_leave_started_on,
        "the start of the leave",
    )
    _after(
        out,
        "worker.childcare_leave_started_on",
        w.childcare_leave_started_on,
        w.appointed_on,
        "taking up the position",
    )
    if w.childcare_leave is False and (
        w.returned_from_childcare_leave_on or w.childcare_leave_started_on
    ):
        out.append(("worker.childcare_leave", "false, but dates of a childcare leave are given"))
    if w.refused_before is False and w.last_refusal_on is not None:
        out.append(("worker.refused_before", "false, but last_refusal_on is given"))
    if w.attested_before is False and w.last_attested_on is not None:
        out.append(("worker.attested_before", "false, but last_attested_on is given"))
    members = c.members
    if members is not None:
        seen: set[str] = set()
        for i, m in enumerate(members):
            if m in seen:
                out.append((f"commission.members[{i}]", f"{m!r} is listed twice"))
            seen.add(m)
        if c.chair is not None and c.chair not in members:
            out.append(
                (
                    "commission.chair",
                    f"{c.chair!r} is not a member of the commission; "
                    "the chair is elected from the members (item 5)",
                )
            )
        if c.secretary is not None and c.secretary in members:
            out.append(
                (
                    "commission.secretary",
                    f"{c.secretary!r} is listed as a member; the "
                    "commission is its members and a secretary (item 5)",
                )
            )
        for i, p in enumerate(s.present or []):
            if p not in members and p != c.secretary:
                out.append((f"session.present[{i}]", f"{p!r} is not on the commission"))
        voters: set[str] = set()
        for i, v in enumerate(s.votes or []):
            if v.member not in members:
                out.append(
                    (
                        f"session.votes[{i}].member",
                        f"{v.member!r} is not a member of the commission",
                    )
                )
            elif s.present is not None and v.member not in s.present:
                out.append(
                    (
                        f"session.votes[{i}].member",
                        f"{v.member!r} voted but is not recorded as present",
                    )
                )
            if v.member in voters:
                out.append((f"session.votes[{i}].member", f"{v.member!r} voted twice"))
            voters.add(v.member)
    if s.appeared is True and s.absence_reason is not None:
        out.append(("session.absence_reason", "given, but the worker appeared"))
    _after(out, "session.rescheduled_on", s.rescheduled_on, s.date, "the session")
    d = case.decision
    _after(out, "decision.date", d.date, s.date, "the session")
    if case.certificate is not None:
        _after(out, "certificate.issued_on", case.certificate.issued_on, d.date, "the decision")
    r = case.revocation
    if r is not None:
        _after(out, "revocation.decided_on", r.decided_on, r.received_on, "the receipt")
    k = case.complaint
    if k is not None:
        _after(out, "complaint.reviewed_on", k.reviewed_on, k.registered_on, "the registration")
        if k.pre_trial_filed is False and (k.registered_on or k.reviewed_on):
            out.append(("complaint.pre_trial_filed", "false, but the complaint has dates"))
        if k.went_to_court is False and k.court_filed_on is not None:
            out.append(("complaint.went_to_court", "false, but court_filed_on is given"))
    return out


def parse_case(data: Any, source: str = "facts") -> Case:
    """Validate facts (a mapping); raise :class:`FactsError` naming every bad field."""
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            field = ".".join(str(p) for p in err["loc"]) or "(case)"
            reason = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                reason = "unknown fact"
            problems.append((field, reason))
        raise FactsError(problems, source) from None
    problems = consistency_problems(case)
    if problems:
        raise FactsError(problems, source)
    return case


MAX_LINE = 1 << 20  # bytes of one case in a JSON-lines batch


def case_from_json(raw: bytes, source: str) -> Case:
    """One case from JSON bytes (a batch line): every way it can be bad is a ``FactsError``."""
    if len(raw) > MAX_LINE:
        raise FactsError(
            [("(line)", f"longer than {MAX_LINE} bytes, the limit for one case")], source
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FactsError([("(line)", f"not UTF-8 at byte {exc.start + 1}")], source) from None
    except RecursionError:
        raise FactsError([("(line)", "JSON nested too deeply")], source) from None
    except ValueError as exc:
        raise FactsError([("(line)", f"not JSON: {exc}")], source) from None
    return parse_case(data, source)


def case_lines(stream: BinaryIO, name: str) -> Iterator[tuple[int, Case | FactsError]]:
    """(line number, case or why it was refused) for each non-blank line of a JSON-lines
    batch. A line is read at most ``MAX_LINE`` bytes at a time, so a huge line costs bounded
    memory; the batch goes on after a bad line."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the line without keeping it
        if not raw.strip():
            continue
        try:
            yield number, case_from_json(raw.strip(), f"{name} line {number}")
        except FactsError as exc:
            yield number, exc


def read_cases(paths: Iterable[str | Path]) -> Iterator[tuple[str, Case | str]]:
    """(where, case or the reason it was rejected) for each case in ``paths``: JSON-lines
    files (one case per line), folders of YAML/JSON case files, or single case files."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted([*path.glob("*.yaml"), *path.glob("*.json")]):
                yield from read_cases([child])
        elif path.suffix == ".jsonl":
            with path.open("rb") as source:
                for number, case in case_lines(source, str(path)):
                    yield f"{path}:{number}", str(case) if isinstance(case, FactsError) else case
        else:
            try:
                yield str(path), load_case(path)
            except (ValueError, AttestRulesError) as exc:
                yield str(path), str(exc)


def read_case_file(path: str | Path) -> Any:
    """The data of a YAML or JSON case file (JSON is YAML); located errors on bad syntax."""
    file = Path(path)
    located = read_yaml(read_file(file), str(file))
    if located.issues:
        raise FactsError([(f"{i.line}:{i.column}", i.message) for i in located.issues], str(file))
    return located.data


def load_case(path: str | Path) -> Case:
    """Read and validate a case file."""
    return parse_case(read_case_file(path), str(path))
