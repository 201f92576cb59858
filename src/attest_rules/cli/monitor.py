"""``attest-rules monitor EVENTS.jsonl``: events in, findings out, as JSON lines."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any

from attest_rules.durable import MAX_OPEN, durable_available
from attest_rules.errors import AttestRulesError
from attest_rules.located.lines import bounded_lines
from attest_rules.outputs import refuse_inputs
from attest_rules.tools.messages import LANGS


def cmd_monitor(args: argparse.Namespace) -> int:
    if not durable_available():
        raise AttestRulesError(
            "the monitor needs durable-rules: pip install 'attest-rules[monitor]'"
        )
    from attest_rules.durable.journal import Journal
    from attest_rules.durable.monitor import (
        Monitor,  # the optional extra: imported only when asked for
    )
    from attest_rules.engine.regulation import load

    reg = load(args.spec)
    monitor = Monitor(reg, max_open=args.max_open)
    inputs = [] if args.events == "-" else [args.events]
    if args.journal is not None:
        refuse_inputs(args.journal, inputs)
    errors = 0
    with contextlib.ExitStack() as stack:
        source = (
            sys.stdin.buffer if args.events == "-" else stack.enter_context(open(args.events, "rb"))
        )
        journal = None
        if args.journal is not None:
            journal = Journal.open(args.journal, reg.content_hash)
            stack.callback(journal.close)
        lines = (raw for _, raw in bounded_lines(source))
        book = reg.rulebook
        for item in monitor.stream(lines, journal):
            errors += "error" in item
            question = item.get("question") if "finding" in item else None
            if isinstance(question, str) and question in book.titles:  # for the reader
                item["title"] = book.title(question, args.lang)
            print(json.dumps(item, ensure_ascii=False), flush=True)
    return 1 if errors else 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "monitor",
        help="watch cases as events arrive (needs [monitor])",
        description="stream events (JSON lines) in and findings out; a "
        "malformed event is reported with its line and the stream "
        "goes on",
    )
    p.add_argument("events", metavar="EVENTS.jsonl", help="'-' for standard input")
    p.add_argument("--spec", default=None, metavar="PATH")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="kk",
        help="the language of each finding's title, its question as the spec words it",
    )
    p.add_argument(
        "--journal",
        default=None,
        metavar="FILE",
        help="append every event taken to FILE before its findings, and on start resume from "
        "it: the open cases are rebuilt and the input's lines it holds are skipped",
    )
    p.add_argument(
        "--max-open",
        type=_max_open,
        default=MAX_OPEN,
        metavar="N",
        help=f"cases open at once, at most (default and limit {MAX_OPEN}); past it, a case whose "
        "last deadline has passed is evicted, or the new case is refused",
    )
    p.set_defaults(func=cmd_monitor)


def _max_open(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_OPEN or not text.isascii():
        raise argparse.ArgumentTypeError(f"a number from 1 to {MAX_OPEN}, not {text!r}")
    return value
