"""The service's application: every endpoint answers with the JSON the command line prints
(``payloads`` builds both), for the spec loaded once at start.

Limits: a request body larger than ``max_body`` (the batch:
``max_batch``) is refused with 413, before it is read where it says its length; an
evaluation that takes longer than ``timeout`` seconds is answered 503 (the work is
abandoned, not the server). Every error is ``application/problem+json`` (RFC 9457) with the
command line's own ``code`` and ``location``: the file, line and column of a spec, or each field
of bad facts.

The interactive OpenAPI pages (``/docs``, ``/redoc``) are off: they load their scripts from a
CDN, which an intranet may not reach. ``/openapi.json`` is served, its schemas the committed
ones (``spec/*.schema.json``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.facts import case_data, case_from_json
from attest_rules.engine.records import (
    as_record,
    record_bytes,
    record_data,
    replay,
    verify,
)
from attest_rules.engine.regulation import Regulation, load
from attest_rules.engine.results import Lang
from attest_rules.errors import AttestRulesError
from attest_rules.legal_time import CalendarError, TermError, kz_calendar
from attest_rules.located.lines import MAX_LINE
from attest_rules.service import queries
from attest_rules.service.queries import QueryError, read_query
from attest_rules.spec.facts import CaseModel
from attest_rules.tools.calendar_json import (
    add_working_days_json,
    working_day_json,
    working_days_json,
)
from attest_rules.tools.messages import page_words
from attest_rules.tools.payloads import (
    Batch,
    BatchOptions,
    answers_only_line,
    error_json,
    parse_choice,
    quick_answers_only,
    replay_json,
    verify_json,
)
from attest_rules.tools.schemas import schema
from attest_rules.tools.text_json import (
    diff_json,
    interpretations_json,
    regulation_json,
    versions_json,
)
from attest_rules.version import __version__

T = TypeVar("T")
PROBLEM = "application/problem+json"
JSON_TYPES = ("application/json", "application/x-ndjson", "application/jsonl")


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the service."""

    max_body: int = 1 << 20  # bytes of a case, a record (1 MiB)
    max_batch: int = 256 << 20  # bytes of a batch's body (256 MiB), each line at most MAX_LINE
    timeout: float = 30.0  # seconds for one evaluation (with explain, one case)
    inline_body: int = 16 << 10  # bytes of a JSON case answered on the event loop (16 KiB)


class TooLarge(AttestRulesError):
    """A request body past its limit."""


class TimedOut(AttestRulesError):
    """Work that took longer than the limit."""


# ---- problems ---------------------------------------------------------------------------------

_STATUS = {
    "spec_error": 422,
    "facts_error": 422,
    "term_error": 422,
    "calendar_error": 422,
    "attest_rules_error": 400,
    "bad_request": 400,
    "too_large": 413,
    "timed_out": 503,
    "not_found": 404,
}


