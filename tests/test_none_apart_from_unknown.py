"""An explicit ``none`` (the law says the thing is absent) apart from unknown (the file does not
say): declared in the facts model with what it means, written ``none`` in a case, tested with
``== none`` / ``!= none``; values written before (``formerly``) keep their meaning; language
facts are ISO 639 codes. Shown on the synthetic regulation and on Order No. 210."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import attest_rules
from attest_rules import FactsError, SpecError, SpecIssue
from attest_rules.engine.records import replay
from attest_rules.lang.syntax import ExprSyntaxError, parse
from attest_rules.lang.typecheck import Checker, ExprTypeError, Usage

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = Path(__file__).parent / "library" / "lending_rules.yaml"
TEXT = LIBRARY.read_text(encoding="utf-8")
CARD = """      card:
        type: enum
        values: [library_card, identity_document]
        none: The reader showed no card.
"""


@pytest.fixture(scope="module")
def reg() -> attest_rules.Regulation:
    return attest_rules.load(ROOT / "spec" / "regulation_210.yaml")


def _errors(old: str, new: str) -> list[SpecIssue]:
    assert TEXT.count(old) == 1, old
    with pytest.raises(SpecError) as info:
        attest_rules.load_bytes(TEXT.replace(old, new).encode(), "variant.yaml")
    return info.value.errors


def _answer(reg: attest_rules.Regulation, facts: dict[str, Any], q: str) -> Any:
    return reg.evaluate(facts, on=None).answer(q)


# ---- the facts model ----------------------------------------------------------------------


def test_none_listed_as_an_enum_value_is_refused_where_it_stands() -> None:
    (e,) = _errors(
        "        values: [library_card, identity_document]\n"
        "        none: The reader showed no card.\n",
        "        values: [library_card, identity_document, none]\n",
    )
    assert e.path == "facts.reader.fields.card.values[2]"
    assert "none is not a value" in e.message and e.line > 1


def test_none_and_formerly_apply_to_texts_and_enums_only() -> None:
    (e,) = _errors(
        "      issued_on: {type: date}", "      issued_on: {type: date, none: never issued}"
    )
    assert e.path == "facts.loan.fields.issued_on.none"
    assert "'none' does not apply to a fact of type date" in e.message


def test_a_former_value_must_be_read_as_a_value_the_fact_takes() -> None:
    formerly = "        formerly: {lost: stolen, nothing: none, id: identity_document}\n"
    found = _errors(CARD, CARD + formerly)
    assert [e.path for e in found] == ["facts.reader.fields.card.formerly.lost"]
    assert "'stolen': not a value it takes" in found[0].message
    (e,) = _errors(
        "      name: {type: string, provisions: [annex1]}",
        "      name: {type: string, formerly: {'-': none}, provisions: [annex1]}",
    )
    assert "give the fact 'none:' first" in e.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("commission.chair == none", "commission.chair never is"),
        ("none == session.language", "session.language never is"),
        ('session.recording == "none"', "written none, without quotes"),
        ("session.recording in [none, 1]", "none is not a number"),
        ("session.date in [none, 2025-01-01]", "only a text or an enum may be none"),
        ('commission.chair in [none, "A"]', "commission.chair never is"),
        ("session.recording < none", "cannot compare"),
        ("1 if none else 2", "the condition of 'if' must be a yes/no value, not none"),
        ('session.language == "kz"', "'kz' is not an ISO 639 language code"),
    ],
)
def test_none_is_compared_only_with_a_fact_that_may_be_none(
    reg: attest_rules.Regulation, text: str, fragment: str
) -> None:
    checker = Checker(reg.facts.record)
    with pytest.raises((ExprTypeError, ExprSyntaxError)) as info:
        checker.check(parse(text), Usage())
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "commission.secretary != none",
        "none == session.recording",
        'session.absence_reason in [none, "other"]',
        'session.language in ["kk", "ru"]',
    ],
)
def test_none_reads_where_the_model_allows_it(reg: attest_rules.Regulation, text: str) -> None:
    Checker(reg.facts.record).check(parse(text), Usage())


# ---- cases ----------------------------------------------------------------------------------


def test_none_unknown_and_a_former_value_answer_as_the_law_reads_them(
    reg: attest_rules.Regulation,
) -> None:
    members = ["A", "B", "C", "D", "E"]

    def composition(secretary: Any) -> Any:
        facts = {
            "session": {"date": "2025-03-03"},
            "commission": {"members": members, "chair": "A", "secretary": secretary},
        }
        return _answer(reg, facts, "commission.composition")

    assert composition("S").status == "satisfied"
    none = composition("none")
    assert (none.status, none.outcome, none.missing) == ("violated", "incomplete", [])
    unknown = composition(None)
    assert (unknown.status, unknown.missing) == ("undetermined", ["commission.secretary"])
    former = composition("")  # an empty name, as files said "no secretary" before none
    assert (former.status, former.outcome) == ("violated", "incomplete")


def test_the_language_is_an_iso_code_and_a_wrong_one_is_named(
    reg: attest_rules.Regulation,
) -> None:
    def language(code: str) -> Any:
        facts = {"session": {"date": "2025-03-03", "appeared": True, "language": code}}
        return _answer(reg, facts, "admission.language").status

    assert [language(c) for c in ("kk", "ru", "en", "und", "other")] == [
        "satisfied",
        "satisfied",
        "violated",
        "violated",
        "violated",  # "other", written before ISO codes, is read as und
    ]
    with pytest.raises(FactsError) as info:
        reg.evaluate({"session": {"language": "kz"}})
    assert "session.language" in str(info.value)
    assert "'kz' is not an ISO 639 language code" in str(info.value)


def test_none_round_trips_through_a_record(reg: attest_rules.Regulation) -> None:
    facts = {
        "session": {"date": "2025-03-03", "recording": "none", "absence_reason": "none"},
        "commission": {"secretary": "none"},
    }
    result = reg.evaluate(facts)
    assert result.answer("session.recording").status == "violated"
    replayed = replay(reg, result)
    assert replayed.matches, replayed.changes


def test_the_schema_of_a_case_says_none_apart_from_null() -> None:
    import json

    schema = json.loads((ROOT / "spec" / "case.schema.json").read_text(encoding="utf-8"))
    text = json.dumps(schema)
    assert '"const": "none"' in text or '"none"' in text
    assert "ISO 639" in text
