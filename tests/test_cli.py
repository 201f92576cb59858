"""The command line: exit codes, located errors, readable and JSON output, never a traceback."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from attest_rules.cli.app import _parser_for, build_parser, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_passes_on_the_bundled_spec(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert code == 0, err
    assert "OK" in out


def test_check_prints_file_line_col_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, spec_text: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        spec_text.replace("signed_on: 2023-06-08", "signed_on: 2023-02-30").replace(
            "kind: preamble", "kind: preamble\n    kind: x"
        ),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "check", str(bad))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith(str(bad))]
    assert len(lines) == 2
    for line in lines:
        _, line_no, col, message = line.split(":", 3)
        assert int(line_no) > 0 and int(col) > 0 and message.strip()
    assert "Traceback" not in err


def test_diff_lists_items_4_7_8_and_paragraph_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "2024-10-01", "2025-01-01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [c["provision_id"] for c in data["changes"]] == [
        "rules.4",
        "rules.7",
        "rules.8",
        "rules.par2",
    ]
    assert [p["provision_id"] for p in data["changes"][3]["parts"]] == [
        "rules.9",
        "rules.10",
        "rules.11",
        "rules.12",
    ]
    code, text, _ = run(capsys, "diff", "2024-10-01", "2025-01-01", "--lang", "en")
    assert "repealed  rules.par2" in text and "replaced  rules.4" in text
    code, text, _ = run(capsys, "diff", "2024-10-01", "2025-01-01")  # Kazakh, the default
    assert "алып тасталды rules.par2" in text and "ауыстырылды rules.4" in text
    assert "[amend-403 бойынша]" in text


def test_show_4_in_each_period(capsys: pytest.CaptureFixture[str]) -> None:
    _, before, _ = run(capsys, "show", "4", "--on", "2024-06-01", "--lang", "en")
    assert "wording unknown" in before
    assert "testing stage" in before
    _, before, _ = run(capsys, "show", "4", "--on", "2024-06-01")
    assert "мәтіні белгісіз" in before and "ресми емес қорытынды" in before
    _, window, _ = run(capsys, "show", "4", "--on", "2024-11-15", "--lang", "en")
    assert "inside the effective-date window" in window
    _, window, _ = run(capsys, "show", "4", "--on", "2024-11-15")
    assert "күшіне ену аралығында" in window
    assert "Аттестаттау мыналарды қамтиды:" in window  # the alternative reading
    _, after, _ = run(capsys, "show", "4", "--on", "2025-01-01")
    assert "Аттестаттау мыналарды қамтиды:" in after
    assert "әңгімелесуден өту;" in after
    assert "UNCERTAIN" not in after


def test_show_a_provision_that_only_the_alternative_reading_has(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", "rules.4.1", "--on", "2024-11-15", "--lang", "ru")
    assert code == 0
    assert "(rules.4.1 в этом тексте нет)" in out
    assert "әңгімелесуден өту;" in out
    assert "rules.13" not in out  # not the whole regulation
    _, out, _ = run(capsys, "show", "rules.4.1", "--on", "2024-11-15", "--format", "json")
    data = json.loads(out)
    assert data["provisions"] == []
    assert [p["id"] for p in data["alternative"]["provisions"]] == ["rules.4.1"]


def test_show_languages_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, en, _ = run(capsys, "show", "rules.6", "--on", "2025-01-01", "--lang", "en")
    assert "unofficial English gloss" in en
    _, ru, _ = run(capsys, "show", "6", "--on", "2025-01-01", "--lang", "ru")
    assert "официального текста ru в спецификации нет" in ru
    code, out, _ = run(capsys, "show", "rules.9", "--on", "2025-01-01", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["provisions"][0]["status"] == "repealed"


def test_show_whole_regulation_and_versions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "--on", "2025-01-01")
    assert code == 0 and "annex2.col.9" in out and "order.annex2.4" in out
    code, out, _ = run(capsys, "versions", "--format", "json")
    assert [v["id"] for v in json.loads(out)] == ["base", "amend-403"]


def test_user_errors_are_messages_not_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "99", "--on", "2025-01-01")
    assert code == 1 and "no provision 'rules.99'" in err and "Traceback" not in err
    code, _, err = run(capsys, "show", "4", "--on", "2020-01-01")
    assert code == 1 and "not in force" in err
    code, _, err = run(capsys, "show", "4", "--interpretation", "nope=x")
    assert code == 1 and "unknown interpretation" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["show", "4", "--on", "2025-02-30"])
    assert exit_info.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_schema_spec_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "schema", "spec")
    committed = Path(__file__).resolve().parents[1] / "spec" / "regulation.schema.json"
    assert out == committed.read_text(encoding="utf-8")


_PROBE = """
import sys
from attest_rules.cli.app import main
try:
    code = main(sys.argv[1:])
