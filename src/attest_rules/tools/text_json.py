"""The JSON of a regulation's text: its interpretations, its versions, the text in force on a
date, and what changed between two dates (``versions``, ``show``, ``diff`` with ``--format
json``, and the service's endpoints of the same names). Without the evaluator, so that a
command that answers no case starts without it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attest_rules.tools.render import change_json, consolidated_json, version_json

if TYPE_CHECKING:
    from attest_rules.engine.regulation import Regulation


def interpretations_json(reg: Regulation) -> list[dict[str, Any]]:
    """Each interpretive choice of the spec: its question, default and alternatives, why."""
    return [
        {
            "id": i.id,
            "question": " ".join(i.question.split()),
            "default": {"id": i.default.id, "description": " ".join(i.default.description.split())},
            "alternatives": [
                {"id": c.id, "description": " ".join(c.description.split())} for c in i.alternatives
            ],
            "reasoning": " ".join(i.reasoning.split()),
            "legal_basis": list(i.legal_basis),
        }
        for i in reg.document.interpretations
    ]


def versions_json(reg: Regulation) -> list[dict[str, Any]]:
    return [version_json(v) for v in reg.versions]


def regulation_json(
    reg: Regulation,
    on: dt.date,
    choices: Mapping[str, str],
    provision: str | None = None,
) -> dict[str, Any]:
    """The text in force on ``on``, whole or one provision."""
    text = reg.as_of(on, dict(choices))
    if provision is not None and not text.has(provision):
        alt = text.alternative
        if alt is None or not alt.has(provision):
            text.provision(provision)  # raises the error that names the date
    return consolidated_json(text, provision)


def diff_json(
    reg: Regulation, date_from: dt.date, date_to: dt.date, choices: Mapping[str, str]
) -> dict[str, Any]:
    a, b = reg.as_of(date_from, dict(choices)), reg.as_of(date_to, dict(choices))
    changes = reg.diff(date_from, date_to, dict(choices))
    return {
        "from": {"date": a.on.isoformat(), "version": a.version, "uncertain": a.uncertain},
        "to": {"date": b.on.isoformat(), "version": b.version, "uncertain": b.uncertain},
        "changes": [change_json(c) for c in changes],
    }
