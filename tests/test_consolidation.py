"""What the Rules said on a date, and what changed between two dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from attest_rules import AttestRulesError, Change, Regulation


def ids(changes: Sequence[Change]) -> list[str]:
    return [c.provision_id for c in changes]


def test_versions_and_their_dates(reg: Regulation) -> None:
    base, amend = reg.versions
    assert base.effective_from == dt.date(2023, 7, 1)
    assert base.act.number == "210"
    assert base.act.registration is not None
    assert base.act.registration.number == "32744"
    assert amend.effective_from is None
    assert amend.published_on is None
    assert amend.window is not None
    assert (amend.window.earliest, amend.window.latest) == (
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 31),
    )
    assert amend.act.signed_on == dt.date(2024, 10, 21)


def test_before_entry_into_force_there_is_no_text(reg: Regulation) -> None:
    with pytest.raises(AttestRulesError, match="not in force on 2023-06-30"):
        reg.as_of("2023-06-30")
    assert reg.as_of("2023-07-01").version == "base"


@pytest.mark.parametrize(
    ("day", "version", "uncertain"),
    [
        ("2024-10-31", "base", False),
        ("2024-11-01", "base", True),
        ("2024-11-15", "base", True),
        ("2024-12-30", "base", True),
        ("2024-12-31", "amend-403", False),
        ("2025-01-01", "amend-403", False),
    ],
)
def test_the_window_boundaries(reg: Regulation, day: str, version: str, uncertain: bool) -> None:
    text = reg.as_of(day)
    assert (text.version, text.uncertain) == (version, uncertain)
    if uncertain:
        assert text.alternative is not None
        assert text.alternative.version == "amend-403"
        assert text.uncertain_versions == ("amend-403",)


def test_the_window_can_be_resolved_by_assumption(reg: Regulation) -> None:
    early = reg.as_of("2024-11-15", {"effective-date.window": "assume-earliest"})
    late = reg.as_of("2024-11-15", {"effective-date.window": "assume-latest"})
    assert (early.version, early.uncertain, early.assumed) == (
        "amend-403",
        False,
        "assume-earliest",
    )
    assert (late.version, late.uncertain, late.assumed) == ("base", False, "assume-latest")
    assert reg.as_of("2025-03-01", {"effective-date.window": "assume-latest"}).assumed is None


def test_unknown_interpretations_are_refused(reg: Regulation) -> None:
    with pytest.raises(AttestRulesError, match="unknown interpretation"):
        reg.as_of("2025-01-01", {"no-such": "x"})
    with pytest.raises(AttestRulesError, match="choose one of report-both"):
        reg.as_of("2025-01-01", {"effective-date.window": "maybe"})


def test_item_4_before_and_after(reg: Regulation) -> None:
    before = reg.as_of("2024-06-01").provision("rules.4")
    assert before.text is None
    assert before.version == "base"
    assert any("Тестілеу" in i.statement for i in before.inferred)
    after = reg.as_of("2025-01-01").provision("rules.4")
    assert after.text == {"kk": "Аттестаттау мыналарды қамтиды:"}
    assert after.children == ("rules.4.1", "rules.4.2")
    assert after.version == "amend-403"
    assert after.change == "replaced"
    assert after.notes and "жаңа редакцияда" in after.notes[0].kk


def test_paragraph_2_is_repealed_with_its_items(reg: Regulation) -> None:
    text = reg.as_of("2025-01-01")
    for pid in ("rules.par2", "rules.9", "rules.10", "rules.11", "rules.12"):
        p = text.provision(pid)
        assert (p.status, p.version, p.text) == ("repealed", "amend-403", None)
    assert "rules.9" not in {p.id for p in text.in_force()}
    assert text.provision("rules.par2").notes[0].kk.startswith("Ескерту. 2-параграф алып")


def test_item_7_has_five_good_reasons_and_item_8_six_documents(reg: Regulation) -> None:
    text = reg.as_of("2025-01-01")
    seven = text.provision("rules.7")
    assert [c.rsplit(".", 1)[1] for c in seven.children] == ["1", "2", "3", "4", "5"]
    assert all(text.provision(c).inline for c in seven.children)
    eight = text.provision("rules.8")
    assert len(eight.children) == 6  # the official text lists six documents
    assert text.provision("rules.15").text_after is not None
    assert [text.provision(c).number for c in text.provision("rules.15").children] == ["1)", "2)"]


def test_annexes_and_document_order(reg: Regulation) -> None:
    text = reg.as_of("2025-01-01")
    columns = [p for p in text.subtree("annex2") if p.kind == "table_column"]
    assert [p.number for p in columns] == [str(n) for n in range(1, 10)]
    assert len(text.subtree("order.annex2")) == 5
    top = [p.id for p in text.provisions if p.depth == 0]
    assert top == [
        "order.preamble",
        "order.1",
        "order.2",
        "order.3",
        "order.4",
        "order.5",
        "rules",
        "order.annex2",
    ]
    assert [p.id for p in text.provisions if p.kind == "chapter"] == [
        "rules.ch1",
        "rules.ch2",
        "rules.ch3",
    ]
    assert [p.id for p in text.provisions if p.kind == "paragraph"] == [
        "rules.par1",
        "rules.par2",
        "rules.par3",
        "rules.par4",
    ]
    items = [
        p.id
        for p in reg.as_of("2024-01-01").provisions
        if p.kind == "item" and p.id.startswith("rules.")
    ]
    assert items == [f"rules.{n}" for n in range(1, 23)]


def test_the_diff_lists_exactly_the_amended_provisions(reg: Regulation) -> None:
    changes = reg.diff("2024-10-01", "2025-01-01")
    assert ids(changes) == ["rules.4", "rules.7", "rules.8", "rules.par2"]
    assert [c.kind for c in changes] == ["replaced", "replaced", "amended", "repealed"]
    assert ids(list(changes[3].parts)) == ["rules.9", "rules.10", "rules.11", "rules.12"]
    assert all(c.by_version == "amend-403" for c in changes)
    assert changes[0].before is None
    assert changes[0].after == {"kk": "Аттестаттау мыналарды қамтиды:"}


def test_a_diff_within_one_version_is_empty_and_reverse_diffs_mirror(reg: Regulation) -> None:
    assert reg.diff("2023-07-01", "2024-10-31") == []
    back = reg.diff("2025-01-01", "2024-10-01")
    assert ids(back) == ["rules.4", "rules.7", "rules.8", "rules.par2"]
    assert back[3].kind == "added"


def test_unknown_provision_names_the_date(reg: Regulation) -> None:
    with pytest.raises(AttestRulesError, match=r"no provision 'rules\.99'.*2025-01-01"):
        reg.as_of("2025-01-01").provision("rules.99")
    with pytest.raises(AttestRulesError, match="not a date"):
        reg.as_of("2025-13-01")
