"""The committed schemas describe what a program reads: every case file validates against
``casefile.schema.json`` (its facts against ``case.schema.json``), and the JSON the command line
and the service print validates against ``result``, ``answers`` and ``error`` schemas. The
result schema is the written one: every field always present is required."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

from attest_rules.cli.app import main
from attest_rules.located.reader import read_yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec"
CASE_FILES = sorted((ROOT / "tests" / "cases").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SPEC / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


def _validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator of ``name``, the schemas beside it resolvable by their file names."""
    registry: Registry = Registry().with_resources(
        (f"{n}.schema.json", Resource.from_contents(_schema(n))) for n in ("case", "result")
    )
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes = b"") -> str:
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        main(list(argv))
    finally:
        sys.stdin = old
    out: str = capsys.readouterr().out
    return out


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_every_case_file_names_its_schema_and_validates(path: Path) -> None:
    """Read as the library reads YAML (``on:`` a key, not YAML 1.1's true)."""
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../spec/casefile.schema.json"
    _validator("casefile").validate(_jsonable(read_yaml(text.encode(), path.name).data))


def test_the_case_file_schema_flags_what_an_editor_should() -> None:
    data = _jsonable(read_yaml(CASE_FILES[0].read_bytes(), "case file").data)
    data["cases"][0]["expect"] = {"session.quorum": {"status": "fine"}}
    data["cases"][0]["case"] = {"session": {"languge": "kk"}}  # a misspelt fact
    errors = list(_validator("casefile").iter_errors(data))
    assert len(errors) == 2


def test_the_result_schema_requires_every_field_a_record_always_has() -> None:
    schema = _schema("result")
    assert {"answers", "interpretations", "integrity", "explanations"} <= set(schema["required"])
    answer = schema["$defs"]["Answer"]
    assert {"citations", "reasons", "version", "missing"} <= set(answer["required"])


def test_what_the_command_line_prints_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result, error, answers = _validator("result"), _validator("error"), _validator("answers")
    for example in EXAMPLES:
        result.validate(json.loads(_run(capsys, "evaluate", str(example), "--format", "json")))
    explained = _run(
        capsys, "evaluate", "-", "--explain", "--format", "json", stdin=b"session: {}\n"
    )
    result.validate(json.loads(explained))
    bad = tmp_path / "bad.yaml"
    bad.write_text("session: {language: kz}\n", encoding="utf-8")
    lines = _run(capsys, "evaluate", str(EXAMPLES[0]), str(bad), "--format", "json")
    first, second = (json.loads(x) for x in lines.splitlines())
    result.validate(first)
    error.validate(second)
    for argv in (
        ["evaluate", "/nowhere.yaml", "--format", "json"],
        ["show", "rules.99", "--format", "json"],
        ["check", str(ROOT / "README.md"), "--format", "json"],
    ):
        error.validate(json.loads(_run(capsys, *argv)))
    batch = b'{"id": "a"}\nnot json\n{"id": "b", "session": {"date": "2025-03-03"}}\n'
    out = _run(capsys, "evaluate", "--jsonl", "-", "-", "--answers-only", stdin=batch)
    parsed = [json.loads(x) for x in out.splitlines()]
    answers.validate(parsed[0])
    answers.validate(parsed[2])
    out = _run(capsys, "evaluate", "--jsonl", "-", "-", stdin=batch)
    result.validate(json.loads(out.splitlines()[0]))


