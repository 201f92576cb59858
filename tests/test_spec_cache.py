"""The spec cache (issue 15): a spec's YAML read and its expressions parsed, kept as JSON by
the sha256 of its bytes. A load from it gives the same regulation as a load from the YAML; a
changed spec is never served from it; an entry that is not as the library wrote it (cut short,
edited, of another version, with nodes the parser would never build) is ignored and written
anew; a folder that cannot be written only means no cache."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from attest_rules import load_case
from attest_rules.engine.regulation import Regulation
from attest_rules.lang.syntax import ExprSyntaxError, from_data, parse, remembering, to_data
from attest_rules.spec import cache
from attest_rules.spec.loader import load_spec_bytes

from .conftest import ROOT, SPEC

EXAMPLE = ROOT / "examples" / "window-2024-absence.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("ATTEST_RULES_CACHE", str(where))
    return where


def _load(raw: bytes, *, cached: bool = True) -> Regulation:
    return load_spec_bytes(Regulation, raw, "regulation_210.yaml", cached=cached)


def _entry(folder: Path, raw: bytes) -> Path:
    return folder / f"spec-{hashlib.sha256(raw).hexdigest()}.json"


def _same(a: Regulation, b: Regulation) -> None:
    case = load_case(EXAMPLE, a)
    assert a.content_hash == b.content_hash
    assert [str(w) for w in a.warnings] == [str(w) for w in b.warnings]
    assert a.locations == b.locations
    assert a.evaluate(case, lang="kk").answers == b.evaluate(case, lang="kk").answers


def test_a_second_load_comes_from_the_cache_and_is_the_same(folder: Path) -> None:
    raw = SPEC.read_bytes()
    first = _load(raw)
    entry = _entry(folder, raw)
    assert entry.exists()
    written = json.loads(entry.read_text(encoding="utf-8"))
    assert written["sha256"] == hashlib.sha256(raw).hexdigest()
    assert len(written["expressions"]) > 100
    second = _load(raw)
    _same(first, second)
    _same(second, _load(raw, cached=False))


def test_a_load_from_the_cache_never_builds_the_grammar(folder: Path) -> None:
    """In a fresh process, with the entry there: lark is never imported."""
    _load(SPEC.read_bytes())
    probe = "import sys, attest_rules\nattest_rules.load()\nprint('lark' in sys.modules)\n"
    env = {"ATTEST_RULES_CACHE": str(folder), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_changed_spec_is_never_served_from_the_cache(folder: Path) -> None:
    raw = SPEC.read_bytes()
    _load(raw)
    old = "Аттестаттау комиссиясы"
    assert old.encode() in raw
    changed = raw.replace(old.encode(), "Аттестаттау КОМИССИЯСЫ".encode(), 1)
    fresh = _load(changed)
    assert fresh.content_hash != _load(raw).content_hash
    assert _entry(folder, changed).exists()
    assert "Аттестаттау КОМИССИЯСЫ" in fresh.document.model_dump_json()


def _tamper(entry: Path, change: Any) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    change(data)
    entry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _inject(data: dict[str, Any]) -> None:
    text = next(iter(data["expressions"]))
    data["expressions"][text] = ["path", 0, "__import__('os')"]


def _version(data: dict[str, Any]) -> None:
    data["library_version"] = "0.0.0-other"


def _nodes_of_another_expression(data: dict[str, Any]) -> None:
    data["expressions"] = {t: ["lit", 0, "int", 10**13] for t in data["expressions"]}


@pytest.mark.parametrize(
    "change",
    [_inject, _version, _nodes_of_another_expression, lambda d: d.update(data=None)],
    ids=["a name no parser gives", "another library version", "a number past the bound", "no data"],
)
def test_an_entry_not_as_written_is_ignored_and_written_anew(folder: Path, change: Any) -> None:
    raw = SPEC.read_bytes()
    reference = _load(raw, cached=False)
    _load(raw)
    entry = _entry(folder, raw)
    _tamper(entry, change)
    _same(reference, _load(raw))
    assert json.loads(entry.read_text(encoding="utf-8"))["library_version"] != "0.0.0-other"
    assert cache.read(hashlib.sha256(raw).hexdigest(), "x") is not None  # rewritten, whole


def test_an_entry_cut_short_is_ignored(folder: Path) -> None:
    raw = SPEC.read_bytes()
    _load(raw)
    entry = _entry(folder, raw)
    entry.write_bytes(entry.read_bytes()[:1000])
    _same(_load(raw, cached=False), _load(raw))


def test_no_cache_when_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = SPEC.read_bytes()
    monkeypatch.setenv("ATTEST_RULES_CACHE", "off")
    _load(raw)
    assert cache.folder() is None
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("ATTEST_RULES_CACHE", str(blocked / "cache"))
    _same(_load(raw), _load(raw, cached=False))  # nothing fails for it


def test_every_expression_of_the_spec_is_kept_as_the_parser_gave_it(folder: Path) -> None:
    raw = SPEC.read_bytes()
    _load(raw)
    entry = cache.read(hashlib.sha256(raw).hexdigest(), "x")
    assert entry is not None and len(entry.expressions) > 100
    with remembering({}):  # parsed afresh by the grammar
        for text, node in entry.expressions.items():
            assert from_data(json.loads(json.dumps(to_data(node)))) == node == parse(text)


@pytest.mark.parametrize(
    "nodes",
    [
        ["path", 0, "worker", "__class__x", "if"],
        ["call", 0, "Import", []],
        ["lit", 0, "str", 'a"b'],
        ["lit", 0, "int", -1],
        ["lit", 0, "int", True],
        ["lit", 0, "float", 1.5],
        ["exec", 0],
        ["==", 0, ["lit", 0, "int", 1]],
        ["not", -1, ["lit", 0, "bool", True]],
        ["not", 0, ["not", 0, ["not", 0, ["not", 0, ["lit", 0, "bool", True]]]]],
    ],
)
def test_nodes_the_parser_would_never_build_are_refused(nodes: Any) -> None:
    deep = nodes
    if nodes[0] == "not" and nodes[1] == 0:  # nested past the bound
        for _ in range(60):
            deep = ["not", 0, deep]
    with pytest.raises(ExprSyntaxError):
        from_data(deep)


# ---- the holidays table ----------------------------------------------------------------------


def test_the_holidays_table_is_the_package_s_day_by_day(folder: Path) -> None:
    """Every day from 1991 to 2100: working or not, and its holidays' names, as the holidays
    package says; and the table read back from its JSON is the same. A file edited or cut
    short is not read; names found damaged when first read are the package's again."""
    import datetime as dt
    import importlib.metadata

    import holidays

    from attest_rules.legal_time.calendar import (
        FIRST_YEAR,
        LAST_YEAR,
        HolidayTable,
        _holidays_version,
        _table_name,
    )

    version = holidays.__version__  # type: ignore[attr-defined]
    assert _holidays_version() == version == importlib.metadata.version("holidays")
    table = HolidayTable.from_package(version)
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    days = holidays.country_holidays("KZ", years=years)
    kk = holidays.country_holidays("KZ", years=years, language="kk")
    assert set(table.names_in) == set(days.supported_languages) - {"en_US"}
    day, last = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    while day <= last:
        flag = table.flags[day.year][day.timetuple().tm_yday - 1]
        assert bool(flag) is days.is_working_day(day), day
        assert table.names.get(day, ()) == tuple(days.get_list(day)), day
        assert table.names_in["kk"].get(day, ()) == tuple(kk.get_list(day)), day
        day += dt.timedelta(days=1)
    joined = {day: "; ".join(names) for day, names in table.names.items()}
    assert table.estimated == {d: n for d, n in joined.items() if "estimated" in n}
    assert table.estimated  # the package estimates some (religious holidays' dates)
    read = HolidayTable.from_json(table.as_json().encode(), version)
    assert read == table
    assert read is not None and (read.names, read.names_in) == (table.names, table.names_in)
    assert HolidayTable.from_json(table.as_json().encode(), "0.0-other") is None
    cut = table.as_json().replace('"1991": "0', '"1991": "2', 1).encode()
    assert HolidayTable.from_json(cut, version) is None
    first = next(iter(table.names))  # a day's names not a list of texts
    assert table.names_on(first) == table.names[first]
    assert table.names_on(first, "kk") == table.names_in["kk"][first]
    assert table.names_on(dt.date(2001, 1, 9)) == ()  # a day of none
    assert table.names_on(first, "ru") is None  # a language the package names them not in
    for edited in ([7], "New Year", [None], {"a": 1}):
        for where in ("en", "kk"):
            data = json.loads(table.as_json())
            year = data["named"][where][str(first.year)]
            named = json.loads(year)
            named[first.isoformat()] = edited
            data["named"][where][str(first.year)] = json.dumps(named)
            damaged = HolidayTable.from_json(json.dumps(data).encode(), version)
            assert damaged is not None  # its names are read when first asked for ...
            said = damaged.names_on(first, where)  # ... the package's
            assert said == table.names_on(first, where), (edited, where)
            assert damaged.names_in == table.names_in, (edited, where)
            assert damaged.names == table.names, (edited, where)
            rewritten = (folder / _table_name(version)).read_bytes()
            assert HolidayTable.from_json(rewritten, version) == table  # and kept anew
    data = json.loads(table.as_json())
    data["named"]["kk"]["2001"] = {"a": []}  # not a JSON text
    assert HolidayTable.from_json(json.dumps(data).encode(), version) is None


