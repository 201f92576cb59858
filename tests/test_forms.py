"""The annex forms: the certificate (Annex 1) and the information table (Annex 2)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import attest_rules
from attest_rules import Regulation, load_case, parse_case
from attest_rules.cli.app import main
from attest_rules.errors import SpecError
from attest_rules.tools.forms import FormError, document, table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quorate-session-2025.yaml"


def test_the_certificate_fills_every_field_from_the_example(reg: Regulation) -> None:
    form = document(reg, "annex1", load_case(EXAMPLE))
    values = {f.id.removeprefix("annex1."): f.value for f in form.fields}
    assert values == {
        "decision_date": "2025-03-03",
        "protocol_number": "7",
        "full_name": "Айгүл Серікқызы Нұрланова",
        "decision_date_2": "2025-03-03",
        "position": "social worker for home care",
        "valid_until": "2028-03-03",  # three years (item 3), as category.validity computes it
        "category": "second",
        "chair": "Asel",
        "secretary": "Samal",
        "seal": None,
        "place": "Астана қаласы",
        "date": "2025-03-06",
        "registration_number": "7-2025",
    }
    seal = next(f for f in form.fields if f.id == "annex1.seal")
    assert seal.by_hand is not None and "seal" in seal.by_hand
    assert form.missing == []
    assert form.version == "amend-403"


def test_a_missing_fact_is_reported_never_a_silent_blank(reg: Regulation) -> None:
    case = parse_case({"decision": {"date": "2025-03-03", "outcome": "first"}})
    form = document(reg, "annex1", case)
    by_id = {f.id: f for f in form.fields}
    assert by_id["annex1.full_name"].value is None
    assert by_id["annex1.full_name"].missing == ("worker.full_name",)
    assert by_id["annex1.valid_until"].value == "2028-03-03"
    assert "worker.full_name" in form.missing and "certificate.place" in form.missing


def test_a_refusal_has_no_certificate(reg: Regulation) -> None:
    with pytest.raises(FormError, match="refused"):
        document(reg, "annex1", parse_case({"decision": {"outcome": "refusal"}}))


def test_the_table_has_nine_columns_in_order_and_skips_refusals(reg: Regulation) -> None:
    refused = parse_case({"id": "r", "decision": {"date": "2025-03-03", "outcome": "refusal"}})
    filled = table(reg, "annex2", [load_case(EXAMPLE), refused])
    assert [c.number for c in filled.columns] == [str(n) for n in range(1, 10)]
    assert [c.id for c in filled.columns][:2] == ["annex2.col.1", "annex2.col.2"]
    assert len(filled.rows) == 1 and filled.skipped == ("r: the decision refused a category",)
    row = {f.id: f.value for f in filled.rows[0].fields}
    assert row["annex2.col.1"] == 1
    assert row["annex2.col.2"] == "900101300123"
    assert row["annex2.col.7"] == "second"
    assert row["annex2.col.8"] == "2025-03-03"
    assert filled.groups[0][3] == ("annex2.col.7", "annex2.col.8")


def test_cli_annex1_exits_1_and_names_what_is_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"decision": {"date": "2025-03-03", "outcome": "higher"}}))
    assert main(["annex1", str(case), "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert "[not given: worker.full_name]" in out
    assert err.startswith("Fields not filled: certificate.issued_on, certificate.place")
    assert main(["annex1", str(EXAMPLE), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["missing"] == []


def test_cli_annex2_csv_and_xlsx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["annex2", str(EXAMPLE)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "1. №" and rows[0][1] == "2. ЖСН" and len(rows[0]) == 9
    assert rows[0][6].endswith("біліктілік санаты")
    assert rows[1][:3] == ["1", "900101300123", "Айгүл Серікқызы Нұрланова"]
    assert rows[1][6].startswith("second (екінші; ресми емес атау)")

    from openpyxl import load_workbook

    out = tmp_path / "table.xlsx"
    assert main(["annex2", str(EXAMPLE), "--format", "xlsx", "-o", str(out)]) == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    assert "G1:H1" in {str(r) for r in sheet.merged_cells.ranges}  # the certificate group
    assert [c.value for c in sheet[3]] == [str(n) for n in range(1, 10)]
    assert sheet["B4"].value == "900101300123"


def test_a_fills_expression_is_checked_when_the_spec_loads(
    load_variant: Callable[[str, str], Regulation],
) -> None:
    with pytest.raises(SpecError) as exc:
        load_variant('fills: "worker.position"', 'fills: "worker.positon"')
    message = str(exc.value)
    assert "worker.positon" in message and "fills" in message
    spec = attest_rules.bundled_spec_path().read_text(encoding="utf-8")
    line = spec[: spec.index('fills: "worker.position"')].count("\n") + 1
    assert f"variant.yaml:{line}:" in message  # the line of the field, as for any spec error


@pytest.mark.parametrize(
    ("lang", "words"),
    [("kk", "сақталды"), ("ru", "соблюдено"), ("en", "satisfied")],
)
def test_messages_follow_lang_and_the_legal_text_stays_kazakh(
    capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    assert main(["evaluate", str(EXAMPLE), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert f"session.quorum: {words} (quorate)" in out
    if lang == "en":
        assert "[unofficial English gloss]" in out
    else:
        assert "Аттестаттау комиссиясының отырысы" in out  # the official text of item 6
    if lang == "ru":
        assert "официального русского текста в спецификации нет" in out


def test_the_case_file_summary_follows_lang(capsys: pytest.CaptureFixture[str]) -> None:
    cases = str(ROOT / "tests" / "cases" / "session-quorum.yaml")
    assert main(["test", cases, "--lang", "ru"]) == 0
    assert capsys.readouterr().out.strip().endswith("пройдено, 0 не пройдено")
