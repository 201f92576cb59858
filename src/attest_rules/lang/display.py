"""How a rule's values appear in an answer: JSON-ready in ``values``, and as a reader sees them
in ``reasons``. One definition for the closures' answers (``evaluator``) and the generated
code's (``fastpath``), which a property test holds equal."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from attest_rules.lang.interpreter import Missing

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")  # a value named in a reason template


def plain(value: Any) -> Any:
    """A value as it goes into a result: JSON-ready, ``None`` where unknown."""
    kind = type(value)
    if kind is dt.date:
        return value.isoformat()
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, Missing):
        return None
    return value


def shown_plain(value: Any) -> str:
    """A value already made plain (``plain``) as a reader sees it in a reason."""
    if value is None:
        return "unknown"
    if type(value) is list:
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def shown(value: Any) -> str:
    """A value as a reader sees it in a reason; an unknown one with what is known of it
    ("at least 2025-02-28")."""
    if isinstance(value, Missing) and value.bounded:
        low, high = (shown_plain(plain(v)) for v in (value.low, value.high))
        if value.high is None:
            return f"at least {low}"
        if value.low is None:
            return f"at most {high}"
        what = "a day" if isinstance(value.low, dt.date) else "a number"
        return f"{what} from {low} to {high}"
    return shown_plain(plain(value))


@functools.lru_cache(maxsize=1024)
def parts(template: str) -> tuple[str, ...]:
    """A reason template split once: text at even places, value names at odd ones."""
    return tuple(PLACEHOLDER.split(template))


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced by that value as a reader sees it."""
    split = parts(template)
    if len(split) == 1:
        return template
    return "".join(p if i % 2 == 0 else shown(values.get(p)) for i, p in enumerate(split))
