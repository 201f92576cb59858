"""Decision records: an evaluation with its inputs, sealed so that any change to it shows,
verified, and replayed to see whether it still holds.

A record is an evaluation written as JSON with its ``integrity``: the sha256 digest of its
*canonical JSON* (every other field; keys sorted, no insignificant space, UTF-8, as RFC 8785
gives for the strings, integers, booleans and nulls a record holds) and, when a private key is
given, an Ed25519 signature of the same bytes. ``verify`` recomputes both from the record
as read; ``replay`` evaluates the record's inputs again and compares every field of every
answer.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from attest_rules.engine.json_view import GUARD, Unsure, View, viewer
from attest_rules.engine.regulation import Regulation
from attest_rules.engine.results import Answer, Citations, Evaluation, Integrity
from attest_rules.engine.signing import Signer, key_id, signature_holds
from attest_rules.errors import AttestRulesError
from attest_rules.located import strict_json
from attest_rules.located.reader import STDIN, input_name, stdin_stream
from attest_rules.version import __version__

MAX_RECORD = 8 << 20
"""Bytes of a record read back, at most (a full record is tens of kilobytes)."""

INTEGRITY = "integrity"


class RecordError(AttestRulesError):
    """A file that is not a decision record, or one too large to be one."""


# ---- sealing and verifying ------------------------------------------------------------------


def canonical(data: Mapping[str, Any]) -> bytes:
    """The canonical JSON of a record's fields other than its integrity: keys sorted (by code
    point), no insignificant space, UTF-8, the shortest escapes; written by orjson, or by the
    standard library where orjson cannot (an integer past 64 bits), byte for byte alike (a
    property test holds the two to each other)."""
    body = _body(data)
    try:
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return canonical_slow(body)


def _body(data: Mapping[str, Any]) -> dict[str, Any]:
    """What a record's digest is of: every field but its integrity."""
    return {k: v for k, v in data.items() if k != INTEGRITY}


