"""Answers in Kazakh, Russian and English: ``--lang kk`` and ``--lang ru`` say nothing in English
but ids; the spec's wording is checked; the gettext catalogues are compiled from their sources
and translate every marked message with each language's plural forms."""

from __future__ import annotations

import datetime as dt
import gettext
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from attest_rules import load
from attest_rules.cli.app import main
from attest_rules.errors import SpecError
from attest_rules.lang.display import PLACEHOLDER
from attest_rules.legal_time import deadline
from attest_rules.messages import DOMAIN, LOCALE_DIR, Message, localise, msg, ntr

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.yaml"))
LATIN = re.compile(r"[A-Za-z][A-Za-z-]+")
KEYWORDS = next(  # as make messages extracts them: one list of keywords
    line.partition(":=")[2].split()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    if line.startswith("KEYWORDS :=")
)
CODE_KEYS = ("applies", "when", "event")  # the rule language's text, quoted as code


def _code_texts() -> list[str]:
    """Every expression of the spec as written (an id-like quotation of code), longest first."""
    import yaml

    doc = yaml.safe_load((ROOT / "spec" / "regulation_210.yaml").read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in CODE_KEYS and isinstance(value, str):
                    found.add(" ".join(value.split()))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return sorted(found, key=len, reverse=True)


CODE = _code_texts()
OUTCOMES = set(  # every outcome id of the spec: an id wherever a note names one
    re.findall(
        r"- id: ([a-z0-9-]+)\n\s+status: ",
        (ROOT / "spec" / "regulation_210.yaml").read_text(encoding="utf-8"),
    )
)


def _words_of(value: Any) -> set[str]:
    """The keys and texts of a witness's values: a case's own words and ids."""
    if isinstance(value, dict):
        return set(value) | {w for v in value.values() for w in _words_of(v)}
    if isinstance(value, list):
        return {w for v in value for w in _words_of(v)}
    return {value} if isinstance(value, str) else set()


def _ids(record: dict[str, Any]) -> set[str]:
    """The ids an evaluation names: what a reader sees as codes, not words."""
    out = {record["spec_id"], record.get("case_id") or ""}
    stack: list[Any] = [record]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("question", "outcome", "version", "provision_id", "label"):
                if isinstance(node.get(key), str):
                    out.add(node[key])
            for key in ("values", "interpretations"):
                if isinstance(node.get(key), dict):
                    out |= set(node[key])
                    out |= {str(v) for v in node[key].values() if isinstance(v, str)}
                    for v in node[key].values():
                        if isinstance(v, list):
                            out |= {str(x) for x in v}
            out |= set(node.get("missing") or [])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return {i for i in out if i}


def english_left(text: str, ids: set[str]) -> list[str]:
    """The English words of ``text`` once code, ids, dates and the calendar's source are taken
    out."""
    for found in sorted({*CODE, *ids}, key=len, reverse=True):  # the longest quotation first
        text = text.replace(found, " ")
    text = re.sub(r"holidays [0-9.]+ \(KZ\)", " ", text)  # the calendar's source: a name
    text = re.sub(r"\b[a-z_][a-z0-9_]*(\.[a-z0-9_-]+)+\b", " ", text)  # dotted ids: paths
    text = re.sub(r"sha256:[0-9a-f]+", " ", text)
    return LATIN.findall(text)


def _record(capsys: pytest.CaptureFixture[str], case: str, lang: str) -> dict[str, Any]:
    assert main(["evaluate", case, "--lang", lang, "--format", "json"]) == 0
    record: dict[str, Any] = json.loads(capsys.readouterr().out)
    return record


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("case", EXAMPLES)
def test_kazakh_and_russian_output_hold_no_english_but_ids(
    capsys: pytest.CaptureFixture[str], case: str, lang: str
) -> None:
    record = _record(capsys, case, lang)
    ids = _ids(record)
    assert record["inputs"]["lang"] == lang
    said: list[str] = []
    stack: list[Any] = list(record["answers"])
    while stack:
        a = stack.pop()
        said += [a["title"], *a["reasons"]]
        for d in a["dates"]:
            said += [*d["steps"], *d["warnings"]]
        if a.get("alternative"):
            stack.append(a["alternative"])
    english = {w for text in said for w in english_left(text, ids)}
    assert not english, f"English words in the {lang} record: {sorted(english)}"
    assert main(["evaluate", case, "--lang", lang]) == 0
    text = capsys.readouterr().out
    english = set(english_left(text, ids))
    assert not english, f"English words in the {lang} text: {sorted(english)}"


PARTIAL = """\
id: partial
worker: {appointed_on: 2023-03-01}
session: {date: 2025-03-03, appeared: true}
commission: {members: [A, B, C, D, E], chair: A, secretary: S}
"""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_what_would_decide_it_is_said_in_the_reader_s_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    case = tmp_path / "partial.yaml"
    case.write_text(PARTIAL, encoding="utf-8")
    assert main(["evaluate", str(case), "--explain", "--lang", lang, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    notes = [x["note"] for x in record["explanations"] if x["note"]]
    assert notes
    ids = _ids(record) | {p for x in record["explanations"] for p in x["deciding"]}
    for x in record["explanations"]:
        for w in x["witnesses"]:
            ids |= set(w["facts"]) | _words_of(w["facts"]) | {w.get("outcome") or ""}
    ids |= OUTCOMES
    english = {w for note in notes for w in english_left(note, ids - {""})}
    assert not english, f"English words in the {lang} notes: {sorted(english)}"
    assert main(["evaluate", str(case), "--explain", "--lang", lang]) == 0
    english = set(english_left(capsys.readouterr().out, ids - {""}))
    assert not english, f"English words in the {lang} text: {sorted(english)}"


def test_english_stays_english(capsys: pytest.CaptureFixture[str]) -> None:
    record = _record(capsys, EXAMPLES[0], "en")
    titles = {a["question"]: a["title"] for a in record["answers"]}
    assert titles["session.quorum"].startswith("Is the session quorate")
    kk = {a["question"]: a["title"] for a in _record(capsys, EXAMPLES[0], "kk")["answers"]}
    assert kk["session.quorum"].startswith("Отырыс заңды ма")


def test_the_check_itself_finds_english(capsys: pytest.CaptureFixture[str]) -> None:
    """Shown once: the check catches an English reason left in Kazakh output."""
    record = _record(capsys, EXAMPLES[0], "kk")
    assert english_left("Отырыс заңды ма: 4 of 5 present", _ids(record)) == ["of", "present"]


def test_holiday_names_come_from_holidays_kk_and_the_catalogue_ru() -> None:
    steps = deadline(dt.date(2025, 3, 12), "10 calendar days").explanation
    kk, ru = steps.localised("kk"), steps.localised("ru")
    assert "Наурыз мейрамы" in kk and "сенбі" in kk  # holidays' kk names; CLDR's weekday
    assert "суббота" in ru and "перенесённый выходной" in ru
    assert "Saturday" in str(steps) and "Nowruz Holiday" in str(steps)


def test_plural_forms_follow_each_language() -> None:
    forms = {n: ntr("ru", "{n} working day", "{n} working days", n) for n in (1, 3, 5, 21)}
    assert forms == {
        1: "1 рабочий день",
        3: "3 рабочих дня",
        5: "5 рабочих дней",
        21: "21 рабочий день",
    }
    assert ntr("kk", "{n} working day", "{n} working days", 5) == "5 жұмыс күні"
    assert ntr("en", "{n} working day", "{n} working days", 5) == "5 working days"


def test_a_message_is_its_english_and_says_itself_again() -> None:
    m = msg("deadline: {end} (until 24:00, Civil Code art. 176)", end="2025-01-09")
    assert isinstance(m, Message) and isinstance(m, str)
    assert m == "deadline: 2025-01-09 (until 24:00, Civil Code art. 176)"
    assert localise(m, "ru") == "срок: 2025-01-09 (до 24:00, ст. 176 ГК)"
    assert localise("an analyst's own words", "kk") == "an analyst's own words"


# ---- the catalogues ------------------------------------------------------------------------


def _catalogue(lang: str) -> Any:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_marked_message_is_translated_with_the_same_values(lang: str) -> None:
    with (ROOT / "src" / "attest_rules" / "messages" / f"{DOMAIN}.pot").open("rb") as f:
        template = read_po(f)
    catalogue = _catalogue(lang)
    marked = {m.id for m in template if m.id}
    held = {m.id for m in catalogue if m.id}
    assert marked == held, "run make messages"
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), f"{lang}: {ids[0]!r} is not translated"
        names = set(PLACEHOLDER.findall(ids[0])) - {"ordinal"}  # a translation may use {n}
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) - {"n"} <= set(PLACEHOLDER.findall(ids[-1])), s
            assert names - {"n"} <= set(PLACEHOLDER.findall(s)) | {"n"}, (lang, ids[0], s)


def test_the_marked_messages_are_all_extracted(tmp_path: Path) -> None:
    """The template holds exactly what the code marks (make messages writes it)."""
    out = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            *KEYWORDS,
            "--no-default-keywords",
            "-o",
            str(out),
            str(ROOT / "src" / "attest_rules"),
        ],
        check=True,
        capture_output=True,
    )
    with out.open("rb") as f:
        fresh = {m.id for m in read_po(f) if m.id}
    with (ROOT / "src" / "attest_rules" / "messages" / f"{DOMAIN}.pot").open("rb") as f:
        held = {m.id for m in read_po(f) if m.id}
    assert fresh == held, "run make messages"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_compiled_catalogue_is_its_source(lang: str) -> None:
    compiled = gettext.GNUTranslations(
        (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb")
    )
    for m in _catalogue(lang):
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            assert compiled.ngettext(m.id[0], m.id[1], 1) == m.string[0]
        else:
            assert compiled.gettext(m.id) == m.string, "run make messages"


# ---- the spec's wording ----------------------------------------------------------------------


def test_every_title_and_reason_of_the_bundled_spec_is_in_three_languages() -> None:
    book = load().rulebook
    for q in book.questions:
        assert {book.title(q, lang) for lang in ("kk", "ru", "en")}.__len__() == 3, q


def test_a_translation_showing_other_values_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "spec" / "regulation_210.yaml").read_text(encoding="utf-8")
    old = "ru: Присутствуют {attending} из {composition}; нужно не менее {required}."
    assert old in text
    broken = tmp_path / "spec.yaml"
    broken.write_text(
        text.replace(old, "ru: Присутствуют {attending}; нужно не менее {needed}."),
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as err:
        load(broken)
    assert "each translation shows the same values" in str(err.value)
    assert "ru" in str(err.value)


def test_a_finding_carries_its_question_s_title_in_the_reader_s_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("durable")
    events = str(ROOT / "examples" / "events-session-2025.jsonl")
    assert main(["monitor", events, "--lang", "ru"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["finding"] == "quorum.reached"
    assert first["title"].startswith("Правомочно ли заседание")


def test_show_and_diff_frame_the_text_in_the_reader_s_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["diff", "2024-10-01", "2025-01-01", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Изменения между 2024-10-01 (редакция base)")
    assert "исключён" in out and "было:" in out


def test_a_text_left_in_english_alone_is_a_located_warning(tmp_path: Path) -> None:
    assert load().warnings == ()  # the bundled spec words every title and reason three ways
    text = (ROOT / "spec" / "regulation_210.yaml").read_text(encoding="utf-8")
    line = "                    kk: Екі құжат та ұсынылды.\n"
    assert text.count(line) == 1
    partial = tmp_path / "spec.yaml"
    partial.write_text(text.replace(line, ""), encoding="utf-8")
    warnings = load(partial).warnings
    assert [w.message for w in warnings] == ["no kk wording: a reader in kk is shown the English"]
    assert warnings[0].path.endswith(".outcomes[0].reason") and warnings[0].line > 0
