"""The ``attest-rules`` command line. Every command has ``--format text|json``; errors never show
a traceback (set ATTEST_RULES_DEBUG=1 to see one)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from attest_rules.cli.analyst import register as register_analyst
from attest_rules.cli.evaluate import register as register_evaluation
from attest_rules.cli.forms import register as register_forms
from attest_rules.cli.legaltime import register as register_legal_time
from attest_rules.cli.monitor import register as register_monitor
from attest_rules.cli.options import add_interpretation, parse_date, terminal_safe
from attest_rules.cli.serve import register as register_serve
from attest_rules.engine.regulation import Regulation, load
from attest_rules.errors import AttestRulesError, SpecError
from attest_rules.legal_time import CalendarError, TermError
from attest_rules.tools.payloads import diff_json, regulation_json, versions_json
from attest_rules.tools.render import LANGS, render_diff, render_show, render_versions
from attest_rules.tools.schemas import SCHEMAS, schema_text
from attest_rules.version import __version__


def _provision_id(reg: Regulation, text: str) -> str:
    """A bare number like ``7`` means what the spec's ``bare_number`` says (item 7)."""
    template = reg.document.bare_number
    return template.format(n=text) if text.isdigit() and template else text


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_check(args: argparse.Namespace) -> int:
    reg = load(args.spec)
    if args.format == "json":
        _emit({"ok": True, "file": reg.file, "warnings": [w.as_dict() for w in reg.warnings]})
        return 0
    for warning in reg.warnings:
        print(warning)
    doc = reg.document
    count = len(reg.snapshot(reg.versions[0].id))
    print(
        f"{reg.file}: OK — {count} provisions in the base text, {len(reg.versions)} versions, "
        f"{len(doc.interpretations)} interpretations, {len(doc.restorations)} restorations"
    )
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    reg = load(args.spec)
    if args.format == "json":
        _emit(versions_json(reg))
    else:
        print(render_versions(reg))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    reg = load(args.spec)
    pid = _provision_id(reg, args.id) if args.id else None
    data = regulation_json(reg, args.on, dict(args.interpretation), pid)  # checks the id
    if args.format == "json":
        _emit(data)
    else:
        print(render_show(reg, reg.as_of(args.on, dict(args.interpretation)), pid, args.lang))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    reg = load(args.spec)
    choices = dict(args.interpretation)
    if args.format == "json":
        _emit(diff_json(reg, args.date_from, args.date_to, choices))
        return 0
    a, b = reg.as_of(args.date_from, choices), reg.as_of(args.date_to, choices)
    print(render_diff(reg, a, b, reg.diff(args.date_from, args.date_to, choices), args.lang))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    reg = load(args.spec) if args.name == "case" and args.spec is not None else None
    sys.stdout.write(schema_text(args.name, reg))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attest-rules",
        description="A regulation as a versioned, citable spec: its text on any date, its "
        "questions answered for cases, its forms and its monitor. Without --spec, the bundled "
        "spec (attest-rules versions lists its versions).",
    )
    parser.add_argument("--version", action="version", version=f"attest-rules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help_text: str,
        spec_option: bool = True,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--format", choices=("text", "json"), default="text")
        if spec_option:
            p.add_argument(
                "--spec",
                default=None,
                metavar="PATH",
                help="a spec file (default: the bundled spec)",
            )
        return p

    p = command("check", cmd_check, "validate and lint a spec; exit 1 on errors", spec_option=False)
    p.add_argument("spec", nargs="?", default=None, metavar="SPEC")

    command("versions", cmd_versions, "list the versions and their effective dates")

    p = command(
        "show",
        cmd_show,
        "show a provision (and what is under it) as in force on a "
        "date; without ID, the whole regulation",
    )
    p.add_argument("id", nargs="?", metavar="ID", help="provision id; a bare number means rules.N")
    p.add_argument(
        "--on",
        type=parse_date,
        default=dt.date.today(),
        metavar="DATE",
        help="YYYY-MM-DD or 'today' (default)",
    )
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="kk",
        help="kk (official), ru (official, where held), en (unofficial gloss)",
    )
    add_interpretation(p)

    p = command("diff", cmd_diff, "what changed between the texts in force on two dates")
    p.add_argument("date_from", type=parse_date, metavar="FROM")
    p.add_argument("date_to", type=parse_date, metavar="TO")
    p.add_argument("--lang", choices=LANGS, default="kk")
    add_interpretation(p)

    p = command("schema", cmd_schema, "print a JSON Schema (case: the --spec's cases)")
    p.add_argument("name", choices=SCHEMAS)

    register_legal_time(sub)
    register_evaluation(sub)
    register_monitor(sub)
    register_serve(sub)
    register_analyst(sub)
    register_forms(sub)
    return parser


def _as_form(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``attest-rules FORM CASES...``: a word that is no command names a form of the spec."""
    commands: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands = set(action.choices)
    if argv and not argv[0].startswith("-") and argv[0] not in commands:
        return ["form", *argv, "--alias"]
    return argv


def _error(text: str) -> None:
    print(terminal_safe(text), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_as_form(parser, list(sys.argv[1:] if argv is None else argv)))
    try:
        result: int = args.func(args)
        return result
    except SpecError as exc:
        for issue in exc.errors:
            _error(str(issue))
        _error(f"{len(exc.errors)} error(s)")
        return 1
    except (AttestRulesError, TermError, CalendarError) as exc:
        _error(f"attest-rules: {exc}")
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _error("attest-rules: interrupted")
        return 130
    except OSError as exc:  # a file that cannot be read or written: the user's to fix
        where = f" {exc.filename}" if exc.filename else ""
        _error(f"attest-rules: cannot use{where}: {exc.strerror or exc}")
        return 1
    except Exception as exc:
        if os.environ.get("ATTEST_RULES_DEBUG"):
            raise
        _error(
            f"attest-rules: internal error: {type(exc).__name__}: {exc} "
            "(set ATTEST_RULES_DEBUG=1 for the traceback)"
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
