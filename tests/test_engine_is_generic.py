"""The engine knows nothing of this regulation that the spec does not tell it.

Every string constant and every name in ``src/attest_rules`` (docstrings aside) is scanned for
the regulation's vocabulary, read from the spec itself: fact paths and sections, question ids,
outcome ids, event types, finding kinds, provision and annex ids, interpretation and form ids.
A word that is also the spec format's own vocabulary (a key of the spec's schema, such as
``rules`` or ``date``) is the format's, not the regulation's, and is allowed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

import attest_rules
from attest_rules.spec import model as spec_model
from attest_rules.spec.facts import walk_facts

SRC = Path(attest_rules.__file__).parent
REG = attest_rules.load()


def _format_words() -> set[str]:
    """Every field name of the spec format's models: the format's vocabulary."""
    words: set[str] = set()
    for value in vars(spec_model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            words |= set(value.model_fields)
    return words


def vocabulary() -> dict[str, str]:
    """Word → what it is, for every word of the regulation's own vocabulary."""
    doc = REG.document
    words: dict[str, str] = {}
    for path, _ in walk_facts(doc.facts):
        words[path.replace("[]", "")] = "a fact path"
    for vid in REG.rulebook.by_version:
        for q, rule in REG.rulebook.by_version[vid].items():
            words[q] = "a question id"
            for outcome, _ in rule.outcomes:  # a plain English one (rejected) names nothing
                if any(c in outcome.id for c in "._-"):
                    words.setdefault(outcome.id, "an outcome id")
    for snapshot in (REG.snapshot(v.id) for v in REG.versions):
        for p in snapshot:
            words.setdefault(p.id, "a provision id")
    for interp in doc.interpretations:
        words[interp.id] = "an interpretation id"
    for form in doc.forms:
        words[form.id] = "a form (annex) id"
    assert doc.events is not None
    for name in doc.events.types:
        words[name] = "an event type"
    for watch in doc.events.watch:
        for kind in watch.findings.values():
            words[kind] = "a finding kind"
    for mark in (t.mark for t in doc.events.types.values() if t.mark):
        words[mark] = "an event mark"
    allowed = _format_words()
    return {w: what for w, what in words.items() if w not in allowed}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def words_in(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant and name in ``source``, docstrings aside."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            yield node.lineno, node.name
        elif isinstance(node, ast.arg | ast.keyword):
            yield node.lineno, node.arg or ""


def offences(source: str, words: dict[str, str]) -> list[str]:
    """Where ``source`` names a word of ``words``: a whole constant or name, or, inside a text
    of several words (a message), a compound word of it (``worker.iin``, ``case_closed``,
    ``effective-date.window``). A plain word in a message (decision, application) is English."""
    found = []
    for line, text in words_in(source):
        spaced = text.replace("(", " ").replace(")", " ").replace(",", " ").split()
        if len(spaced) <= 1:
            parts = {text.strip()}
        else:
            parts = {w.strip("'\"`.:;[]{}") for w in spaced}
            parts = {w for w in parts if any(c in w for c in "._-")}
        for part in parts:
            what = words.get(part)
            if what is None and part.endswith(".") and len(part) > 1:  # f"rules.{n}"
                what = next((f"the start of {w!r}" for w in words if w.startswith(part)), None)
            if what is not None:
                found.append(f"line {line}: {text!r} names {what}")
    return found


VOCABULARY = vocabulary()


def test_the_vocabulary_is_read_from_the_spec() -> None:
    """The scan has something to find: the spec's words, of every kind."""
    kinds = set(VOCABULARY.values())
    assert {
        "a fact path",
        "a question id",
        "an event type",
        "a provision id",
        "a form (annex) id",
        "an interpretation id",
    } <= kinds
    assert VOCABULARY["session.quorum"] == "a question id"
    assert VOCABULARY["commission.members"] == "a fact path"
    assert VOCABULARY["vote_cast"] == "an event type"


def test_the_scan_finds_a_word_of_the_regulation() -> None:
    """Shown once on a deliberately bad module: each kind of leak is caught."""
    bad = (
        'WATCHED = ("session.quorum", "decision.vote")\n'
        'def f(facts):\n    return facts["session"]["date"], "rules.6 (6.)"\n'
        'EVENT = "member_arrived"\n'
        'def annex1():\n    return "term.not-earlier-than"\n'
    )
    found = offences(bad, VOCABULARY)
    assert any("session.quorum" in f for f in found)
    assert any("'session' names a fact path" in f for f in found)
    assert any("rules.6" in f for f in found)
    assert any("member_arrived" in f for f in found)
    assert any("'annex1' names a form" in f for f in found)
    assert any("term.not-earlier-than" in f for f in found)
    assert offences('def pid(n):\n    return f"rules.{n}"\n', VOCABULARY)


@pytest.mark.parametrize("module", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_names_the_regulations_vocabulary(module: Path) -> None:
    assert offences(module.read_text(encoding="utf-8"), VOCABULARY) == []
