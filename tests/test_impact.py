"""``attest-rules impact``: what an amendment or an interpretation changes in a batch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from attest_rules import Regulation
from attest_rules.cli.app import main
from attest_rules.engine.facts import read_cases
from attest_rules.tools.impact import Setting, impact

CASES = Path(__file__).parent / "cases"
QUORATE_WITH_SECRETARY = {
    "id": "secretary-counts",
    "session": {"date": "2025-03-03", "present": ["A", "B", "C", "S"]},
    "commission": {"members": ["A", "B", "C", "D", "E"], "chair": "A", "secretary": "S"},
}


def _batch(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_amendment_403_changes_the_stages_and_nothing_before_it(
    reg: Regulation, tmp_path: Path
) -> None:
    path = _batch(tmp_path, json.dumps(QUORATE_WITH_SECRETARY))
    before, after = dt.date(2024, 10, 1), dt.date(2025, 3, 1)
    result = impact(reg, read_cases(reg.facts, [path]), Setting(before), Setting(after))
    assert result.cases == 1
    moves = result.changes["procedure.stages"]
    assert moves == {
        (("undetermined", None), ("satisfied", "interview-and-decision")): ["secretary-counts"]
    }
    assert "session.quorum" not in result.changes  # item 6 was not amended
    same = impact(reg, read_cases(reg.facts, [path]), Setting(after), Setting(after))
    assert same.changes == {}


def test_an_interpretation_switch_shows_the_cases_it_decides(
    reg: Regulation, tmp_path: Path
) -> None:
    path = _batch(tmp_path, json.dumps(QUORATE_WITH_SECRETARY))
    result = impact(
        reg,
        read_cases(reg.facts, [path]),
        Setting(),
        Setting(overrides={"quorum.composition": "members-and-secretary"}),
    )
    assert result.changes["session.quorum"] == {
        (("violated", "not-quorate"), ("satisfied", "quorate")): ["secretary-counts"]
    }


def test_cli_impact_reports_bad_lines_and_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _batch(tmp_path, json.dumps(QUORATE_WITH_SECRETARY), "{not json", '{"worker": 5}')
    code = main(
        ["impact", str(path), "--from", "2024-10-01", "--to", "2025-03-01", "--format", "json"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"] == 1
    assert [r.split(":")[1] for r in data["rejected"]] == ["2", "3"]
    assert data["questions"][0]["changed"] == 1


def test_cli_impact_refuses_two_equal_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["impact", str(CASES), "--from", "2025-01-01", "--to", "2025-01-01"])
    assert code != 0
    assert "the two settings are the same" in capsys.readouterr().err
