"""Hardened inputs: malformed specs, case files and batch lines are refused with a clear, located
message in bounded memory; generated specs and cases never crash the loader or the evaluator
with anything but their own errors.

Memory is measured with tracemalloc (deterministic); time is not asserted (benchmarks measure
speed), but every input here is refused without parsing more than the limits allow.
"""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import attest_rules
from attest_rules import Regulation, load_case, parse_case
from attest_rules.cli.app import main
from attest_rules.errors import FactsError, SpecError
from attest_rules.located.lines import MAX_LINE

from .conftest import SPEC

SPEC_BYTES = SPEC.read_bytes()


def _bomb(levels: int = 9) -> bytes:
    out = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    names = "abcdefghijklmnop"
    for i in range(1, levels):
        out += f"{names[i]}: &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 10) + "]\n"
    return out.encode()


# name → (the file's bytes, a word the first error must contain)
CORPUS: dict[str, tuple[Callable[[], bytes], str]] = {
    "binary junk": (lambda: bytes(range(256)) * 16, "not UTF-8"),
    "NUL bytes": (lambda: b"format: 1\x00\x00\n", "NUL"),
    "tabs for indentation": (lambda: b"format: 1\nacts:\n\t- id: x\n", "never tabs"),
    "UTF-16": (lambda: SPEC_BYTES.decode().encode("utf-16"), "UTF-16"),
    "Latin-1": (lambda: "format: 1\nname: Ørsted\n".encode("latin-1"), "not UTF-8"),
    "Windows-1251": (lambda: "format: 1\nname: Аттестаттау\n".encode("cp1251"), "not UTF-8"),
    "BOM and junk": (lambda: b"\xef\xbb\xbf: : :\n", "YAML syntax"),
    "deep flow nesting": (lambda: b"a: " + b"[" * 200_000 + b"]" * 200_000, "brackets open"),
    "deep block nesting": (
        lambda: "".join("  " * i + "k:\n" for i in range(120)).encode(),
        "nested",
    ),
    "alias bomb": (_bomb, "expands to more than"),
    "a 50 MB file": (lambda: b"x: " + b"a" * (50 * 1024 * 1024) + b"\n", "longer than the limit"),
    "empty": (lambda: b"", "empty"),
    "two documents": (lambda: b"a: 1\n---\nb: 2\n", "single document"),
    "a scalar, not a mapping": (lambda: b"42\n", "must be a mapping"),
    "JSON, not YAML, but wrong": (lambda: b'{"format": 1, "acts": [}', "YAML syntax"),
    "recursive alias": (lambda: b"a: &a [1, *a]\n", "recursive alias"),
    "python tag": (lambda: b"a: !!python/object/apply:os.system [ls]\n", "not allowed"),
}


def _peak_mb(action: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1e6


@pytest.mark.parametrize("name", list(CORPUS))
def test_a_malformed_spec_is_refused_clearly(name: str, tmp_path: Path) -> None:
    make, word = CORPUS[name]
    path = tmp_path / "spec.yaml"
    path.write_bytes(make())
    caught: list[SpecError] = []

    def attempt() -> None:
        with pytest.raises(SpecError) as exc:
            attest_rules.load(path)
        caught.append(exc.value)

    peak = _peak_mb(attempt)
    errors = caught[0].errors
    assert any(word in e.message for e in errors), str(caught[0])
    assert all(e.file == str(path) and e.line >= 1 and e.column >= 1 for e in errors)
    # Never more than the 4 MiB read limit and the alias budget hold in memory at once.
    assert peak < 64, f"{name}: peak {peak:.1f} MB"


@pytest.mark.parametrize("name", ["binary junk", "UTF-16", "a 50 MB file", "alias bomb"])
def test_a_malformed_case_file_is_refused_clearly(name: str, tmp_path: Path) -> None:
    make, word = CORPUS[name]
    path = tmp_path / "case.yaml"
    path.write_bytes(make())
    with pytest.raises(FactsError) as exc:
        load_case(path)
    assert word in str(exc.value)
    assert str(path) in str(exc.value)


def test_a_bom_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SPEC_BYTES)
    assert attest_rules.load(path).id == "kz-mlsp-order-210"


