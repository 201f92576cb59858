"""Where a traced evaluation's time goes (``Regulation.evaluate``: every answer with its
reasons, dates and citations, the path the service and the records take): each step timed
alone on the same held cases (``run.py``'s, ``stages.best``: the best of five passes),
microseconds a case, and what is left of 50 µs (20,000 cases a second) after what cannot go.

Each case's 21 answers are counted by the way ``Evaluator._answers`` reaches them (a
generated traced rule; a rule whose wording is not known; an event that did not happen or whose
day is not known; an effective-date window, where both versions answer; no rule in force). Then
timed: the case's facts dumped from its model (``FactsModel.facts_of``), the answers
(``_answers``), within them the traced answers (``_traced``) and their generated rules alone
(``plan.run``, nothing around it), the window answers (``_on``) and the closures' (``_in_version``);
a bare ``Answer``; and answers only (``decide_all``) for reference. The floor, printed before
the JSON line, is what no traced evaluation can leave out: the facts, the rules, the window
answers and a bare ``Answer`` for each question, with no glue at all.

Usage: python benchmarks/traced.py [N]   (N generated cases, 500 by default)
"""

from __future__ import annotations

import dataclasses
import gc
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attest_rules
from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.results import Answer

sys.path.insert(0, str(Path(__file__).parent))
from stages import best

from cases import make_case


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    reg = attest_rules.load()
    rng = random.Random(20230701)  # run.py's cases
    cases = [reg.parse_case(make_case(rng, n)) for n in range(count)]
    ev = Evaluator(reg, warm_up=0)  # generated code from the first case, as after warming up
    sp = ev._for(reg.choices({}), "en")
    facts = [reg.facts.facts_of(c) for c in cases]
    for c in cases:  # generate every rule before timing
        ev.evaluate(c)
    gc.freeze()

    # each case's answers by the way _answers reaches them
    kinds: Counter[str] = Counter()
    groups: list[dict[str, list[Any]]] = []
    for f in facts:
        days = sp.events(f, sp.choices, ev.calendar, sp.readings)
        mine: dict[str, list[Any]] = {"rules": [], "traced": [], "windows": [], "fallback": []}
        for q, event in sp.questions:
            day = days[event]
            if day is None:  # the event did not happen, or its day is not known
                kinds["its event's day not known (gates, closures)"] += 1
                continue
            sel = sp.version_of.selection(day)
            versions = sel.versions
            if versions is None or versions[1] is not None:
                kinds["in an effective-date window (both versions)"] += 1
                mine["windows"].append((q, sel))
                continue
            plan = sp.plans[versions[0]][q]
            if plan is None or (plan.run is not None and ev._traced(plan, f, sp, day) is None):
                kinds["no rule in force, or a fact unknown (closures)"] += 1
                mine["fallback"].append((q, versions[0], day))
                continue
            kinds["a traced rule" if plan.run is not None else "its wording not known"] += 1
            mine["traced"].append((plan, day))
            if plan.run is not None:
                mine["rules"].append(plan.run)
        groups.append(mine)
    pairs = list(zip(facts, groups, strict=True))

    def rules_alone(pair: tuple[dict[str, Any], dict[str, list[Any]]]) -> None:
        f, mine = pair
        for run in mine["rules"]:
            run(f, sp.choices, ev.calendar, sp.readings)

    def traced(pair: tuple[dict[str, Any], dict[str, list[Any]]]) -> None:
        f, mine = pair
        for plan, day in mine["traced"]:
            ev._traced(plan, f, sp, day)

    def windows(pair: tuple[dict[str, Any], dict[str, list[Any]]]) -> None:
        f, mine = pair
        for q, sel in mine["windows"]:
            ev._on(q, sel, f, sp)

    def fallback(pair: tuple[dict[str, Any], dict[str, list[Any]]]) -> None:
        f, mine = pair
        for q, version, day in mine["fallback"]:
            ev._in_version(q, version, f, sp, day, tried=True)

    def answers_of(f: dict[str, Any]) -> list[Answer]:
        ev._case_bounds = None
        return ev._answers(sp, f, None)

    one = answers_of(facts[0])[0]
    fields = [getattr(one, f.name) for f in dataclasses.fields(Answer)]
    steps = {
        "evaluated (Regulation.evaluate)": best(reg.evaluate, cases),
        "  its facts dumped (facts_of)": best(reg.facts.facts_of, cases),
        "  the answers (_answers)": best(answers_of, facts),
        "    the traced answers": best(traced, pairs),
        "      their generated rules alone": best(rules_alone, pairs),
        "    the window answers": best(windows, pairs),
        "    no rule in force, or a fact unknown": best(fallback, pairs),
        "an Answer alone (positionally)": best(lambda _: Answer(*fields), range(count * 20)),
        "answers only (decide_all), for reference": best(ev.decide_all, facts),
    }
    whole = steps["evaluated (Regulation.evaluate)"]
    dumped = steps["  its facts dumped (facts_of)"]
    rules = steps["      their generated rules alone"]
    answers = steps["  the answers (_answers)"]
    parts = (
        steps["    the traced answers"]
        + steps["    the window answers"]
        + steps["    no rule in force, or a fact unknown"]
    )
    n = sum(kinds.values()) / count
    print(f"{count:,} cases, Python {sys.version.split()[0]}; {n:.1f} answers a case:")
    for kind, k in kinds.most_common():
        print(f"  {k / count:5.2f}  {kind}")
    print("microseconds a case:")
    for name, us in steps.items():
        print(f"  {name:44s} {us:7.1f}")
    derived = {
        "the traced answers around their rules": steps["    the traced answers"] - rules,
        "the answers' loop, days and gates": answers - parts,
        "the evaluation around its answers": whole - answers - dumped,
    }
    for name, us in derived.items():
        print(f"  {name:44s} {us:7.1f}")
    floor = (
        dumped
        + rules
        + steps["    the window answers"]
        + n * steps["an Answer alone (positionally)"]
    )
    print(
        f"  {whole:.1f} µs a case is {1e6 / whole:,.0f}/s. 20,000/s is 50 µs; the facts, the "
        f"rules alone, the window answers and {n:.0f} bare Answers are {floor:.1f} "
        f"({1e6 / floor:,.0f}/s) with no glue at all"
    )
    figures = {k.strip(): round(v, 1) for k, v in (steps | derived).items()}
    print(json.dumps(figures | {"floor": round(floor, 1)}))


if __name__ == "__main__":
    main()
