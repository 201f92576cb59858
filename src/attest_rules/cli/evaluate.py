"""``attest-rules evaluate``, ``replay`` and ``test``: answers for cases, records, case files."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from attest_rules.cli.options import (
    add_interpretation,
    parse_date,
    parse_workers,
    progress,
    terminal_safe,
)
from attest_rules.engine.vocabulary import CITATIONS
from attest_rules.errors import AttestRulesError
from attest_rules.located.reader import input_name
from attest_rules.outputs import atomic_path, atomic_text, refuse_inputs
from attest_rules.tools.limits import MAX_WORKERS
from attest_rules.tools.messages import LANGS, count, t

if TYPE_CHECKING:  # the engine, records, signing, the batch and case files are imported by
    # the commands that use them, when they run: another command starts without them
    from attest_rules.engine.regulation import Regulation
    from attest_rules.engine.results import Answer, Evaluation
    from attest_rules.engine.signing import Signer

_MARK = {  # a status's mark: a sign, not a word, in every language
    "satisfied": "✓  ",
    "violated": "✗  ",
    "undetermined": "?  ",
    "not_applicable": "–  ",
}


def render_evaluation(ev: Evaluation, lang: str = "kk", reg: Regulation | None = None) -> str:
    """An evaluation for a person, in ``lang``: each answer, its status, its clause as the spec
    holds it (Kazakh; in English the unofficial gloss, where ``reg`` is given), its reasons."""
    lines = [
        f"{t(lang, 'case')} {ev.case_id or t(lang, 'no_id')} — {t(lang, 'spec')} {ev.spec_id} "
        f"{ev.spec_version or ''} ({ev.spec_hash[:19]}…)".replace("  (", " (")
    ]
    if ev.overridden:
        lines.append(
            t(lang, "switched")
            + ": "
            + ", ".join(f"{k}={ev.interpretations[k]}" for k in ev.overridden)
        )

    def clause(c: Any) -> str:
        head = f"§ {c.provision_id} {c.number or ''} [{c.version}]"
        if c.text_kk is None:
            return f"{head}: {t(lang, 'wording_unknown')}"
        if lang == "en" and reg is not None:
            gloss = reg.provision_index(c.version)[c.provision_id].gloss.get("en")
            if gloss:
                return f"{head}: {' '.join(gloss.split())[:300]} {t(lang, 'unofficial_gloss')}"
        note = f"{t(lang, 'no_ru_text')} " if lang == "ru" else ""
        return f"{head}: {note}{' '.join(c.text_kk.split())[:300]}"

    explained = {x.question: x for x in ev.explanations or []}

    def explanation(a: Answer, indent: str) -> None:
        x = explained.get(a.question)
        if x is None or indent:
            return
        if x.deciding:
            lines.append(f"{indent}     {t(lang, 'deciding')}: {', '.join(x.deciding)}")
        for w in x.witnesses:
            facts = ", ".join(f"{p} = {_value(v, lang)}" for p, v in w.facts.items())
            result = t(lang, w.status) + (f" ({w.outcome})" if w.outcome else "")
            lines.append(f"{indent}     {t(lang, 'witness')}: {facts} → {result}")
        if x.note:
            lines.append(f"{indent}     {t(lang, 'explained')}: {x.note}")

    def one(a: Answer, indent: str) -> None:
        head = f"{indent}{_MARK[a.status]}{a.question}: {t(lang, a.status)}"
        head += f" ({a.outcome})" if a.outcome else ""
        head += f" [{t(lang, 'version')} {a.version}]" if a.version else ""
        lines.append(head)
        lines.append(f"{indent}     {a.title}")
        for reason in a.reasons:
            lines.append(f"{indent}     · {reason}")
        if a.missing:
            lines.append(f"{indent}     {t(lang, 'missing')}: {', '.join(a.missing)}")
        explanation(a, indent)
        for d in a.dates:
            lines.append(f"{indent}     {t(lang, 'date')} {d.label} = {d.date.isoformat()}")
            lines.extend(f"{indent}       {step}" for step in d.steps)
            lines.extend(f"{indent}       {t(lang, 'warning')}: {w}" for w in d.warnings)
        lines.extend(f"{indent}     {clause(c)}" for c in a.citations)
        if a.interpretations:
            lines.append(
                f"{indent}     {t(lang, 'interpretations')}: "
                + ", ".join(f"{k}={v}" for k, v in a.interpretations.items())
            )
        if a.alternative is not None:
            depends = t(lang, "depends" if a.depends_on_version else "same")
            window = t(lang, "window", version=a.alternative.version)
            lines.append(f"{indent}     {window}: {depends}")
            one(a.alternative, indent + "     ")

    for answer in ev.answers:
        one(answer, "")
    counts: dict[str, int] = {}
    for a in ev.answers:
        counts[a.status] = counts.get(a.status, 0) + 1
    lines.append(", ".join(f"{n} {t(lang, s)}" for s, n in sorted(counts.items())))
    return "\n".join(lines)


def _value(value: Any, lang: str) -> str:
    """A witness's value: as JSON writes it in English, yes and no in the reader's words."""
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, lang) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v, lang)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        from attest_rules.lang.display import shown_plain

        return str(value).lower() if lang == "en" else shown_plain(value, lang)
    return str(value)


def _signer(args: argparse.Namespace) -> Signer | None:
    if not getattr(args, "sign", None):
        return None
    from attest_rules.engine.signing import Signer

    return Signer.from_pem(args.sign)


def _batch(reg: Regulation, source: BinaryIO, sink: IO[str], args: argparse.Namespace) -> int:
    """One case (JSON) per input line → one evaluation (JSON) per output line; a bad line gives
    an error line and the batch goes on. Constant memory: nothing is kept between lines."""
    from attest_rules.engine.facts import batch_lines
    from attest_rules.tools.payloads import Batch, BatchOptions

    bad = 0
    options = BatchOptions(
        on=args.on,
        interpretations=dict(args.interpretation),
        answers_only=args.answers_only,
        explain=args.explain,
        signer=_signer(args),
        lang=args.lang,
        citations=args.citations,
    )
    batch = Batch(reg, options)  # an unknown interpretation: refused before any line is read
    gc.freeze()  # the spec lives as long as the batch: no collection walks it again
    if args.workers > 1:
        from attest_rules.tools.workers import BatchJob, answered  # a batch's own

        job = BatchJob(args.spec, replace(options, signer=None), args.sign, "input")
        chunks = answered(job, source, args.workers)
        for text, _, wrong in progress(chunks, "cases", weight=lambda chunk: chunk[1]):
            sink.write(text)
            bad += wrong
        return 1 if bad else 0
    for number, raw in progress(batch_lines(source), "cases"):
        line, ok = batch.raw_line(number, raw, "input")
        sink.write(line + "\n")
        bad += not ok
    return 1 if bad else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.explain and args.answers_only:
        raise AttestRulesError("--answers-only leaves out what --explain adds: choose one")
    if args.workers != 1 and not args.jsonl:
        raise AttestRulesError("--workers is for a batch (--jsonl IN OUT)")
    if args.answers_only and not args.jsonl:  # a case file's answer is its whole record
        raise AttestRulesError("--answers-only is for a batch (--jsonl IN OUT)")
    from attest_rules.engine.regulation import load, load_case

    reg = load(args.spec)
    if args.jsonl:
        src_name, out_name = args.jsonl
        inputs = [] if src_name == "-" else [src_name]
        if out_name == "-":
            with sys.stdin.buffer if src_name == "-" else open(src_name, "rb") as source:
                return _batch(reg, source, sys.stdout, args)
        refuse_inputs(out_name, inputs)  # before anything is read or written
        with (
            sys.stdin.buffer if src_name == "-" else open(src_name, "rb") as source,
            atomic_text(out_name, inputs) as sink,
        ):
            return _batch(reg, source, sink, args)
    if not args.cases:
        raise AttestRulesError("give one or more case files, or --jsonl IN OUT")
    if len(args.cases) == 1:  # one case: its record, or its error as the command's
        ev = reg.evaluate(
            load_case(args.cases[0], reg),
            args.on,
            dict(args.interpretation),
            explain=args.explain,
            lang=args.lang,
        )
        if args.format == "json":
            from attest_rules.engine.records import seal

            record = seal(ev, _signer(args), args.citations)
            print(json.dumps(record, ensure_ascii=False, indent=2))
        else:
            print(render_evaluation(ev, args.lang, reg))
        return 0
    # several: a JSON line (or a text block) each, a bad case an error and the others go on
    from attest_rules.engine.records import record_json
    from attest_rules.tools.payloads import error_json

    signer, bad, blocks = _signer(args), 0, []
    for path in args.cases:
        try:
            case = load_case(path, reg)
            ev = reg.evaluate(
                case, args.on, dict(args.interpretation), explain=args.explain, lang=args.lang
            )
        except (AttestRulesError, OSError) as exc:
            bad += 1
            if args.format == "json":
                print(
                    json.dumps({**error_json(exc), "source": input_name(path)}, ensure_ascii=False)
                )
            else:
                print(terminal_safe(f"attest-rules: {input_name(path)}: {exc}"), file=sys.stderr)
            continue
        if args.format == "json":
            print(record_json(ev, signer, args.citations), flush=True)
        else:
            blocks.append(render_evaluation(ev, args.lang, reg))
    if blocks:
        print("\n\n".join(blocks))
    return 1 if bad else 0


def cmd_replay(args: argparse.Namespace) -> int:
    from attest_rules.engine.records import as_record, read_record_data, render_replay, replay
    from attest_rules.engine.regulation import load
    from attest_rules.tools.payloads import replay_json

    reg = load(args.spec, cached=False)  # an audit: the spec's YAML alone, not the cache folder
    data = read_record_data(args.record)
    result = replay(reg, as_record(data, args.record), data)
    if args.format == "json":
        print(json.dumps(replay_json(result), ensure_ascii=False, indent=2))
    else:
        print(render_replay(result))
    altered = result.verification is not None and result.verification.digest is False
    return 0 if result.matches and not altered else 1


def cmd_verify(args: argparse.Namespace) -> int:
    from attest_rules.engine.records import read_record_data, verify
    from attest_rules.engine.signing import public_key_raw
    from attest_rules.tools.payloads import verify_json

    data = read_record_data(args.record)
    trusted = public_key_raw(args.public_key) if args.public_key else None
    v = verify(data, trusted)
    if args.format == "json":
        print(json.dumps(verify_json(v), ensure_ascii=False, indent=2))
        return 0 if v.ok else 1
    if v.ok:
        line = f"verify: {input_name(args.record)}: the digest matches"
        if v.signed:
            whose = "the key given" if v.trusted else "the key it carries (give --public-key "
            whose += "" if v.trusted else "to check who signed it)"
            line += f"; signed by {v.key_id}, and the signature holds for {whose}"
        print(line)
        return 0
    print(f"verify: {input_name(args.record)}: NOT VERIFIED")
    for problem in v.problems:
        print(f"  {problem}")
    return 1


def cmd_keygen(args: argparse.Namespace) -> int:
    from attest_rules.engine.signing import new_key_pem

    private, public = new_key_pem()
    for path in (args.private, args.public):
        if Path(path).exists():
            raise AttestRulesError(f"refusing to write {path}: it exists; a key is never replaced")
    with atomic_path(args.private) as tmp:
        os.chmod(tmp, 0o600)  # before the key is in it: never readable by others
        tmp.write_bytes(private)
    with atomic_path(args.public) as tmp:
        tmp.write_bytes(public)
    print(f"keygen: {args.private} (private, keep it secret), {args.public} (public)")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.casefiles import run_files

    reg = load(args.spec)
    paths = args.paths or [str(Path("tests") / "cases")]
    results = run_files(reg, paths)
    if not results:  # nothing tested is no pass
        raise AttestRulesError(f"no case files in {', '.join(map(str, paths))}")
    failed = [r for r in results if not r.passed]
    for r in failed:
        print(terminal_safe(f"FAILED {r.file}: {r.name}"))
        for failure in r.failures:
            print(terminal_safe(f"  {failure}"))
    ok = count(args.lang, "passed", len(results) - len(failed))
    print(f"{ok}, {count(args.lang, 'failed', len(failed))}")
    return 1 if failed else 0


def register(sub: Any) -> None:
    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.add_argument("--spec", default=None, metavar="PATH")

    p = sub.add_parser(
        "evaluate",
        help="answer every question for case files",
        description="answer every question the Rules settle for each case",
    )
    p.add_argument("cases", nargs="*", metavar="CASE", help="YAML or JSON case files")
    p.add_argument(
        "--on",
        type=parse_date,
        default=None,
        metavar="DATE",
        help="evaluate every question under the text in force on DATE",
    )
    add_interpretation(p)
    p.add_argument("--lang", choices=LANGS, default="kk", help="language of the messages")
    p.add_argument(
        "--jsonl",
        nargs=2,
        metavar=("IN", "OUT"),
        help="batch: a case per JSON line in, an evaluation per line out ('-' for stdin/stdout)",
    )
    p.add_argument(
        "--sign",
        default=None,
        metavar="KEY.pem",
        help="sign each record with this Ed25519 private key (needs [sign])",
    )
    p.add_argument(
        "--citations",
        choices=CITATIONS,
        default="ids",
        help="in JSON records: ids (each cited clause once, in the record's clauses, answers "
        "citing it by id; format 2) or full (each citation the clause itself; format 1)",
    )
    p.add_argument(
        "--workers",
        type=parse_workers,
        default=1,
        metavar="N",
        help=f"with --jsonl: N worker processes (1 to {MAX_WORKERS}), each loading the spec "
        "once; the answers keep the input's order",
    )
    p.add_argument(
        "--answers-only",
        action="store_true",
        help="with --jsonl: write only each question's status and outcome (fast)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="for each undetermined answer, search for the missing facts that decide it and "
        "two witnesses, each evaluated (tens of milliseconds a case)",
    )
    p.set_defaults(func=cmd_evaluate)
    common(p)

    p = sub.add_parser(
        "replay",
        help="evaluate a decision record again and compare",
        description="evaluate a decision record (evaluate --format json) again",
    )
    p.add_argument("record", metavar="RECORD")
    p.set_defaults(func=cmd_replay)
    common(p)

    p = sub.add_parser(
        "verify",
        help="check that a decision record was not altered (its digest and signature)",
        description="recompute a record's digest, and check its Ed25519 signature against "
        "the key given (or, without one, the key the record carries)",
    )
    p.add_argument("record", metavar="RECORD")
    p.add_argument("--public-key", default=None, metavar="PUB.pem", help="the trusted key")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "keygen",
        help="make an Ed25519 key pair for signing records (needs [sign])",
        description="write a new Ed25519 private key (PKCS#8 PEM, mode 600) and its public key",
    )
    p.add_argument("private", metavar="PRIVATE.pem")
    p.add_argument("public", metavar="PUBLIC.pem")
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser(
        "test",
        help="run YAML case files (default tests/cases)",
        description="run YAML case files and compare the expected answers",
    )
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the summary")
    p.set_defaults(func=cmd_test)
    common(p)