def canonical_slow(body: Mapping[str, Any]) -> bytes:
    """``canonical`` by the standard library (the reference)."""
    text = _compact(body, sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate a JSON input may hold


def _compact(value: Any, *, sort_keys: bool, ensure_ascii: bool) -> str:
    """``value`` as JSON by the standard library: no insignificant space, no NaN."""
    return json.dumps(
        value,
        ensure_ascii=ensure_ascii,
        sort_keys=sort_keys,
        separators=(",", ":"),
        allow_nan=False,
    )


def clause_id(citation: Mapping[str, Any]) -> str:
    """A cited clause's key in a record's ``clauses``: its provision and the version its
    wording comes from (``rules.6@base``)."""
    return f"{citation['provision_id']}@{citation['version']}"


def _cite_by_id(answers: list[dict[str, Any]], clauses: dict[str, Any]) -> None:
    for answer in answers:
        ids = []
        for citation in answer["citations"]:
            key = clause_id(citation)
            clauses.setdefault(key, citation)
            ids.append(key)
        answer["citations"] = ids
        if answer.get("alternative") is not None:
            _cite_by_id([answer["alternative"]], clauses)


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """A record of format 1 (as ``Evaluation.model_dump(mode="json")`` gives it, each
    citation the clause itself) in format 2, in place: each clause once, in ``clauses``, and
    each answer citing it by id. Most of a record's bytes were its clauses' Kazakh text, each
    repeated by every answer citing it."""
    clauses: dict[str, Any] = {}
    _cite_by_id(data["answers"], clauses)
    data["clauses"] = clauses
    data["format"] = 2
    return data


def _expand(answers: Any, clauses: Mapping[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    if not isinstance(answers, list):
        return problems
    for i, answer in enumerate(answers):
        if not isinstance(answer, dict):
            continue
        cited = answer.get("citations")
        if isinstance(cited, list):
            expanded = []
            for j, key in enumerate(cited):
                if isinstance(key, str) and key not in clauses:
                    problems.append(f"{where}[{i}].citations[{j}]: no clause {key!r} in clauses")
                expanded.append(clauses.get(key, key) if isinstance(key, str) else key)
            answer["citations"] = expanded
        alternative = answer.get("alternative")
        if isinstance(alternative, dict):
            problems += _expand([alternative], clauses, f"{where}[{i}].alternative")
    return problems


def expanded(data: Mapping[str, Any]) -> dict[str, Any]:
    """A record as read, each citation by id (format 2) replaced by its clause, as
    ``Evaluation`` holds it; a record of format 1 as it is. The record itself is not changed
    (its digest is of what was written)."""
    clauses = data.get("clauses")
    if not isinstance(clauses, dict):
        return dict(data)
    out = copy.deepcopy(dict(data))
    problems = _expand(out.get("answers"), clauses, "answers")
    if problems:
        raise RecordError("not a decision record: " + "; ".join(problems[:5]))
    return out


def seal(
    ev: Evaluation, signer: Signer | None = None, citations: Citations = "ids"
) -> dict[str, Any]:
    """``ev`` as a record (a JSON object) carrying its digest, and its signature by
    ``signer`` where given: in format 2 (each cited clause once, cited by id), or with
    ``citations="full"`` in format 1 (each citation the clause itself)."""
    return _sealed(ev.model_dump(mode="json"), signer, citations, canonical)[0]


def _sealed(
    data: dict[str, Any],
    signer: Signer | None,
    citations: Citations,
    write_canonical: Callable[[Mapping[str, Any]], bytes],
) -> tuple[dict[str, Any], bytes]:
    """``seal`` of an evaluation dumped as ``data``, its canonical JSON by
    ``write_canonical``; with that canonical JSON (what the digest is of)."""
    if citations == "ids":
        compact(data)
    else:
        data["format"], data["clauses"] = 1, None
    body = write_canonical(data)
    integrity: dict[str, Any] = {"digest": "sha256:" + hashlib.sha256(body).hexdigest()}
    if signer is not None:
        integrity.update(signer.sign(body))
    # as the record's schema has it: every field, null where the record is not signed
    data[INTEGRITY] = Integrity(**integrity).model_dump(mode="json")
    return data, body


def _with_integrity(body: bytes, integrity: bytes) -> bytes:
    """A record's canonical JSON ``body`` with its ``integrity`` (JSON) as its last field."""
    if body == b"{}":
        return b'{"integrity":' + integrity + b"}"
    return body[:-1] + b',"integrity":' + integrity + b"}"


def written(data: Mapping[str, Any]) -> bytes:
    """A sealed record (``seal``) as it is written for machines (``record_bytes``,
    ``record_json``): its canonical JSON, the very bytes its digest is of, with its integrity
    as the last field (``verify`` needs no more than that); written once, where a second
    writing in the record's own order would cost as much again. Where orjson cannot write
    it (an integer past 64 bits, a lone surrogate a JSON input may hold) the standard
    library writes the same fields, in ASCII (``_written_slow``)."""
    try:
        return _written_fast(data)
    except orjson.JSONEncodeError:
        return _written_slow(data, ensure_ascii=True).encode("ascii")


def _written_fast(data: Mapping[str, Any]) -> bytes:
    """``written`` by orjson, in UTF-8; ``JSONEncodeError`` where it cannot."""
    body = orjson.dumps(_body(data), option=orjson.OPT_SORT_KEYS)
    return _with_integrity(body, orjson.dumps(data[INTEGRITY]))


def _written_slow(data: Mapping[str, Any], *, ensure_ascii: bool) -> str:
    """``written`` by the standard library: the same fields and order, escaped where
    ``ensure_ascii``."""
    body = _compact(_body(data), sort_keys=True, ensure_ascii=ensure_ascii)
    integrity = _compact(data[INTEGRITY], sort_keys=False, ensure_ascii=ensure_ascii)
    return _with_integrity(
        body.encode("utf-8", "surrogatepass"), integrity.encode("utf-8", "surrogatepass")
    ).decode("utf-8", "surrogatepass")


def _canonical_viewed(data: Mapping[str, Any]) -> bytes:
    """``canonical`` of a record's JSON view (``json_view``): orjson refuses what the view
    leaves to it that pydantic would write otherwise."""
    return orjson.dumps(_body(data), option=orjson.OPT_SORT_KEYS | GUARD)


@functools.cache
def _evaluation_view() -> View | None:
    return viewer(Evaluation)


def _viewed(ev: Evaluation, signer: Signer | None, citations: Citations) -> bytes | None:
    """``record_bytes`` of ``ev``, sealed from its JSON view (``json_view.viewer``) rather
    than pydantic's dump (about 50 µs less a record); None where the view is unsure of it or
    orjson refuses a value it holds, for pydantic to dump. The same steps as ``seal`` then
    ``written``, so the same bytes (a property test holds the two equal)."""
    view = _evaluation_view()
    if view is None:
        return None
    try:
        data, body = _sealed(view(ev), signer, citations, _canonical_viewed)
        return _with_integrity(body, orjson.dumps(data[INTEGRITY], option=GUARD))
    except (Unsure, orjson.JSONEncodeError):
        return None


def record_json(ev: Evaluation, signer: Signer | None = None, citations: Citations = "ids") -> str:
    """``ev`` sealed (``seal``) and ``written``, as one line of JSON: UTF-8 text, a lone
    surrogate a JSON input may hold kept as it is."""
    viewed = _viewed(ev, signer, citations)
    if viewed is not None:
        return viewed.decode()
    data = seal(ev, signer, citations)
    try:
        return _written_fast(data).decode()
    except orjson.JSONEncodeError:
        return _written_slow(data, ensure_ascii=False)


def record_bytes(
    ev: Evaluation, signer: Signer | None = None, citations: Citations = "ids"
) -> bytes:
    """``ev`` sealed (``seal``) and ``written``, as JSON bytes to send: UTF-8 by orjson, or
    ASCII by the standard library where orjson cannot write it (an integer past 64 bits, a
    lone surrogate a JSON input may hold, which only an escape keeps valid UTF-8)."""
    viewed = _viewed(ev, signer, citations)
    if viewed is not None:
        return viewed
    return written(seal(ev, signer, citations))


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: ``ok`` when the record carries a digest that matches and,
    where it is signed (or a trusted key is given), a signature that holds."""

    ok: bool
    digest: bool | None  # None: the record carries no digest
    signed: bool
    signature: bool | None  # None: not signed
    key_id: str | None
    trusted: bool  # the signature was checked against a key the caller gave
    problems: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "digest": self.digest,
            "signed": self.signed,
            "signature": self.signature,
            "key_id": self.key_id,
            "trusted_key": self.trusted,
            "problems": list(self.problems),
        }


def verify(data: Mapping[str, Any], trusted_key: bytes | None = None) -> Verification:
    """Check a record (as read, a JSON object): its digest, and its signature, against
    ``trusted_key`` (a raw Ed25519 public key) where given, else against the key it carries."""
    problems: list[str] = []
    integrity = data.get(INTEGRITY)
    if not isinstance(integrity, dict) or not isinstance(integrity.get("digest"), str):
        return Verification(
            False,
            None,
            False,
            None,
            None,
            False,
            (
                "the record carries no digest: it was "
                "written before records were sealed, or its integrity was removed",
            ),
        )
    body = canonical(data)
    digest_ok = integrity["digest"] == "sha256:" + hashlib.sha256(body).hexdigest()
    if not digest_ok:
        problems.append("the digest does not match: the record was altered after it was written")
    signature = integrity.get("signature")
    signed = signature is not None
    sig_ok: bool | None = None
    kid = integrity.get("key_id") if isinstance(integrity.get("key_id"), str) else None
    if signed or trusted_key is not None:
        sig_ok = False
        try:
            public = (
                trusted_key
                if trusted_key is not None
                else base64.b64decode(str(integrity.get("public_key")), validate=True)
            )
            raw_sig = base64.b64decode(str(signature), validate=True)
        except (binascii.Error, ValueError):
            problems.append("the signature or the public key is not base64")
        else:
            if trusted_key is not None and kid not in (None, key_id(trusted_key)):
                problems.append(f"signed by {kid}, not by the key given ({key_id(trusted_key)})")
            elif not signed:
                problems.append("the record is not signed")
            elif not signature_holds(public, raw_sig, body):
                problems.append(
                    "the signature does not hold: the record was altered, or was "
                    "not signed by this key"
                )
            else:
                sig_ok = True
    ok = digest_ok and (sig_ok is None or sig_ok)
    return Verification(
        ok, digest_ok, signed, sig_ok, kid, trusted_key is not None, tuple(problems)
    )


# ---- reading ----------------------------------------------------------------------------------


def read_record_data(path: str | Path) -> dict[str, Any]:
    """A record file as a JSON object, read strictly and within ``MAX_RECORD`` bytes."""
    if str(path) == STDIN:
        return record_data(stdin_stream().read(MAX_RECORD + 1), input_name(path))
    try:
        with open(path, "rb") as source:
            raw = source.read(MAX_RECORD + 1)
    except OSError as exc:
        raise RecordError(f"cannot read {path}: {exc.strerror or exc}") from None
    return record_data(raw, str(path))


def record_data(raw: bytes, path: str) -> dict[str, Any]:
    """A record's bytes (a file, a request body) as a JSON object, read strictly."""
    if len(raw) > MAX_RECORD:
        raise RecordError(f"{path} is longer than {MAX_RECORD} bytes, the limit for a record")
    try:
        data = strict_json.loads(raw)
    except (strict_json.StrictJSONError, RecursionError) as exc:
        raise RecordError(f"{path} is not a decision record: {exc}") from None
    except ValueError as exc:  # not JSON, or not UTF-8
        raise RecordError(f"{path} is not a decision record: not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RecordError(f"{path} is not a decision record: not a JSON object")
    return data


def as_record(data: Mapping[str, Any], source: str = "record") -> Evaluation:
    try:
        return Evaluation.model_validate(expanded(data))
    except RecordError as exc:
        raise RecordError(f"{source} is {exc}") from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RecordError(f"{source} is not a decision record: {where}: {first['msg']}") from None


def read_record(path: str | Path) -> Evaluation:
    return as_record(read_record_data(path), str(path))


# ---- replaying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerChange:
    question: str
    before: Answer | None
    after: Answer | None
    fields: tuple[str, ...] = ()  # the paths, inside the answer, that differ


@dataclass(frozen=True)
class Replay:
    """The result of evaluating a record again: every answer compared field by field, and
    the record's own fields (its spec, case id, choices) against what the evaluation gives."""

    record: Evaluation
    fresh: Evaluation
    changes: tuple[AnswerChange, ...]
    record_changes: tuple[str, ...] = ()  # the record's own fields that differ
    verification: Verification | None = None

    @property
    def matches(self) -> bool:
        return not self.changes and not self.record_changes

    @property
    def causes(self) -> list[str]:
        """Why the record and the evaluation may differ: the spec, the library, an alteration
        of the record; or none of these."""
        out = []
        if self.verification is not None and self.verification.digest is False:
            out.append("the record was altered after it was written (its digest does not match)")
        if self.record.spec_hash != self.fresh.spec_hash:
            out.append(
                f"the spec differs: the record names {self.record.spec_hash[:19]}…, this spec "
                f"is {self.fresh.spec_hash[:19]}… (replay it with the spec it names; if it was "
                "made with this one, it was altered)"
            )
        if self.record.library_version != self.fresh.library_version:
            out.append(
                f"the library changed ({self.record.library_version} → "
                f"{self.fresh.library_version})"
            )
        return out


_ADDED_LATER = frozenset({"spec_version"})  # a record written before it does not hold it
_RECORD_FIELDS = (  # not its format: how it was written (format 1 or 2), not what it decided
    "spec_id",
    "spec_version",
    "spec_hash",
    "case_id",
    "interpretations",
    "overridden",
)


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for k in dict.fromkeys([*a, *b]):
            out += _differences(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += _differences(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [path or "(value)"]


def replay(reg: Regulation, record: Evaluation, data: Mapping[str, Any] | None = None) -> Replay:
    """Evaluate the record's inputs again and compare every field of every answer, and the
    record's own fields. ``data``, the record as read, is verified where given. The record's
    facts are checked again: facts this spec refuses are a ``FactsError``, as they are
    for ``evaluate``."""
    inputs = record.inputs
    case = reg.facts.parse(inputs.case, "the record's inputs.case")
    fresh = reg.evaluate(case, inputs.on, inputs.interpretations, lang=inputs.lang)
    mine, theirs = record.model_dump(mode="json"), fresh.model_dump(mode="json")
    old = {a["question"]: a for a in mine["answers"]}
    new = {a["question"]: a for a in theirs["answers"]}
    by_q_old = {a.question: a for a in record.answers}
    by_q_new = {a.question: a for a in fresh.answers}
    changes = []
    for q in dict.fromkeys([*old, *new]):
        a, b = old.get(q), new.get(q)
        diff = ["(the question)"] if a is None or b is None else _differences(a, b)
        if diff:
            changes.append(AnswerChange(q, by_q_old.get(q), by_q_new.get(q), tuple(diff)))
    record_changes = tuple(
        k
        for k in _RECORD_FIELDS
        if mine.get(k) != theirs.get(k) and not (k in _ADDED_LATER and mine.get(k) is None)
    )
    if list(old) != list(new):
        record_changes += ("answers (their questions or order)",)
    verification = verify(data) if data is not None else None
    return Replay(record, fresh, tuple(changes), record_changes, verification)


def render_replay(result: Replay) -> str:
    v = result.verification
    seal_line = ""
    if v is not None:
        seal_line = (
            "; its digest matches"
            if v.digest
            else "; it carries no digest"
            if v.digest is None
            else "; ITS DIGEST DOES NOT MATCH"
        )
    if result.matches and (v is None or v.digest is not False):
        return (
            f"replay: all {len(result.fresh.answers)} answers match, every field "
            f"(spec {result.fresh.spec_hash[:19]}…, library {__version__}){seal_line}"
        )
    count = len(result.changes) + len(result.record_changes)
    lines = [f"replay: {count} difference(s){seal_line}"]
    causes = result.causes or [
        "neither the spec nor the library version changed, and nothing shows the record was "
        "altered: the evaluation is not reproducible — report this as a bug"
        if v is not None and v.digest
        else "neither the spec nor the library version changed: the record was altered (it "
        "carries no digest to tell), or the evaluation is not reproducible"
    ]
    lines += [f"  because {c}" for c in causes]
    for name in result.record_changes:
        lines.append(f"  the record's {name} differs")
    for change in result.changes:

        def show(a: Answer | None) -> str:
            if a is None:
                return "(no such question)"
            return f"{a.status} {a.outcome or ''} {json.dumps(a.values, ensure_ascii=False)}"

        lines.append(f"  {change.question}: {show(change.before)} → {show(change.after)}")
        shown = ", ".join(change.fields[:8]) + (" …" if len(change.fields) > 8 else "")
        lines.append(f"    fields that differ: {shown}")
    return "\n".join(lines)
