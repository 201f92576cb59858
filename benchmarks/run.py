"""Side by side, from one run: the compiled evaluator (answers only, and with reasons and
citations), a hand-written Python function answering the same questions, the durable_rules
engine, spec load + compile time, and end to end: a JSON-lines batch through the CLI (its rate
with one worker and with two, its peak memory), the CLI's wall time for one case, and the
service's rate and p99 latency for single-case POSTs (``serve.py``: the JSON record, the
issue's ``serve_per_s``, and answers only; one request at a time, and under load).

Usage: python benchmarks/run.py [--quick]

Every engine is first checked to give the same answers on the cases it is timed on. The last
line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attest_rules
from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.records import record_json

sys.path.insert(0, str(Path(__file__).parent))
import handwritten
from serve import LOADED, measure

from cases import drop_facts, make_case


def rate(func: Callable[[Any], object], items: list[Any], repeat: int = 3) -> float:
    """Calls per second: the best of ``repeat`` passes over ``items``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, time.perf_counter() - started)
    return len(items) / best


def batch_peak_rss_mb(cases: int, seed: int, workers: int = 1) -> tuple[float, float]:
    """Peak RSS (MB) of `attest-rules evaluate --jsonl IN - --answers-only` over ``cases`` cases
    written to a file line by line, and the seconds it took (the whole command: start, spec
    load, every line read, answered and written), with ``workers`` processes."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "cases.jsonl"
        rng = random.Random(seed)
        with source.open("w", encoding="utf-8") as out:
            for n in range(cases):
                out.write(json.dumps(make_case(rng, n)) + "\n")
        # The CLI in a fresh process that reports its own peak RSS: VmHWM, its own memory's
        # high-water mark (ru_maxrss would carry this benchmark's own peak across the exec,
        # and RUSAGE_CHILDREN is the maximum over every child so far).
        # It runs the command as its console script does (``cli.run``): ``main``, then out
        # without the interpreter's teardown (``leave``), its peak read in between.
        probe = (
            "import resource, sys\n"
            f"sys.argv = ['attest-rules', 'evaluate', '--jsonl', {str(source)!r}, '-', "
            f"'--answers-only', '--workers', '{workers}']\n"
            "from attest_rules.cli.app import leave, main\n"
            "code = main()\n"
            "try:\n"
            "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
            "    peak = int(hwm[0].split()[1])\n"
            "except (OSError, IndexError):\n"
            "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(peak, file=sys.stderr)\n"
            "leave(code)\n"
        )
        started = time.perf_counter()
        with open(os.devnull, "w") as sink:
            proc = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-c", probe],
                stdout=sink,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"the batch failed (exit {proc.returncode}): {proc.stderr[-500:]}")
        peak_kb = int(proc.stderr.strip().splitlines()[-1])
        return peak_kb / 1024, elapsed


def cli_start_ms(runs: int = 5) -> dict[str, float]:
    """Wall time (ms) of ``attest-rules evaluate`` on the example, a fresh process each time,
    the median of ``runs``: run as its console script (``attest-rules``, installed beside this
    interpreter; ``run.py``'s ``cli_start_ms``) and as ``python -m attest_rules`` (which also
    imports ``runpy``), the two in turn so that the machine's changing speed falls on both
    alike. Without a console script beside the interpreter, both are ``python -m``."""
    example = str(Path(__file__).resolve().parents[1] / "examples" / "quorate-session-2025.yaml")
    # the library's bytecode compiled, as an installed package has it (with
    # PYTHONDONTWRITEBYTECODE set, an edited module would be compiled at every start)
    compileall.compile_dir(Path(attest_rules.__file__).parent, quiet=1)
    module = [sys.executable, "-m", "attest_rules", "evaluate", example]
    script = Path(sys.executable).with_name("attest-rules")
    commands = {
        "script": [str(script), "evaluate", example] if script.is_file() else module,
        "module": module,
    }
    subprocess.run(  # noqa: S603 - once first: the spec cache written, as a user's is
        module, stdout=subprocess.DEVNULL, check=True
    )
    times: dict[str, list[float]] = {kind: [] for kind in commands}
    for _ in range(runs):
        for kind, command in commands.items():
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own interpreter and module, or its script
                command, stdout=subprocess.DEVNULL, check=True
            )
            times[kind].append((time.perf_counter() - started) * 1000)
    return {kind: sorted(t)[runs // 2] for kind, t in times.items()}


def _load_ms(*, cached: bool, runs: int = 5) -> float:
    """Spec load and compile (ms), the mean of ``runs``: from the cache, or from the YAML."""
    from attest_rules.engine.regulation import Regulation
    from attest_rules.resources import bundled_spec_path
    from attest_rules.spec.loader import load_spec_bytes

    raw = bundled_spec_path().read_bytes()
    started = time.perf_counter()
    for _ in range(runs):
        load_spec_bytes(Regulation, raw, "regulation_210.yaml", cached=cached)
    return (time.perf_counter() - started) / runs * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small samples, a 20,000-case batch")
    args = parser.parse_args()
    n_cases = 300 if args.quick else 2000
    n_durable = 60 if args.quick else 300
    batch = 20_000 if args.quick else 1_000_000

    # the spec cache in a folder of this run's own: a load with it off, then warm (the first
    # load with it on writes the entry)
    os.environ["ATTEST_RULES_CACHE"] = tempfile.mkdtemp(prefix="attest-rules-bench-")
    cold_ms = _load_ms(cached=False)
    attest_rules.load()
    load_ms = _load_ms(cached=True)
    reg = attest_rules.load()

    rng = random.Random(20230701)
    raw = [make_case(rng, n) for n in range(n_cases)]
    cases = [reg.parse_case(c) for c in raw]
    facts = [c.model_dump() for c in cases]
    evaluator = Evaluator(reg)

    from attest_rules.durable.engine import DurableEngine

    durable = DurableEngine(reg)
    for case, f in zip(cases, facts, strict=True):  # equal answers before any timing
        mine = evaluator.decide_all(f)
        if mine != handwritten.answer(f):
            diff = {
                q: (mine[q], handwritten.answer(f)[q])
                for q in mine
                if mine[q] != handwritten.answer(f)[q]
            }
            raise SystemExit(f"hand-written and compiled disagree on {case.id}: {diff}")
    for case, f in list(zip(cases, facts, strict=True))[:n_durable]:
        mine = evaluator.decide_all(f)
        theirs = durable.answer(case)
        if any(theirs[q] is not None and theirs[q] != mine[q] for q in mine):
            raise SystemExit(f"durable_rules and compiled disagree on {case.id}")

    compiled = rate(evaluator.decide_all, facts)
    traced = rate(lambda c: reg.evaluate(c), cases[: max(n_cases // 4, 50)])
    # informative, no target: the same cases with a tenth of their facts unknown (those
    # answers go through the closures), and evaluations written out as JSON records
    holes = random.Random(403)
    partial = [reg.parse_case(drop_facts(holes, c, 0.1)) for c in raw[: max(n_cases // 4, 50)]]
    traced_partial = rate(lambda c: reg.evaluate(c), partial)
    # informative: evaluate --explain on those cases (a search per undetermined answer)
    explain_sample = partial[:40]
    started = time.perf_counter()
    explained = [reg.evaluate(c, explain=True) for c in explain_sample]
    explain_ms = (time.perf_counter() - started) / len(explain_sample) * 1000
    # those a fact could decide: undetermined with facts missing (not for an unknown wording)
    searched = [x for e in explained for x in e.explanations or [] if e.answer(x.question).missing]
    witnessed = sum(1 for x in searched if x.witnesses) / max(len(searched), 1)
    traced_json = rate(lambda c: record_json(reg.evaluate(c)), cases[: max(n_cases // 4, 50)])
    sample = cases[: max(n_cases // 4, 50)]
    evaluated = [reg.evaluate(c) for c in sample]
    # as written: a record of format 2 (each clause once), and with --citations full
    record_kb = sum(len(record_json(e).encode()) for e in evaluated) / len(sample) / 1000
    full_kb = (
        sum(len(record_json(e, None, "full").encode()) for e in evaluated) / len(sample) / 1000
    )
    hand = rate(handwritten.answer, facts)
    durable_rate = rate(durable.answer, cases[:n_durable], repeat=1)
    validate = rate(lambda c: reg.facts.model.model_validate(c), raw)
    rss_small, _ = batch_peak_rss_mb(batch // 10, 7)
    rss, batch_s = batch_peak_rss_mb(batch, 11)
    _, batch2_s = batch_peak_rss_mb(batch, 11, workers=2)
    start_ms = cli_start_ms()
    kinds = measure(300 if args.quick else 2000)
    served, served_fast = kinds["json record"], kinds["json answers-only"]
    loaded, loaded_fast = kinds["json record under load"], kinds["json answers-only under load"]

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, one core used")
    print(
        f"cases: {n_cases} generated complete cases, 21 questions each "
        f"(durable_rules on {n_durable})"
    )
    print(f"spec load + compile, warm cache {load_ms:9.1f} ms   (no cache: {cold_ms:.1f} ms)")
    print(f"compiled, answers only          {compiled:9.0f} cases/s")
    print(f"compiled, reasons + citations   {traced:9.0f} cases/s")
    print(f"  the same, a tenth of facts unknown {traced_partial:6.0f} cases/s")
    print(
        f"  the same, with --explain       {explain_ms:9.1f} ms a case   "
        f"({len(searched) / len(explain_sample):.1f} answers a fact could decide, "
        f"{witnessed:.0%} with two witnesses)"
    )
    print(
        f"  the same, written as JSON      {traced_json:9.0f} cases/s   "
        f"(a record {record_kb:.1f} KB; {full_kb:.1f} KB with --citations full)"
    )
    print(
        f"hand-written Python             {hand:9.0f} cases/s   "
        f"compiled is {hand / compiled:5.2f}x slower"
    )
    print(
        f"durable_rules                   {durable_rate:9.0f} cases/s   "
        f"compiled is {compiled / durable_rate:5.1f}x faster"
    )
    print(f"case validation (pydantic)      {validate:9.0f} cases/s")
    print(
        f"batch of {batch:,} cases via the CLI: {batch_s:6.1f} s, peak RSS {rss:6.1f} MB "
        f"(batch of {batch // 10:,}: {rss_small:6.1f} MB)"
    )
    print(
        f"end to end, answers only: {batch / batch_s:9.0f} cases/s one worker, "
        f"{batch / batch2_s:9.0f} with two ({batch_s / batch2_s:.2f}x)"
    )
    print(
        f"CLI wall time, one case       {start_ms['script']:9.0f} ms (median of 5; "
        f"python -m attest_rules: {start_ms['module']:.0f} ms)"
    )
    print(
        f"service, one worker, JSON POSTs {served['per_s']:7.0f} /s  p99 {served['p99_ms']:.1f} ms"
        f"   (answers only: {served_fast['per_s']:.0f} /s  p99 {served_fast['p99_ms']:.1f} ms)"
    )
    print(
        f"  the same under load ({LOADED} connections) {loaded['per_s']:7.0f} /s  "
        f"p99 {loaded['p99_ms']:.1f} ms   (answers only: {loaded_fast['per_s']:.0f} /s  "
        f"p99 {loaded_fast['p99_ms']:.1f} ms)"
    )
    print(
        json.dumps(
            {
                "e2e_per_s": round(batch / batch_s),
                "e2e_workers2_per_s": round(batch / batch2_s),
                "cli_start_ms": round(start_ms["script"]),
                "cli_start_module_ms": round(start_ms["module"]),
                "serve_per_s": round(served["per_s"]),
                "serve_p99_ms": round(served["p99_ms"], 1),
                "serve_answers_only_per_s": round(served_fast["per_s"]),
                "serve_answers_only_p99_ms": round(served_fast["p99_ms"], 1),
                "serve_loaded_per_s": round(loaded["per_s"]),
                "serve_loaded_p99_ms": round(loaded["p99_ms"], 1),
                "serve_loaded_answers_only_per_s": round(loaded_fast["per_s"]),
                "compiled_per_s": round(compiled),
                "traced_per_s": round(traced),
                "traced_partial_per_s": round(traced_partial),
                "explain_ms": round(explain_ms, 1),
                "explain_witnessed_share": round(witnessed, 2),
                "traced_json_per_s": round(traced_json),
                "record_kb": round(record_kb, 1),
                "record_full_kb": round(full_kb, 1),
                "handwritten_per_s": round(hand),
                "durable_per_s": round(durable_rate, 1),
                "load_ms": round(load_ms, 1),
                "load_no_cache_ms": round(cold_ms, 1),
                "batch_peak_rss_mb": round(rss, 1),
                "batch_cases": batch,
                "batch_seconds": round(batch_s, 1),
                "batch_small_peak_rss_mb": round(rss_small, 1),
                "handwritten_over_compiled": round(hand / compiled, 2),
                "compiled_over_durable": round(compiled / durable_rate, 1),
                "validate_per_s": round(validate),
            }
        )
    )


if __name__ == "__main__":
    main()
