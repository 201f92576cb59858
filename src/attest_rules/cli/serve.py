"""``attest-rules serve``: the HTTP service (the ``[serve]`` extra: FastAPI on uvicorn)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from attest_rules.cli.options import parse_workers
from attest_rules.errors import AttestRulesError
from attest_rules.tools.limits import MAX_WORKERS


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from attest_rules.service.app import Limits, create_app
    except ImportError as exc:
        raise AttestRulesError(
            f"the service needs the [serve] extra ({exc.name} is missing): "
            "pip install 'attest-rules[serve]'"
        ) from None
    from attest_rules.engine.regulation import load

    limits = Limits(max_body=args.max_body, timeout=args.timeout)
    if args.workers > 1:  # each worker process loads the spec itself, once
        os.environ["ATTEST_RULES_SPEC"] = args.spec or ""
        os.environ["ATTEST_RULES_MAX_BODY"] = str(args.max_body)
        os.environ["ATTEST_RULES_TIMEOUT"] = str(args.timeout)
        # a bad spec is refused here, with its located errors, not per worker; a service reads
        # its spec from the YAML alone, never from the cache folder (its start is paid once)
        load(args.spec, cached=False)
        uvicorn.run(
            "attest_rules.service.app:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            access_log=args.access_log,
        )
        return 0
    app = create_app(load(args.spec, cached=False), limits)
    uvicorn.run(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log
    )
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="the HTTP service: answers, texts and records as JSON, with OpenAPI (needs [serve])",
        description="serve the spec over HTTP (FastAPI on uvicorn); GET /openapi.json describes "
        "every endpoint",
    )
    p.add_argument("--spec", default=None, metavar="PATH", help="the spec (default: bundled)")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="the port (8000)")
    p.add_argument(
        "--workers",
        type=parse_workers,
        default=1,
        metavar="N",
        help=f"worker processes (1 to {MAX_WORKERS}), each loading the spec once",
    )
    p.add_argument(
        "--max-body",
        type=int,
        default=1 << 20,
        metavar="BYTES",
        help="the largest case or record a request may send (1 MiB)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="the longest one evaluation may take (30 s)",
    )
    p.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug")
    )
    p.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a line on standard output for each request, at --log-level info (on); a server "
        "behind a proxy that logs requests itself can leave it off, about a fifth of an "
        "answers-only request's time (docs/performance.md)",
    )
    p.set_defaults(func=cmd_serve)
