"""``attest-rules coverage`` and ``impact``: the analyst's views of the spec and its cases."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from attest_rules.cli.options import parse_date, parse_interpretation, parse_workers, progress
from attest_rules.errors import AttestRulesError

# The engine and the tools each command uses are imported when it runs: every other command
# starts without them (about 17 ms of each command's start for the tools alone).


def cmd_coverage(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.casefiles import run_files
    from attest_rules.tools.coverage import coverage, render_text

    reg = load(args.spec)
    results = run_files(reg, args.paths or [str(Path("tests") / "cases")])
    cov = coverage(reg, results)
    if args.format == "json":
        print(json.dumps(cov.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(cov))
    failed = [r for r in results if not r.passed]
    if failed:
        print(f"note: {len(failed)} case(s) fail; `attest-rules test` says which")
    return 1 if cov.gaps() else 0


def cmd_impact(args: argparse.Namespace) -> int:
    from attest_rules.engine.facts import case_sources
    from attest_rules.engine.regulation import load
    from attest_rules.tools.impact import Impact, Judge, Setting, impact
    from attest_rules.tools.impact import render_text as render_impact
    from attest_rules.tools.workers import ImpactJob, judged

    reg = load(args.spec)
    a = Setting(args.from_date, dict(args.from_interpretation))
    b = Setting(args.to_date, dict(args.to_interpretation))
    if a == b:
        raise AttestRulesError(
            "the two settings are the same: give --from/--to dates or "
            "--from-interpretation/--to-interpretation"
        )
    if args.workers > 1:
        Judge(reg, a, b)  # an unknown interpretation: refused before any worker starts
        result = Impact(a, b)
        job = ImpactJob(args.spec, a, b)
        for where, found in progress(judged(job, case_sources(args.cases), args.workers), "cases"):
            result.add(where, found)
    else:
        result = impact(reg, progress(case_sources(args.cases), "cases"), a, b)
    if args.format == "json":
        print(json.dumps(result.as_dict(args.sample), ensure_ascii=False, indent=2))
    else:
        print(render_impact(result, args.sample))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "coverage",
        help="which rules implement each provision, and which case files exercise them",
        description="for each provision: its rules, the case files that exercise each rule and "
        "each outcome; a provision without a rule, with the reason. Exit 1 when a rule has no "
        "case file, an outcome is never reached, or a provision has neither rule nor reason.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="case files (default tests/cases)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--spec", default=None, metavar="PATH")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser(
        "impact",
        help="which answers change between two dates or two interpretation settings",
        description="answer a batch of cases under setting A (--from…) and setting B (--to…) and "
        "report which answers change, how many, and for which cases",
    )
    p.add_argument(
        "cases", nargs="+", metavar="CASES", help="a .jsonl batch, case files, or folders of them"
    )
    p.add_argument("--from", dest="from_date", type=parse_date, default=None, metavar="DATE")
    p.add_argument("--to", dest="to_date", type=parse_date, default=None, metavar="DATE")
    p.add_argument(
        "--from-interpretation",
        type=parse_interpretation,
        action="append",
        default=[],
        metavar="ID=CHOICE",
    )
    p.add_argument(
        "--to-interpretation",
        type=parse_interpretation,
        action="append",
        default=[],
        metavar="ID=CHOICE",
    )
    p.add_argument("--sample", type=int, default=5, help="case ids shown per change (default 5)")
    p.add_argument(
        "--workers",
        type=parse_workers,
        default=1,
        metavar="N",
        help="read and answer the cases in N worker processes, each loading the spec once",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--spec", default=None, metavar="PATH")
    p.set_defaults(func=cmd_impact)
