"""Law coverage: every rule exercised by a case file, every outcome reached, every provision
without a rule explained. `make test` fails here when one is not."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from attest_rules import Regulation
from attest_rules.cli.app import main
from attest_rules.tools.casefiles import run_files
from attest_rules.tools.coverage import coverage

CASES = Path(__file__).parent / "cases"


def test_the_case_files_cover_every_rule_and_outcome(reg: Regulation) -> None:
    results = run_files(reg, [CASES])
    cov = coverage(reg, results)
    assert cov.gaps() == []
    assert len(cov.rules) >= 21
    assert all(r.case_files for r in cov.rules)


def test_a_rule_without_case_files_is_a_gap(reg: Regulation) -> None:
    cov = coverage(reg, run_files(reg, [CASES / "session-quorum.yaml"]))
    gaps = cov.gaps()
    assert "rules.6 [base] session.quorum: no case file exercises this rule" not in gaps
    assert "rules.6 [base] decision.vote: no case file exercises this rule" in gaps


def test_an_outcome_never_reached_is_a_gap(reg: Regulation, tmp_path: Path) -> None:
    only = tmp_path / "quorate-only.yaml"
    only.write_text(
        "cases:\n"
        "  - name: quorate\n"
        "    case: {session: {date: 2025-03-03, present: [A, B, C, D]},\n"
        "           commission: {members: [A, B, C, D, E], chair: A, secretary: S}}\n"
        "    expect: {session.quorum: {status: satisfied}}\n",
        encoding="utf-8",
    )
    gaps = coverage(reg, run_files(reg, [only])).gaps()
    assert "rules.6 [base] session.quorum: outcome 'not-quorate' is never reached by a case" in gaps
    assert not any(g.startswith("rules.6 [base] session.quorum: no case file") for g in gaps)


def test_a_provision_with_neither_rule_nor_reason_is_a_gap(
    load_variant: Callable[[str, str], Regulation],
) -> None:
    variant = load_variant(
        "\n                no_rule: \"What the interview asks: a matter of the commission's "
        'judgement, not computable from facts."',
        "",
    )
    gaps = coverage(variant, run_files(variant, [CASES])).gaps()
    assert gaps == ["rules.14 [base]: no rule, and no reason given (no_rule)"]


def test_a_provision_cannot_have_rules_and_say_it_has_none(
    load_variant: Callable[[str, str], Regulation],
) -> None:
    from attest_rules.errors import SpecError

    with pytest.raises(SpecError, match="cannot also say why it has none"):
        load_variant(
            "          - id: rules.3\n            kind: item\n",
            "          - id: rules.3\n            kind: item\n            no_rule: nothing\n",
        )


def test_cli_coverage_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(CASES), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["gaps"] == 0
    by_id = {(p["id"], p["wording"]): p for p in data["provisions"]}
    quorum = by_id[("rules.6", "base")]["rules"][0]
    assert quorum["question"] == "session.quorum"
    assert "session-quorum.yaml" in quorum["outcomes"]["not-quorate"]
    assert by_id[("rules.20", "base")]["no_rule"].startswith("Where a complaint is filed")
    assert by_id[("annex1.full_name", "base")]["rules"] == []


def test_cli_coverage_exits_1_on_gaps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(CASES / "session-quorum.yaml")]) == 1
    assert "NONE" in capsys.readouterr().out
