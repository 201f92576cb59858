"""The monitor survives and resumes (issue 12, findings 2 and 4): a line or an event that
cannot be taken is an error line and the other cases go on; past the cap of open cases a case
whose last deadline has passed is evicted, or the new case is refused; with a journal, a
monitor killed with SIGKILL at any point and restarted writes, over its two runs, exactly the
findings of one uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("durable")

import attest_rules
from attest_rules.cli.app import main
from attest_rules.durable import MAX_OPEN
from attest_rules.durable.journal import Journal
from attest_rules.durable.monitor import Monitor
from attest_rules.located.lines import MAX_LINE

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "examples" / "events-session-2025.jsonl"
REG = attest_rules.load()
assert REG.events is not None
REG_EVENTS = REG.events
LINES = EVENTS.read_text(encoding="utf-8").splitlines()


def _two_cases() -> list[str]:
    """The example's events for two cases, interleaved, and a bad line among them."""
    out: list[str] = []
    for n, line in enumerate(LINES):
        out.append(line)
        out.append(line.replace('"c1"', '"c2"'))
        if n == 5:
            out.append('{"case": "c2", "type": "nap"}')
    return out


def _open(case: str, at: str = "2025-03-03") -> dict[str, Any]:
    return {
        "case": case,
        "type": "session_opened",
        "at": at,
        "members": list("ABCDEF"),
        "chair": "A",
        "secretary": "S",
    }


def _run(
    lines: Sequence[str | bytes | None], monitor: Monitor | None = None
) -> list[dict[str, Any]]:
    return list((monitor or Monitor(REG)).stream(lines))


def test_a_bad_line_of_any_kind_costs_only_itself() -> None:
    clean = _run(list(LINES))
    bad: list[str | bytes | None] = [
        b"\xff\xfe not UTF-8",
        None,  # a line too long to read
        json.dumps({**_open("far"), "at": "9999-12-31"}),
        json.dumps({**_open("old"), "worker": {"appointed_on": "1985-03-01"}}),
        json.dumps(
            {"case": "old", "type": "decision_taken", "at": "2100-12-30", "outcome": "first"}
        ),
        json.dumps({"case": "old", "type": "tick", "at": "2101-02-01"}),
    ]
    mixed: list[str | bytes | None] = [*LINES[:3], *bad, *LINES[3:]]
    out = _run(mixed)
    errors = [o for o in out if "error" in o]
    assert [e["line"] for e in errors] == [4, 5, 6]
    assert "not UTF-8" in errors[0]["error"]
    assert f"longer than {MAX_LINE} bytes" in errors[1]["error"]
    assert "9999-12-31 is outside the dates" in errors[2]["error"]
    assert [o for o in out if o.get("case") == "c1"] == clean


def test_a_fault_in_one_case_is_an_error_line_and_the_case_is_left_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monitor = Monitor(REG)
    real = monitor.engine.answer

    def failing(facts: Any) -> Any:
        if facts.get("id") == "c2" and "B" in (facts.get("session") or {}).get("present", []):
            raise MemoryError("simulated")
        return real(facts)

    monkeypatch.setattr(monitor.engine, "answer", failing)
    out = _run(_two_cases(), monitor)
    errors = [o for o in out if "error" in o]
    assert any(e.get("case") == "c2" and "MemoryError" in e["error"] for e in errors)
    clean = _run(list(LINES))
    assert [o for o in out if o.get("case") == "c1"] == clean
    assert monitor.cases == {}  # both closed; c2 went on after its failed event


def test_past_the_cap_a_case_is_evicted_or_refused() -> None:
    monitor = Monitor(REG, max_open=3)
    for case in ("a", "b", "c"):
        monitor.feed(REG_EVENTS.parse(_open(case)))
    with pytest.raises(attest_rules.AttestRulesError, match="3 cases are open, the limit"):
        monitor.feed(REG_EVENTS.parse(_open("d")))
    assert set(monitor.cases) == {"a", "b", "c"}
    # b's deadlines: computed, then passed by its clock
    monitor.feed(
        REG_EVENTS.parse(
            {"case": "b", "type": "decision_taken", "at": "2025-03-03", "outcome": "first"}
        )
    )
    assert not monitor.cases["b"].evictable()
    monitor.feed(REG_EVENTS.parse({"case": "b", "type": "tick", "at": "2025-03-20"}))
    assert monitor.cases["b"].evictable()
    findings = monitor.feed(REG_EVENTS.parse(_open("d")))
    assert findings[0].kind == "case.evicted" and findings[0].case == "b"
    assert set(monitor.cases) == {"a", "c", "d"}
    with pytest.raises(attest_rules.AttestRulesError, match="not open"):
        monitor.feed(REG_EVENTS.parse({"case": "b", "type": "member_arrived", "member": "A"}))


def test_more_cases_than_durable_rules_sessions_never_crash(tmp_path: Path) -> None:
    """durable_rules keeps 1024 sessions a ruleset; the 1025th raised MemoryError and ended
    the process. Now the cases past the cap are refused, each on its own line."""
    events = tmp_path / "many.jsonl"
    extra = 30
    events.write_text(
        "".join(json.dumps(_open(f"k{i}")) + "\n" for i in range(MAX_OPEN + extra)),
        encoding="utf-8",
    )
    monitor = Monitor(REG)
    with events.open("rb") as source:
        from attest_rules.located.lines import bounded_lines

        out = list(monitor.stream(raw for _, raw in bounded_lines(source)))
    refused = [o for o in out if "error" in o]
    assert len(refused) == extra
    assert all("the limit" in o["error"] and "case" in o for o in refused)
    assert len(monitor.cases) == MAX_OPEN


