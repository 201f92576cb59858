"""Impact: what an amendment or an interpretation does to a batch of cases.

Each case is answered twice, under setting A and setting B (a date on which to read the text,
and interpretive choices), and every answer that changes is reported: per question, each change
of (status, outcome), how many cases, and which. Answers come from the answers-only path, which
gives the statuses and outcomes ``evaluate`` gives (a property test holds them equal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.facts import CaseSource, quick_line_facts, read_source
from attest_rules.engine.regulation import Regulation
from attest_rules.spec.facts import CASE_ID
from attest_rules.spec.facts import CaseModel as Case

Answer = tuple[str, str | None]
# one case's answers under A and under B, with its id; or why it was rejected
Judged = tuple[str | None, dict[str, Answer], dict[str, Answer]] | str


@dataclass(frozen=True)
class Setting:
    """Where a batch is read: the text in force ``on`` a date (None: each question on its own
    event date) and interpretation ``overrides``."""

    on: dt.date | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        when = f"on {self.on.isoformat()}" if self.on else "on each event date"
        chosen = ", ".join(f"{k}={v}" for k, v in sorted(self.overrides.items()))
        return when + (f", {chosen}" if chosen else "")


@dataclass
class Impact:
    a: Setting
    b: Setting
    cases: int = 0
    rejected: list[str] = field(default_factory=list)  # "where: why" for each bad case
    changed_cases: set[str] = field(default_factory=set)
    # question → (answer under A, answer under B) → case ids
    changes: dict[str, dict[tuple[Answer, Answer], list[str]]] = field(default_factory=dict)

    def add(self, where: str, judged: Judged) -> None:
        """One case's answers under A and under B (or why it was rejected), in input order."""
        if isinstance(judged, str):
            self.rejected.append(f"{where}: {judged}")
            return
        case_id, under_a, under_b = judged
        self.cases += 1
        case_id = case_id or where
        for q, x in under_a.items():
            y = under_b[q]
            if x != y:
                self.changes.setdefault(q, {}).setdefault((x, y), []).append(case_id)
                self.changed_cases.add(case_id)

    def as_dict(self, sample: int = 20) -> dict[str, Any]:
        questions: list[dict[str, Any]] = []
        for q, moves in self.changes.items():
            questions.append(
                {
                    "question": q,
                    "changed": sum(len(ids) for ids in moves.values()),
                    "changes": [
                        {
                            "from": {"status": x[0], "outcome": x[1]},
                            "to": {"status": y[0], "outcome": y[1]},
                            "cases": len(ids),
                            "case_ids": ids[:sample],
                        }
                        for (x, y), ids in sorted(moves.items(), key=lambda kv: -len(kv[1]))
                    ],
                }
            )
        questions.sort(key=lambda d: -d["changed"])
        return {
            "a": self.a.describe(),
            "b": self.b.describe(),
            "cases": self.cases,
            "cases_changed": len(self.changed_cases),
            "rejected": self.rejected,
            "questions": questions,
        }


def _show(answer: Answer) -> str:
    return answer[0] + (f" ({answer[1]})" if answer[1] else "")


def render_text(impact: Impact, sample: int = 5) -> str:
    data = impact.as_dict(sample)
    lines = [
        f"A: {data['a']}",
        f"B: {data['b']}",
        f"{data['cases']} cases, {data['cases_changed']} with at least one answer changed"
        + (f", {len(impact.rejected)} rejected" if impact.rejected else ""),
    ]
    for q in data["questions"]:
        lines.append(f"{q['question']}: {q['changed']} changed")
        for c in q["changes"]:
            was = _show((c["from"]["status"], c["from"]["outcome"]))
            now = _show((c["to"]["status"], c["to"]["outcome"]))
            more = " …" if c["cases"] > len(c["case_ids"]) else ""
            lines.append(f"  {was} → {now}: {c['cases']} ({', '.join(c['case_ids'])}{more})")
    if not data["questions"]:
        lines.append("no answer changes")
    lines += [f"rejected: {r}" for r in impact.rejected]
    return "\n".join(lines)


class Judge:
    """Answers one case under ``a`` and under ``b`` (answers only); one per process."""

    def __init__(self, reg: Regulation, a: Setting, b: Setting) -> None:
        self.reg, self.a, self.b = reg, a, b
        self.evaluator = Evaluator(reg)
        self.choices_a, self.choices_b = reg.choices(a.overrides), reg.choices(b.overrides)

    def __call__(self, case: Case | str) -> Judged:
        if isinstance(case, str):
            return case
        return self._both(case.id, self.reg.facts.facts_of(case))

    def source(self, source: CaseSource) -> Judged:
        """The case ``source`` holds, read and judged: a plainly valid JSON line from the
        quick check's facts (``quick_line_facts``), without building its model; any other
        case read as every case is (``read_source``)."""
        if source.path is None:
            facts = quick_line_facts(self.reg.facts, source.raw)
            if facts is not None:
                return self._both(facts[CASE_ID], facts)
        return self(read_source(self.reg.facts, source))

    def _both(self, case_id: str | None, facts: dict[str, Any]) -> Judged:
        under_a = self.evaluator.decide_all(facts, self.a.on, self.choices_a)
        under_b = self.evaluator.decide_all(facts, self.b.on, self.choices_b)
        return case_id, under_a, under_b


def impact(
    reg: Regulation,
    cases: Iterable[tuple[str, Case | str] | CaseSource],
    a: Setting,
    b: Setting,
) -> Impact:
    """Answer every case under ``a`` and under ``b``; collect what changes. ``cases``: (where,
    case or why it was rejected), or cases still to be read (``case_sources``)."""
    judge = Judge(reg, a, b)
    out = Impact(a, b)
    for item in cases:
        if isinstance(item, CaseSource):
            out.add(item.where, judge.source(item))
        else:
            where, case = item
            out.add(where, judge(case))
    return out
