"""The committed JSON Schema is the generated one, and the bundled spec validates against it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from attest_rules.tools.schemas import SCHEMAS, schema_file, schema_text

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


@pytest.mark.parametrize("name", SCHEMAS)
def test_committed_schemas_are_up_to_date(name: str) -> None:
    committed = ROOT / "spec" / schema_file(name)
    assert committed.read_text(encoding="utf-8") == schema_text(name), (
        "run `make schema` after changing a pydantic model"
    )


def test_the_schemas_named_are_the_shapes_and_the_committed_files() -> None:
    """The command line names the schemas without importing the shapes: the names are said
    twice, and held equal here."""
    from attest_rules.tools.schemas import SHAPE_NAMES
    from attest_rules.tools.shapes import SHAPES

    assert tuple(SHAPES) == SHAPE_NAMES
    committed = {p.name for p in (ROOT / "spec").glob("*.schema.json")}
    assert committed == {schema_file(name) for name in SCHEMAS}


@pytest.mark.parametrize(
    ("data", "name"), [("regulation_210.yaml", "spec"), ("calendar_kz.yaml", "calendar")]
)
def test_data_files_name_their_schema_on_the_first_line(data: str, name: str) -> None:
    path = ROOT / "spec" / data
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={schema_file(name)}"
    schema = json.loads((ROOT / "spec" / schema_file(name)).read_text(encoding="utf-8"))
    instance = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(schema).validate(instance)


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


def test_example_cases_validate_against_the_case_schema() -> None:
    schema = json.loads((ROOT / "spec" / "case.schema.json").read_text(encoding="utf-8"))
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert examples
    for path in examples:
        instance = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
        jsonschema.Draft202012Validator(schema).validate(instance)
