"""``attest-rules monitor EVENTS.jsonl``: events in, findings out, as JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from attest_rules.durable import durable_available
from attest_rules.engine.regulation import load
from attest_rules.errors import AttestRulesError


def cmd_monitor(args: argparse.Namespace) -> int:
    if not durable_available():
        raise AttestRulesError(
            "the monitor needs durable-rules: pip install 'attest-rules[monitor]'"
        )
    from attest_rules.durable.monitor import (
        Monitor,  # the optional extra: imported only when asked for
    )

    monitor = Monitor(load(args.spec))
    errors = 0
    with sys.stdin if args.events == "-" else open(args.events, encoding="utf-8") as source:
        for item in monitor.stream(source):
            errors += "error" in item
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
    p.set_defaults(func=cmd_monitor)
