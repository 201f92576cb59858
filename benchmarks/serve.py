"""The service's rate and latency: ``python benchmarks/serve.py [N]`` (N requests per kind,
1,000 by default). The server is ``attest-rules serve`` in its own process, one worker; the
client is this process, on the same machine, one request at a time on one kept-alive
connection (the standard library's ``http.client``). Each kind:
a JSON or a YAML body, the whole record or answers only. ``run.py`` takes its figures from
``measure``.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

import attest_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quorate-session-2025.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _post(client: http.client.HTTPConnection, query: str, body: bytes, headers: Any) -> None:
    client.request("POST", "/evaluate" + query, body, headers)
    reply = client.getresponse()
    text = reply.read()
    if reply.status != 200:
        raise SystemExit(f"{reply.status}: {text[:500]!r}")


def example_bodies() -> dict[str, tuple[bytes, dict[str, str]]]:
    """The example as a request's body and headers: "json" (the case as JSON) and "yaml"."""
    case = attest_rules.load_case(EXAMPLE).model_dump(mode="json", exclude_none=True)
    return {
        "json": (json.dumps(case).encode(), {"content-type": "application/json"}),
        "yaml": (EXAMPLE.read_bytes(), {"content-type": "application/yaml"}),
    }


def measure(count: int) -> dict[str, dict[str, float]]:
    """Per kind ("json record", "yaml answers-only"...): requests a second, p50 and p99 in ms."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "attest_rules", "serve", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the service did not start")
            time.sleep(0.1)
        bodies = example_bodies()
        out: dict[str, dict[str, float]] = {}
        # the standard library's client, one connection kept alive: httpx's own time per
        # request (about a millisecond here) was more than the server's
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for body_kind, (body, headers) in bodies.items():
                for mode, query in (("record", ""), ("answers-only", "?answers_only=1")):
                    for _ in range(50):
                        _post(client, query, body, headers)
                    latencies = []
                    started = time.perf_counter()
                    for _ in range(count):
                        t = time.perf_counter()
                        _post(client, query, body, headers)
                        latencies.append(time.perf_counter() - t)
                    rate = count / (time.perf_counter() - started)
                    latencies.sort()
                    out[f"{body_kind} {mode}"] = {
                        "per_s": rate,
                        "p50_ms": latencies[count // 2] * 1000,
                        "p99_ms": latencies[min(int(count * 0.99), count - 1)] * 1000,
                    }
        finally:
            client.close()
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    figures: dict[str, Any] = measure(count)
    for kind, f in figures.items():
        rate, p50, p99 = f["per_s"], f["p50_ms"], f["p99_ms"]
        print(f"{kind:17} {rate:6.0f} req/s  p50 {p50:5.1f} ms  p99 {p99:5.1f} ms")


if __name__ == "__main__":
    main()
