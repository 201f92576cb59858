"""Every command, fuzzed (issue 12, beyond the list): Hypothesis drives the command line's real
entry point with generated arguments and files (a spec, a case, a case file, JSON lines, events,
a record, a term, dates). Whatever it is given, a command answers or refuses: never exit 70 (an
internal error), never a traceback, and every input file is byte-identical afterwards."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import attest_rules
from attest_rules.cli.app import main
from attest_rules.engine.records import record_json

from .conftest import ROOT, SPEC

EXAMPLE = ROOT / "examples" / "quorate-session-2025.yaml"
EVENTS = ROOT / "examples" / "events-session-2025.jsonl"
CASE_FILE = ROOT / "tests" / "cases" / "session-quorum.yaml"
RECORD = record_json(attest_rules.load().evaluate(attest_rules.load_case(EXAMPLE))).encode()
SEEDS: dict[str, bytes] = {
    "spec.yaml": SPEC.read_bytes(),
    "case.yaml": EXAMPLE.read_bytes(),
    "case.json": json.dumps(
        {
            "session": {"date": "2025-03-03", "present": ["A", "B", "C", "D"]},
            "commission": {"members": ["A", "B", "C", "D", "E"]},
        }
    ).encode(),
    "cases.jsonl": b"".join(
        json.dumps({"id": f"c{i}", "session": {"date": f"2025-03-0{i + 1}"}}).encode() + b"\n"
        for i in range(3)
    ),
    "events.jsonl": EVENTS.read_bytes(),
    "record.json": RECORD,
    "casefile.yaml": CASE_FILE.read_bytes(),
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15), 10**15) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


# how a seed file is damaged, as a small recipe (so that a failure reads short): kept whole,
# bytes replaced or inserted at fractions of its length, cut short, replaced by generated JSON,
# or one line replaced
RECIPES = st.one_of(
    st.just(("whole",)),
    st.tuples(st.just("cut"), st.floats(0, 1)),
    st.tuples(st.just("json"), json_values),
    st.tuples(
        st.just("line"),
        st.floats(0, 1),
        st.one_of(json_values.map(json.dumps).map(str.encode), st.binary(max_size=40)),
    ),
    st.tuples(
        st.sampled_from(["bytes", "insert"]),
        st.lists(
            st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6
        ),
    ),
)


def damaged(seed: bytes, recipe: tuple[Any, ...]) -> bytes:
    how = recipe[0]
    if how == "whole":
        return seed
    if how == "cut":
        return seed[: int(len(seed) * recipe[1])]
    if how == "json":
        return json.dumps(recipe[1]).encode()
    if how == "line":
        lines = seed.split(b"\n")
        lines[min(int(len(lines) * recipe[1]), len(lines) - 1)] = recipe[2]
        return b"\n".join(lines)
    data = bytearray(seed)
    for where, junk in recipe[1]:
        at = min(int(len(data) * where), max(len(data) - 1, 0))
        if how == "bytes":
            data[at : at + len(junk)] = junk
        else:
            data[at:at] = junk
    return bytes(data)


DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "2024-02-29",
            "2025-02-29",
            "1985-01-01",
            "2101-01-01",
            "２０２５-０１-０１",
            "2025-1-1",
            "",
            "-",
            "today",
        ]
    ),
    st.text(max_size=12).filter(lambda w: "/" not in w and w not in (".", "..")),
)
TERMS = st.one_of(
    st.sampled_from(
        [
            "1 day",
            "3 working days",
            "1 year",
            "9999 years",
            "6 months",
            "0 days",
            "٣ days",
            "1 fortnight",
            "",
        ]
    ),
    st.text(max_size=12),
)
WORDS = st.one_of(
    st.sampled_from(
        [
            "--format",
            "json",
            "text",
            "--lang",
            "kk",
            "ru",
            "--on",
            "-",
            "--spec",
            "--interpretation",
            "quorum.composition=members-and-secretary",
            "x=y",
            "7",
            "rules.6",
            "annex1",
            "annex2",
            "csv",
            "xlsx",
            "--jsonl",
            "-o",
        ]
    ),
    # a word may be taken as an output file name: never a path out of the test's folder
    st.text(max_size=10).filter(lambda w: "/" not in w and w not in (".", "..")),
)

# each command, with {a file} it reads, {out}, a file it may write, and {date}, {term}, {word}
COMMANDS: list[tuple[list[str], list[str]]] = [
    (["check", "{spec.yaml}"], []),
    (["evaluate", "{case.yaml}"], []),
    (["evaluate", "{case.json}", "--format", "json"], []),
    (["evaluate", "{case.yaml}", "--explain", "--on", "{date}"], []),
    (["evaluate", "--jsonl", "{cases.jsonl}", "{out}"], ["out"]),
    (["evaluate", "--jsonl", "{cases.jsonl}", "{cases.jsonl}"], []),
    (["evaluate", "--jsonl", "{cases.jsonl}", "{out}", "--answers-only"], ["out"]),
    (["evaluate", "{case.yaml}", "--spec", "{spec.yaml}"], []),
    (["replay", "{record.json}"], []),
    (["verify", "{record.json}"], []),
    (["test", "{casefile.yaml}"], []),
    (["impact", "{cases.jsonl}", "--from", "{date}", "--to", "{date2}"], []),
    (["annex1", "{case.yaml}"], []),
    (["annex2", "{case.yaml}", "--format", "csv", "-o", "{out}"], ["out"]),
    (["annex2", "{case.yaml}", "--format", "xlsx", "-o", "{case.yaml}"], []),
    (["monitor", "{events.jsonl}"], []),
    (["monitor", "{events.jsonl}", "--journal", "{out}"], ["out"]),
    (["term", "{date}", "{term}", "--deadline"], []),
    (["term", "{date}", "{term}", "--earliest"], []),
    (["term", "{date}", "{term}", "--validity"], []),
    (["calendar", "is-working-day", "{date}"], []),
    (["calendar", "add-working-days", "{date}", "{word}"], []),
    (["show", "{word}", "--on", "{date}"], []),
    (["diff", "{date}", "{date2}"], []),
    (["coverage", "--format", "json"], []),
    (["schema", "{word}"], []),
]


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: a bad option (exit 2, with a usage line)
            code = exc.code if isinstance(exc.code, int) else 2
    return code, err.getvalue()


@st.composite
def runs(draw: st.DrawFn) -> tuple[list[str], dict[str, Any], dict[str, str]]:
    template, _ = draw(st.sampled_from(COMMANDS))
    recipes = {name: draw(RECIPES) for name in SEEDS}
    values = {"date": draw(DATES), "date2": draw(DATES), "term": draw(TERMS), "word": draw(WORDS)}
    return [*template, *draw(st.lists(WORDS, max_size=2))], recipes, values


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_no_command_fails_inside_or_changes_an_input(
    run: tuple[list[str], dict[str, Any], dict[str, str]],
) -> None:
    template, recipes, values = run
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        names = {**values, "out": str(folder / "out.txt")}
        for name, seed in SEEDS.items():
            (folder / name).write_bytes(damaged(seed, recipes[name]))
            names[name] = str(folder / name)
        argv = [names[a[1:-1]] if a.startswith("{") and a.endswith("}") else a for a in template]
        before = {k: v for k, v in _digests(folder).items() if k != "out.txt"}
        here = os.getcwd()
        os.chdir(folder)  # a generated word taken as an output file name lands here
        try:
            code, err = _run(argv)
        finally:
            os.chdir(here)
        assert code != 70, (argv, err)
        assert "Traceback" not in err, (argv, err)
        after = {k: v for k, v in _digests(folder).items() if k in before}
        assert after == before, (argv, "an input was changed")
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "a temporary left"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
