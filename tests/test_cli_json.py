"""The command line by convention: every command that reads a file reads ``-`` as standard
input; ``--format json`` prints JSON, errors included; several cases print JSON Lines, a bad
one an error line while the others go on; the exit codes are those documented; the shell
completion script is printed; ``python -m attest_rules`` works."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from attest_rules.cli import app
from attest_rules.cli.app import (
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    main,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quorate-session-2025.yaml"
CASEFILE = ROOT / "tests" / "cases" / "absence.yaml"


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: bytes = b"",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def record(capsys: pytest.CaptureFixture[str]) -> bytes:
    main(["evaluate", str(EXAMPLE), "--format", "json"])
    return capsys.readouterr().out.encode()


@pytest.mark.parametrize(
    ("argv", "stdin", "expect"),
    [
        (["evaluate", "-", "--format", "json"], EXAMPLE.read_bytes(), '"case_id"'),
        (["check", "-"], (ROOT / "spec" / "regulation_210.yaml").read_bytes(), "<stdin>: OK"),
        (["annex1", "-", "--format", "json"], EXAMPLE.read_bytes(), '"annex": "annex1"'),
        (["test", "-"], CASEFILE.read_bytes(), " passed, 0 failed"),
        (
            ["impact", "-", "--from", "2024-10-01", "--to", "2025-03-01", "--format", "json"],
            b'{"id": "a", "session": {"date": "2025-03-03"}}\n',
            '"cases": 1',
        ),
        (  # exit 1: its row lacks facts, which it says
            ["annex2", "-", "--format", "csv", "-o", "-"],
            b'{"id": "a", "worker": {"full_name": "Aigul"}}\n',
            "Aigul",
        ),
    ],
)
def test_every_command_reads_standard_input_as_dash(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: bytes,
    expect: str,
) -> None:
    code, out, err = run(capsys, monkeypatch, argv, stdin)
    assert code == (EXIT_FAILED if argv[0] == "annex2" else EXIT_OK), err
    assert expect in out


def test_replay_and_verify_read_a_record_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed = record(capsys)
    code, out, _ = run(capsys, monkeypatch, ["replay", "-", "--format", "json"], sealed)
    assert code == EXIT_OK and json.loads(out)["matches"] is True
    code, out, _ = run(capsys, monkeypatch, ["verify", "-"], sealed)
    assert code == EXIT_OK and "verify: <stdin>: the digest matches" in out


def test_standard_input_is_read_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, monkeypatch, ["evaluate", "-", "-"], EXAMPLE.read_bytes())
    assert code == EXIT_FAILED
    assert "standard input is read once" in err


@pytest.mark.parametrize(
    ("argv", "code", "error"),
    [
        (["evaluate", "/nowhere/case.yaml", "--format", "json"], EXIT_FAILED, "io_error"),
        (["show", "rules.99", "--format", "json"], EXIT_FAILED, "attest_rules_error"),
        (["evaluate", "x", "--format", "json", "--on", "2025-02-30"], EXIT_USAGE, "usage"),
        (["check", str(ROOT / "README.md"), "--format", "json"], EXIT_FAILED, "spec_error"),
        (["term", "2025-01-01", "3 fortnights", "--deadline", "--format", "json"], 1, "term_error"),
        (["calendar", "add-working-days", "2025-01-01", "0", "--format", "json"], 1, "term_error"),
    ],
)
def test_with_format_json_errors_are_json_too(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    code: int,
    error: str,
) -> None:
    if code == EXIT_USAGE:
        with pytest.raises(SystemExit) as exit_:
            run(capsys, monkeypatch, argv)
        assert exit_.value.code == EXIT_USAGE
        out, err = capsys.readouterr()
    else:
        got, out, err = run(capsys, monkeypatch, argv)
        assert got == code
    data = json.loads(out)
    assert data["error"]["code"] == error, data
    assert set(data["error"]) == {"code", "message", "location"}
    assert err == ""  # nothing but the JSON


def test_a_spec_error_in_json_carries_every_location(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (
        (ROOT / "tests" / "library" / "lending_rules.yaml")
        .read_bytes()
        .replace(b"      issued_on: {type: date}", b"      issued_on: {type: date, pattern: x}")
    )
    code, out, _ = run(capsys, monkeypatch, ["check", "-", "--format", "json"], broken)
    assert code == EXIT_FAILED
    (where,) = json.loads(out)["error"]["location"]
    assert where["file"] == "<stdin>" and where["line"] > 1
    assert where["path"] == "facts.loan.fields.issued_on.pattern"


def test_several_cases_print_json_lines_and_a_bad_one_does_not_stop_the_others(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("session: {language: kz}\n", encoding="utf-8")
    argv = ["evaluate", str(EXAMPLE), str(bad), str(EXAMPLE), "--format", "json"]
    code, out, _ = run(capsys, monkeypatch, argv)
    assert code == EXIT_FAILED
    lines = [json.loads(line) for line in out.splitlines()]
    assert [("error" in x) for x in lines] == [False, True, False]
    assert lines[1]["source"] == str(bad)
    assert lines[1]["error"]["location"][0]["field"] == "session.language"
    assert lines[0] == lines[2] and lines[0]["case_id"]
    code, out, err = run(capsys, monkeypatch, argv[:-2])  # text: the others still shown
    assert code == EXIT_FAILED and out.count("quorate") >= 2 and str(bad) in err


def test_the_exit_codes_are_the_documented_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, monkeypatch, ["versions"])[0] == EXIT_OK
    assert run(capsys, monkeypatch, ["evaluate", "/nowhere.yaml"])[0] == EXIT_FAILED
    with pytest.raises(SystemExit) as usage:
        run(capsys, monkeypatch, ["evaluate", "--no-such-flag"])
    assert usage.value.code == EXIT_USAGE

    def boom(_: Any) -> int:
        raise RuntimeError("a bug")

    def stop(_: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "cmd_versions", boom)
    code, out, err = run(capsys, monkeypatch, ["versions"])
    assert code == EXIT_INTERNAL and "internal error: RuntimeError: a bug" in err
    code, out, _ = run(capsys, monkeypatch, ["versions", "--format", "json"])
    assert code == EXIT_INTERNAL and json.loads(out)["error"]["code"] == "internal"
    monkeypatch.setattr(app, "cmd_versions", stop)
    assert run(capsys, monkeypatch, ["versions"])[0] == EXIT_INTERRUPTED
    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for value in (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED):
        assert f"| {value} |" in documented


@pytest.mark.parametrize("shell", ["bash", "zsh", "tcsh"])
def test_the_completion_script_names_the_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    code, out, _ = run(capsys, monkeypatch, ["completion", shell])
    assert code == EXIT_OK
    assert "attest-rules" in out or "attest_rules" in out
    assert all(word in out for word in ("evaluate", "replay", "serve", "calendar"))


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "attest_rules", "versions", "--format", "json"],
        capture_output=True,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert [v["id"] for v in json.loads(done.stdout)] == ["base", "amend-403"]


@pytest.mark.parametrize("extra", [[], ["--workers", "2"]], ids=["one", "workers"])
def test_a_batch_shows_progress_on_a_terminal_and_is_silent_otherwise(
    tmp_path: Path, extra: list[str]
) -> None:
    import fcntl
    import os
    import pty
    import struct
    import termios

    batch = tmp_path / "cases.jsonl"
    batch.write_text("".join(f'{{"id": "c{n}"}}\n' for n in range(300)), encoding="utf-8")
    argv = [sys.executable, "-m", "attest_rules", "evaluate", *extra, "--jsonl", str(batch)]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    quiet = subprocess.run(
        [*argv, str(tmp_path / "a.jsonl"), "--answers-only"], capture_output=True, env=env
    )
    assert quiet.returncode == 0 and quiet.stderr == b""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    shown = subprocess.Popen(
        [*argv, str(tmp_path / "b.jsonl"), "--answers-only"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while True:  # read as it is written: a closed terminal drops what was not read
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    shown.wait(timeout=60)
    assert shown.returncode == 0
    assert b" cases [" in seen and b"cases/s]" in seen
    assert re.search(rb"\r[1-9][0-9]* cases \[", seen)  # counted in cases (a chunk, its cases)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
