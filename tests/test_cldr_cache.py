"""What is taken from the CLDR through Babel (the language codes a language fact takes, the
weekdays' names of a date's reasons) is kept in the cache folder: the kept names are Babel's,
an entry not as written is not trusted, another Babel is another key, and with the cache off
or Babel's files not found the names are Babel's all the same."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.dates import format_date

from attest_rules.legal_time import cldr
from attest_rules.version import __version__

LANGS = ("kk", "ru", "en")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    where = tmp_path / "cache"
    monkeypatch.setenv("ATTEST_RULES_CACHE", str(where))
    _again()
    yield where
    _again()


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"cldr-{kind}-*.json"))


def _again() -> None:
    """The names asked for again: from the cache folder, or Babel."""
    cldr.language_codes.cache_clear()
    cldr.weekday_names.cache_clear()


@pytest.mark.parametrize("lang", LANGS)
def test_weekday_names_are_babels_first_asked_and_kept(folder: Path, lang: str) -> None:
    first = cldr.weekday_names(lang)
    assert len(_entries(folder, "weekdays")) == 1
    _again()
    kept = cldr.weekday_names(lang)
    assert first == kept == cldr.weekday_names_from_babel(lang)
    for n in range(14):  # each weekday twice, as format_date says it
        day = dt.date(2024, 2, 26) + dt.timedelta(days=n)
        assert cldr.weekday_name(day, lang) == format_date(day, "EEEE", locale=lang)


def test_language_codes_are_babels_first_asked_and_kept(folder: Path) -> None:
    first = cldr.language_codes()
    (entry,) = _entries(folder, "language-codes")
    _again()
    assert first == cldr.language_codes() == cldr.language_codes_from_babel()
    assert {"kk", "ru", "en", "und"} <= first
    assert json.loads(entry.read_text(encoding="utf-8"))["values"] == sorted(first)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"library_version": "0", "values": ["kk"]}',
        '{"values": ["kk"]}',
        "[1, 2]",
        '{"library_version": "@", "values": "kk"}',
        '{"library_version": "@", "values": ["kk", 7]}',
        '{"library_version": "@", "values": ["kk", "Kazakh"]}',
        '{"library_version": "@", "values": []}',
    ],
)
def test_an_entry_not_as_written_is_not_trusted(folder: Path, text: str) -> None:
    cldr.language_codes()
    (entry,) = _entries(folder, "language-codes")
    entry.write_text(text.replace("@", __version__), encoding="utf-8")
    _again()
    assert cldr.language_codes() == cldr.language_codes_from_babel()
    written = json.loads(entry.read_text(encoding="utf-8"))  # and written anew
    assert written["values"] == sorted(cldr.language_codes_from_babel())


def test_weekdays_not_seven_names_are_not_trusted(folder: Path) -> None:
    cldr.weekday_names("kk")
    (entry,) = _entries(folder, "weekdays")
    entry.write_text(
        json.dumps({"library_version": __version__, "values": ["a"] * 6}), encoding="utf-8"
    )
    _again()
    assert cldr.weekday_names("kk") == cldr.weekday_names_from_babel("kk")


def _babel_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Babel's data files for root and en where ``find_spec("babel")`` finds them."""
    found = importlib.util.find_spec("babel")
    assert found is not None and found.origin is not None
    data = tmp_path / "babel" / "locale-data"
    data.mkdir(parents=True)
    for name in ("root.dat", "en.dat"):
        shutil.copy2(Path(found.origin).parent / "locale-data" / name, data / name)
    origin = str(tmp_path / "babel" / "__init__.py")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: SimpleNamespace(origin=origin))
    return data


def test_another_babel_is_another_key(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _babel_copy(tmp_path, monkeypatch)
    key = cldr._key("en")
    assert key is not None
    stat = (data / "en.dat").stat()
    os.utime(data / "en.dat", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = cldr._key("en")
    assert changed is not None and changed != key
    with (data / "root.dat").open("ab") as grown:
        grown.write(b"\0")
    assert cldr._key("en") not in (key, changed)


def test_without_babels_files_or_the_cache_the_names_are_babels(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _babel_copy(tmp_path, monkeypatch)
    (data / "en.dat").unlink()
    assert cldr._key("en") is None
    assert cldr._key("en_GB") is None  # not one file over root: not kept
    assert cldr.language_codes() == cldr.language_codes_from_babel()
    assert not folder.exists()
    monkeypatch.undo()
    monkeypatch.setenv("ATTEST_RULES_CACHE", "off")
    _again()
    assert cldr.weekday_names("ru") == cldr.weekday_names_from_babel("ru")
