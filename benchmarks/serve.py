"""The service's rate and latency: ``python benchmarks/serve.py [N] [SERVE OPTION...]`` (N
requests per kind, 1,000 by default; the options are given to the server, ``--no-access-log``
for example). The server is ``attest-rules serve`` in its own process, one worker; the client
is this process, on the same machine.

Two loads. One request at a time on one kept-alive connection (the standard library's
``http.client``): a JSON or a YAML body, the whole record or answers only; the rate is then
one over the latency, the client's own time and the server's idle time between requests
included. And under load (``... under load``): ``LOADED`` connections kept alive, each sending
its next request as soon as its answer has come (asyncio streams, uvloop), a JSON body, the
record or answers only: the server is never idle, so the rate is what one worker serves and
the p99 is what a request waits among the others. ``run.py`` takes its figures from
``measure``.

``--floor`` (first of the options) serves ``serve_floor.py`` instead, by uvicorn with its
defaults as ``serve`` uses them: an application that only reads the body and answers ``{}``.
Its rates are the HTTP exchange's and the client's own ceiling; the difference of a request's
time (one over the rate) with ``serve`` and with the floor is what the application takes.
"""

from __future__ import annotations

import asyncio
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
LOADED = 8  # connections under load


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


async def _connection(port: int, request: bytes, count: int, latencies: list[float]) -> None:
    """``count`` requests on one kept-alive connection, each sent when the last is answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            t = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            at = head.lower().index(b"content-length:") + len(b"content-length:")
            text = await reader.readexactly(int(head[at : head.index(b"\r\n", at)]))
            if not head.startswith(b"HTTP/1.1 200 "):
                raise SystemExit(f"{head[:12]!r}: {text[:500]!r}")
            latencies.append(time.perf_counter() - t)
    finally:
        writer.close()


async def _loaded(port: int, request: bytes, count: int) -> tuple[float, list[float]]:
    """``count`` requests over ``LOADED`` connections at once: their rate and latencies."""
    await asyncio.gather(*(_connection(port, request, 20, []) for _ in range(LOADED)))
    latencies: list[float] = []
    started = time.perf_counter()
    each = max(count // LOADED, 1)
    await asyncio.gather(*(_connection(port, request, each, latencies) for _ in range(LOADED)))
    return len(latencies) / (time.perf_counter() - started), latencies


def _figures(rate: float, latencies: list[float]) -> dict[str, float]:
    latencies.sort()
    n = len(latencies)
    return {
        "per_s": rate,
        "p50_ms": latencies[n // 2] * 1000,
        "p99_ms": latencies[min(int(n * 0.99), n - 1)] * 1000,
    }


def measure(count: int, options: tuple[str, ...] = ()) -> dict[str, dict[str, float]]:
    """Per kind ("json record", "yaml answers-only", "json record under load"...): requests a
    second, p50 and p99 in ms; ``options`` given to ``attest-rules serve`` (``--floor`` first:
    ``serve_floor.py``'s application instead, the others given to uvicorn)."""
    port = _free_port()
    if options[:1] == ("--floor",):
        command = [
            *(sys.executable, "-m", "uvicorn", "--app-dir", str(Path(__file__).parent)),
            *("serve_floor:app", "--port", str(port), "--workers", "1", *options[1:]),
        ]
    else:
        command = [
            *(sys.executable, "-m", "attest_rules", "serve"),
            *("--port", str(port), "--workers", "1", *options),
        ]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command,
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
                    out[f"{body_kind} {mode}"] = _figures(rate, latencies)
        finally:
            client.close()
        body, _ = bodies["json"]
        for mode, query in (("record", ""), ("answers-only", "?answers_only=1")):
            request = (
                f"POST /evaluate{query} HTTP/1.1\r\nhost: 127.0.0.1\r\n"
                f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
            ).encode() + body
            out[f"json {mode} under load"] = _figures(*_run(_loaded(port, request, count)))
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run(work: Any) -> Any:
    """``work`` (a coroutine) run to its end, on uvloop where it is installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    return uvloop.run(work)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    figures: dict[str, Any] = measure(count, tuple(sys.argv[2:]))
    print(f"one request at a time; under load: {LOADED} connections")
    for kind, f in figures.items():
        rate, p50, p99 = f["per_s"], f["p50_ms"], f["p99_ms"]
        print(f"{kind:30} {rate:6.0f} req/s  p50 {p50:5.1f} ms  p99 {p99:5.1f} ms")


if __name__ == "__main__":
    main()
