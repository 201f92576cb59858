"""``attest-rules calendar ...`` and ``attest-rules term ...``: legal time on the command line."""

from __future__ import annotations

import argparse
import json
from typing import Any

from attest_rules.cli.options import add_interpretation, parse_date
from attest_rules.legal_time import (
    CHOICES,
    ComputedDate,
    Readings,
    Term,
    deadline,
    earliest,
    kz_calendar,
    validity_end,
)
from attest_rules.messages import LANGS, localise, ntr, tr, words


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)
    return 0


def _warned(lang: str, warnings: list[str]) -> list[str]:
    return [tr(lang, "warning: {text}", text=w) for w in warnings]


def cmd_is_working_day(args: argparse.Namespace) -> int:
    from attest_rules.tools.calendar_json import working_day_json

    lang = args.lang
    data = working_day_json(kz_calendar(args.corrections), args.date, lang)
    answer = tr(lang, "yes") if data["working"] else tr(lang, "no")
    text = "\n".join(
        [f"{data['date']}: {answer} — {data['reason']}", *_warned(lang, data["warnings"])]
    )
    return _emit(args, data, text)


def cmd_add_working_days(args: argparse.Namespace) -> int:
    from attest_rules.tools.calendar_json import add_working_days_json

    lang = args.lang
    data = add_working_days_json(kz_calendar(args.corrections), args.date, args.n, lang)
    said = ntr(
        lang,
        "the {n} working day after {date} (the day itself not counted) ends on {result} ({why})",
        "the {n} working days after {date} (the day itself not counted) end on {result} ({why})",
        args.n,
        date=data["date"],
        result=data["result"],
        why=data["reason"],
    )
    text = "\n".join([data["result"], said, *_warned(lang, data["warnings"])])
    return _emit(args, data, text)


def cmd_working_days(args: argparse.Namespace) -> int:
    from attest_rules.tools.calendar_json import working_days_json

    lang = args.lang
    data = working_days_json(kz_calendar(args.corrections), args.date_from, args.date_to, lang)
    said = tr(
        lang,
        "working days from {first} to {last}, both included",
        first=data["from"],
        last=data["to"],
    )
    text = "\n".join([f"{data['working_days']}", said, *_warned(lang, data["warnings"])])
    return _emit(args, data, text)


def cmd_term(args: argparse.Namespace) -> int:
    term = Term.parse(args.term)
    readings = Readings().with_(**dict(args.reading))
    choices: dict[str, str] | None = None
    reg = None
    if args.interpretation:  # a spec's interpretations, through what each of them binds
        from attest_rules.engine.regulation import load

        reg = load(args.spec)
        choices = reg.choices(dict(args.interpretation))
        readings = reg.bindings.readings(choices).with_(**dict(args.reading))
    cal = kz_calendar(args.corrections)
    result: ComputedDate
    if args.kind == "deadline":
        result = deadline(
            args.event, term, on_receipt=args.on_receipt, readings=readings, calendar=cal
        )
    elif args.kind == "earliest":
        result = earliest(args.event, term, readings=readings, calendar=cal)
    else:
        result = validity_end(args.event, term, readings=readings)
    label = tr(args.lang, _KINDS[args.kind])
    text = f"{label}: {result.date.isoformat()}\n{localise(result.explanation, args.lang)}"
    data = result.as_dict(args.lang)
    if reg is not None and choices is not None:
        explanation = data["explanation"]
        assert isinstance(explanation, dict)  # noqa: S101 - as_dict's shape
        explanation["interpretations"] = reg.bindings.interpretations_of(
            result.explanation.readings, choices
        )
    return _emit(args, data, text)


_KINDS = {  # a date's kind as a reader is told it
    "deadline": words("deadline"),
    "earliest": words("earliest"),
    "validity_end": words("validity end"),
}


def _reading(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or name not in CHOICES:
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE with NAME one of {', '.join(CHOICES)}, got {text!r}"
        )
    if value not in CHOICES[name]:
        raise argparse.ArgumentTypeError(
            f"{name} is one of {', '.join(CHOICES[name])}, not {value!r}"
        )
    return name, value


def register(sub: Any) -> None:
    """Add the legal-time commands to the ``attest-rules`` parser."""

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.add_argument(
            "--lang",
            choices=LANGS,
            default="kk",
            help="the language of reasons, steps and warnings (kk, ru, en)",
        )
        p.add_argument(
            "--corrections",
            default=None,
            metavar="PATH",
            help="a calendar corrections file (default: the bundled calendar_kz.yaml)",
        )

    cal = sub.add_parser(
        "calendar",
        help="the Kazakhstan working calendar",
        description="the Kazakhstan working calendar",
    )
    cal_sub = cal.add_subparsers(dest="calendar_command", required=True, metavar="QUESTION")
    p = cal_sub.add_parser("is-working-day", help="is DATE a working day, and why")
    p.add_argument("date", type=parse_date, metavar="DATE")
    p.set_defaults(func=cmd_is_working_day)
    common(p)
    p = cal_sub.add_parser("add-working-days", help="the N-th working day after DATE")
    p.add_argument("date", type=parse_date, metavar="DATE")
    p.add_argument("n", type=int, metavar="N")
    p.set_defaults(func=cmd_add_working_days)
    common(p)
    p = cal_sub.add_parser("working-days", help="working days from FROM to TO, inclusive")
    p.add_argument("date_from", type=parse_date, metavar="FROM")
    p.add_argument("date_to", type=parse_date, metavar="TO")
    p.set_defaults(func=cmd_working_days)
    common(p)

    p = sub.add_parser(
        "term",
        help="the date a term gives: a deadline, an earliest date or a "
        "validity end, with how it was reached",
        description="the date a term gives, with how it was reached",
    )
    p.add_argument("event", type=parse_date, metavar="EVENT_DATE")
    p.add_argument(
        "term", metavar="TERM", help='"1 year", "6 months", "3 working days", "10 calendar days"'
    )
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--deadline", dest="kind", action="store_const", const="deadline")
    kind.add_argument("--earliest", dest="kind", action="store_const", const="earliest")
    kind.add_argument("--validity", dest="kind", action="store_const", const="validity_end")
    p.add_argument(
        "--on-receipt",
        action="store_true",
        help="the event is the receipt of an application (АППК art. 64 p.3)",
    )
    p.add_argument(
        "--reading",
        type=_reading,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one of legal time's readings: "
        + "; ".join(f"{k}={'|'.join(v)}" for k, v in CHOICES.items()),
    )
    add_interpretation(p, "an interpretation of the spec (--spec) that sets a reading")
    p.add_argument("--spec", default=None, help="the spec whose interpretations apply")
    p.set_defaults(func=cmd_term)
    common(p)
