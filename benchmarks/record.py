"""Where a decision record's time goes: each step of evaluating a case and writing its record,
timed alone on the same evaluations (the best of five passes), and the record as written
against the record written from pydantic's dump (``seal``, the reference the JSON view is held
to); then what a record's bytes are made of, part by part (each part's compact JSON, the mean
over the records), beside the 8 KB target.

Usage: python benchmarks/record.py [N]   (N generated cases, 500 by default)
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path
from typing import Any

import orjson

import attest_rules
from attest_rules.engine.json_view import viewer
from attest_rules.engine.records import canonical, compact, record_bytes, seal, written
from attest_rules.engine.results import Evaluation

sys.path.insert(0, str(Path(__file__).parent))
from stages import best

from cases import make_case


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    reg = attest_rules.load()
    rng = random.Random(20230701)
    cases = [reg.parse_case(make_case(rng, n)) for n in range(count)]
    evaluations = [reg.evaluate(c) for c in cases]
    for ev in evaluations:  # the two writings agree before either is timed
        if record_bytes(ev) != written(seal(ev)):
            raise SystemExit(f"the record of case {ev.case_id} differs from the reference")
    compacted = [compact(ev.model_dump(mode="json")) for ev in evaluations]
    bodies = [canonical(data) for data in compacted]
    view = viewer(Evaluation)
    if view is None:
        raise SystemExit("the evaluation has no JSON view")
    steps = {
        "evaluated (traced)": best(reg.evaluate, cases),
        "dumped by pydantic": best(lambda ev: ev.model_dump(mode="json"), evaluations),
        "its JSON view instead (json_view)": best(view, evaluations),
        "the same, its clauses once (compact)": best(
            lambda ev: compact(ev.model_dump(mode="json")), evaluations
        ),
        "canonical JSON": best(canonical, compacted),
        "its sha256": best(lambda b: hashlib.sha256(b).hexdigest(), bodies),
        "sealed and written, from pydantic's dump": best(lambda ev: written(seal(ev)), evaluations),
        "sealed and written (record_bytes)": best(record_bytes, evaluations),
    }
    print(f"{count:,} cases; microseconds a case:")
    for name, us in steps.items():
        print(f"  {name:42} {us:7.1f}")
    size = sum(len(record_bytes(ev)) for ev in evaluations) / len(evaluations) / 1000
    print(f"  a record as written: {size:.1f} KB")
    parts = sizes([orjson.loads(record_bytes(ev)) for ev in evaluations])
    print("  of which, bytes (compact JSON):")
    for name, n in parts.items():
        print(f"    {name:40} {n:7,.0f}")
    print(orjson.dumps({k: round(v, 1) for k, v in steps.items()}).decode())
    print(orjson.dumps({k: round(v) for k, v in parts.items()}).decode())


def _n(value: object) -> int:
    return len(orjson.dumps(value))


def sizes(records: list[dict[str, Any]]) -> dict[str, float]:
    """The mean bytes of each part of ``records`` (as written, read back): the cited clauses,
    their Kazakh text alone, the answers and what they hold, the inputs, the rest; and a
    floor: what no record can leave out and still be read alone (each cited clause's text,
    the case, each answer's question, status, outcome and citations), with none of its
    explanation (titles, reasons, dates' steps) and no field name but those."""
    total: dict[str, float] = {}
    for r in records:
        clauses = r["clauses"].values()
        answers = r["answers"]
        part = {
            "the whole record": _n(r),
            "clauses (each cited clause once)": _n(r["clauses"]),
            "  their Kazakh text alone": sum(_n(c["text_kk"]) for c in clauses),
            "answers": _n(answers),
            "  their titles": sum(_n(a["title"]) for a in answers),
            "  their dates with their steps": sum(_n(a["dates"]) for a in answers),
            "  their reasons": sum(_n(a["reasons"]) for a in answers),
            "  their choices (interpretations)": sum(_n(a["interpretations"]) for a in answers),
            "  their citations (by id)": sum(_n(a["citations"]) for a in answers),
            "inputs (the case as given)": _n(r["inputs"]),
            "the choices in effect": _n(r["interpretations"]),
            "integrity": _n(r["integrity"]),
            "a floor: the texts, the case, bare answers": _n(
                {
                    "clauses": {k: c["text_kk"] for k, c in r["clauses"].items()},
                    "inputs": r["inputs"],
                    "answers": [
                        {k: a[k] for k in ("question", "status", "outcome", "citations")}
                        for a in answers
                    ],
                }
            ),
        }
        for k, v in part.items():
            total[k] = total.get(k, 0) + v
    return {k: v / len(records) for k, v in total.items()}


if __name__ == "__main__":
    main()
