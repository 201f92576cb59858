"""The spec cache: what reading a spec's YAML and parsing its expressions gave, kept as JSON, so
that loading the same spec again skips both (the YAML reader with its locations, and the
grammar: lark is then never imported).

* **Keyed by content.** A cache file is named by the sha256 of the spec's bytes, and holds the
  library's version and the cache's format: a changed spec is another key, never served from an
  old entry; an entry of another library version is not trusted, and is written anew.
* **Data, never code.** JSON, read strictly; no pickle, no marshal. What it holds goes through
  the same checks as a spec read from YAML: its data is validated by the spec's model, its
  expressions' nodes are checked as the parser would build them (``nodes.from_data``) before
  any code is generated from them. An entry that is not as written (cut short, damaged, of
  another version) is ignored and replaced. An entry edited into another well-formed spec is
  not told from the one written: its content is checked for its shape, not derived again
  from the spec's bytes (that is the work the cache saves), so the folder is trusted as the
  user's own. ``replay`` and the service read their spec from its YAML
  (``load(..., cached=False)``), never from an entry; ``ATTEST_RULES_CACHE=off`` turns the
  whole folder off (the holidays table and the CLDR's names too) for every command.
* **Safe to delete.** The folder is ``$ATTEST_RULES_CACHE`` if set (``off`` turns the cache
  off), else ``$XDG_CACHE_HOME/attest_rules``, else ``~/.cache/attest_rules``. A folder that
  cannot be written only means no cache: nothing fails for it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from attest_rules.errors import AttestRulesError, DocPath
from attest_rules.lang.syntax import Node, from_data, to_data
from attest_rules.located.reader import Located, Mark
from attest_rules.outputs import prune_cache, write_cache_file
from attest_rules.resources import cache_folder, read_cache_file
from attest_rules.version import __version__

FORMAT = 2
"""The cache's own format: an entry of another is not read. (2: read by orjson, with the marks
kept as one JSON text read only when an issue is to be placed.)"""
KEEP = 32
"""Spec entries kept: past this many, the least recently written go (an analyst editing a spec
makes an entry for each version of the file loaded)."""
_DATE = "\x00date"  # a key no YAML of a spec can hold (the reader refuses a NUL)
_DATETIME = "\x00datetime"


@dataclass(frozen=True)
class Entry:
    """What a spec's load keeps: its YAML read (data and where each part stood) and its
    expressions parsed."""

    located: Located
    expressions: dict[str, Node]


def folder() -> Path | None:
    """Where cache entries are kept; ``None`` when the cache is off."""
    return cache_folder()


def _name(digest: str) -> str:
    return f"spec-{digest}.json"


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    return value


def _decoded(value: Any) -> Any:
    """``value`` as ``_encode`` was given it: each tagged date a date again (in place)."""
    if type(value) is dict:
        if len(value) == 1:
            if _DATE in value:
                return dt.date.fromisoformat(value[_DATE])
            if _DATETIME in value:
                return dt.datetime.fromisoformat(value[_DATETIME])
        for k, v in value.items():
            if type(v) is dict or type(v) is list:
                value[k] = _decoded(v)
    elif type(value) is list:
        for i, v in enumerate(value):
            if type(v) is dict or type(v) is list:
                value[i] = _decoded(v)
    return value


def _marks(found: dict[DocPath, Mark]) -> list[list[Any]]:
    return [[list(path), m.line, m.column] for path, m in found.items()]


def _path(parts: Any) -> DocPath:
    if not isinstance(parts, list) or not all(isinstance(p, (str, int)) for p in parts):
        raise ValueError("not a path")
    return tuple(parts)


def _unmarked(rows: Any) -> dict[DocPath, Mark]:
    if not isinstance(rows, list):
        raise ValueError("not a list of marks")
    return {_path(p): Mark(int(line), int(column)) for p, line, column in rows}


@dataclass(slots=True)
class _Stored(Located):
    """A spec's YAML read as the cache kept it: where each part stood is made when it is
    first asked for (an issue to place), not on every load (25,000 marks, 60 ms)."""

    rows: Any = None

    def _fill(self) -> None:
        if self.rows is not None:
            text, self.rows = self.rows, None
            try:
                rows = orjson.loads(text)
                self.values, self.keys = _unmarked(rows[0]), _unmarked(rows[1])
            except (ValueError, TypeError, IndexError, KeyError):  # edited: issues placed at 1:1
                self.values, self.keys = {}, {}

    def marks(self) -> dict[DocPath, Mark]:
        self._fill()
        return self.values

    def mark(self, path: DocPath, *, key: bool = False) -> Mark:
        self._fill()
        return Located.mark(self, path, key=key)


def read(digest: str, name: str) -> Entry | None:
    """The entry of the spec whose bytes have the sha256 ``digest`` (hex), read as ``name``;
    ``None`` when there is none that can be trusted."""
    raw = read_cache_file(_name(digest))
    if raw is None:
        return None
    try:
        data = orjson.loads(raw)
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("library_version") != __version__
            or data.get("sha256") != digest
        ):
            return None
        marks = data["marks"]
        if not isinstance(marks, str):
            return None
        located = _Stored(file=name, data=_decoded(data["data"]), rows=marks)
        expressions = {str(text): from_data(nodes) for text, nodes in data["expressions"].items()}
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        RecursionError,
        AttestRulesError,
    ):
        return None  # none, cut short, edited, or of another kind: read the spec itself
    return Entry(located, expressions)


def write(digest: str, entry: Entry) -> None:
    """Keep ``entry`` for the spec whose bytes have the sha256 ``digest``: written whole or not
    at all (a temporary file renamed), and silently not where the folder cannot be written."""
    if folder() is None:
        return
    data = {
        "format": FORMAT,
        "library_version": __version__,
        "sha256": digest,
        "data": _encode(entry.located.data),
        # read only when an issue is to be placed: kept as one text, which JSON reads fast
        "marks": json.dumps(
            [_marks(entry.located.marks()), _marks(entry.located.keys)],
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "expressions": {text: to_data(node) for text, node in entry.expressions.items()},
    }
    write_cache_file(_name(digest), json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    prune_cache("spec-*.json", KEEP)  # the oldest entries removed, past ``KEEP``
