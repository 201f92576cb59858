"""A broken spec is rejected with every error located at file:line:column and document path."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import attest_rules
from attest_rules import Regulation, SpecError, SpecIssue
from attest_rules.located.reader import read_yaml

Variant = Callable[[str, str], Regulation]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th ``needle`` in ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def errors_of(load: Callable[[], object]) -> list[SpecIssue]:
    with pytest.raises(SpecError) as info:
        load()
    return info.value.errors


def only(errors: list[SpecIssue], fragment: str) -> SpecIssue:
    found = [e for e in errors if fragment in e.message]
    assert len(found) == 1, f"expected one error with {fragment!r}, got {errors}"
    return found[0]


def test_bundled_spec_loads_clean(reg: Regulation) -> None:
    assert reg.warnings == ()
    assert [v.id for v in reg.versions] == ["base", "amend-403"]


def test_duplicate_key_is_reported_at_the_second_key(spec_text: str, load_variant: Variant) -> None:
    old = "              - id: rules.5\n                kind: item\n"
    new = old + "                kind: item\n"
    errors = errors_of(lambda: load_variant(old, new))
    e = only(errors, "duplicate key 'kind'")
    assert e.line == line_of(spec_text.replace(old, new), old) + 2
    assert e.column == 17
    assert e.path == "provisions[6].children[1].children[0].children[0].kind"
    assert e.file == "variant.yaml"


def test_unknown_key_names_the_key_and_its_line(spec_text: str, load_variant: Variant) -> None:
    old = '              - id: rules.5\n                kind: item\n                number: "5."'
    new = old.replace("number:", "numbr:")
    errors = errors_of(lambda: load_variant(old, new))
    e = only(errors, "unknown key 'numbr'")
    assert e.line == line_of(spec_text, old) + 2
    assert e.column == 17
    assert e.path.endswith(".numbr")


def test_bad_date_is_a_located_error(spec_text: str, load_variant: Variant) -> None:
    errors = errors_of(lambda: load_variant("signed_on: 2023-06-08", "signed_on: 2023-02-30"))
    e = only(errors, "bad date")
    assert e.line == line_of(spec_text, "signed_on: 2023-06-08")
    assert e.path == "acts[0].signed_on"


def test_a_date_time_or_a_number_is_not_a_date(load_variant: Variant) -> None:
    e1 = only(
        errors_of(lambda: load_variant("earliest: 2024-11-01", "earliest: 2024-11-01T10:00:00Z")),
        "date-time",
    )
    assert e1.path == "versions[1].effective.window.earliest"
    e2 = only(
        errors_of(lambda: load_variant("latest: 2024-12-31", "latest: 20241231")), "expected a date"
    )
    assert e2.path == "versions[1].effective.window.latest"


def test_delta_to_a_missing_provision(spec_text: str, load_variant: Variant) -> None:
    errors = errors_of(lambda: load_variant("target: rules.par2", "target: rules.par9"))
    e = only(errors, "no such provision")
    assert e.line == line_of(spec_text, "target: rules.par2")
    assert e.path == "versions[1].changes[3].target"


def test_repeal_of_a_repealed_provision(spec_text: str, load_variant: Variant) -> None:
    old = "      - op: repeal\n        target: rules.par2\n"
    new = old + "      - op: repeal\n        target: rules.10\n"
    errors = errors_of(lambda: load_variant(old, new))
    e = only(errors, "already repealed")
    assert e.line == line_of(spec_text.replace(old, new), "target: rules.10")
    assert e.path == "versions[1].changes[4].target"


def test_a_repeated_provision_id(spec_text: str, load_variant: Variant) -> None:
    old = "              - id: rules.6\n"
    errors = errors_of(lambda: load_variant(old, "              - id: rules.5\n"))
    e = only(errors, "duplicate provision id 'rules.5'")
    assert e.line == line_of(spec_text, old)
    assert "first at provisions[6]" in e.message


def test_a_repeated_id_inside_an_amendment(load_variant: Variant) -> None:
    errors = errors_of(lambda: load_variant("- id: rules.7.list.2\n", "- id: rules.7.list.1\n"))
    e = only(errors, "duplicate provision id 'rules.7.list.1'")
    assert e.path == "versions[1].changes[1].provision.children[1].id"


def test_two_versions_on_one_date(load_variant: Variant) -> None:
    errors = errors_of(lambda: load_variant("earliest: 2024-11-01", "earliest: 2023-07-01"))
    only(errors, "impossible")  # before the amending act was signed
    errors = errors_of(
        lambda: load_variant("effective_from: 2023-07-01", "effective_from: 2024-11-01")
    )
    only(errors, "two versions take effect on 2024-11-01")


def test_alias_bomb_is_bounded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    started = time.perf_counter()
    errors = errors_of(lambda: attest_rules.load_bytes(bomb.encode(), "bomb.yaml"))
    assert time.perf_counter() - started < 10  # a guard against hanging, not a speed test
    e = only(errors, "expands to more than")
    assert e.file == "bomb.yaml"
    assert e.path.startswith(("e", "f", "g", "h", "i", "j"))  # deep in the expansion


def test_recursive_alias_and_foreign_tags_are_refused() -> None:
    located = read_yaml("a: &a [1, *a]\nb: !!python/object:os.system {}\nc: !!binary aGk=\n", "x")
    messages = [i.message for i in located.issues]
    assert any("recursive alias" in m for m in messages)
    assert sum("is not allowed" in m for m in messages) == 2
    assert [i.line for i in located.issues] == [1, 2, 3]


def test_merge_keys_and_non_string_keys() -> None:
    located = read_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  ? [1, 2]\n  : v\nno: 3\n", "m")
    messages = [i.message for i in located.issues]
    assert any("merge keys" in m for m in messages)
    assert any("plain string" in m for m in messages)
    assert located.data["no"] == 3  # keys are taken as written, not as YAML 1.1 booleans


def test_input_limits() -> None:
    assert "limit of 10 bytes" in read_yaml(b"a: 1\n" * 10, "big", max_bytes=10).issues[0].message
    bad = read_yaml(b"a: 1\nb: \xff\n", "enc")
    assert (bad.issues[0].line, bad.issues[0].message[:9]) == (2, "not UTF-8")
    assert read_yaml("\ufeffa: 1\n", "bom").data == {"a": 1}
    assert "NUL" in read_yaml(b"a: 1\x00", "nul").issues[0].message
    assert "single document" in read_yaml("a: 1\n---\nb: 2\n", "two").issues[0].message
    deep = read_yaml("[" * 100 + "]" * 100, "deep")
    assert deep.issues and "levels deep" in deep.issues[0].message
    very_deep = read_yaml("[" * 5000 + "]" * 5000, "very-deep")
    assert very_deep.issues


def test_all_errors_are_reported_together(spec_text: str) -> None:
    text = (
        spec_text.replace("signed_on: 2023-06-08", "signed_on: 2023-02-30")
        .replace("target: rules.par2", "target: rules.par9")
        .replace("              - id: rules.6\n", "              - id: rules.5\n")
        .replace('number: "13."', 'numbr: "13."')
    )
    errors = errors_of(lambda: attest_rules.load_bytes(text.encode(), "many.yaml"))
    # The shape errors stop the load before the meaning is checked: the bad date and the unknown
    # key are shape errors, so these two come together...
    assert {e.message.split(" ")[0] for e in errors} >= {"bad", "unknown"}
    assert [e.line for e in errors] == sorted(e.line for e in errors)
    # ...and once the shape is right, every meaning error comes at once.
    text2 = spec_text.replace("target: rules.par2", "target: rules.par9").replace(
        "              - id: rules.6\n", "              - id: rules.5\n"
    )
    errors2 = errors_of(lambda: attest_rules.load_bytes(text2.encode(), "many.yaml"))
    assert any("no such provision" in e.message for e in errors2)
    assert any("duplicate provision id" in e.message for e in errors2)


def test_wrong_types_and_missing_keys(load_variant: Variant) -> None:
    errors = errors_of(lambda: load_variant('number: "210"', "number: 210"))
    assert "valid string" in only(errors, "valid string").message
    errors = errors_of(
        lambda: load_variant("  - id: base\n    title: ", "  - id: base\n    titl: ")
    )
    assert only(errors, "missing required key 'title'").path == "versions[0].title"
    errors = errors_of(lambda: load_variant("    kind: preamble", "    kind: preface"))
    assert only(errors, "Input should be").path == "provisions[0].kind"


def test_published_on_replaces_the_window(load_variant: Variant) -> None:
    reg = load_variant("published_on: null", "published_on: 2024-11-20")
    v = reg.version("amend-403")
    assert v.effective_from is not None
    assert v.effective_from.isoformat() == "2024-12-01"  # ten days end 2024-11-30
    assert v.window is None
    assert not reg.as_of("2024-11-25").uncertain
    assert reg.as_of("2024-12-01").version == "amend-403"
    assert reg.as_of("2024-11-30").version == "base"
    assert reg.warnings and "no longer used" in reg.warnings[0].message
    tenth = reg.as_of("2024-11-30", {"effective-date.after-publication": "tenth-day"})
    assert tenth.version == "amend-403"


def test_publication_before_signing_is_an_error(load_variant: Variant) -> None:
    errors = errors_of(lambda: load_variant("published_on: null", "published_on: 2024-10-01"))
    only(errors, "before it was signed")


def test_cannot_read_a_missing_file(tmp_path: object) -> None:
    errors = errors_of(lambda: attest_rules.load("/nonexistent/spec.yaml"))
    assert errors[0].file == "/nonexistent/spec.yaml"
    assert "cannot read" in errors[0].message
