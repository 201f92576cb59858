"""Every YAML case file under tests/cases runs as tests, one per case, with coverage checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from attest_rules import Regulation
from attest_rules.tools.casefiles import CaseFile, CaseSpec, load_case_file, merged, run_case

CASES = Path(__file__).parent / "cases"
FILES: dict[Path, CaseFile] = {p: load_case_file(p) for p in sorted(CASES.glob("*.yaml"))}
ALL = [
    pytest.param(path, spec, id=f"{path.stem}: {spec.name}")
    for path, loaded in FILES.items()
    for spec in loaded.cases
]


@pytest.mark.parametrize(("path", "spec"), ALL)
def test_case(reg: Regulation, path: Path, spec: CaseSpec) -> None:
    result = run_case(reg, str(path), spec, FILES[path].base)
    assert result.passed, "\n".join(result.failures)


def test_every_question_has_at_least_three_cases(reg: Regulation) -> None:
    counts = dict.fromkeys(reg.rulebook.questions, 0)
    for loaded in FILES.values():
        for spec in loaded.cases:
            for question in spec.expect:
                counts[question] += 1
    assert {q: n for q, n in counts.items() if n < 3} == {}


def test_every_question_is_expected_under_both_versions(reg: Regulation) -> None:
    seen: dict[str, set[str]] = {q: set() for q in reg.rulebook.questions}
    for loaded in FILES.values():
        for spec in loaded.cases:
            result = reg.evaluate(merged(loaded.base, spec.case), spec.on, spec.interpretations)
            for question, want in spec.expect.items():
                got = result.answer(question)
                if got.status == want.status and got.version is not None:
                    seen[question].add(got.version)
    assert {q: sorted(v) for q, v in seen.items() if v != {"base", "amend-403"}} == {}


def test_every_answer_with_a_version_cites_its_clause(reg: Regulation) -> None:
    for loaded in FILES.values():
        for spec in loaded.cases:
            result = reg.evaluate(merged(loaded.base, spec.case), spec.on, spec.interpretations)
            for answer in result.answers:
                if answer.version is not None:
                    assert answer.citations, (spec.name, answer.question)


def test_every_case_file_answers_the_same_through_generated_code_and_closures(
    reg: Regulation,
) -> None:
    """Every answer of every case file, field by field: the analysts' cases reach outcomes and
    reasons that random cases seldom do (the property test covers the rest)."""
    from attest_rules.engine.evaluator import Evaluator

    reference = Evaluator(reg, reference=True)
    generated = Evaluator(reg, warm_up=0)  # generated code from the first case on
    compared = 0
    for loaded in FILES.values():
        for spec in loaded.cases:
            case = merged(loaded.base, spec.case)
            fast = generated.evaluate(case, spec.on, spec.interpretations)
            slow = reference.evaluate(case, spec.on, spec.interpretations)
            assert fast.model_dump() == slow.model_dump(), spec.name
            compared += 1
    assert compared >= 100
