"""docs/reliability.md states the limits as the code has them: each constant's value is the
one its row shows."""

from __future__ import annotations

import re

from attest_rules.durable import MAX_OPEN
from attest_rules.engine.records import MAX_RECORD
from attest_rules.lang import syntax
from attest_rules.legal_time import FIRST_DAY, LAST_DAY
from attest_rules.legal_time.calendar import FIRST_YEAR, LAST_YEAR
from attest_rules.located import reader
from attest_rules.located.lines import MAX_LINE

from .conftest import ROOT

DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def _row(constant: str) -> str:
    (row,) = [line for line in DOC.splitlines() if f"`{constant}" in line and line.startswith("|")]
    return row


def _power(value: int) -> str:
    return f"10^{len(str(value)) - 1}"


def test_every_limit_in_the_doc_is_the_codes() -> None:
    assert f"{reader.MAX_BYTES:,} bytes" in _row("located.reader.MAX_BYTES")
    assert f"{reader.MAX_NODES:,}" in _row("located.reader.MAX_NODES")
    assert f"{reader.MAX_DEPTH} levels" in _row("located.reader.MAX_DEPTH")
    assert f"{MAX_LINE:,} bytes" in _row("located.lines.MAX_LINE")
    assert f"{MAX_RECORD:,} bytes" in _row("engine.records.MAX_RECORD")
    assert f"{syntax.MAX_LENGTH:,} characters" in _row("lang.syntax.MAX_LENGTH")
    assert f"{syntax.MAX_DEPTH} levels" in _row("lang.syntax.MAX_DEPTH")
    assert _power(syntax.MAX_INT) in _row("lang.syntax.MAX_INT")
    assert _power(syntax.MAX_VALUE) in _row("lang.syntax.MAX_VALUE")
    assert f"{syntax.MAX_ITEMS:,}" in _row("lang.syntax.MAX_ITEMS")
    assert f"{FIRST_DAY} to {LAST_DAY}" in _row("legal_time.FIRST_DAY")
    assert f"{FIRST_YEAR} to {LAST_YEAR}" in _row("legal_time.calendar.FIRST_YEAR")
    assert f"{MAX_OPEN:,}" in _row("durable.MAX_OPEN")
    assert f"{2 * MAX_LINE:,} bytes" in _row("2 × MAX_LINE")
    assert re.search(r"\b10\^12\b", DOC)
