"""Records that show any change (issue 12, finding 9): replay compares every field of every
answer and the record's own fields, re-checks the facts and names a spec-hash mismatch; a
record carries the digest of its canonical JSON, and an Ed25519 signature where a key is given;
``attest-rules verify`` checks both."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attest_rules import Regulation, load_case
from attest_rules.cli.app import main
from attest_rules.engine.records import (
    MAX_RECORD,
    as_record,
    canonical,
    canonical_slow,
    record_bytes,
    record_json,
    replay,
    seal,
    verify,
    written,
)

pytest.importorskip("cryptography")

from attest_rules.engine.signing import Signer, new_key_pem

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module", params=["ids", "full"])
def sealed(reg: Regulation, request: pytest.FixtureRequest) -> dict[str, Any]:
    """A record inside amendment 403's window, so its answers have alternatives; in format 2
    (each clause once, cited by id) and in format 1 (each citation the clause itself)."""
    ev = reg.evaluate(load_case(EXAMPLES / "window-2024-absence.yaml"))
    return seal(ev, None, request.param)


def _first(data: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    return next(a for a in data["answers"] if test(a))


def _set_reason(d: dict[str, Any]) -> None:
    _first(d, lambda a: bool(a["reasons"]))["reasons"][0] = "a forged reason"


def _set_clause(d: dict[str, Any]) -> None:
    cited = _first(d, lambda a: bool(a["citations"]))["citations"]
    clause = d["clauses"][cited[0]] if d["format"] == 2 else cited[0]
    clause["text_kk"] = "жалған мәтін"


def _set_citation(d: dict[str, Any]) -> None:
    """An answer made to cite another clause of the record (its id, or the clause)."""
    cited = _first(d, lambda a: bool(a["citations"]))["citations"]
    others = [c for a in d["answers"] for c in a["citations"] if c != cited[0]]
    cited[0] = others[0]


def _set_date(d: dict[str, Any]) -> None:
    _first(d, lambda a: bool(a["dates"]))["dates"][0]["date"] = "2030-01-01"


def _set_event_date(d: dict[str, Any]) -> None:
    _first(d, lambda a: a["event_date"] is not None)["event_date"] = "2020-02-02"


def _set_alternative(d: dict[str, Any]) -> None:
    _first(d, lambda a: a["alternative"] is not None)["alternative"]["status"] = "satisfied"


def _set_depends(d: dict[str, Any]) -> None:
    answer = _first(d, lambda a: a["depends_on_version"] is not None)
    answer["depends_on_version"] = not answer["depends_on_version"]


def _set_spec_hash(d: dict[str, Any]) -> None:
    d["spec_hash"] = "sha256:" + "0" * 64


def _set_case_id(d: dict[str, Any]) -> None:
    d["case_id"] = "someone-else"


FORGERIES: dict[str, Callable[[dict[str, Any]], None]] = {
    "reason": _set_reason,
    "clause text": _set_clause,
    "citation": _set_citation,
    "date": _set_date,
    "event_date": _set_event_date,
    "alternative answer": _set_alternative,
    "depends_on_version": _set_depends,
    "spec_hash": _set_spec_hash,
    "case id": _set_case_id,
}


@pytest.mark.parametrize("name", list(FORGERIES))
@pytest.mark.parametrize("keep_digest", [True, False])
def test_replay_finds_every_forged_field(
    reg: Regulation, sealed: dict[str, Any], name: str, keep_digest: bool
) -> None:
    data = copy.deepcopy(sealed)
    FORGERIES[name](data)
    if not keep_digest:  # the forger removed the digest too: the comparison alone finds it
        del data["integrity"]
    result = replay(reg, as_record(data), data)
    assert not result.matches
    assert result.verification is not None
    assert result.verification.digest is (False if keep_digest else None)
    assert verify(data).ok is False


def test_an_untouched_record_verifies_and_replays(reg: Regulation, sealed: dict[str, Any]) -> None:
    result = replay(reg, as_record(sealed), sealed)
    assert result.matches and result.verification is not None and result.verification.ok
    assert (
        sealed["integrity"]["digest"] == "sha256:" + hashlib.sha256(canonical(sealed)).hexdigest()
    )


def test_replay_refuses_facts_that_evaluate_refuses(
    sealed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(sealed)
    data["inputs"]["case"]["commission"]["chair"] = "Not A Member"
    record = tmp_path / "record.json"
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["replay", str(record)]) == 1
    err = capsys.readouterr().err
    assert "commission.chair" in err and "the record's inputs.case" in err
    assert "bug" not in err and "internal error" not in err


def test_a_record_over_the_size_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "huge.json"
    record.write_bytes(b'{"format": 2, "pad": "' + b"x" * MAX_RECORD + b'"}')
    assert main(["replay", str(record)]) == 1
    assert main(["verify", str(record)]) == 1
    assert capsys.readouterr().err.count("the limit for a record") == 2


def test_a_signed_record_tells_who_issued_it_and_that_nothing_changed(
    reg: Regulation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, pub = tmp_path / "issuer.pem", tmp_path / "issuer.pub"
    assert main(["keygen", str(key), str(pub)]) == 0
    assert key.stat().st_mode & 0o777 == 0o600
    assert main(["keygen", str(key), str(pub)]) == 1  # a key is never replaced
    other_pub = tmp_path / "other.pub"
    other_pub.write_bytes(new_key_pem()[1])
    record = tmp_path / "record.json"
    capsys.readouterr()
    assert (
        main(
            [
                "evaluate",
                str(EXAMPLES / "quorate-session-2025.yaml"),
                "--format",
                "json",
                "--sign",
                str(key),
            ]
        )
        == 0
    )
    record.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["verify", str(record), "--public-key", str(pub)]) == 0
    assert "the signature holds for the key given" in capsys.readouterr().out
    assert main(["verify", str(record), "--public-key", str(other_pub)]) == 1
    assert "not by the key given" in capsys.readouterr().out

    # a forger who changes an answer and recomputes the digest still fails the signature
    data = json.loads(record.read_text(encoding="utf-8"))
    data["answers"][0]["status"] = "violated"
    data["integrity"]["digest"] = "sha256:" + hashlib.sha256(canonical(data)).hexdigest()
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(record), "--public-key", str(pub)]) == 1
    assert "the signature does not hold" in capsys.readouterr().out
    # ... and one who also re-signs with his own key is not the issuer
    forger = Signer.from_pem(_write(tmp_path / "forger.pem", new_key_pem()[0]))
    data["integrity"].update(forger.sign(canonical(data)))
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(record)]) == 0  # self-consistent...
    assert main(["verify", str(record), "--public-key", str(pub)]) == 1  # ...but not the issuer's


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_batch_writes_sealed_records(reg: Regulation, tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(json.dumps({"id": "a", "session": {"date": "2025-03-03"}}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["evaluate", "--jsonl", str(src), str(out)]) == 0
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert verify(json.loads(line)).ok


json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_like, max_size=6))
def test_the_fast_canonical_json_is_the_reference_byte_for_byte(data: dict[str, Any]) -> None:
    assert canonical(data) == canonical_slow({k: v for k, v in data.items() if k != "integrity"})


@given(
    st.dictionaries(st.text(), json_like, max_size=6),
    st.dictionaries(st.sampled_from(["digest", "signature", "key_id"]), st.text(), max_size=3),
)
def test_a_record_is_written_as_its_canonical_json_then_its_integrity(
    data: dict[str, Any], integrity: dict[str, str]
) -> None:
    """What ``written`` gives: the canonical JSON of every field but the integrity, the
    integrity after it; the same fields whichever library writes them."""
    data["integrity"] = integrity
    raw = written(data)
    read = json.loads(raw)
    assert read == data
    assert list(read)[-1] == "integrity"
    assert raw == canonical(data)[:-1] + (b"," if len(data) > 1 else b"") + b'"integrity":' + (
        json.dumps(integrity, ensure_ascii=False, separators=(",", ":")).encode() + b"}"
    )


def test_a_record_written_by_the_standard_library_is_the_same_record_in_ascii(
    sealed: dict[str, Any],
) -> None:
    data = copy.deepcopy(sealed)
    data["answers"][0]["values"]["n"] = 10**30  # past orjson's 64 bits
    data["answers"][0]["reasons"][0] = "\ud800 қ"  # a lone surrogate: an escape keeps it
    raw = written(data)
    assert raw.isascii()
    read = json.loads(raw)
    assert read == data and list(read)[-1] == "integrity"
    assert list(read) == [*sorted(k for k in data if k != "integrity"), "integrity"]


def test_the_digest_of_a_record_as_sent_is_of_its_bytes_before_its_integrity(
    reg: Regulation,
) -> None:
    """An auditor checks a record as sent with no JSON library: the bytes before its
    integrity, closed, are what its sha256 is of."""
    ev = reg.evaluate(load_case(EXAMPLES / "window-2024-absence.yaml"), lang="kk")
    for raw in (record_bytes(ev), record_json(ev).encode(), record_bytes(ev, None, "full")):
        head, _, _ = raw.rpartition(b',"integrity":')
        digest = json.loads(raw)["integrity"]["digest"]
        assert digest == "sha256:" + hashlib.sha256(head + b"}").hexdigest()
        assert verify(json.loads(raw)).ok


def test_a_record_with_a_lone_surrogate_or_a_huge_number_is_verified_not_crashed(
    sealed: dict[str, Any],
) -> None:
    data = copy.deepcopy(sealed)
    data["answers"][0]["reasons"][0] = "\ud800"
    data["answers"][0]["values"]["n"] = 10**30
    assert verify(data).ok is False  # altered, and said so


def test_a_record_holds_each_cited_clause_once(reg: Regulation) -> None:
    """Format 2: every clause an answer cites is in clauses, once, and nowhere else; the
    record read back holds the same answers as the one written with --citations full."""
    ev = reg.evaluate(load_case(EXAMPLES / "window-2024-absence.yaml"), lang="kk")
    ids, full = seal(ev), seal(ev, None, "full")
    assert (ids["format"], full["format"], full["clauses"]) == (2, 1, None)
    cited = [
        c
        for a in ids["answers"]
        for c in [*a["citations"], *(a["alternative"] or {"citations": []})["citations"]]
    ]
    assert cited and all(isinstance(c, str) and c in ids["clauses"] for c in cited)
    assert set(cited) == set(ids["clauses"])  # none held that no answer cites
    texts = [c["text_kk"] for c in ids["clauses"].values() if c["text_kk"]]
    body = json.dumps(ids, ensure_ascii=False)
    assert all(body.count(json.dumps(t, ensure_ascii=False)) == 1 for t in texts)
    assert len(json.dumps(ids).encode()) < len(json.dumps(full).encode())
    assert as_record(ids).answers == as_record(full).answers == ev.answers


def test_a_citation_of_no_clause_is_refused(sealed: dict[str, Any]) -> None:
    if sealed["format"] != 2:
        return
    data = copy.deepcopy(sealed)
    _first(data, lambda a: bool(a["citations"]))["citations"][0] = "rules.999@base"
    with pytest.raises(Exception, match=r"no clause 'rules.999@base' in clauses"):
        as_record(data)
