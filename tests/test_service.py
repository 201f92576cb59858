"""The HTTP service on a real uvicorn server (127.0.0.1, an ephemeral port), called with httpx:
every endpoint answers what the command line answers, errors are RFC 9457 problems with the
command line's location, the limits hold, its OpenAPI document validates, and concurrent
requests stay correct."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi")
import uvicorn
from openapi_spec_validator import validate

import attest_rules
from attest_rules.cli.app import main
from attest_rules.messages import LANGS
from attest_rules.service import queries
from attest_rules.service.app import Limits, create_app

ROOT = Path(__file__).resolve().parents[1]
JSON = {"content-type": "application/json"}
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
REG = attest_rules.load()


class Served:
    """A uvicorn server in a thread, for the tests of one module."""

    def __init__(self, limits: Limits | None = None) -> None:
        config = uvicorn.Config(
            create_app(REG, limits), host="127.0.0.1", port=0, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    served = Served()
    with httpx.Client(base_url=served.url, timeout=60) as c:
        yield c
    served.stop()


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    main(list(argv))
    out = capsys.readouterr().out
    return json.loads(out)


def test_health_names_the_spec(client: httpx.Client) -> None:
    data = client.get("/health").json()
    assert data == {
        "status": "ok",
        "spec_id": REG.id,
        "spec_version": "2026.12.1",
        "spec_hash": REG.content_hash,
        "library_version": attest_rules.__version__,
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_evaluate_answers_what_the_cli_answers(
    client: httpx.Client, capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    expected = cli_json(capsys, "evaluate", str(example), "--format", "json")
    raw = example.read_bytes()
    as_yaml = client.post("/evaluate", content=raw, headers={"content-type": "application/yaml"})
    assert as_yaml.status_code == 200
    assert as_yaml.json() == expected  # the record, its digest included
    case = REG.parse_case(attest_rules.load_case(example).model_dump(mode="json"))
    body = json.dumps(case.model_dump(mode="json", exclude_none=True))
    as_json = client.post("/evaluate", content=body, headers={"content-type": "application/json"})
    assert as_json.json() == expected
    on = client.post(
        "/evaluate",
        content=raw,
        params={"on": "2024-06-03", "interpretation": "quorum.composition=members-and-secretary"},
        headers={"content-type": "application/yaml"},
    )
    assert on.json() == cli_json(
        capsys,
        "evaluate",
        str(example),
        "--format",
        "json",
        "--on",
        "2024-06-03",
        "--interpretation",
        "quorum.composition=members-and-secretary",
    )


def test_answers_only_are_the_batch_s_for_json_and_yaml(
    client: httpx.Client, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Answers only, a JSON case is checked as a batch line is (without its model) and a YAML
    case as every case is: both answer what the command line's batch writes, and a JSON case
    that the quick check leaves to the model is refused as the model says."""
    batch = tmp_path / "cases.jsonl"
    bodies = []
    for example in EXAMPLES:
        case = REG.parse_case(attest_rules.load_case(example).model_dump(mode="json"))
        bodies.append((example, json.dumps(case.model_dump(mode="json", exclude_none=True))))
    batch.write_text("".join(body + "\n" for _, body in bodies), encoding="utf-8")
    main(["evaluate", "--jsonl", str(batch), "-", "--answers-only"])
    expected = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(expected) == len(EXAMPLES)
    for (example, body), want in zip(bodies, expected, strict=True):
        params = {"answers_only": "true"}
        as_json = client.post("/evaluate", content=body, params=params, headers=JSON)
        assert as_json.headers["content-type"] == "application/json"
        assert as_json.json() == want
        as_yaml = client.post(
            "/evaluate",
            content=example.read_bytes(),
            params=params,
            headers={"content-type": "application/yaml"},
        )
        assert as_yaml.json() == want
    unknown = client.post(
        "/evaluate",
        content=b'{"session": {"hour": 9}}',
        params={"answers_only": "yes"},
        headers=JSON,
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "facts_error"
    assert unknown.json()["location"][0]["field"].startswith("session.hour")


def test_query_parameters_are_read_as_declared(client: httpx.Client) -> None:
    """The evaluating endpoints read their query as their OpenAPI document declares it:
    the same names, each value refused by name where it is not valid (all at once)."""
    document = client.get("/openapi.json").json()
    for path, declared in (("/evaluate", queries.EVALUATE), ("/evaluate/batch", queries.BATCH)):
        parameters = document["paths"][path]["post"]["parameters"]
        assert [p["name"] for p in parameters] == [p.name for p in declared]
    bad = client.post(
        "/evaluate",
        content=b"{}",
        params={"answers_only": "maybe", "on": "2025-02-30", "lang": "de", "explain": "1"},
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_request")
    assert [p["field"] for p in bad.json()["location"]] == [
        "query.on",
        "query.answers_only",
        "query.lang",
    ]
    both = client.post("/evaluate", content=b"{}", params={"answers_only": "1", "explain": "1"})
    assert (both.status_code, both.json()["location"][0]["field"]) == (422, "query.explain")
    batch = client.post("/evaluate/batch", content=b"{}", params={"citations": "some"})
    assert (batch.status_code, batch.json()["location"][0]["field"]) == (422, "query.citations")
    every = client.post(
        "/evaluate",
        content=b'{"id": "q"}',
        params=[
            ("interpretation", "quorum.composition=members-and-secretary"),
            ("on", "2024-06-03"),
            ("on", "2025-01-06"),  # given twice: the last counts
            ("answers_only", "Off"),
            ("explain", "no"),
            ("lang", "ru"),
            ("citations", "full"),
        ],
    )
    record = every.json()
    assert every.status_code == 200 and record["format"] == 1
    assert record["inputs"]["on"] == "2025-01-06" and record["inputs"]["lang"] == "ru"
    assert record["overridden"] == ["quorum.composition"]


def test_read_query_defaults_and_repeats() -> None:
    got = queries.read_query(b"interpretation=a%3Db&interpretation=c=d&x=1", queries.EVALUATE)
    assert got == {
        "interpretation": ["a=b", "c=d"],
        "on": None,
        "answers_only": False,
        "explain": False,
        "lang": "kk",
        "citations": "ids",
    }
    for text, value in (("TRUE", True), ("y", True), ("0", False), ("off", False)):
        assert queries.read_query(f"answers_only={text}", queries.BATCH)["answers_only"] is value
    with pytest.raises(queries.QueryError) as raised:
        queries.read_query("on=20250101&answers_only=&lang=KK", queries.BATCH)
    assert [p["field"] for p in raised.value.location] == [
        "query.on",
        "query.answers_only",
        "query.lang",
    ]


def test_the_batch_streams_what_the_cli_writes(
    client: httpx.Client, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = [
        json.dumps({"id": "a", "session": {"date": "2025-03-03", "recording": "none"}}),
        "not json",
        "",
        json.dumps({"id": "b", "session": {"language": "kz"}}),
        json.dumps({"id": "c", "commission": {"members": ["A", "B", "C", "D", "E"]}}),
    ]
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for flags, params in (([], {}), (["--answers-only"], {"answers_only": "true"})):
        main(["evaluate", "--jsonl", str(batch), "-", *flags])
        expected = capsys.readouterr().out.splitlines()
        got = client.post("/evaluate/batch", content=batch.read_bytes(), params=params)
        assert got.status_code == 200
        assert got.headers["content-type"] == "application/x-ndjson"
        assert [json.loads(x) for x in got.text.splitlines()] == [json.loads(x) for x in expected]
    assert json.loads(got.text.splitlines()[1])["line"] == 2


def test_a_batch_is_streamed_a_line_at_a_time(client: httpx.Client) -> None:
    """The answers to the first lines arrive while the client has not yet sent the rest (a
    raw chunked request: httpx sends a whole body before it reads)."""
    host, port = str(client.base_url.host), int(client.base_url.port or 80)

    def chunk(data: bytes) -> bytes:
        return f"{len(data):x}\r\n".encode() + data + b"\r\n"

    first = b"".join((json.dumps({"id": f"c{n}"}) + "\n").encode() for n in range(30))
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(
            b"POST /evaluate/batch?answers_only=1 HTTP/1.1\r\nHost: test\r\n"
            b"Transfer-Encoding: chunked\r\nContent-Type: application/x-ndjson\r\n\r\n"
            + chunk(first)
        )
        received = b""
        while b'"c29"' not in received:  # every answer so far, before the last line is sent
            received += sock.recv(65536)
        sock.sendall(chunk(b'{"id": "last"}\n') + b"0\r\n\r\n")
        while not received.endswith(b"0\r\n\r\n"):
            received += sock.recv(65536)
    assert received.startswith(b"HTTP/1.1 200")
    assert b'"case_id":"last"' in received  # a compact line, as a record's is


def test_the_texts_versions_and_calendar_are_the_cli_s(
    client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs: list[tuple[str, dict[str, Any], list[str]]] = [
        ("/versions", {}, ["versions"]),
        ("/regulation", {"on": "2025-01-01"}, ["show", "--on", "2025-01-01"]),
        (
            "/regulation",
            {"on": "2024-06-03", "provision": "rules.7"},
            ["show", "rules.7", "--on", "2024-06-03"],
        ),
        (
            "/diff",
            {"from": "2024-10-01", "to": "2025-01-01"},
            ["diff", "2024-10-01", "2025-01-01"],
        ),
        (
            "/calendar/working-day",
            {"date": "2025-03-21"},
            ["calendar", "is-working-day", "2025-03-21"],
        ),
        (
            "/calendar/add-working-days",
            {"date": "2025-03-20", "n": 3},
            ["calendar", "add-working-days", "2025-03-20", "3"],
        ),
        (
            "/calendar/working-days",
            {"from": "2025-03-01", "to": "2025-03-31"},
            ["calendar", "working-days", "2025-03-01", "2025-03-31"],
        ),
    ]
    for path, params, argv in pairs:
        got = client.get(path, params=params)
        assert got.status_code == 200, (path, got.text)
        assert got.json() == cli_json(capsys, *argv, "--format", "json"), path


def test_replay_and_verify_a_record(
    client: httpx.Client, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = EXAMPLES[0].read_bytes()
    record = client.post(
        "/evaluate", content=raw, headers={"content-type": "application/yaml"}
    ).content
    path = tmp_path / "record.json"
    path.write_bytes(record)
    replayed = client.post("/replay", content=record).json()
    assert replayed == cli_json(capsys, "replay", str(path), "--format", "json")
    assert replayed["matches"] is True
    assert client.post("/verify", content=record).json()["ok"] is True
    forged = json.loads(record)
    forged["answers"][0]["status"] = (
        "satisfied" if forged["answers"][0]["status"] != ("satisfied") else "violated"
    )
    checked = client.post("/verify", content=json.dumps(forged)).json()
    assert checked["ok"] is False and checked["digest"] is False


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        (
            "POST",
            "/evaluate",
            {"content": b'{"session": {"language": "kz"}}'},
            422,
            "facts_error",
        ),
        ("POST", "/evaluate", {"content": b"session: [\n"}, 422, "facts_error"),
        (
            "POST",
            "/evaluate",
            {"content": b"{}", "params": {"on": "2025-02-30"}},
            422,
            "bad_request",
        ),
        (
            "POST",
            "/evaluate",
            {"content": b"{}", "params": {"interpretation": "quorum.composition=everyone"}},
            400,
            "attest_rules_error",
        ),
        (
            "GET",
            "/calendar/add-working-days",
            {"params": {"date": "2025-01-01", "n": 0}},
            422,
            "term_error",
        ),
        ("GET", "/nowhere", {}, 404, "not_found"),
        ("POST", "/replay", {"content": b"[]"}, 400, "attest_rules_error"),
        (
            "POST",
            "/evaluate/batch",
            {"content": b"{}", "params": {"interpretation": "nope"}},
            400,
            "attest_rules_error",
        ),
    ],
)
def test_errors_are_problems_with_the_cli_s_location(
    client: httpx.Client, method: str, path: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    if "content" in kwargs and path == "/evaluate" and kwargs["content"].startswith(b"session"):
        kwargs = {**kwargs, "headers": {"content-type": "application/yaml"}}
    got = client.request(method, path, **kwargs)
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/problem+json"
    problem = got.json()
    assert problem["code"] == code and problem["status"] == status
    assert set(problem) >= {"type", "title", "status", "detail", "code", "location"}
    if code == "facts_error" and b"kz" in kwargs["content"]:
        assert problem["location"] == [
            {
                "field": "session.language",
                "message": "'kz' is not an ISO 639 language code (kk, ru, en...)",
            }
        ]


def test_the_limits_hold() -> None:
    served = Served(Limits(max_body=2000, max_batch=5000, timeout=0.001))
    try:
        with httpx.Client(base_url=served.url, timeout=30) as c:
            big = c.post("/evaluate", content=b" " * 3000)
            assert (big.status_code, big.json()["code"]) == (413, "too_large")

            def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it is read
                for _ in range(4):
                    yield b" " * 1000

            streamed = c.post("/evaluate", content=chunked())
            assert (streamed.status_code, streamed.json()["code"]) == (413, "too_large")
            # explain searches each of some fifteen undetermined answers: tens of milliseconds
            partial = {"session": {"date": "2025-03-03"}}
            slow = c.post("/evaluate", json=partial, params={"explain": "true"})
            assert (slow.status_code, slow.json()["code"]) == (503, "timed_out")
            assert c.get("/health").status_code == 200  # the server goes on
    finally:
        served.stop()


def test_a_case_answered_on_the_event_loop_keeps_the_time_limit() -> None:
    """A small JSON case is answered on the event loop (no thread's hand-over): past the
    limit its answer is dropped all the same (503), and the server goes on; a larger one goes
    to a worker thread, as a YAML case does."""
    served = Served(Limits(timeout=1e-9, inline_body=4000))
    small = json.dumps({"id": "small", "session": {"date": "2025-03-03"}})
    larger = json.dumps({"id": "larger", "commission": {"members": [f"m{n}" for n in range(900)]}})
    assert len(small) < 4000 < len(larger)
    try:
        with httpx.Client(base_url=served.url, timeout=30) as c:
            for body in (small, larger):
                for params in ({}, {"answers_only": "true"}):
                    got = c.post("/evaluate", content=body, params=params, headers=JSON)
                    assert (got.status_code, got.json().get("code")) == (503, "timed_out"), got.text
            assert c.get("/health").status_code == 200
    finally:
        served.stop()


def test_the_openapi_document_validates_and_reuses_the_committed_schemas(
    client: httpx.Client,
) -> None:
    document = client.get("/openapi.json").json()
    validate(document)
    assert {
        "/evaluate",
        "/evaluate/batch",
        "/regulation",
        "/diff",
        "/versions",
        "/replay",
        "/verify",
        "/health",
    } <= set(document["paths"])
    schemas = document["components"]["schemas"]
    committed = json.loads((ROOT / "spec" / "result.schema.json").read_text(encoding="utf-8"))
    assert set(committed["$defs"]) <= set(schemas)
    assert schemas["Evaluation"]["properties"].keys() == committed["properties"].keys()
    assert client.get("/docs").status_code == 404  # its page would load scripts from a CDN


def test_the_page_s_words_come_in_each_language(client: httpx.Client) -> None:
    words = {lang: client.get("/messages", params={"lang": lang}).json() for lang in LANGS}
    assert words["kk"]["evaluate"] == "Бағалау" and words["ru"]["evaluate"] == "Оценить"
    assert words["en"]["evaluate"] == "Evaluate"
    assert words["kk"].keys() == words["ru"].keys() == words["en"].keys()
    refused = client.get("/messages", params={"lang": "de"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_evaluate_answers_in_the_language_asked(
    client: httpx.Client, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    example = EXAMPLES[0]
    expected = cli_json(capsys, "evaluate", str(example), "--format", "json", "--lang", lang)
    served = client.post("/evaluate", content=example.read_bytes(), params={"lang": lang})
    assert served.json() == expected
    assert served.json()["inputs"]["lang"] == lang


def test_concurrent_requests_stay_correct(client: httpx.Client) -> None:
    cases = [
        {
            "id": f"c{n}",
            "session": {"date": f"2025-03-{1 + n % 28:02d}", "present": ["A", "B"][: n % 3]},
            "commission": {"members": ["A", "B", "C", "D", "E"][: 3 + n % 3], "chair": "A"},
        }
        for n in range(24)
    ]
    expected = {c["id"]: client.post("/evaluate", json=c).json() for c in cases}

    def one(n: int) -> bool:
        case = cases[n % len(cases)]
        got = client.post("/evaluate", json=case).json()
        return bool(got == expected[case["id"]])

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(one, range(200)))


@pytest.mark.parametrize(
    ("options", "logged"),
    [(["--log-level", "error"], False), ([], True), (["--no-access-log"], False)],
)
def test_attest_rules_serve_starts_the_service(options: list[str], logged: bool) -> None:
    """It serves; at the default log level each request is logged on standard output, unless
    ``--no-access-log``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "attest_rules", "serve", "--port", str(port), *options],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert health.json()["spec_id"] == REG.id
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=30)
    assert (b'"GET /health HTTP/1.1" 200' in out) is logged
