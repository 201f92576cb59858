"""Loading a spec: read safely, validate the shape, check the meaning, report everything at once."""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from attest_rules.errors import SpecError
from attest_rules.lang.syntax import remembering
from attest_rules.located.reader import Located, input_name, read_file, read_yaml
from attest_rules.located.validation import under, validation_issues
from attest_rules.resources import bundled_spec_path
from attest_rules.spec import cache
from attest_rules.spec.bindings import Bindings
from attest_rules.spec.checks import check_document
from attest_rules.spec.events import build_events
from attest_rules.spec.facts import build_facts
from attest_rules.spec.model import SpecDocument
from attest_rules.spec.regulation import LoadedSpec, build_snapshots, build_versions
from attest_rules.spec.rulebook import build_rulebook

S = TypeVar("S", bound=LoadedSpec)


def load_spec(kind: type[S], path: str | Path | None = None, *, cached: bool = True) -> S:
    """Load and check a regulation spec (the bundled one by default) as a ``kind``; with
    ``cached`` (``load_spec_bytes``).

    Raises ``SpecError`` listing every problem found, each with file, line, column and the
    path inside the document.
    """
    spec_path = Path(path) if path is not None else bundled_spec_path()
    return load_spec_bytes(kind, read_file(spec_path), input_name(spec_path), cached=cached)


def load_spec_bytes(kind: type[S], raw: bytes, name: str = "<spec>", *, cached: bool = True) -> S:
    """Load a spec from its bytes as a ``kind``; ``name`` is used in error locations.
    ``cached``: its YAML read and its expressions parsed are taken from the spec cache
    (``cache``) where an entry of these very bytes is there, and kept there after a load that
    found no error."""
    with _collector_paused():
        return _load(kind, raw, name, cached=cached)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a spec loads: a load makes tens of thousands
    of objects that all live on, which the collector would otherwise walk several times over
    (measured 5 ms of a 43 ms load on average, 25 ms at worst). Resumed after, if it ran
    before; nothing is lost, only collected later."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _load(kind: type[S], raw: bytes, name: str, *, cached: bool) -> S:
    digest = hashlib.sha256(raw).hexdigest()
    entry = cache.read(digest, name) if cached else None
    if entry is not None:
        try:
            with remembering(dict(entry.expressions)):
                return _build(kind, entry.located, name, digest)
        except SpecError:  # an entry no load of these bytes wrote: read them instead
            pass
    located = read_yaml(raw, name)
    with remembering({}) as expressions:
        loaded = _build(kind, located, name, digest)
    if cached:
        cache.write(digest, cache.Entry(located, expressions))
    return loaded


def _build(kind: type[S], located: Located, name: str, digest: str) -> S:
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
        for issue in validation_issues(exc, located):
            if not any(under(issue.path, r) for r in reported):
                issues.append(issue)
        raise SpecError(issues) from None
    if issues:
        raise SpecError(issues)

    for path, message, severity in check_document(document):
        issues.append(located.issue(path, message, severity=severity))
    bindings = Bindings(document.interpretations)  # what of the engine the spec sets, once
    versions, version_problems = build_versions(document, bindings)
    snapshots, tree_problems = build_snapshots(document, versions)
    issues += [located.issue(p, m) for p, m in (*version_problems, *tree_problems)]
    rulebook = facts = events = None
    if not any(i.severity == "error" for i in issues):
        known = {p.id for snap in snapshots for p in snap}
        facts, fact_problems = build_facts(document, known, bindings.readings_by)
        issues += [located.issue(p, m) for p, m in fact_problems]
        if facts is not None:
            rulebook, rule_problems = build_rulebook(
                document,
                tuple(v.id for v in versions),
                snapshots,
                facts.record,
                bindings.readings_by,
            )
            issues += [located.issue(p, m) for p, m in rule_problems]
            if not rule_problems:  # events name questions: only once all compiled
                values = {
                    q: {
                        let.name
                        for table in rulebook.by_version.values()
                        if q in table
                        for let in table[q].lets
                    }
                    for q in rulebook.questions
                }
                events, event_problems = build_events(
                    document, facts.annotations, facts.record, values
                )
                issues += [located.issue(p, m) for p, m in event_problems]
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise SpecError(errors)
    return kind(
        document,
        file=name,
        content_hash="sha256:" + digest,
        versions=versions,
        snapshots=snapshots,
        warnings=tuple(i for i in issues if i.severity == "warning"),
        locations=lambda: {p: (m.line, m.column) for p, m in located.marks().items()},
        rulebook=rulebook,
        facts=facts,
        events=events,
        bindings=bindings,
    )
