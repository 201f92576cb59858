"""A durable_rules host without background threads, with a lock around every call."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import threading
from typing import Any

_COUNTER = itertools.count()

MAX_OPEN = 1000
"""Cases a monitor keeps open at once, at most: durable_rules keeps at most 1024 live sessions
per ruleset, and an open case holds one (a few spare while a case replaces an evicted one)."""


def durable_available() -> bool:
    """Whether durable-rules is installed (``pip install 'attest-rules[monitor]'``)."""
    return importlib.util.find_spec("durable") is not None


def _engine() -> Any:
    try:
        from durable import engine
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "durable-rules is not installed: pip install 'attest-rules[monitor]'"
        ) from None
    return engine


class SafeHost:
    """One durable_rules host. Its dispatch threads are never started (they could run an
    action and steal the result of a synchronous post), and posts are serialised by a lock, so
    the host can be shared by threads. Ruleset names carry ``prefix`` and a host number, so two
    loaded specs never collide."""

    def __init__(self, prefix: str) -> None:
        engine = _engine()

        class _Quiet(engine.Host):  # type: ignore[misc, name-defined]
            def _run(self) -> None:  # the dispatch and timer threads: not started
                return None

        self._host = _Quiet()
        self._lock = threading.Lock()
        self._not_handled = engine.MessageNotHandledException
        self.prefix = f"{prefix}_{next(_COUNTER)}"

    def name(self, local: str) -> str:
        return f"{self.prefix}__{local}"

    def register(self, rulesets: dict[str, dict[str, Any]]) -> None:
        with self._lock:
            self._host.set_rulesets(rulesets)

    def _call(self, method: str, ruleset: str, item: dict[str, Any]) -> bool:
        with self._lock:
            try:
                getattr(self._host, method)(ruleset, item)
            except self._not_handled:
                return False
            return True

    def post(self, ruleset: str, message: dict[str, Any]) -> bool:
        """Post an event; ``False`` when no rule matched it (it is then dropped)."""
        return self._call("post", ruleset, message)

    def assert_fact(self, ruleset: str, fact: dict[str, Any]) -> bool:
        """Assert a fact (every matching rule fires, and it stays until retracted)."""
        return self._call("assert_fact", ruleset, fact)

    def retract_fact(self, ruleset: str, fact: dict[str, Any]) -> bool:
        return self._call("retract_fact", ruleset, fact)

    def delete_state(self, ruleset: str, sid: str) -> None:
        """Forget a session: durable_rules keeps at most 1024 live sessions per ruleset."""
        with self._lock, contextlib.suppress(Exception):  # a session that never posted
            self._host.delete_state(ruleset, sid)
