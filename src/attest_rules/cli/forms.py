"""``attest-rules form FORM ...``: a form of the spec (an annex) filled from cases. A document
(one per case) prints as text or JSON; a table (a row per case) is written as CSV or xlsx. A
form's id also works as a command of its own (``attest-rules annex1 case.yaml``). A field whose
facts are not given is marked in the output and listed on stderr, and the command exits 1: a
form is never handed over with silent blanks."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from typing import TYPE_CHECKING, Any

from attest_rules.cli.options import add_interpretation, parse_date, progress
from attest_rules.errors import AttestRulesError
from attest_rules.outputs import atomic_path, atomic_text, refuse_inputs
from attest_rules.tools.messages import LANGS, t

# the engine and the forms' tools are imported when a form is filled, not at every start
if TYPE_CHECKING:
    from attest_rules.engine.regulation import Regulation
    from attest_rules.tools.forms import FilledField, Form, Table


def _shown(f: FilledField, lang: str) -> str:
    if f.missing:
        return f"[{t(lang, 'not_given', facts=', '.join(f.missing))}]"
    if f.by_hand is not None:
        return f"[{t(lang, 'by_hand', why=f.by_hand)}]"
    if f.value is None:
        return ""
    if f.labels is None or lang == "en":
        return str(f.value)
    return f"{f.value} ({f.labels[lang]}; {t(lang, 'unofficial_label')})"


def render_document(reg: Regulation, form_id: str, form: Form, lang: str) -> str:
    from attest_rules.tools.forms import form_of

    heading = form_of(reg, form_id).spec.title.model_dump()[lang]
    lines = [heading, f"{form.title_kk}  ({t(lang, 'text_of', version=form.version)})"]
    for f in form.fields:
        label = " ".join((f.text_kk or "").split())
        gloss = (
            f"  — {f.gloss_en} {t('en', 'unofficial_gloss')}" if lang == "en" and f.gloss_en else ""
        )
        lines.append(f"  {label}{gloss}")
        lines.append(f"      → {_shown(f, lang)}")
    return "\n".join(lines)


def _document(args: argparse.Namespace, reg: Regulation) -> int:
    from attest_rules.engine.regulation import load_case
    from attest_rules.tools.forms import document

    if len(args.cases) != 1:
        raise AttestRulesError(f"{args.form} is a document: give it one case file")
    case = load_case(args.cases[0], reg)
    form = document(reg, args.form, case, args.on, dict(args.interpretation))
    if args.format == "json":
        print(json.dumps(form.as_dict(), ensure_ascii=False, indent=2))
    elif args.format == "text":
        print(render_document(reg, args.form, form, args.lang))
    else:
        raise AttestRulesError(f"{args.form} is a document: --format text or json")
    if form.missing:
        print(t(args.lang, "forms_missing", facts=", ".join(form.missing)), file=sys.stderr)
        return 1
    return 0


def cmd_form(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.forms import form_of

    reg = load(args.spec)
    if args.alias and args.form not in reg.rulebook.forms:
        forms = ", ".join(reg.rulebook.forms) or "none"
        raise AttestRulesError(
            f"no command {args.form!r}, and the spec has no form of that name (its forms: "
            f"{forms}); see attest-rules --help"
        )
    if form_of(reg, args.form).spec.kind == "document":
        return _document(args, reg)
    return _table(args, reg)


def _title(text_kk: str | None, gloss_en: str | None, lang: str) -> str:
    """A heading as the annex prints it; in English the gloss, marked unofficial."""
    if lang == "en" and gloss_en:
        return f"{gloss_en} ({t('en', 'unofficial_gloss').strip('[]')})"
    return " ".join((text_kk or "").split())


def _groups(table: Table, lang: str) -> dict[str, tuple[str, str, int]]:
    """Column id → (its group's id, the group's heading, how many columns the group spans)."""
    return {
        c: (gid, _title(text, gloss, lang), len(cols))
        for gid, text, gloss, cols in table.groups
        for c in cols
    }


def _header(table: Table, lang: str) -> list[str]:
    groups = _groups(table, lang)
    out = []
    for c in table.columns:
        text = _title(c.text_kk, c.gloss_en, lang)
        group = groups.get(c.id)
        out.append(f"{c.number}. {group[1]}: {text}" if group else f"{c.number}. {text}")
    return out


def _cells(row: Form, lang: str) -> list[str]:
    return [_shown(f, lang) for f in row.fields]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula


def _inert(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs (OWASP's CSV injection advice: a
    cell starting with = + - @ tab or CR gets a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(table: Table, lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_header(table, lang))
    for row in table.rows:
        writer.writerow([_inert(cell) for cell in _cells(row, lang)])
    return buffer.getvalue()


def write_xlsx(table: Table, lang: str, path: str) -> None:
    """The table as a workbook: the annex's two header rows (a group of columns merged over
    them), then one row per case."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = table.sheet[:31]
    groups = _groups(table, lang)
    started: set[str] = set()
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for i, c in enumerate(table.columns, start=1):
        text = _title(c.text_kk, c.gloss_en, lang)
        group = groups.get(c.id)
        if group is None:
            sheet.cell(row=1, column=i, value=text)
            sheet.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
        else:
            gid, title, span = group
            if gid not in started:  # the group's heading, over all its columns
                started.add(gid)
                sheet.cell(row=1, column=i, value=title)
                sheet.merge_cells(start_row=1, start_column=i, end_row=1, end_column=i + span - 1)
            sheet.cell(row=2, column=i, value=text)
        sheet.cell(row=3, column=i, value=c.number)
    for r in range(1, 4):
        for i in range(1, len(table.columns) + 1):
            sheet.cell(row=r, column=i).font = bold
            sheet.cell(row=r, column=i).alignment = wrap
    for n, row in enumerate(table.rows, start=4):
        for i, (f, shown) in enumerate(zip(row.fields, _cells(row, lang), strict=True), start=1):
            cell = sheet.cell(row=n, column=i)
            if f.kind == "date" and not f.missing and f.value is not None:
                cell.value = dt.date.fromisoformat(f.value)  # a real date, shown as ISO
                cell.number_format = "yyyy-mm-dd"
            elif f.kind == "number" and isinstance(f.value, int) and not f.labels:
                cell.value = f.value
            else:  # every other cell is text, typed as text: never a formula
                cell.value = shown
                cell.data_type = "s"
    book.save(path)


