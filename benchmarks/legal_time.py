"""Cost of legal-time queries against a day-by-day walk over the holidays package.

Usage: python benchmarks/legal_time.py [--quick]

Prints, for add_working_days and working_days_between, the time per call of attest_rules'
precomputed calendar (after warm-up) and of a day-by-day loop over holidays.KZ, and their
ratio. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import time
from collections.abc import Callable
from typing import Any

import holidays

from attest_rules.legal_time import kz_calendar


def per_call(func: Callable[[], object], calls: int, repeat: int = 5) -> float:
    """Best time per call over ``repeat`` runs of ``calls`` calls, in microseconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(calls):
            func()
        best = min(best, time.perf_counter() - started)
    return best / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer calls, for a smoke run")
    args = parser.parse_args()
    calls = 200 if args.quick else 2000
    rng = random.Random(20230701)
    starts = [dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365)) for _ in range(64)]
    spans = [rng.choice([3, 5, 10, 60, 250]) for _ in range(64)]

    cal = kz_calendar()
    base = holidays.country_holidays("KZ", years=range(2022, 2030))
    for day in starts:  # warm-up: every year precomputed once
        cal.add_working_days(day, 250)

    def walk_add(day: dt.date, n: int) -> dt.date:
        while n:
            day += dt.timedelta(days=1)
            if base.is_working_day(day):
                n -= 1
        return day

    def walk_count(a: dt.date, b: dt.date) -> int:
        return sum(base.is_working_day(a + dt.timedelta(days=i)) for i in range((b - a).days + 1))

    ends = [s + dt.timedelta(days=2 * n) for s, n in zip(starts, spans, strict=True)]

    def cycling(func: Callable[[dt.date, Any], object], second: list[Any]) -> Callable[[], object]:
        """A no-argument call that walks through the sample arguments in turn."""
        pairs = itertools.cycle(list(zip(starts, second, strict=True)))
        return lambda: func(*next(pairs))

    assert all(  # noqa: S101 - the two must agree before their speed means anything
        cal.add_working_days(s, n) == walk_add(s, n) for s, n in zip(starts, spans, strict=True)
    )
    results = {
        "add_working_days_us": per_call(cycling(cal.add_working_days, spans), calls),
        "add_working_days_walk_us": per_call(cycling(walk_add, spans), max(calls // 10, 20)),
        "working_days_between_us": per_call(cycling(cal.working_days_between, ends), calls),
        "working_days_between_walk_us": per_call(cycling(walk_count, ends), max(calls // 10, 20)),
    }
    results["add_ratio"] = results["add_working_days_walk_us"] / results["add_working_days_us"]
    results["between_ratio"] = (
        results["working_days_between_walk_us"] / results["working_days_between_us"]
    )
    print(f"spans (working days): {sorted(set(spans))}; {calls} calls, best of 5")
    print(
        f"add_working_days      {results['add_working_days_us']:8.2f} µs/call   "
        f"day-by-day walk {results['add_working_days_walk_us']:9.2f} µs/call   "
        f"ratio {results['add_ratio']:7.1f}x"
    )
    print(
        f"working_days_between  {results['working_days_between_us']:8.2f} µs/call   "
        f"day-by-day walk {results['working_days_between_walk_us']:9.2f} µs/call   "
        f"ratio {results['between_ratio']:7.1f}x"
    )
    print(json.dumps({k: round(v, 3) for k, v in results.items()}))


if __name__ == "__main__":
    main()
