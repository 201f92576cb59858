"""Loading a spec: read safely, validate the shape, check the meaning, report everything at once."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks import check_document
from .errors import DocPath, SpecError, SpecIssue
from .model import SpecDocument
from .regulation import Regulation, build_snapshots, build_versions
from .yamlsource import Located, read_yaml

BUNDLED_NAME = "regulation_210.yaml"


def bundled_spec_path() -> Path:
    """The spec shipped with the package (in a wheel), or the repository's ``spec/`` folder when
    running from a source checkout."""
    packaged = resources.files("attest_rules") / "spec" / BUNDLED_NAME
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "spec" / BUNDLED_NAME
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"the bundled spec {BUNDLED_NAME} is missing from this installation")


def load(path: str | Path | None = None) -> Regulation:
    """Load and check a regulation spec (the bundled Order No. 210 spec by default).

    Raises :class:`SpecError` listing every problem found, each with file, line, column and the
    path inside the document.
    """
    spec_path = Path(path) if path is not None else bundled_spec_path()
    name = str(spec_path)
    try:
        raw = spec_path.read_bytes()
    except OSError as exc:
        raise SpecError(
            [SpecIssue(name, 1, 1, "", f"cannot read: {exc.strerror or exc}")]
        ) from None
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str = "<spec>") -> Regulation:
    """Load a spec from its bytes; ``name`` is used in error locations."""
    located = read_yaml(raw, name)
    issues = list(located.issues)
    if located.data is None and issues:
        raise SpecError(issues)
    if not isinstance(located.data, dict):
        issues.append(
            located.issue(
                (), "the spec must be a mapping of keys (format, acts, versions, provisions, ...)"
            )
        )
        raise SpecError(issues)
    reported = [i.path for i in issues]
    try:
        document = SpecDocument.model_validate(located.data)
    except ValidationError as exc:
        for issue in _validation_issues(exc, located):
            if not any(_under(issue.path, r) for r in reported):
                issues.append(issue)
        raise SpecError(issues) from None
    if issues:
        raise SpecError(issues)

    for path, message, severity in check_document(document):
        issues.append(located.issue(path, message, severity=severity))
    versions, version_problems = build_versions(document)
    snapshots, tree_problems = build_snapshots(document, versions)
    issues += [located.issue(p, m) for p, m in (*version_problems, *tree_problems)]
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise SpecError(errors)
    return Regulation(
        document,
        file=name,
        content_hash="sha256:" + hashlib.sha256(raw).hexdigest(),
        versions=versions,
        snapshots=snapshots,
        warnings=tuple(i for i in issues if i.severity == "warning"),
        locations={p: (m.line, m.column) for p, m in located.values.items()},
    )


def _validation_issues(exc: ValidationError, located: Located) -> list[SpecIssue]:
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


def _under(path: str, reported: str) -> bool:
    return path == reported or path.startswith(reported + ".") or path.startswith(reported + "[")
