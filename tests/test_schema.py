"""The committed JSON Schema is the generated one, and the bundled spec validates against it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from attest_rules.schema import schema_text

from .conftest import ROOT, SPEC

SCHEMA = ROOT / "spec" / "regulation.schema.json"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text("spec"), (
        "run `make schema` after changing src/attest_rules/model.py"
    )


def test_spec_names_its_schema_on_the_first_line() -> None:
    first = SPEC.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=regulation.schema.json"
    assert (SPEC.parent / first.split("=", 1)[1]).is_file()


def test_bundled_spec_validates_against_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = _jsonable(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_catches_what_an_editor_should_flag(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = _jsonable(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    data["provisions"][0]["numbr"] = "x"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors
