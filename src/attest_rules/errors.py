"""Errors that name where they come from.

Every problem found in a spec is a :class:`SpecIssue` with the file, the 1-based line and column,
the path inside the document (``versions[1].changes[0].target``) and a message. A load collects
all of them and raises one :class:`SpecError`.
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


class SpecError(Exception):
    """A spec could not be loaded. ``errors`` lists every problem found, in file order."""

    def __init__(self, errors: Iterable[SpecIssue]) -> None:
        self.errors: list[SpecIssue] = sorted(errors, key=lambda e: (e.file, e.line, e.column))
        count = len(self.errors)
        head = "\n".join(str(e) for e in self.errors[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} error(s) in spec:\n{head}{more}")


class AttestRulesError(Exception):
    """A request the library cannot answer (an unknown provision, a bad argument)."""