def _table(args: argparse.Namespace, reg: Regulation) -> int:
    from attest_rules.engine.facts import input_files, read_cases
    from attest_rules.tools.forms import table

    fmt = "csv" if args.format == "text" else args.format
    if fmt not in ("csv", "xlsx"):
        raise AttestRulesError(f"{args.form} is a table: --format csv or xlsx")
    inputs = input_files(args.cases)
    output = None if args.output == "-" else args.output  # - : standard output
    if output:  # refused before anything is read: an input is never overwritten
        refuse_inputs(output, inputs)
    cases, rejected = [], []
    for where, case in progress(read_cases(reg.facts, args.cases), "cases"):
        if isinstance(case, str):
            rejected.append(f"{where}: {case}")
        else:
            cases.append(case)
    filled = table(reg, args.form, cases, args.on, dict(args.interpretation))
    if fmt == "xlsx":
        if not output:
            raise AttestRulesError("--format xlsx needs --output FILE.xlsx")
        with atomic_path(output, inputs) as tmp:
            write_xlsx(filled, args.lang, str(tmp))
    else:
        text = write_csv(filled, args.lang)
        if output:
            with atomic_text(output, inputs, newline="") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
    for line in [*rejected, *(f"{t(args.lang, 'skipped')}: {s}" for s in filled.skipped)]:
        print(line, file=sys.stderr)
    if filled.missing:
        print(t(args.lang, "forms_missing", facts="; ".join(filled.missing)), file=sys.stderr)
    return 1 if filled.missing or rejected else 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "form",
        help="fill a form of the spec (an annex) from cases",
        description="fill a form of the spec from cases: a document from one case (--format "
        "text|json), or a table with a row per case (--format csv|xlsx); exit 1 when a field's "
        "facts are not given. A form's id works as a command too: attest-rules FORM CASES",
    )
    p.add_argument("form", metavar="FORM", help="the form's id (the spec's forms)")
    p.add_argument("cases", nargs="+", metavar="CASES", help="case files, folders, or .jsonl")
    p.add_argument("--format", choices=("text", "json", "csv", "xlsx"), default="text")
    p.add_argument("--output", "-o", default=None, metavar="FILE", help="a table's file")
    p.add_argument("--on", type=parse_date, default=None, metavar="DATE", help="the text in force")
    add_interpretation(p)
    p.add_argument("--lang", choices=LANGS, default="kk", help="language of the messages")
    p.add_argument("--spec", default=None, metavar="PATH")
    p.add_argument("--alias", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_form)
