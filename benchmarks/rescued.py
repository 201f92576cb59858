"""How many answers stay undetermined on benchmark cases with a tenth of their facts removed:
the figure of docs/performance.md ("Partial facts"), for comparing two versions of the code.

Usage: python benchmarks/rescued.py [N]   (N cases, 5,000 by default; seed 20230701, holes 403)
With PYTHONPATH pointing at another checkout's src, it counts for that code.
"""

from __future__ import annotations

import random
import sys

import attest_rules
from cases import drop_facts, make_case


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    reg = attest_rules.load()
    rng, holes = random.Random(20230701), random.Random(403)
    undetermined = window = total = 0
    for n in range(count):
        evaluation = reg.evaluate(drop_facts(holes, make_case(rng, n), 0.1))
        for answer in evaluation.answers:
            total += 1
            if answer.status == "undetermined":
                undetermined += 1
                window += answer.question == "attestation.window"
    print(f"{total} answers, {undetermined} undetermined, of which attestation.window {window}")


if __name__ == "__main__":
    main()