def problem(
    status: int, code: str, message: str, location: list[dict[str, Any]] | None = None
) -> JSONResponse:
    """An RFC 9457 problem: ``type``, ``title``, ``status``, ``detail``, and the command line's
    ``code`` and ``location`` as extension members."""
    body = {
        "type": f"https://attest-rules.invalid/problems/{code}",
        "title": code.replace("_", " "),
        "status": status,
        "detail": message,
        "code": code,
        "location": location or [],
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _problem_of(exc: BaseException) -> JSONResponse:
    if isinstance(exc, QueryError):
        return problem(422, "bad_request", str(exc), exc.location)
    if isinstance(exc, TooLarge):
        return problem(413, "too_large", str(exc))
    if isinstance(exc, TimedOut):
        return problem(503, "timed_out", str(exc))
    error = error_json(exc)["error"]
    return problem(
        _STATUS.get(error["code"], 400), error["code"], error["message"], error["location"]
    )


def _took_too_long(limits: Limits) -> str:
    return f"the work took longer than {limits.timeout:g} s, the limit"


# ---- the body limit ---------------------------------------------------------------------------


class BodyLimit:
    """Refuses a request body past its limit: at once where ``Content-Length`` says so, else
    while it is read (the endpoint then answers 413)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = (
            self.limits.max_batch if scope["path"] == "/evaluate/batch" else self.limits.max_body
        )
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            response = problem(413, "too_large", f"the body is longer than {limit} bytes")
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(f"the body is longer than {limit} bytes")
            return message

        await self.app(scope, counted, send)


# ---- the application --------------------------------------------------------------------------


LangQuery = Annotated[Lang, Query(description="the language of the answer's wording")]
Interpretations = Annotated[
    list[str],
    Query(
        alias="interpretation",
        description="ID=CHOICE, an interpretation switched for this call (repeat for more)",
    ),
]
Day = Annotated[dt.date | None, Query(description="YYYY-MM-DD")]


def _choices(items: list[str]) -> dict[str, str]:
    return dict(parse_choice(item) for item in items)


def _json(data: Any) -> Response:
    return Response(orjson.dumps(data), media_type="application/json")


def create_app(reg: Regulation, limits: Limits | None = None) -> FastAPI:
    """The service for ``reg`` (loaded once, shared by every request)."""
    limits = limits or Limits()
    app = FastAPI(
        title="attest_rules",
        version=__version__,
        summary=f"{reg.id}: its questions answered for cases, its text on any date",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, limits=limits)

    async def within(func: Callable[..., T], *args: Any) -> T:
        """``func(*args)`` in a worker thread, abandoned (its answer dropped) past the limit.
        The event loop's timer may fire a tick late (uvloop's clock counts milliseconds, and
        a thread's answer can arrive first), so an answer that took longer than the limit is
        dropped on its return as well, as one answered on the event loop is (``inline``)."""
        started = time.perf_counter()
        try:
            with anyio.fail_after(limits.timeout):
                out = await anyio.to_thread.run_sync(func, *args, abandon_on_cancel=True)
        except TimeoutError:
            raise TimedOut(_took_too_long(limits)) from None
        if time.perf_counter() - started > limits.timeout:
            raise TimedOut(_took_too_long(limits))
        return out

    @app.exception_handler(AttestRulesError)
    async def _library(_: Request, exc: AttestRulesError) -> JSONResponse:
        return _problem_of(exc)

    @app.exception_handler(TermError)
    async def _term(_: Request, exc: TermError) -> JSONResponse:
        return _problem_of(exc)

    @app.exception_handler(CalendarError)
    async def _calendar(_: Request, exc: CalendarError) -> JSONResponse:
        return _problem_of(exc)

    @app.exception_handler(RequestValidationError)
    async def _request(_: Request, exc: RequestValidationError) -> JSONResponse:
        location = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": str(e["msg"])}
            for e in exc.errors()
        ]
        return problem(422, "bad_request", "the request's parameters are not valid", location)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "bad_request"
        return problem(exc.status_code, code, str(exc.detail))

    async def body(request: Request) -> bytes:
        return await request.body()

    record_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Evaluation"}}
            },
        }
    }

    @app.get("/health", summary="The service is up, and which spec it answers for")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "spec_id": reg.id,
            "spec_version": reg.document.version,
            "spec_hash": reg.content_hash,
            "library_version": __version__,
        }

    # the one-case endpoint is the service's hot path: a plain ASGI endpoint (its parameters
    # read by ``queries``, as declared in its OpenAPI path), not FastAPI's resolution of six
    # query parameters for each request
    one = _Evaluate(reg, within, limits)
    app.router.routes.insert(0, Route("/evaluate", one, methods=["POST"]))
    # the batch reads its body while it writes its answers, a line at a time, in constant
    # memory: a plain ASGI endpoint (a streamed response's own listener would take the body)
    app.router.routes.insert(0, Route("/evaluate/batch", _Batch(reg, within), methods=["POST"]))

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        """The page for analysts and auditors: a case in, every answer out, and what a change
        of date or interpretation does (plain HTML and a little JavaScript, no CDN)."""
        return HTMLResponse(PAGE, headers={"content-security-policy": PAGE_POLICY})

    @app.get("/page.js", include_in_schema=False)
    def page_script() -> Response:
        return Response(PAGE_SCRIPT, media_type="text/javascript; charset=utf-8")

    @app.get(
        "/messages",
        summary="The page's own words in a language, by key (from the gettext catalogues)",
    )
    def messages(
        lang: Annotated[Lang, Query(description="the language of the words")] = "kk",
    ) -> dict[str, str]:
        return page_words(lang)

    @app.get("/interpretations", summary="The spec's interpretive choices: default, alternatives")
    def interpretations() -> Response:
        return _json(interpretations_json(reg))

    @app.get("/versions", summary="The versions of the regulation and their effective dates")
    def versions() -> Response:
        return _json(versions_json(reg))

    @app.get("/regulation", summary="The text in force on a date, whole or one provision")
    def regulation(
        interpretation: Interpretations = [],  # noqa: B006
        on: Day = None,
        provision: Annotated[str | None, Query(description="a provision's id")] = None,
    ) -> Response:
        day = on or dt.date.today()
        return _json(regulation_json(reg, day, _choices(interpretation), provision))

    @app.get("/diff", summary="What changed between the texts in force on two dates")
    def diff(
        date_from: Annotated[dt.date, Query(alias="from")],
        date_to: Annotated[dt.date, Query(alias="to")],
        lang: LangQuery = "kk",
        interpretation: Interpretations = [],  # noqa: B006
    ) -> Response:
        return _json(diff_json(reg, date_from, date_to, _choices(interpretation)))

    @app.post(
        "/replay",
        summary="A decision record evaluated again, every field compared",
        openapi_extra=record_body,
    )
    async def replay_record(request: Request) -> Response:
        data = record_data(await body(request), "the request body")
        result = await within(replay, reg, as_record(data, "the request body"), data)
        return _json(replay_json(result))

    @app.post(
        "/verify",
        summary="A decision record's digest, and its Ed25519 signature",
        openapi_extra=record_body,
    )
    async def verify_record(
        request: Request,
        public_key: Annotated[
            str | None, Query(description="the trusted Ed25519 public key, raw, base64")
        ] = None,
    ) -> Response:
        data = record_data(await body(request), "the request body")
        trusted = None
        if public_key is not None:
            try:
                trusted = base64.b64decode(public_key, validate=True)
            except (binascii.Error, ValueError):
                raise AttestRulesError("public_key: not base64") from None
        return _json(verify_json(verify(data, trusted)))

    calendar = kz_calendar()

    @app.get("/calendar/working-day", summary="Is a date a working day in Kazakhstan, and why")
    def working_day(date: dt.date, lang: LangQuery = "kk") -> Response:
        return _json(working_day_json(calendar, date, lang))

    @app.get("/calendar/add-working-days", summary="The N-th working day after a date")
    def add_working_days(date: dt.date, n: int, lang: LangQuery = "kk") -> Response:
        return _json(add_working_days_json(calendar, date, n, lang))

    @app.get("/calendar/working-days", summary="Working days from one date to another, both in")
    def working_days(
        date_from: Annotated[dt.date, Query(alias="from")],
        date_to: Annotated[dt.date, Query(alias="to")],
        lang: LangQuery = "kk",
    ) -> Response:
        return _json(working_days_json(calendar, date_from, date_to, lang))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema_name in (("Evaluation", "result"), ("Case", "case")):
                _lift(schema(schema_name, reg), name, components)
            components["Problem"] = PROBLEM_SCHEMA
            document["paths"]["/evaluate"] = EVALUATE_PATH
            document["paths"]["/evaluate/batch"] = BATCH_PATH
            for path, (method, name) in DOCUMENTS.items():  # the committed schemas, reused
                title = "".join(part.capitalize() for part in name.split("-")) + "Document"
                _lift(schema(name, reg), title, components)
                answer = document["paths"][path][method]["responses"]["200"]
                answer["content"] = {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{title}"}}
                }
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


# each endpoint's answer, and the committed schema (spec/<name>.schema.json) it follows
DOCUMENTS = {
    "/health": ("get", "health"),
    "/messages": ("get", "messages"),
    "/interpretations": ("get", "interpretations"),
    "/versions": ("get", "versions"),
    "/regulation": ("get", "consolidated"),
    "/diff": ("get", "diff"),
    "/replay": ("post", "replay"),
    "/verify": ("post", "verify"),
    "/calendar/working-day": ("get", "working-day"),
    "/calendar/add-working-days": ("get", "add-working-days"),
    "/calendar/working-days": ("get", "working-days"),
}

_STATIC = Path(__file__).parent / "static"
PAGE = (_STATIC / "index.html").read_text(encoding="utf-8")
PAGE_SCRIPT = (_STATIC / "page.js").read_text(encoding="utf-8")
# the page's own script and style only: nothing from elsewhere, no inline script
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'"
)

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem, with the command line's error code and location",
    "required": ["type", "title", "status", "detail", "code", "location"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "location": {"type": "array", "items": {"type": "object"}},
    },
}


def _lift(document: dict[str, Any], name: str, components: dict[str, Any]) -> None:
    """A committed JSON Schema as an OpenAPI component: its ``$defs`` become components of
    their own, its references pointed at them."""
    defs = document.pop("$defs", {})
    document.pop("$id", None)

    def point(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else point(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [point(v) for v in value]
        return value

    for key, value in defs.items():
        components.setdefault(key, point(value))
    components[name] = point(document)


class _Evaluate:
    """``POST /evaluate``: one case (JSON or YAML) answered, the decision record or answers
    only. A JSON case answered only is checked as the batch checks a line
    (``quick_answers_only``).

    Where it is answered: a JSON case of at most ``Limits.inline_body`` bytes (16 KiB), without
    explain, on the event loop itself, where a thread's hand-over would cost more than the
    work (the example's record about 0.4 ms; the slowest 16 KiB case measured, a thousand
    members present, 1.3 ms); its answer is still dropped past the time limit. Any other case
    (YAML, larger, or explained) is read, answered and written in the worker thread that
    ``within`` gives, abandoned past the limit, so that it never holds the server up."""

    def __init__(self, reg: Regulation, within: Callable[..., Any], limits: Limits) -> None:
        self.reg = reg
        self.within = within
        self.limits = limits
        self.evaluator = Evaluator(reg)  # answers only

    def inline(self, raw: bytes, as_json: bool, query: dict[str, Any]) -> bytes:
        """``answer`` here and now, its answer dropped past the time limit."""
        started = time.perf_counter()
        out = self.answer(raw, as_json, query)
        if time.perf_counter() - started > self.limits.timeout:
            raise TimedOut(_took_too_long(self.limits))
        return out

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            query = read_query(scope["query_string"], queries.EVALUATE)
            if query["answers_only"] and query["explain"]:  # as the command line refuses it
                why = "answers_only leaves out what explain adds: choose one"
                raise QueryError([{"field": "query.explain", "message": why}])
            raw = await _body(receive)
            if raw is None:  # the client went away
                return
            kind = b""
            for name, value in scope["headers"]:
                if name == b"content-type":
                    kind = value
            as_json = kind.split(b";")[0].strip().lower().decode("latin-1") in JSON_TYPES
            if as_json and not query["explain"] and len(raw) <= self.limits.inline_body:
                out = self.inline(raw, as_json, query)
            else:
                out = await self.within(self.answer, raw, as_json, query)
        except (AttestRulesError, TermError, CalendarError) as exc:
            await _problem_of(exc)(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(out)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": out})

    def answer(self, raw: bytes, as_json: bool, query: dict[str, Any]) -> bytes:
        """The answer's JSON for a body: every way it can be bad is an ``AttestRulesError``."""
        reg, on = self.reg, query["on"]
        choices = _choices(query["interpretation"])
        if query["answers_only"]:
            chosen = reg.choices(choices)
            if as_json:
                quick = quick_answers_only(self.evaluator, raw, on, chosen)
                if quick is not None:
                    return quick
            case = _case(reg, raw, as_json)
            return answers_only_line(self.evaluator, case.id, reg.facts.facts_of(case), on, chosen)
        case = _case(reg, raw, as_json)
        ev = reg.evaluate(case, on, choices, explain=query["explain"], lang=query["lang"])
        return record_bytes(ev, None, query["citations"])


def _case(reg: Regulation, raw: bytes, as_json: bool) -> CaseModel:
    if as_json:
        return case_from_json(reg.facts, raw, "the request body")
    # YAML, or not said: read as YAML, which JSON also is
    return reg.facts.parse(case_data(raw, "the request body"), "the request body")


async def _body(receive: Receive) -> bytes | None:
    """A request's whole body (``None``: the client went away before it was sent)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _posted(
    summary: str,
    operation: str,
    params: tuple[queries.Param, ...],
    body: dict[str, Any],
    answer: tuple[str, str, dict[str, Any]],
    refused: str,
) -> dict[str, Any]:
    """An OpenAPI path item of a POST endpoint: its parameters from their declarations
    (``queries``), its body's media types, its answer (description, media type, schema) and
    the problems it answers with."""
    described, media, schema = answer
    return {
        "post": {
            "summary": summary,
            "operationId": operation,
            "parameters": [param.openapi() for param in params],
            "requestBody": {"required": True, "content": body},
            "responses": {
                "200": {"description": described, "content": {media: {"schema": schema}}},
                "4XX": {
                    "description": refused,
                    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
            },
        }
    }


EVALUATE_PATH = _posted(
    "Every question answered for one case (JSON or YAML): the decision record, as evaluate "
    "--format json gives it",
    "evaluate",
    queries.EVALUATE,
    {
        "application/json": {"schema": {"$ref": "#/components/schemas/Case"}},
        "application/yaml": {"schema": {"type": "string"}},
    },
    (
        "The decision record (answers only: each question's status and outcome)",
        "application/json",
        {"$ref": "#/components/schemas/Evaluation"},
    ),
    "A case or a parameter that is not valid, or a body too large",
)


class _Batch:
    """``POST /evaluate/batch``: a case per JSON line in, an answer per line out, each written
    as soon as it is found, in input order; a bad line is an error line and the others go on
    (as ``evaluate --jsonl``)."""

    def __init__(self, reg: Regulation, within: Callable[..., Any]) -> None:
        self.reg = reg
        self.within = within

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            query = read_query(scope["query_string"], queries.BATCH)
            options = BatchOptions(
                on=query["on"],
                interpretations=_choices(query["interpretation"]),
                answers_only=query["answers_only"],
                lang=query["lang"],
                citations=query["citations"],
            )
            batch = Batch(self.reg, options)  # an unknown choice: refused before any answer
        except (AttestRulesError, ValueError) as exc:
            await _problem_of(exc)(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/x-ndjson")],
            }
        )
        try:
            async for number, raw in _lines(request.stream()):
                line = await self.within(_batch_one, batch, number, raw)
                await send(
                    {
                        "type": "http.response.body",
                        "body": (line + "\n").encode(),
                        "more_body": True,
                    }
                )
        except (TooLarge, TimedOut) as exc:  # the answers so far stand; the rest is refused
            last = orjson.dumps({"line": None, "error": str(exc)}) + b"\n"
            await send({"type": "http.response.body", "body": last, "more_body": True})
        except ClientDisconnect:
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})


BATCH_PATH = _posted(
    "A case per JSON line in, an answer per line out, streamed in input order; a bad line "
    "gives an error line and the others go on",
    "evaluate_batch",
    queries.BATCH,
    {"application/x-ndjson": {"schema": {"type": "string"}}},
    (
        "A record (or, answers only, statuses) per line, or an error line",
        "application/x-ndjson",
        {"type": "string"},
    ),
    "A parameter that is not valid",
)


def _batch_one(batch: Batch, number: int, raw: bytes | None) -> str:
    return batch.raw_line(number, raw, "input")[0]


async def _lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each non-blank line of a streamed body, a line past MAX_LINE
    as None with its rest skipped unkept (as the command line reads a batch)."""
    buffer = b""
    number = 0
    skipping = False
    async for chunk in chunks:
        buffer += chunk
        while True:
            end = buffer.find(b"\n")
            if end < 0:
                if len(buffer) > MAX_LINE and not skipping:
                    number += 1
                    skipping = True
                    yield number, None
                if skipping:
                    buffer = b""
                break
            line, buffer = buffer[:end], buffer[end + 1 :]
            if skipping:
                skipping = False
                continue
            number += 1
            if len(line) > MAX_LINE:
                yield number, None
            elif line.strip():
                yield number, line.rstrip(b"\r")
    if buffer.strip() and not skipping:
        yield number + 1, buffer.rstrip(b"\r")


def app_from_env() -> FastAPI:
    """The application as ``uvicorn --factory`` (several workers) makes it: the spec and the
    limits from ``ATTEST_RULES_SPEC``, ``ATTEST_RULES_MAX_BODY``, ``ATTEST_RULES_TIMEOUT``."""
    limits = Limits(
        max_body=int(os.environ.get("ATTEST_RULES_MAX_BODY", Limits.max_body)),
        timeout=float(os.environ.get("ATTEST_RULES_TIMEOUT", Limits.timeout)),
    )
    # the spec read from its YAML alone, never from the cache folder: a service's start is paid
    # once, and what it answers does not rest on a folder of the user's
    return create_app(load(os.environ.get("ATTEST_RULES_SPEC") or None, cached=False), limits)