BAD_LINES: dict[str, tuple[bytes, str]] = {
    "not JSON": (b"{not json", "not JSON"),
    "binary junk": (bytes(range(1, 10)) + b"\xff\xfe", "not UTF-8"),
    "deep nesting": (b'{"worker": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    "a list, not a case": (b"[1, 2, 3]", "valid dictionary"),
    "a wrong type": (b'{"session": {"present": "A"}}', "session.present"),
    "an unknown fact": (b'{"worker": {"shoe_size": 42}}', "unknown fact"),
    "too long": (b'{"id": "' + b"x" * (MAX_LINE + 10) + b'"}', "longer than"),
}


def test_a_batch_reports_every_bad_line_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.dumps({"id": "good", "session": {"date": "2025-03-03"}}).encode()
    lines = [good, *(raw for raw, _ in BAD_LINES.values()), good]
    source = tmp_path / "batch.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    peak = _peak_mb(lambda: main(["evaluate", "--jsonl", str(source), str(out), "--answers-only"]))
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("case_id") for r in (results[0], results[-1])] == ["good", "good"]
    errors = results[1:-1]
    assert [e["line"] for e in errors] == list(range(2, 2 + len(BAD_LINES)))
    for error, (name, (_, word)) in zip(errors, BAD_LINES.items(), strict=True):
        assert word in error["error"], (name, error["error"])
    assert peak < 64  # the long line was never held whole, nor its parse


# Generated specs: any YAML data, and the real spec with its text damaged.


def _spec_error(raw: bytes, name: str) -> SpecError | None:
    """The spec error loading ``raw`` gives, or None where it loads."""
    try:
        attest_rules.load_bytes(raw, name)
    except SpecError as exc:
        return exc
    return None


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=20),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
)
_yaml_data = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["format", "id", "acts", "versions", "provisions", "kind", "text", "rules", "x"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@given(
    st.recursive(
        _scalars | st.floats(allow_nan=False),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=8).filter(lambda k: k != "<<"), inner)
        ),
        max_leaves=25,
    )
)
def test_the_located_reader_reads_what_pyyaml_reads(data: Any) -> None:
    """Each core type is built by the located reader as PyYAML's safe loader builds it (keys
    here are texts, which both keep as written; a merge key, which the reader refuses, is not
    generated)."""
    import yaml

    from attest_rules.located.reader import read_yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    located = read_yaml(text, "generated.yaml")
    assert not located.issues
    assert located.data == yaml.safe_load(text)  # (not always ``data``: PyYAML's own round trip)


@given(_yaml_data)
def test_any_yaml_data_is_a_spec_or_a_spec_error(data: Any) -> None:
    import yaml

    error = _spec_error(yaml.safe_dump(data, allow_unicode=True).encode(), "generated.yaml")
    if error is not None:
        assert error.errors and all(e.file == "generated.yaml" for e in error.errors)


_SPEC_LINES = SPEC_BYTES.decode().split("\n")


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_SPEC_LINES) - 1),
            st.sampled_from(["drop", "duplicate", "truncate", "indent", "junk"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_damaged_spec_is_loaded_or_refused_with_located_errors(
    damage: list[tuple[int, str]],
) -> None:
    lines = list(_SPEC_LINES)
    for at, how in damage:
        at = min(at, len(lines) - 1)
        if how == "drop":
            del lines[at]
        elif how == "duplicate":
            lines.insert(at, lines[at])
        elif how == "truncate":
            lines[at] = lines[at][: len(lines[at]) // 2]
        elif how == "indent":
            lines[at] = "  " + lines[at]
        else:
            lines[at] = lines[at] + " ]{: &x *y !!z"
    error = _spec_error("\n".join(lines).encode(), "damaged.yaml")
    if error is not None:
        assert error.errors
        assert all(e.file == "damaged.yaml" and e.line >= 1 for e in error.errors)


# Generated cases: any values in the facts' places.

_fact_values = st.one_of(
    _scalars,
    st.lists(_scalars, max_size=3),
    st.lists(st.dictionaries(st.sampled_from(["member", "vote"]), _scalars), max_size=3),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)).map(dt.date.isoformat),
)


CASE = attest_rules.load().facts.model


def _section(name: str) -> st.SearchStrategy[dict[str, Any]]:
    model = CASE.model_fields[name].annotation
    fields = list(getattr(model, "model_fields", {}) or {})
    if not fields:  # an optional section: Section | None
        inner = next(a for a in getattr(model, "__args__", ()) if a is not type(None))
        fields = list(inner.model_fields)
    return st.dictionaries(st.sampled_from(fields), _fact_values, max_size=6)


_any_case = st.fixed_dictionaries(
    {},
    optional={name: _section(name) for name in CASE.model_fields if name != "id"},
)


@given(_any_case, st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))))
def test_any_facts_give_an_evaluation_or_a_facts_error(
    reg: Regulation, data: dict[str, Any], on: dt.date | None
) -> None:
    try:
        case = parse_case(data)
    except FactsError as exc:
        problems = exc.problems
        assert problems
        return
    evaluation = reg.evaluate(case, on)
    assert len(evaluation.answers) == len(reg.rulebook.questions)
