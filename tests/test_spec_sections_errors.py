"""Mistakes in the spec's facts, constraints, forms, events and binds are errors located at
file:line:column with their path, all at once; shown on the synthetic regulation, whose engine
checks are the same as any spec's."""

from __future__ import annotations

from pathlib import Path

import pytest

import attest_rules
from attest_rules import SpecError, SpecIssue

SPEC = Path(__file__).parent / "library" / "lending_rules.yaml"
TEXT = SPEC.read_text(encoding="utf-8")


def errors(*edits: tuple[str, str]) -> list[SpecIssue]:
    text = TEXT
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    with pytest.raises(SpecError) as info:
        attest_rules.load_bytes(text.encode(), "variant.yaml")
    return info.value.errors


def line_of(needle: str) -> int:
    return TEXT[: TEXT.index(needle)].count("\n") + 1


def test_a_fact_with_a_key_that_does_not_fit_its_type() -> None:
    (e,) = errors(("      issued_on: {type: date}", "      issued_on: {type: date, pattern: x}"))
    assert (e.line, e.path) == (
        line_of("      issued_on: {type: date}"),
        "facts.loan.fields.issued_on.pattern",
    )
    assert "'pattern' does not apply to a fact of type date" in e.message


def test_a_bad_pattern_an_enum_label_and_a_missing_provision_are_all_reported() -> None:
    found = errors(
        (
            "      name: {type: string, provisions: [annex1]}",
            "      name: {type: string, pattern: '(', provisions: [annex9]}",
        ),
        (
            "        values: [library_card, identity_document]\n",
            "        values: [library_card, identity_document]\n"
            "        labels: {gold: {kk: a, ru: b, en: c}}\n",
        ),
    )
    messages = sorted(e.message for e in found)
    assert any("not a regular expression" in m for m in messages)
    assert any("no provision 'annex9'" in m for m in messages)
    assert any("'gold' is not one of its values" in m for m in messages)
    assert all(e.file == "variant.yaml" and e.line > 1 for e in found)


def test_unique_on_a_list_of_records_is_refused_for_unique_by() -> None:
    """A list of records given ``unique: true`` loaded and then failed on the first case that
    gave it (its items cannot be compared as values): it is refused where it is written."""
    old = "      books:\n        type: list\n"
    (e,) = errors((old, old + "        unique: true\n"))
    assert (e.line, e.path) == (line_of(old) + 2, "facts.loan.fields.books.unique")
    assert "name the field that must differ with unique_by" in e.message


def test_a_constraint_that_does_not_type_check() -> None:
    (e,) = errors(("require: loan.returned_on >= loan.issued_on", "require: loan.returned_on >= 3"))
    assert e.path == "constraints[0].require"
    assert "cannot compare a date with a number" in e.message


def test_known_is_for_constraints_only() -> None:
    (e,) = errors(
        (
            '                when: reader.card in ["library_card", "identity_document"]',
            "                when: known(reader.card)",
        )
    )
    assert "known(...) is for the facts' constraints" in e.message
    assert e.path.endswith("outcomes[0].when")


def test_a_form_of_no_provision_and_a_condition_that_is_no_yes_or_no() -> None:
    found = errors(
        ("    provision: annex1\n", "    provision: annex9\n"),
        ("    issued_when: not loan.refused", "    issued_when: loan.issued_on"),
    )
    assert {e.path for e in found} == {"forms[0].provision", "forms[0].issued_when"}


def test_an_event_that_sets_a_fact_it_cannot_hold_and_a_watch_of_no_question() -> None:
    found = errors(
        (
            "      set: {loan.returned_on: at}",
            "      set: {loan.returned_on: at, loan.refused: at}",
        ),
        (
            "    - question: loan.limit\n      findings",
            "    - question: loan.limits\n      findings",
        ),
        (
            "    - {question: loan.return, value: due, done_by: loan.returned_on}",
            "    - {question: loan.return, value: due, done_by: loan.refused}",
        ),
    )
    by_path = {e.path: e.message for e in found}
    assert "a yes/no value" in by_path["events.types.loan_returned.set.loan.refused"]
    assert by_path["events.watch[0].question"] == "no question 'loan.limits'"
    assert "is not a date fact" in by_path["events.deadlines[0].done_by"]


def test_a_binding_to_no_parameter_and_a_choice_onto_no_value() -> None:
    found = errors(
        (
            "    binds: {to: legal_time.not_earlier_than}",
            "    binds: {to: legal_time.not_later_than}",
        ),
    )
    (e,) = found
    assert e.path == "interpretations[1].binds.to" and "no engine parameter" in e.message
    (e,) = errors(
        (
            "    binds: {to: legal_time.not_earlier_than}",
            "    binds: {to: legal_time.not_earlier_than, values: {day-after-term: next-day}}",
        )
    )
    assert "must map onto one of last-day-of-term, day-after-term" in e.message


# Issue 12, finding 6: a spec whose expressions could not run is refused when it loads.


@pytest.mark.parametrize(
    ("when", "why"),
    [
        ("not " * 330 + "true", "nested deeper than 48 levels"),
        ("counted <= " + " + ".join(["1"] * 250), "nested deeper than 48 levels"),
        ("counted <= " + "-" * 300 + "1", "nested deeper than 48 levels"),
        ("counted <= 1" + "0" * 20, "is larger than 1000000000000"),
    ],
    ids=["330 nots", "250 sums", "300 minuses", "a huge number"],
)
def test_an_expression_too_deep_or_a_number_too_large_is_a_located_error(
    when: str, why: str
) -> None:
    old = "\n                when: counted <= limit\n"  # the 2024 wording's rule
    (e,) = errors((old, f"\n                when: {when}\n"))
    assert why in e.message and e.path.endswith("outcomes[0].when") and e.line > 1


def test_a_chain_of_squared_values_is_refused_where_it_passes_the_bound() -> None:
    """Each expression is small, but a value squared again and again grows without bound: the
    bound of every named value is known when the spec loads, and the first past 10^36 is an
    error at its line (the values after it that use it are not reported again)."""
    old = "\n                  when: counted <= limit\n"
    lets = "".join(
        f"\n                h{i}: '{f'h{i - 1} * h{i - 1}' if i else '1000'}'" for i in range(12)
    )
    (e,) = errors(
        ('\n                limit: "8"\n', f'\n                limit: "8"{lets}\n'),
        (old, "\n                  when: counted <= h11\n"),
    )
    assert "can reach about 10^48, more than about 10^36" in e.message
    assert e.path.endswith("let.h4") and e.line > 1
