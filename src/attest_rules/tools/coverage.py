"""Law coverage: for each provision, the rules that implement it and the case files that
exercise each rule and each of its outcomes; for a provision with no rule, why.

A rule is one question on one wording of a provision: the 2023 rule of item 6 is in force in
both versions while item 6 is unchanged, and counts once. A case file exercises a rule when
one of its cases asserts that question and the answer ran through that rule (under either
version, inside an effective-date window), and an outcome when the answer was that outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from attest_rules.engine.regulation import Regulation
from attest_rules.spec.consolidation import Provision
from attest_rules.tools.casefiles import CaseResult

# Why a provision of this kind has no rule of its own, when the spec does not say.
_BY_KIND = {
    "preamble": "the order's legal basis: sets no norm of its own",
    "rules": "the heading of the Rules: its norms are in the provisions under it",
    "chapter": "a chapter heading: its norms are in the provisions under it",
    "paragraph": "a paragraph heading: its norms are in the provisions under it",
    "annex": "an annex: its fields are listed under it",
    "column_group": "a group of columns of a table form",
    "form_field": "a field of a document form, filled by `attest-rules form`",
    "table_column": "a column of a table form, filled by `attest-rules form`",
}


@dataclass
class RuleCoverage:
    question: str
    provision_id: str
    wording: str  # the version the provision's wording comes from
    versions: list[str]  # the versions in which the rule is in force
    outcomes: dict[str, list[str]]  # outcome id → case files that reached it
    case_files: list[str] = field(default_factory=list)  # case files that exercise the rule
    unknown_wording: bool = False  # the rule answers "undetermined": nothing to reach


@dataclass
class ProvisionCoverage:
    id: str
    number: str | None
    kind: str
    wording: str
    versions: list[str]
    rules: list[RuleCoverage] = field(default_factory=list)
    no_rule: str | None = None  # why there is no rule; None where there are rules or no reason


@dataclass
class Coverage:
    provisions: list[ProvisionCoverage]

    @property
    def rules(self) -> list[RuleCoverage]:
        return [r for p in self.provisions for r in p.rules]

    def gaps(self) -> list[str]:
        """What a complete coverage lacks: a rule no case file exercises, an outcome no case
        reaches, an item with neither a rule nor a reason."""
        out: list[str] = []
        for p in self.provisions:
            if not p.rules and p.no_rule is None:
                out.append(f"{p.id} [{p.wording}]: no rule, and no reason given (no_rule)")
            for r in p.rules:
                where = f"{p.id} [{r.wording}] {r.question}"
                if not r.case_files:
                    out.append(f"{where}: no case file exercises this rule")
                out += [
                    f"{where}: outcome {o!r} is never reached by a case"
                    for o, files in r.outcomes.items()
                    if not files
                ]
        return out

    def as_dict(self) -> dict[str, object]:
        rules = self.rules
        outcomes = [f for r in rules for f in r.outcomes.values()]
        return {
            "summary": {
                "provisions": len(self.provisions),
                "with_rules": sum(1 for p in self.provisions if p.rules),
                "rules": len(rules),
                "rules_exercised": sum(1 for r in rules if r.case_files),
                "outcomes": len(outcomes),
                "outcomes_reached": sum(1 for f in outcomes if f),
                "gaps": len(self.gaps()),
            },
            "provisions": [asdict(p) for p in self.provisions],
            "gaps": self.gaps(),
        }


def _reason(p: Provision, index: dict[str, Provision]) -> str | None:
    if p.no_rule is not None:
        return p.no_rule.strip()
    if p.kind in _BY_KIND:
        return _BY_KIND[p.kind]
    parent = index.get(p.parent) if p.parent else None
    while parent is not None:
        if parent.rules:
            return f"read by the rules of {parent.id} ({', '.join(r.id for r in parent.rules)})"
        parent = index.get(parent.parent) if parent.parent else None
    return None


def coverage(reg: Regulation, results: Iterable[CaseResult]) -> Coverage:
    """Coverage of ``reg`` by the case ``results`` (from ``run_files``)."""
    provisions: dict[tuple[str, str], ProvisionCoverage] = {}
    rules: dict[tuple[str, str, str], RuleCoverage] = {}
    rule_of: dict[tuple[str, str], RuleCoverage] = {}  # (version, question) → its rule
    for version in reg.versions:
        index = dict(reg.provision_index(version.id))
        for p in index.values():
            if p.status == "repealed":
                continue
            key = (p.id, p.version)
            pc = provisions.get(key)
            if pc is None:
                pc = provisions[key] = ProvisionCoverage(p.id, p.number, p.kind, p.version, [])
                pc.no_rule = None if p.rules else _reason(p, index)
            pc.versions.append(version.id)
        for q, compiled in reg.rulebook.by_version[version.id].items():
            wording = index[compiled.provision_id].version
            rkey = (compiled.provision_id, wording, q)
            rc = rules.get(rkey)
            if rc is None:
                unknown = compiled.spec.undetermined is not None
                outcomes: dict[str, list[str]] = {}
                if not unknown:
                    outcomes = {o.id: [] for o, _ in compiled.outcomes}
                rc = rules[rkey] = RuleCoverage(q, compiled.provision_id, wording, [], outcomes)
                rc.unknown_wording = unknown
                provisions[(compiled.provision_id, wording)].rules.append(rc)
            rc.versions.append(version.id)
            rule_of[(version.id, q)] = rc
    for result in results:
        name = Path(result.file).name
        for ex in result.exercised:
            rc = rule_of.get((ex.version or "", ex.question))
            if rc is None:
                continue  # not applicable where no rule is in force: nothing ran
            if name not in rc.case_files:
                rc.case_files.append(name)
            reached = rc.outcomes.get(ex.outcome) if ex.outcome is not None else None
            if reached is not None and name not in reached:
                reached.append(name)
    return Coverage(list(provisions.values()))


def render_text(cov: Coverage) -> str:
    """The coverage as an analyst reads it: one block per provision."""
    lines: list[str] = []
    for p in cov.provisions:
        number = f" ({p.number})" if p.number else ""
        head = f"{p.id}{number} [{p.kind}; wording {p.wording}; in {', '.join(p.versions)}]"
        if not p.rules:
            lines.append(f"{head}: no rule: {p.no_rule or 'NO REASON GIVEN'}")
            continue
        lines.append(head)
        for r in p.rules:
            files = ", ".join(r.case_files) or "NONE"
            note = " (wording unknown: answers undetermined)" if r.unknown_wording else ""
            lines.append(f"  rule {r.question} in {', '.join(r.versions)}{note}: {files}")
            for outcome, reached in r.outcomes.items():
                lines.append(f"    outcome {outcome}: {', '.join(reached) or 'NEVER REACHED'}")
    summary = cov.as_dict()["summary"]
    assert isinstance(summary, dict)  # noqa: S101
    lines.append("")
    lines.append(
        f"{summary['rules_exercised']}/{summary['rules']} rules exercised, "
        f"{summary['outcomes_reached']}/{summary['outcomes']} outcomes reached, "
        f"{summary['gaps']} gaps"
    )
    lines += [f"gap: {g}" for g in cov.gaps()]
    return "\n".join(lines)
