"""The spec's Kazakh text is the official text, word for word, apart from listed restorations."""

from __future__ import annotations

import pytest

from attest_rules import Regulation
from attest_rules.spec.checks import restoration_fields

from .conftest import SHARED_SOURCE, SOURCE_TEXT


def fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def source() -> str:
    return fold(SOURCE_TEXT.read_text(encoding="utf-8"))


def as_extracted(reg: Regulation, pid: str, field: str, text: str) -> str:
    """Undo the spec's restorations of one field, newest first, giving the extracted reading."""
    text = fold(text)
    for r in reversed([r for r in reg.restorations if (r.provision, r.field) == (pid, field)]):
        restored, extracted = fold(r.restored), fold(r.extracted)
        assert text.count(restored) == 1, f"{r.id}: restored passage not found once in {pid}"
        text = text.replace(restored, extracted)
    return text


def test_vendored_source_is_the_shared_official_text() -> None:
    if not SHARED_SOURCE.exists():
        pytest.skip("shared/regulation is not beside this checkout")
    assert SOURCE_TEXT.read_bytes() == SHARED_SOURCE.read_bytes()


def test_every_provision_in_force_on_2025_01_01_is_verbatim(reg: Regulation, source: str) -> None:
    text = reg.as_of("2025-01-01")
    checked = 0
    for p in text.in_force():
        fields = {"text": p.text, "text_after": p.text_after, "heading": p.heading}
        for field, value in fields.items():
            if value is None:
                continue
            extracted = as_extracted(reg, p.id, field, value["kk"])
            assert extracted in source, f"{p.id}.{field} is not in the official text: {extracted}"
            checked += 1
    assert checked >= 80


def test_amendment_notes_are_verbatim(reg: Regulation, source: str) -> None:
    notes = [(p.id, n.kk) for p in reg.as_of("2025-01-01").provisions for n in p.notes]
    assert [pid for pid, _ in notes] == ["rules.4", "rules.7", "rules.8", "rules.par2"]
    for pid, note in notes:
        assert as_extracted(reg, pid, "note", note) in source


def test_provisions_follow_the_source_order(reg: Regulation, source: str) -> None:
    position = 0
    for p in reg.as_of("2025-01-01").in_force():
        if p.text is None or p.inline or p.kind in ("table_column", "column_group"):
            continue  # inline entries repeat their parent's words; table cells are laid out
        found = source.find(as_extracted(reg, p.id, "text", p.text["kk"]), position)
        assert found >= position, f"{p.id} is out of document order"
        position = found


def test_each_restoration_is_listed_once_and_found_in_the_source(
    reg: Regulation, source: str
) -> None:
    assert len({(r.provision, r.field, r.extracted) for r in reg.restorations}) == len(
        reg.restorations
    )
    for r in reg.restorations:
        assert fold(r.extracted) in source, r.id
        if r.moved_to is None:
            assert fold(r.moved) in fold(r.restored), r.id
        assert restoration_fields(reg.document, r.provision, r.field), r.id


def test_restorations_change_nothing_but_word_order(reg: Regulation) -> None:
    """A restoration only moves words: the same characters, other than spaces, in other order."""
    for r in reg.restorations:
        before = sorted(r.extracted.replace(" ", ""))
        elsewhere = r.moved if r.moved_to else ""
        after = sorted((r.restored + elsewhere).replace(" ", ""))
        assert before == after, r.id


def test_unknown_wording_is_never_filled_in(reg: Regulation) -> None:
    base = reg.as_of("2024-06-01")
    for pid in ("rules.4", "rules.7", "rules.8", "rules.9", "rules.10", "rules.11", "rules.12"):
        assert base.provision(pid).text is None, pid
    assert base.provision("rules.par2").text == {"kk": "Тестілеу"}
    assert any("testing" in i.statement for i in base.provision("rules.4").inferred)