except SystemExit as done:  # --version
    code = done.code
heavy = ("attest_rules.tools.payloads", "attest_rules.tools.casefiles", "attest_rules.tools.forms",
         "attest_rules.tools.shapes", "attest_rules.tools.impact", "attest_rules.tools.coverage",
         "attest_rules.engine.records", "attest_rules.engine.signing", "babel",
         "attest_rules.legal_time.corrections", "attest_rules.spec.diff",
         "attest_rules.tools.workers", "attest_rules.engine.regulation", "pydantic",
         "attest_rules.engine.evaluator")
print("IMPORTED", code, " ".join(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""


_RECORDS = {"attest_rules.engine.records", "attest_rules.engine.signing"}  # verify: its keys
_ENGINE = {"attest_rules.engine.regulation", "pydantic"}  # a command that reads a spec
_EVALUATES = {*_ENGINE, "attest_rules.engine.evaluator"}  # and one that answers a case


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["evaluate", "examples/quorate-session-2025.yaml"], _EVALUATES),
        (["evaluate", "--lang", "ru", "examples/window-2024-absence.yaml"], _EVALUATES),
        (["check"], _ENGINE),
        (["versions"], _ENGINE),
        (["diff", "2024-10-01", "2025-01-01"], {*_ENGINE, "attest_rules.spec.diff"}),
        (
            ["diff", "2024-10-01", "2025-01-01", "--format", "json"],
            {*_ENGINE, "attest_rules.spec.diff"},
        ),
        (["show", "4", "--on", "2025-01-01", "--format", "json"], _ENGINE),
        (["versions", "--format", "json"], _ENGINE),
        (["calendar", "is-working-day", "2025-03-08"], set()),
        (["calendar", "working-days", "2025-03-01", "2025-03-31", "--format", "json"], set()),
        (["term", "2024-01-15", "3 years", "--validity"], set()),
        (["--version"], set()),
        (
            ["evaluate", "--format", "json", "examples/quorate-session-2025.yaml"],
            _RECORDS | _EVALUATES,
        ),
    ],
)
def test_a_command_imports_only_what_it_needs(
    argv: list[str], allowed: set[str], tmp_path: Path
) -> None:
    """A command's start does not pay for the tools of the others (the batch, forms, schemas,
    case files, records): each imports its own when it runs, and a command that reads no spec
    (legal time, ``--version``) imports neither the engine nor pydantic, and one that answers
    no case (``versions``, ``show``, ``diff``, ``check``) not the evaluator. The CLDR's names come
    from the cache folder, not from Babel, once they are kept there, and the calendar file's
    checked corrections without its model."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    env = {**os.environ, "ATTEST_RULES_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    line = done.stderr.strip().splitlines()[-1]
    _, code, *heavy = line.split(" ")
    assert code == "0", done.stderr
    assert set(heavy) - allowed == set(), f"imported: {sorted(set(heavy) - allowed)}"


def test_the_command_leaves_without_teardown_and_nothing_is_lost(tmp_path: Path) -> None:
    """``attest-rules`` exits without the interpreter's teardown (``leave``): its whole output
    arrives, its exit code is kept, a reader that goes away early is no error, and a thread of
    the command's still at work is waited for, as Python always does."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    command = [sys.executable, "-m", "attest_rules"]
    example = "examples/quorate-session-2025.yaml"
    # buffered output, as a pipe has it by default (not PYTHONUNBUFFERED, as some shells set)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [*command, "show", "--format", "json"], cwd=ROOT, env=env, capture_output=True, check=False
    )
    as_always = subprocess.run(  # the same command, torn down as Python always does
        [
            sys.executable,
            "-c",
            "import sys; from attest_rules.cli.app import main; sys.exit(main(sys.argv[1:]))",
            "show",
            "--format",
            "json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0 and json.loads(done.stdout)
    assert done.stdout == as_always.stdout  # every byte of a large output, the last line's too
    bad = subprocess.run(
        [*command, "evaluate", "nowhere.yaml"], cwd=ROOT, capture_output=True, check=False
    )
    assert bad.returncode == 1 and b"nowhere.yaml" in bad.stderr
    with subprocess.Popen(
        [*command, "evaluate", example, "--format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader_gone:
        assert reader_gone.stdout is not None and reader_gone.stderr is not None
        reader_gone.stdout.read(10)
        reader_gone.stdout.close()  # the reader goes away before the record is written out
        said = reader_gone.stderr.read()
    assert reader_gone.returncode == 0 and b"Traceback" not in said, said
    marker = tmp_path / "written"
    script = (
        "import threading, time\n"
        "from attest_rules.cli.app import leave\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(marker)!r}, 'w').write('done')\n"
        "threading.Thread(target=late).start()\n"
        "leave(3)\n"
    )
    waited = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False)
    assert waited.returncode == 3 and marker.read_text() == "done"


def _shape(parser: argparse.ArgumentParser) -> list[tuple[object, ...]]:
    """What a parser reads: each argument's options, destination, default, choices, count."""
    return [
        (tuple(a.option_strings), a.dest, repr(a.default), repr(a.choices), a.nargs, a.required)
        for a in parser._actions
    ]


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_each_command_alone_is_parsed_as_in_the_whole_parser() -> None:
    """A command's start builds its own parser alone; it reads its arguments as the whole
    parser does, and no other command's parser is built."""
    whole = _commands(build_parser())
    assert len(whole) > 15
    for name, full in whole.items():
        alone = _commands(build_parser(only=name))
        assert list(alone) == [name]
        assert _shape(alone[name]) == _shape(full), name
        assert alone[name].get_default("func") is full.get_default("func"), name


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [(["evaluate", "x.yaml"], "evaluate"), (["-h"], None), (["annex-1", "c.yaml"], "form")],
)
def test_the_parser_of_the_named_command(argv: list[str], wanted: str | None) -> None:
    commands = _commands(_parser_for(argv))
    if wanted is None:  # help: every command
        assert commands.keys() == _commands(build_parser()).keys()
    else:  # a word that is no command names a form
        assert list(commands) == [wanted]


_PLUGIN = """
import os
import pathlib

pathlib.Path(os.environ["PLUGIN_MARK"]).write_text("loaded")


class _Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = _Plugin()
"""


@pytest.mark.parametrize(("setting", "loaded"), [(None, False), ("", True)])
def test_a_command_loads_no_pydantic_plugin_unless_told_to(
    tmp_path: Path, setting: str | None, loaded: bool
) -> None:
    """A command's start does not read every installed distribution for pydantic's plugins;
    ``PYDANTIC_DISABLE_PLUGINS`` set (empty: none disabled) is pydantic's to read."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    (tmp_path / "mark_plugin.py").write_text(_PLUGIN)
    info = tmp_path / "mark_plugin-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mark-plugin\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nmark = mark_plugin:plugin\n")
    mark = tmp_path / "mark"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env.update(PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT / 'src'}", PLUGIN_MARK=str(mark))
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run(
        [sys.executable, "-m", "attest_rules", "evaluate", "examples/quorate-session-2025.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert mark.exists() is loaded