def test_what_the_service_answers_validates() -> None:
    pytest.importorskip("fastapi")
    import httpx

    from .test_service import Served

    served = Served()
    result, answers = _validator("result"), _validator("answers")
    try:
        with httpx.Client(base_url=served.url, timeout=60) as client:
            for example in EXAMPLES:
                result.validate(client.post("/evaluate", content=example.read_bytes()).json())
            only = {"answers_only": 1}
            raw = EXAMPLES[0].read_bytes()
            answers.validate(client.post("/evaluate", content=raw, params=only).json())
            for path, params, name in (
                ("/health", {}, "health"),
                ("/messages", {"lang": "ru"}, "messages"),
                ("/interpretations", {}, "interpretations"),
                ("/versions", {}, "versions"),
                ("/regulation", {"on": "2024-11-15"}, "consolidated"),
                ("/diff", {"from": "2024-10-01", "to": "2025-01-01"}, "diff"),
                ("/calendar/working-day", {"date": "2025-03-21"}, "working-day"),
            ):
                _validator(name).validate(client.get(path, params=params).json())
            record = client.post("/evaluate", content=raw).content
            _validator("replay").validate(client.post("/replay", content=record).json())
            _validator("verify").validate(client.post("/verify", content=record).json())
            problem = client.post("/evaluate", json={"session": {"language": "kz"}}).json()
            schemas = client.get("/openapi.json").json()["components"]["schemas"]
            jsonschema.Draft202012Validator(schemas["Problem"]).validate(problem)
    finally:
        served.stop()


def _record_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "record.json"
    path.write_text(_run(capsys, "evaluate", str(EXAMPLES[0]), "--format", "json"), "utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("versions", ["versions"]),
        ("consolidated", ["show", "--on", "2025-01-01"]),
        ("consolidated", ["show", "rules.4", "--on", "2024-11-15"]),  # both readings
        ("diff", ["diff", "2024-10-01", "2025-01-01"]),
        ("check", ["check"]),
        ("term", ["term", "2025-01-01", "1 year", "--deadline"]),
        ("term", ["term", "2024-02-29", "1 year", "--validity"]),
        ("working-day", ["calendar", "is-working-day", "2025-03-21"]),
        ("add-working-days", ["calendar", "add-working-days", "2025-03-20", "3"]),
        ("working-days", ["calendar", "working-days", "2025-03-01", "2025-03-31"]),
        ("coverage", ["coverage"]),
        ("impact", ["impact", "-", "--from", "2024-10-01", "--to", "2025-03-01"]),
        ("form", ["annex1", str(EXAMPLES[0])]),
        ("replay", ["replay", "{record}"]),
        ("verify", ["verify", "{record}"]),
    ],
)
def test_every_json_document_of_the_command_line_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, argv: list[str]
) -> None:
    record = str(_record_file(capsys, tmp_path)) if "{record}" in argv else ""
    argv = [a.replace("{record}", record) for a in argv]
    batch = b'{"id": "a", "session": {"date": "2025-03-03"}}\n{"id": "b"}\n'
    out = _run(capsys, *argv, "--format", "json", stdin=batch)
    _validator(name).validate(json.loads(out))


def test_each_document_schema_flags_a_missing_field(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_run(capsys, "calendar", "is-working-day", "2025-03-21", "--format", "json"))
    del data["working"]
    assert list(_validator("working-day").iter_errors(data))


def test_a_schema_s_references_resolve_beside_its_file() -> None:
    """No schema claims an address ("$id") that nobody serves: a validator would go to the
    network for "case.schema.json" (check-jsonschema did, and failed); without it, a reference
    resolves beside the file it is read from, as editors and code generators read it."""
    for path in SPEC.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert "$id" not in schema, path.name
    asked: list[str] = []

    def beside(uri: str) -> Resource[Any]:  # a reference read from the folder of the file
        asked.append(uri)
        return Resource.from_contents(_schema(uri.removesuffix(".schema.json")))

    registry: Registry[Any] = Registry(retrieve=beside)  # type: ignore[call-arg]
    validator = jsonschema.Draft202012Validator(_schema("casefile"), registry=registry)
    case_file = yaml.safe_load((ROOT / "tests" / "cases" / "admission.yaml").read_text("utf-8"))
    assert not list(validator.iter_errors(_jsonable(case_file)))
    assert set(asked) == {"case.schema.json"}  # relative: no host, no network