def test_the_cli_reads_a_file_with_a_bad_byte_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_bytes(
        b"\n".join([LINES[0].encode(), b"\xc3\x28 broken", *(x.encode() for x in LINES[1:])])
        + b"\n"
    )
    before = events.read_bytes()
    assert main(["monitor", str(events)]) == 1
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["line"] for o in out if "error" in o] == [2]
    assert out[-1]["finding"] == "case.closed"
    assert events.read_bytes() == before


# ---- the journal --------------------------------------------------------------------------


def _monitor(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "attest_rules", "monitor", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _journaled_through(journal: Path, line: int) -> bool:
    """Whether the journal has taken input line ``line`` completely."""
    if not journal.exists():
        return False
    for raw in journal.read_bytes().splitlines():
        item = json.loads(raw)
        if item.get("done") == line or (item.get("line") == line and "refused" in item):
            return True
    return False


def _kill_after(journal: Path, lines: list[str], k: int) -> bytes:
    """Feed the first ``k`` lines to a journaling monitor, wait until it has taken them, kill
    it with SIGKILL; its standard output."""
    proc = _monitor("-", "--journal", str(journal))
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(x + "\n" for x in lines[:k]).encode())
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not _journaled_through(journal, k):
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the monitor did not take the lines in time"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    return out


@pytest.mark.parametrize("k", [1, 7, 20])
def test_killed_and_restarted_the_monitor_writes_what_one_run_writes(
    tmp_path: Path, k: int
) -> None:
    lines = _two_cases()
    events = tmp_path / "events.jsonl"
    events.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    whole = subprocess.run(
        [sys.executable, "-m", "attest_rules", "monitor", str(events)],
        capture_output=True,
        check=False,
    )
    assert whole.returncode == 1  # the one bad line
    journal = tmp_path / "monitor.journal"
    first = _kill_after(journal, lines, k)
    second = subprocess.run(
        [sys.executable, "-m", "attest_rules", "monitor", str(events), "--journal", str(journal)],
        capture_output=True,
        check=False,
    )
    assert second.stderr == b""
    assert first + second.stdout == whole.stdout
    assert b"deadline.passed" in whole.stdout


def test_a_journal_is_not_resumed_on_another_input_or_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("".join(x + "\n" for x in LINES[:5]), encoding="utf-8")
    journal = tmp_path / "j"
    assert main(["monitor", str(events), "--journal", str(journal)]) == 0
    capsys.readouterr()
    other = tmp_path / "other.jsonl"
    other.write_text("".join(x + "\n" for x in [LINES[0], LINES[2], *LINES[1:]]), encoding="utf-8")
    assert main(["monitor", str(other), "--journal", str(journal)]) == 1
    assert "another events input" in capsys.readouterr().err
    with pytest.raises(attest_rules.AttestRulesError, match="written under spec"):
        Journal.open(journal, "sha256:another")
    assert main(["monitor", str(events), "--journal", str(events)]) == 1
    assert "refusing to write" in capsys.readouterr().err


def test_a_journal_line_cut_short_by_a_kill_is_dropped(tmp_path: Path) -> None:
    journal = tmp_path / "j"
    opened = Journal.open(journal, REG.content_hash)
    opened.accepted(1, LINES[0])
    opened.done(1)
    opened.close()
    with journal.open("ab") as out:
        out.write(b'{"line": 2, "event": "{\\"case\\"')  # a kill mid-write
    again = Journal.open(journal, REG.content_hash)
    assert [e.line for e in again.entries] == [1] and again.entries[0].done
    again.close()
    assert journal.read_bytes().endswith(b'{"done": 1}\n')


def test_a_line_past_the_limit_is_refused_in_bounded_memory_and_the_next_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def peak_with(pad: int) -> tuple[int, list[dict[str, Any]]]:
        events = tmp_path / "events.jsonl"
        with events.open("wb") as out:
            out.write(LINES[0].encode() + b"\n")
            out.write(b'{"case": "c1", "pad": "' + b"x" * pad + b'"}\n')
            out.write("".join(x + "\n" for x in LINES[1:]).encode())
        tracemalloc.start()
        assert main(["monitor", str(events)]) == 1
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak, [json.loads(x) for x in capsys.readouterr().out.splitlines()]

    small, _ = peak_with(10)
    big, out = peak_with(8 * MAX_LINE)  # 8 MiB on one line
    assert [(o["line"], "longer than" in o["error"]) for o in out if "error" in o] == [(2, True)]
    assert out[-1]["finding"] == "case.closed"
    assert big - small < 4 * MAX_LINE  # the long line was never held whole (8 MiB, twice)


def test_a_file_that_is_no_journal_is_never_truncated(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_bytes(b"an important note without a final newline")
    with pytest.raises(attest_rules.AttestRulesError, match="not a monitor journal"):
        Journal.open(other, REG.content_hash)
    assert other.read_bytes() == b"an important note without a final newline"
