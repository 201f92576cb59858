"""Pydantic validation errors, mapped back onto the YAML document they came from."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from attest_rules.errors import DocPath, SpecIssue
from attest_rules.located.reader import Located


def validation_issues(exc: ValidationError, located: Located) -> list[SpecIssue]:
    out: list[SpecIssue] = []
    for err in exc.errors(include_url=False):
        path = _data_path(located.data, err["loc"])
        kind = err["type"]
        if kind == "missing":
            issue = located.issue(path, f"missing required key {path[-1]!r}", at=path[:-1])
        elif kind == "extra_forbidden":
            issue = located.issue(path, f"unknown key {path[-1]!r}", key=True)
        elif kind == "value_error":
            issue = located.issue(path, str(err["msg"]).removeprefix("Value error, "))
        else:
            got = _short(err.get("input"))
            issue = located.issue(path, f"{err['msg']} (got {got})")
        out.append(issue)
    return out


def _data_path(data: Any, loc: tuple[int | str, ...]) -> DocPath:
    """Map a pydantic error location onto the document, skipping union tags it adds."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and i == len(loc) - 1:
            path.append(part)  # a missing or an unknown key
    return tuple(path)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def under(path: str, reported: str) -> bool:
    return path == reported or path.startswith(reported + ".") or path.startswith(reported + "[")
