"""The wall time of whole commands, each a fresh process, run in turn so that a machine's
changing speed falls on every one alike: the median of N runs each.

Usage: python benchmarks/start.py N COMMAND [";;" COMMAND ...]

For example, the code of an older commit beside this one (its worktree's bytecode compiled
first, ``python -m compileall -q /tmp/old/src``)::

    python benchmarks/start.py 15 \\
        PYTHONPATH=/tmp/old/src python -m attest_rules evaluate examples/window-2024-absence.yaml \\
        ";;" python -m attest_rules evaluate examples/window-2024-absence.yaml

``run.py``'s ``cli_start_ms`` is such a median (of 5) for ``examples/quorate-session-2025.yaml``,
this code alone, run as its console script (``attest-rules``, beside the interpreter), and
``cli_start_module_ms`` the same as ``python -m attest_rules``, the two in turn.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        raise SystemExit(__doc__)
    runs = int(sys.argv[1])
    commands = [c.strip() for c in " ".join(sys.argv[2:]).split(";;") if c.strip()]
    times: dict[str, list[float]] = {c: [] for c in commands}
    for _ in range(runs):
        for command in commands:
            started = time.perf_counter()
            subprocess.run(  # noqa: S602 - the caller's own command line, as a shell has it
                command,
                shell=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            times[command].append((time.perf_counter() - started) * 1000)
    for command in commands:
        print(f"{statistics.median(times[command]):7.1f} ms  {command}")


if __name__ == "__main__":
    main()
