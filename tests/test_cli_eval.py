"""``attest-rules evaluate``, ``replay``, ``test`` and the JSON-lines batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attest_rules.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "quorate-session-2025.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_text_is_for_a_person(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "evaluate", EXAMPLE, "--lang", "en")
    assert code == 0
    assert "decision.vote: satisfied (tie-decided-for-by-chair) [version amend-403]" in out
    code, out, _ = run(capsys, "evaluate", EXAMPLE)  # Kazakh, the default
    assert "decision.vote: сақталды (tie-decided-for-by-chair) [редакция amend-403]" in out
    assert "§ rules.6 6. [base]: Аттестаттау комиссиясының отырысы" in out
    assert "мерзімнің соңы: 2026-03-02 (сағат 24:00-ге дейін, Азаматтық кодекстің 176-бабы)" in out


def test_evaluate_json_is_a_record_that_replays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "evaluate",
        EXAMPLE,
        "--format",
        "json",
        "--interpretation",
        "quorum.composition=members-and-secretary",
    )
    assert code == 0
    record = tmp_path / "record.json"
    record.write_text(out, encoding="utf-8")
    data = json.loads(out)
    assert data["overridden"] == ["quorum.composition"]
    assert data["spec_hash"].startswith("sha256:")
    code, out, _ = run(capsys, "replay", str(record))
    assert code == 0 and "all 21 answers match" in out
    data["answers"][4]["outcome"] = "not-quorate"
    record.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "replay", str(record))
    assert code == 1
    assert "session.quorum" in out and "the record was altered" in out


def test_bad_facts_exit_1_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("commission: {members: [A, B], chair: Z}\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(bad))
    assert code == 1
    assert "commission.chair: 'Z' is not a member" in err
    assert "Traceback" not in err


def test_batch_streams_json_lines_and_reports_bad_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "one", "session": {"date": "2025-03-03"}})
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "three", "worker": {"iin": "x"}})
        + "\n"
        + json.dumps({"id": "four"})
        + "\n",
        encoding="utf-8",
    )
    sink = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "evaluate", "--jsonl", str(source), str(sink))
    lines = [json.loads(line) for line in sink.read_text(encoding="utf-8").splitlines()]
    assert code == 1
    assert [line.get("case_id", line.get("line")) for line in lines] == ["one", 2, 3, "four"]
    assert "worker.iin" in lines[2]["error"]


def test_test_command_runs_case_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "test", str(ROOT / "tests" / "cases" / "recording.yaml"))
    assert code == 0
    assert out.strip().endswith("5 passed, 0 failed")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "cases:\n  - name: wrong\n    case: {session: {date: 2025-03-03, recording: none}}\n"
        "    expect:\n      session.recording: {status: satisfied}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "test", str(wrong))
    assert code == 1
    assert "expected 'satisfied', got 'violated'" in out
    assert "clause: rules.13 [base]" in out


def test_schemas_for_case_and_result(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("case", "result"):
        code, out, _ = run(capsys, "schema", name)
        assert code == 0
        assert json.loads(out)["title"].startswith("attest_rules")


def test_explain_shows_what_would_decide_in_text_and_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "id: item3\n"
        "session: {date: 2025-02-27}\n"
        "worker: {childcare_leave: false, refused_before: false, attested_before: false}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "evaluate", str(case), "--explain", "--lang", "en")
    assert code == 0
    assert "would decide it: worker.appointed_on" in out
    assert "witness: worker.appointed_on = 2024-02-27 → satisfied (permitted)" in out
    assert "witness: worker.appointed_on = 2024-02-28 → violated (too-early)" in out
    code, out, _ = run(capsys, "evaluate", str(case), "--explain", "--format", "json")
    data = json.loads(out)
    (window,) = [x for x in data["explanations"] if x["question"] == "attestation.window"]
    assert [w["facts"] for w in window["witnesses"]] == [
        {"worker.appointed_on": "2024-02-27"},
        {"worker.appointed_on": "2024-02-28"},
    ]
    code, out, _ = run(capsys, "evaluate", str(case), "--format", "json")
    assert json.loads(out)["explanations"] is None  # only asked for
    code, _, err = run(capsys, "evaluate", "--jsonl", "-", "-", "--explain", "--answers-only")
    assert code == 1 and "--explain" in err
