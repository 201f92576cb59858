"""Errors that name where they come from, under one root, ``AttestRulesError``.

Every problem found in a spec is a ``SpecIssue`` with the file, the 1-based line and column,
the path inside the document (``versions[1].changes[0].target``) and a message. A load collects
all of them and raises one ``SpecError``. Bad facts raise ``FactsError``, naming each
field; legal time raises ``LegalTimeError`` (``TermError``, ``CalendarError``); an
expression that cannot be read or typed raises ``ExpressionError`` with its offset.

This module is the bottom layer: every other part of the library may import it, it imports
none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
PathPart = str | int
DocPath = tuple[PathPart, ...]


def format_path(path: Sequence[PathPart]) -> str:
    """Render a document path the way analysts read it: ``provisions[3].children[0].text``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(document)"


@dataclass(frozen=True, slots=True)
class SpecIssue:
    """One located problem in a spec file."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        where = f" [{self.path}]" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}{where}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
        }


class AttestRulesError(Exception):
    """The root of every error the library raises on purpose: a request it cannot answer (an
    unknown provision, a bad argument), or one of the located errors below."""


class SpecError(AttestRulesError):
    """A spec could not be loaded. ``errors`` lists every problem found, in file order."""

    def __init__(self, errors: Iterable[SpecIssue]) -> None:
        self.errors: list[SpecIssue] = sorted(errors, key=lambda e: (e.file, e.line, e.column))
        count = len(self.errors)
        head = "\n".join(str(e) for e in self.errors[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} error(s) in spec:\n{head}{more}")


class FactsError(AttestRulesError):
    """Facts that cannot be evaluated: each problem names its field (its location in the case)
    and the reason; ``source`` names the case (a file, a batch line)."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "facts") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  {field}: {reason}" for field, reason in problems)
        super().__init__(f"bad facts in {source}:\n{lines}")


class LegalTimeError(AttestRulesError, ValueError):
    """A term or a date that legal time cannot read or compute."""


class ExpressionError(AttestRulesError, ValueError):
    """An expression of the rule language that cannot be read or typed; ``offset`` is the
    0-based character where the problem starts (the loader turns it into file:line:col)."""

    def __init__(self, message: str, offset: int) -> None:
        self.offset = offset
        super().__init__(message)
