"""JSON Schemas generated from the pydantic models; the committed copies must equal these."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .facts import Case
from .legal_time.corrections import CalendarFile
from .model import SpecDocument
from .results import Evaluation

MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "spec": (SpecDocument, "regulation.schema.json"),
    "calendar": (CalendarFile, "calendar.schema.json"),
    "case": (Case, "case.schema.json"),
    "result": (Evaluation, "result.schema.json"),
}
SCHEMAS = tuple(MODELS)


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``name`` (one of ``SCHEMAS``), generated from its pydantic model."""
    model, file = MODELS[name]
    generated = model.model_json_schema()
    generated["$id"] = f"https://attest-rules.invalid/schema/{file}"
    return generated


def schema_file(name: str) -> str:
    """The file name the schema ``name`` is committed under in ``spec/``."""
    return MODELS[name][1]


def schema_text(name: str) -> str:
    """The schema ``name`` as committed: indented JSON with a final newline."""
    return json.dumps(schema(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
