"""Decision records: an evaluation with its inputs, replayed to see whether it still holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from attest_rules.engine.regulation import Regulation
from attest_rules.engine.results import Answer, Evaluation
from attest_rules.errors import AttestRulesError
from attest_rules.located import strict_json
from attest_rules.version import __version__


@dataclass(frozen=True)
class AnswerChange:
    question: str
    before: Answer | None
    after: Answer | None


@dataclass(frozen=True)
class Replay:
    """The result of evaluating a record again."""

    record: Evaluation
    fresh: Evaluation
    changes: tuple[AnswerChange, ...]

    @property
    def matches(self) -> bool:
        return not self.changes

    @property
    def causes(self) -> list[str]:
        """Why the answers may differ: the spec, the library, or neither."""
        out = []
        if self.record.spec_hash != self.fresh.spec_hash:
            out.append(
                f"the spec changed ({self.record.spec_hash[:19]}… → {self.fresh.spec_hash[:19]}…)"
            )
        if self.record.library_version != self.fresh.library_version:
            out.append(
                f"the library changed ({self.record.library_version} → "
                f"{self.fresh.library_version})"
            )
        return out


def read_record(path: str | Path) -> Evaluation:
    try:
        return Evaluation.model_validate(strict_json.loads(Path(path).read_bytes()))
    except OSError as exc:
        raise AttestRulesError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (strict_json.StrictJSONError, RecursionError) as exc:
        raise AttestRulesError(f"{path} is not a decision record: {exc}") from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AttestRulesError(
            f"{path} is not a decision record: {where}: {first['msg']}"
        ) from None
    except ValueError as exc:  # not JSON, or not UTF-8
        raise AttestRulesError(f"{path} is not a decision record: not JSON: {exc}") from None


def replay(reg: Regulation, record: Evaluation) -> Replay:
    """Evaluate the record's inputs again and compare every answer."""
    inputs = record.inputs
    fresh = reg.evaluate(inputs.case, inputs.on, inputs.interpretations)
    old = {a.question: a for a in record.answers}
    new = {a.question: a for a in fresh.answers}
    changes = []
    for q in dict.fromkeys([*old, *new]):
        a, b = old.get(q), new.get(q)
        if a is None or b is None or a.key() != b.key() or a.version != b.version:
            changes.append(AnswerChange(q, a, b))
    return Replay(record, fresh, tuple(changes))


def render_replay(result: Replay) -> str:
    if result.matches:
        return (
            f"replay: all {len(result.fresh.answers)} answers match "
            f"(spec {result.fresh.spec_hash[:19]}…, library {__version__})"
        )
    lines = [f"replay: {len(result.changes)} answer(s) changed"]
    causes = result.causes or [
        "neither the spec nor the library version changed: the "
        "evaluation is not reproducible — report this as a bug"
    ]
    lines += [f"  because {c}" for c in causes]
    for change in result.changes:

        def show(a: Answer | None) -> str:
            if a is None:
                return "(no such question)"
            return f"{a.status} {a.outcome or ''} {json.dumps(a.values, ensure_ascii=False)}"

        lines.append(f"  {change.question}: {show(change.before)} → {show(change.after)}")
    return "\n".join(lines)
