"""Dated corrections are data an analyst edits; a bad file is rejected with located errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from attest_rules import SpecError
from attest_rules.legal_time import deadline, kz_calendar
from attest_rules.legal_time.calendar import checked_corrections
from attest_rules.legal_time.corrected_days import KEEP_ENTRIES, Corrections, DayCorrection
from attest_rules.legal_time.corrections import corrected_days, load_calendar_file
from attest_rules.version import __version__

GOOD = """format: 1
country: KZ
corrections:
  - date: 2024-06-18
    working: false
    reason: a test day off
    source: this test
years:
  - year: 2027
    transfers: confirmed
    source: this test
"""


def test_a_correction_wins_over_the_base_calendar(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    cal = kz_calendar(path)
    assert not cal.is_working_day(dt.date(2024, 6, 18))
    assert "a day off by correction: a test day off" in cal.info(dt.date(2024, 6, 18)).reason
    assert kz_calendar().is_working_day(dt.date(2024, 6, 18))  # the bundled one is untouched
    assert deadline(dt.date(2024, 6, 14), "2 working days", calendar=cal).date == dt.date(
        2024, 6, 19
    )


def test_a_confirmed_year_is_no_longer_reported(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    cal = kz_calendar(path)
    warnings = cal.warnings_for(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert not any("transfers" in w for w in warnings)
    assert any(
        "transfers" in w
        for w in kz_calendar().warnings_for(dt.date(2027, 1, 1), dt.date(2027, 1, 1))
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("working: false", "working: nope", 5, "valid boolean"),
        ("date: 2024-06-18", "date: 2024-06-31", 4, "bad date"),
        ("    source: this test\nyears", "    sourc: this test\nyears", 7, "unknown key 'sourc'"),
        ("  - year: 2027", "  - year: 2027\n    year: 2028", 10, "duplicate key 'year'"),
    ],
)
def test_bad_calendar_files_are_located(
    tmp_path: Path, old: str, new: str, line: int, fragment: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_calendar_file(path)
    found = [e for e in info.value.errors if fragment in e.message]
    assert found, info.value.errors
    assert found[0].line == line
    assert found[0].file == str(path)


def test_two_corrections_for_one_date(tmp_path: Path) -> None:
    twice = GOOD.replace("years:", GOOD.split("corrections:\n")[1].split("years:")[0] + "years:")
    path = tmp_path / "twice.yaml"
    path.write_text(twice, encoding="utf-8")
    with pytest.raises(SpecError, match="second correction for 2024-06-18"):
        load_calendar_file(path)


def test_the_bundled_calendar_file_loads() -> None:
    data = load_calendar_file()
    assert [c.date for c in data.corrections] == [dt.date(2024, 6, 17)]
    assert all(c.source.strip() for c in data.corrections)


# ---- the checked corrections kept in the cache folder ------------------------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("ATTEST_RULES_CACHE", str(where))
    return where


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("calendar-corrections-*.json"))


def test_a_checked_file_is_kept_and_read_back_as_checked(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = checked_corrections(path)
    (entry,) = _entries(folder)
    assert Corrections.from_json(entry.read_bytes()) == first  # read back, as checked
    assert checked_corrections(path) == first == corrected_days(load_calendar_file(path))
    assert first.days == {dt.date(2024, 6, 18): DayCorrection(False, "a test day off")}
    assert first.confirmed_years == {2027}


def test_another_content_is_another_entry_and_is_checked(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    checked_corrections(path)
    path.write_text(GOOD.replace("working: false", "working: nope"), encoding="utf-8")
    with pytest.raises(SpecError, match="valid boolean"):  # never the kept entry's answer
        checked_corrections(path)
    path.write_text(GOOD.replace("a test day off", "another day off"), encoding="utf-8")
    assert checked_corrections(path).days[dt.date(2024, 6, 18)].reason == "another day off"
    assert len(_entries(folder)) == 2  # the bad file left none


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[: len(t) // 2],  # cut short
        lambda t: t.replace("false", '"false"'),  # a text for a flag
        lambda t: t.replace('"a test day off"', '""'),  # no reason
        lambda t: t.replace("2024-06-18", "2024-06-31"),  # no such day
        lambda t: t.replace("[2027]", '["2027"]'),
        lambda t: t.replace(f'"{__version__}"', '"0.0.0-other"'),  # another version's
        lambda t: "[]",
    ],
)
def test_a_damaged_entry_is_not_trusted(
    folder: Path, tmp_path: Path, damage: Callable[[str], str]
) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    good = checked_corrections(path)
    (entry,) = _entries(folder)
    damaged = damage(entry.read_text(encoding="utf-8"))
    assert damaged != entry.read_text(encoding="utf-8")
    entry.write_text(damaged, encoding="utf-8")
    assert Corrections.from_json(entry.read_bytes()) is None
    assert checked_corrections(path) == good  # the file checked again, and kept anew
    assert Corrections.from_json(entry.read_bytes()) == good


def test_without_a_cache_folder_the_file_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATTEST_RULES_CACHE", "off")
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert checked_corrections(path).confirmed_years == {2027}


def test_the_calendar_keeps_four_checked_files(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    for n in range(6):
        path.write_text(GOOD.replace("a test day off", f"day off {n}"), encoding="utf-8")
        checked_corrections(path)
    assert len(_entries(folder)) == KEEP_ENTRIES
