"""Where one case's time goes in the answers-only batch: each stage of a line timed alone, on
the same lines, in one process with the spec frozen out of the garbage collector, as the
batch runs (the best of five passes); and a floor no reading of a line can go below: the
parse alone, the constraints, the answers and the write.

Usage: python benchmarks/stages.py [N]   (N generated cases, 10,000 by default)
"""

from __future__ import annotations

import gc
import io
import json
import random
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

import attest_rules
from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.facts import batch_lines
from attest_rules.located import strict_json
from attest_rules.tools.payloads import Batch, BatchOptions, answers_only_json

sys.path.insert(0, str(Path(__file__).parent))
from run import rate

from cases import make_case


def best(func: Callable[[Any], object], items: Iterable[Any], passes: int = 5) -> float:
    """Microseconds an item: the best of ``passes`` passes (``run.rate``)."""
    return 1e6 / rate(func, list(items), passes)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(11)
    lines = [json.dumps(make_case(rng, n)).encode() for n in range(count)]
    reg = attest_rules.load()
    evaluator = Evaluator(reg)
    batch = Batch(reg, BatchOptions(answers_only=True))
    gc.freeze()
    data = [strict_json.loads(line) for line in lines]
    cases = [reg.facts.model.model_validate(d) for d in data]
    facts = [c.model_dump() for c in cases]
    answers = [evaluator.decide_all(f) for f in facts]  # the legal-time dates remembered
    quick = reg.facts._quick  # what the batch validates a plainly valid case with
    if quick is None:
        raise SystemExit("the spec declares no facts")
    stream = b"\n".join(lines) + b"\n"
    stages = {
        "strict JSON (orjson, checked)": best(strict_json.loads, lines),
        "  the reference reader (json)": best(strict_json.reference_loads, lines),
        "  the parse alone (orjson, unchecked)": best(orjson.loads, lines),
        "validation (pydantic model)": best(reg.facts.model.model_validate, data),
        "the case's facts (model_dump)": best(lambda c: c.model_dump(), cases),
        "  both, by the quick check instead": best(quick, data),
        "constraints (generated check)": best(reg.facts.problems, facts),
        "answers (decide_all, dates known)": best(evaluator.decide_all, facts),
        "the line written (orjson)": best(
            lambda a: orjson.dumps(answers_only_json(None, a)).decode(), answers
        ),
    }
    passes = []
    for _ in range(2):  # the second with the batch's legal-time dates known, as in a long batch
        started = time.perf_counter()
        for number, raw in batch_lines(io.BytesIO(stream)):
            batch.raw_line(number, raw, "input")
        passes.append((time.perf_counter() - started) / count * 1e6)
    first, whole = passes
    print(f"{count:,} cases, Python {sys.version.split()[0]}; microseconds a case:")
    for name, us in stages.items():
        print(f"  {name:36s} {us:7.1f}")
    print(f"  {'a line read, answered and written':36s} {whole:7.1f}   ({1e6 / whole:,.0f}/s)")
    print(f"  {'  the first pass (dates computed)':36s} {first:7.1f}   ({1e6 / first:,.0f}/s)")
    floor = sum(
        stages[k]
        for k in (
            "  the parse alone (orjson, unchecked)",
            "constraints (generated check)",
            "answers (decide_all, dates known)",
            "the line written (orjson)",
        )
    )
    print(
        f"  a floor: parsed, checked against the constraints, answered and written, with "
        f"validation free and no key given twice let pass: {floor:.1f} ({1e6 / floor:,.0f}/s)"
    )
    figures = {k.strip(): round(v, 1) for k, v in stages.items()}
    extra = {"line": round(whole, 1), "line_first": round(first, 1), "floor": round(floor, 1)}
    print(json.dumps(figures | extra))


if __name__ == "__main__":
    main()
