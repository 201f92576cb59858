"""JSON Schemas generated from the pydantic models; the committed copies must equal these."""

from __future__ import annotations

import json
from typing import Any

from .model import SpecDocument

SCHEMAS = ("spec",)


def spec_schema() -> dict[str, Any]:
    schema = SpecDocument.model_json_schema()
    schema["$id"] = "https://attest-rules.invalid/schema/regulation.schema.json"
    return schema


def schema_text(name: str) -> str:
    """The schema ``name`` as committed: indented JSON with a final newline."""
    if name != "spec":
        raise KeyError(name)
    return json.dumps(spec_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
