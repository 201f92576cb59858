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
from attest_rules.messages import tr, words

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


_WORDS = (words("unknown"), words("none"), words("True"), words("False"))


@functools.cache
def _said(lang: str) -> dict[str, str]:
    """The words a value is shown with, in ``lang``."""
    return {w: tr(lang, w) for w in _WORDS}


def shown_plain(value: Any, lang: str = "en") -> str:
    """A value already made plain (``plain``) as a reader of ``lang`` sees it in a reason."""
    if value is None:
        return _said(lang)["unknown"]
    kind = type(value)
    if kind is list:
        return ", ".join(str(v) for v in value) or _said(lang)["none"]
    if kind is bool:
        return _said(lang)[str(value)]
    return str(value)


def shown(value: Any, lang: str = "en") -> str:
    """A value as a reader of ``lang`` sees it in a reason; an unknown one with what is known
    of it ("at least 2025-02-28")."""
    if isinstance(value, Missing) and value.bounded:
        low, high = (shown_plain(plain(v), lang) for v in (value.low, value.high))
        if value.high is None:
            return tr(lang, "at least {low}", low=low)
        if value.low is None:
            return tr(lang, "at most {high}", high=high)
        if isinstance(value.low, dt.date):
            return tr(lang, "a day from {low} to {high}", low=low, high=high)
        return tr(lang, "a number from {low} to {high}", low=low, high=high)
    return shown_plain(plain(value), lang)


@functools.lru_cache(maxsize=1024)
def parts(template: str) -> tuple[str, ...]:
    """A reason template split once: text at even places, value names at odd ones."""
    return tuple(PLACEHOLDER.split(template))


def fill(template: str, values: Mapping[str, Any], lang: str = "en") -> str:
    """``template`` with each ``{name}`` replaced by that value as a reader of ``lang`` sees
    it."""
    split = parts(template)
    if len(split) == 1:
        return template
    return "".join(p if i % 2 == 0 else shown(values.get(p), lang) for i, p in enumerate(split))
