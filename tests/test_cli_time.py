"""``attest-rules calendar`` and ``attest-rules term``: the answer and how it was reached."""

from __future__ import annotations

import json

import pytest

from attest_rules.cli.app import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_calendar_questions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "is-working-day", "2024-06-17", "--lang", "en")
    assert code == 0 and out.startswith("2024-06-17: yes")
    code, out, _ = run(capsys, "calendar", "is-working-day", "2024-06-17")  # Kazakh, the default
    assert code == 0 and out.startswith("2024-06-17: иә — түзету бойынша жұмыс күні")
    code, out, _ = run(capsys, "calendar", "is-working-day", "2024-12-16", "--format", "json")
    data = json.loads(out)
    assert data["working"] is False and "Тәуелсіздік күні" in data["reason"]  # holidays' kk
    code, out, _ = run(
        capsys, "calendar", "is-working-day", "2024-12-16", "--format", "json", "--lang", "ru"
    )
    assert "День Независимости" in json.loads(out)["reason"]  # this library's catalogue
    _, out, _ = run(capsys, "calendar", "add-working-days", "2024-12-13", "3")
    assert out.splitlines()[0] == "2024-12-19"
    _, out, _ = run(
        capsys, "calendar", "working-days", "2025-01-01", "2025-12-31", "--format", "json"
    )
    assert json.loads(out)["working_days"] == 246


def test_term_kinds_and_interpretations(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "term", "2022-07-06", "3 years", "--deadline", "--lang", "en")
    assert out.startswith("deadline: 2025-07-08") and "art. 175" in out
    _, out, _ = run(capsys, "term", "2022-07-06", "3 years", "--deadline", "--lang", "ru")
    assert out.startswith("срок: 2025-07-08") and "ст. 175 ГК" in out
    _, out, _ = run(
        capsys,
        "term",
        "2023-03-15",
        "1 year",
        "--earliest",
        "--interpretation",
        "term.not-earlier-than=day-after-term",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["date"] == "2024-03-16"
    assert data["explanation"]["interpretations"]["term.not-earlier-than"] == "day-after-term"
    _, out, _ = run(capsys, "term", "2024-02-29", "1 year", "--validity", "--lang", "en")
    assert out.startswith("validity end: 2025-02-28")


def test_term_errors_are_messages(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "term", "2023-03-15", "1 fortnight", "--deadline")
    assert code == 1 and "cannot read term" in err and "Traceback" not in err
    code, _, err = run(capsys, "calendar", "add-working-days", "2024-12-13", "0")
    assert code == 1 and "at least 1" in err
    code, _, err = run(capsys, "calendar", "is-working-day", "1900-01-01")
    assert code == 1 and "1991" in err
    with pytest.raises(SystemExit):
        main(["term", "2023-03-15", "1 year"])  # one of --deadline/--earliest/--validity
