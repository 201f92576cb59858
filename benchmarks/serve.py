"""The service's rate and latency, one worker, a client on the same machine with keep-alive:
``python benchmarks/serve.py [N]`` (N requests per kind, 1,000 by default). The client runs in
the same process as the server (sharing its GIL), so the figures are a floor; issue 15 asks
for a measured service in ``run.py``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn

import attest_rules
from attest_rules.service.app import create_app

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    server = uvicorn.Server(
        uvicorn.Config(create_app(attest_rules.load()), port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    example = ROOT / "examples" / "quorate-session-2025.yaml"
    case = attest_rules.load_case(example).model_dump(mode="json", exclude_none=True)
    bodies = {
        "json": (json.dumps(case).encode(), {"content-type": "application/json"}),
        "yaml": (example.read_bytes(), {"content-type": "application/yaml"}),
    }
    with httpx.Client(base_url=url) as client:
        for body_kind, (body, headers) in bodies.items():
            for mode, params in (("record", {}), ("answers-only", {"answers_only": "1"})):
                for _ in range(50):
                    client.post("/evaluate", content=body, params=params, headers=headers)
                latencies = []
                started = time.perf_counter()
                for _ in range(count):
                    t = time.perf_counter()
                    reply = client.post("/evaluate", content=body, params=params, headers=headers)
                    latencies.append(time.perf_counter() - t)
                    if reply.status_code != 200:
                        raise SystemExit(f"{reply.status_code}: {reply.text}")
                rate = count / (time.perf_counter() - started)
                latencies.sort()
                p50, p99 = latencies[count // 2] * 1000, latencies[int(count * 0.99)] * 1000
                figures = f"{rate:6.0f} req/s  p50 {p50:5.1f} ms  p99 {p99:5.1f} ms"
                print(f"{body_kind:4} {mode:12} {figures}")
    server.should_exit = True
    thread.join()


if __name__ == "__main__":
    main()
