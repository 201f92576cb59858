"""The service's application alone, without HTTP: ``POST /evaluate`` of the example as JSON
(``serve.py``'s body), called as an ASGI application in this process (a record, then answers
only, the mean of N after 200 to warm up), and the steps of a record POST timed alone
(``stages.best``: the best of five passes of N), microseconds each. ``serve.py`` times the
same through uvicorn and a client; the difference is the HTTP exchange.

Usage: python benchmarks/app.py [N]   (N requests of each kind, 2,000 by default)
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import attest_rules
from attest_rules.engine.facts import case_from_json
from attest_rules.engine.records import record_bytes
from attest_rules.service.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
from serve import EXAMPLE, example_bodies
from stages import best


async def _app_us(app: Any, body: bytes, query: bytes, count: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/evaluate",
        "raw_path": b"/evaluate",
        "query_string": query,
        "root_path": "",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def one() -> None:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise SystemExit(f"POST /evaluate?{query.decode()} answered {sent[0]['status']}")

    for _ in range(200):
        await one()
    started = time.perf_counter()
    for _ in range(count):
        await one()
    return (time.perf_counter() - started) / count * 1e6


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    reg = attest_rules.load()
    app = create_app(reg)
    body = example_bodies()["json"][0]
    case = case_from_json(reg.facts, body, "the example")
    ev = reg.evaluate(case)
    figures = {
        "a record POST": asyncio.run(_app_us(app, body, b"", count)),
        "an answers-only POST": asyncio.run(_app_us(app, body, b"answers_only=true", count)),
        "  its case read (JSON, the model)": best(
            lambda raw: case_from_json(reg.facts, raw, "b"), [body] * count
        ),
        "  evaluated (traced)": best(reg.evaluate, [case] * count),
        "  its record sealed and written": best(record_bytes, [ev] * count),
    }
    print(f"POST /evaluate of {EXAMPLE.name}, the application alone; microseconds:")
    for name, us in figures.items():
        print(f"  {name:36} {us:7.1f}")


if __name__ == "__main__":
    main()
