"""``evaluate --jsonl ... --workers N``: the same lines, in the same order, as one process
writes them, bad lines included; memory bounded by the chunks in flight."""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import attest_rules
from attest_rules.cli.app import main
from attest_rules.engine.facts import case_lines
from attest_rules.located.lines import blocks, bounded_lines
from attest_rules.tools.payloads import Batch, BatchOptions
from attest_rules.tools.workers import BatchJob, answered

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from cases import make_case  # noqa: E402 - the benchmarks' case generator

REG = attest_rules.load()


def _batch_text(count: int) -> bytes:
    rng = random.Random(20230701)  # noqa: S311 - test data, not a secret
    lines = [json.dumps(make_case(rng, n)) for n in range(count)]
    lines[3] = "{not json"
    lines[7] = ""  # a blank line is skipped, as in one process
    lines[11] = json.dumps({"session": {"language": "kz"}})  # refused by the facts model
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("answers_only", [True, False])
def test_workers_answer_every_line_in_order_as_one_process_does(answers_only: bool) -> None:
    raw = _batch_text(41)
    options = BatchOptions(answers_only=answers_only, lang="kk")
    one = Batch(REG, options)
    expected = [one.line(n, case) for n, case in case_lines(REG.facts, io.BytesIO(raw), "input")]
    job = BatchJob(None, options, None, "input")
    chunks = list(answered(job, io.BytesIO(raw), workers=2, block=4096))
    assert 1 < len(chunks) <= -(-len(raw) // 4096)  # blocks of 4 KiB or more, cut after a line
    assert "".join(text for text, _, _ in chunks) == "".join(f"{line}\n" for line, _ in expected)
    assert sum(n for _, n, _ in chunks) == 40
    assert sum(bad for _, _, bad in chunks) == 2 == [ok for _, ok in expected].count(False)


def test_the_command_line_writes_the_same_file_with_two_workers(tmp_path: Path) -> None:
    source = tmp_path / "cases.jsonl"
    source.write_bytes(_batch_text(600))  # several blocks of 256 KiB
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["evaluate", "--jsonl", str(source), str(one), "--answers-only"]) == 1
    assert (
        main(["evaluate", "--jsonl", str(source), str(two), "--answers-only", "--workers", "2"])
        == 1  # a bad line: exit 1, as with one process
    )
    assert two.read_bytes() == one.read_bytes()
    assert len(one.read_bytes().splitlines()) == 599  # every non-blank line answered


def test_workers_and_answers_only_are_refused_outside_a_batch_and_out_of_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = str(ROOT / "examples" / "quorate-session-2025.yaml")
    assert main(["evaluate", example, "--workers", "2"]) == 1
    assert "--workers is for a batch" in capsys.readouterr().err
    assert main(["evaluate", example, "--answers-only"]) == 1  # not a record left unsaid
    assert "--answers-only is for a batch" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "--jsonl", "-", "-", "--workers", "0"])
    assert exc.value.code == 2
    assert "a number from 1 to 64" in capsys.readouterr().err


def test_impact_with_workers_reports_what_one_process_reports(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(_batch_text(300))
    cases = [str(batch), str(ROOT / "examples")]  # a batch with bad lines, and case files
    argv = ["impact", *cases, "--from", "2024-10-01", "--to", "2025-03-01", "--format", "json"]
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"impact-{workers}.json"
        with out.open("w", encoding="utf-8") as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                assert main([*argv, "--workers", workers, "--sample", "1000"]) == 0
            finally:
                sys.stdout = stdout
        outputs.append(json.loads(out.read_text(encoding="utf-8")))
    one, two = outputs
    assert two == one
    assert one["cases"] == 297 + 2 and len(one["rejected"]) == 2  # 299 lines, 2 bad; 2 files
    assert one["cases_changed"] > 0


@given(
    st.lists(
        st.one_of(
            st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
            st.integers(60, 200).map(lambda n: b"x" * n),  # past the limit of 50
        ),
        max_size=30,
    ),
    st.booleans(),
    st.integers(1, 64),
)
def test_blocks_read_as_the_whole_stream_reads(
    lines: list[bytes], final_newline: bool, size: int
) -> None:
    """Lines found block by block, numbered on from each block's first, are the lines of the
    whole stream: none split, none lost, one past the limit still past it."""
    raw = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    whole = list(bounded_lines(io.BytesIO(raw), 50))
    pieces = [
        (first + n - 1, line)
        for first, block in blocks(io.BytesIO(raw), size, 50)
        for n, line in bounded_lines(io.BytesIO(block), 50)
    ]
    assert pieces == whole