def test_an_entry_nested_past_any_reader_is_ignored(folder: Path) -> None:
    raw = SPEC.read_bytes()
    _load(raw)
    _entry(folder, raw).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _same(_load(raw, cached=False), _load(raw))


def test_the_cache_keeps_the_latest_entries_only(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    raw = SPEC.read_bytes()
    for n in range(4):  # four versions of the spec, as an analyst's edits make them
        _load(raw + f"\n# edit {n}\n".encode())
    assert len(list(folder.glob("spec-*.json"))) == 2
    assert _entry(folder, raw + b"\n# edit 3\n").exists()


def test_the_holidays_table_and_the_cldr_s_names_keep_the_latest_files_only(
    folder: Path,
) -> None:
    """An upgrade of the library or of a package, or another environment, writes its own file
    beside the others; past a few, the oldest written go, and the one in use stays."""
    import os

    from attest_rules.legal_time import calendar, cldr

    folder.mkdir(parents=True)
    left = [folder / f"calendar-kz-holidays-0.{n}-older.json" for n in range(6)]
    left += [folder / f"cldr-weekdays-kk-{n:032x}.json" for n in range(6)]
    for age, file in enumerate(left):
        file.write_text("{}", encoding="utf-8")
        os.utime(file, ns=(age * 10**9, age * 10**9))  # written in turn, long ago
    calendar.holiday_table.cache_clear()
    cldr.weekday_names.cache_clear()
    try:
        table = calendar.holiday_table()  # none of these is its own: computed and written
        assert cldr.weekday_names("kk")[0]
    finally:
        calendar.holiday_table.cache_clear()
        cldr.weekday_names.cache_clear()
    tables = sorted(p.name for p in folder.glob("calendar-kz-holidays-*.json"))
    own = calendar._table_name(table.version)
    assert len(tables) == calendar.KEEP_TABLES and own in tables
    assert tables.count("calendar-kz-holidays-0.5-older.json") == 1  # the latest of the others
    assert not (folder / "calendar-kz-holidays-0.0-older.json").exists()
    names = list(folder.glob("cldr-weekdays-kk-*.json"))
    assert len(names) == cldr.KEEP
    assert not (folder / f"cldr-weekdays-kk-{0:032x}.json").exists()


def test_the_collector_runs_again_after_a_load_good_or_bad(folder: Path) -> None:
    import gc

    from attest_rules.errors import SpecError

    raw = SPEC.read_bytes()
    assert gc.isenabled()
    _load(raw)
    assert gc.isenabled()
    with pytest.raises(SpecError):
        _load(b"format: [unclosed")
    assert gc.isenabled()
    gc.disable()  # a caller's own choice is kept
    try:
        _load(raw)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _poisoned(folder: Path) -> None:
    """The bundled spec's cache entry edited into another well-formed spec: rules.3's Kazakh
    text changed, which the entry's shape does not tell."""
    raw = SPEC.read_bytes()
    _load(raw)
    entry = _entry(folder, raw)
    written = json.loads(entry.read_text(encoding="utf-8"))
    found = []

    def edit(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: edit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [edit(v) for v in value]
        if isinstance(value, str) and value.lstrip().startswith("Әлеуметтік қызметкерлер аттест"):
            found.append(value)
            return "ӨЗГЕРТІЛГЕН " + value
        return value

    written["data"] = edit(written["data"])
    assert found, "rules.3's text is in the entry"
    entry.write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")


def test_replay_and_the_service_read_the_spec_from_its_yaml_not_the_cache(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An audit does not rest on the cache folder: a record written from the spec replays
    against the spec's YAML even where an entry was edited into another well-formed spec,
    which a command reading the cache serves (so the edit is one that shows)."""
    from attest_rules.cli.app import main
    from attest_rules.engine.regulation import load

    example = str(ROOT / "examples" / "quorate-session-2025.yaml")
    record = tmp_path / "record.json"
    assert main(["evaluate", "--format", "json", example]) == 0
    record.write_text(capsys.readouterr().out, encoding="utf-8")
    _poisoned(folder)
    assert main(["evaluate", "--format", "json", example]) == 0  # the cache's edit shows
    assert "ӨЗГЕРТІЛГЕН" in capsys.readouterr().out
    assert main(["replay", str(record)]) == 0, capsys.readouterr().out
    assert "ӨЗГЕРТІЛГЕН" not in str(load(cached=False).as_of("2025-03-03").provision("rules.3"))
    pytest.importorskip("fastapi")
    import anyio
    import httpx

    from attest_rules.service.app import app_from_env

    async def served() -> httpx.Response:
        transport = httpx.ASGITransport(app=app_from_env())
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            return await client.get("/regulation", params={"on": "2025-03-03", "id": "rules.3"})

    shown = anyio.run(served)
    assert shown.status_code == 200
    assert "аттестаттаудан" in shown.text
    assert "ӨЗГЕРТІЛГЕН" not in shown.text
