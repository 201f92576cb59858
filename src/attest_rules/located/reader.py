"""Safe, located YAML reading.

PyYAML composes the document into nodes that carry their position; this module turns the nodes into
plain Python data (dicts, lists, str, int, float, bool, None, date) and records where each value
and each key stood, so that any later error can be reported at ``file:line:column``.

Guarantees, each a located error rather than an exception:

* only the YAML core types are built (PyYAML's SafeLoader composer; no tag ever constructs an
  object), a non-core tag is an error;
* a duplicate key is an error at the second occurrence;
* keys are always strings, taken as written (``no:`` is the key ``"no"``, not ``False``);
* merge keys (``<<``) are refused, aliases are expanded up to ``max_nodes`` values in all and
  a recursive alias is an error, so an alias bomb costs bounded time and memory;
* the input is at most ``max_bytes`` long, UTF-8 (a BOM is allowed), one document, nested at most
  ``max_depth`` deep.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from attest_rules.errors import DocPath, Severity, SpecError, SpecIssue, format_path

MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 64
FLOW_DEPTH = 2 * MAX_DEPTH  # open brackets refused before parsing

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SCALAR_CONSTRUCTORS: dict[str, Callable[[SafeConstructor, Node], Any]] = {
    tag: SafeConstructor.yaml_constructors[tag] for tag in _SCALAR_TAGS
}


class Mark(NamedTuple):
    """Where a value or key stood: its line and column, from 1 (a named tuple: about 5,000 are
    made reading the spec, each in two thirds of a frozen dataclass's time)."""

    line: int
    column: int


@dataclass(slots=True)
class Located:
    """Plain data from a YAML document and where each part of it stood."""

    file: str
    data: Any
    values: dict[DocPath, Mark] = field(default_factory=dict)
    keys: dict[DocPath, Mark] = field(default_factory=dict)
    issues: list[SpecIssue] = field(default_factory=list)

    def marks(self) -> dict[DocPath, Mark]:
        """Where each value stood, by path."""
        return self.values

    def mark(self, path: DocPath, *, key: bool = False) -> Mark:
        """Where ``path`` stood; for a path that does not exist, its nearest existing parent."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Mark(1, 1)

    def issue(
        self,
        path: DocPath,
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
        at: DocPath | None = None,
    ) -> SpecIssue:
        """An issue about ``path``, placed where ``at`` (default: ``path``) stands."""
        m = self.mark(path if at is None else at, key=key)
        return SpecIssue(self.file, m.line, m.column, format_path(path), message, severity)


class _Budget(Exception):
    """Raised inside the walk when the node budget is exhausted (aborts the walk)."""


def _mark_of(node: Node) -> Mark:
    start = node.start_mark
    return Mark(start.line + 1, start.column + 1)


STDIN = "-"  # as a file's name: standard input
_stdin_taken = False


def input_name(path: str | Path) -> str:
    """How errors name an input: ``<stdin>`` for ``-``."""
    return "<stdin>" if str(path) == STDIN else str(path)


def stdin_stream() -> BinaryIO:
    """Standard input, as bytes, for the one input of a command that is ``-`` (a second is
    refused: it would read nothing)."""
    global _stdin_taken
    if _stdin_taken:
        raise SpecError(
            [SpecIssue("<stdin>", 1, 1, "", "standard input is read once: give - once")]
        )
    _stdin_taken = True
    return sys.stdin.buffer


def stdin_unread() -> None:
    """A new command: standard input may be read (once) again."""
    global _stdin_taken
    _stdin_taken = False


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` (standard input for ``-``), at most ``max_bytes`` and one more (so
    that ``read_yaml`` can say the file is too long without a larger file ever being read);
    a file that cannot be read is a located ``SpecError``."""
    if str(path) == STDIN:
        return stdin_stream().read(max_bytes + 1)
    try:
        with path.open("rb") as source:
            return source.read(max_bytes + 1)
    except OSError as exc:
        issue = SpecIssue(str(path), 1, 1, "", f"cannot read: {exc.strerror or exc}")
        raise SpecError([issue]) from None


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree, through libyaml where it is built in (several times faster on
    the spec); a document libyaml refuses is read again by PyYAML's own parser, so that its
    error, and where it is, reads the same with or without libyaml."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            node: yaml.Node | None = yaml.compose(text, Loader=fast)
            return node
        except yaml.YAMLError:
            pass
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return node


def read_yaml(
    source: bytes | str,
    file: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
    max_depth: int = MAX_DEPTH,
) -> Located:
    """Parse one YAML document into located plain data. Problems go to ``Located.issues``."""
    out = Located(file=file, data=None)
    size = len(source.encode("utf-8") if isinstance(source, str) else source)
    if size > max_bytes:
        out.issues.append(
            SpecIssue(file, 1, 1, "", f"file is longer than the limit of {max_bytes} bytes")
        )
        return out
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = source[: exc.start].count(b"\n") + 1
            col = exc.start - (source.rfind(b"\n", 0, exc.start) + 1) + 1
            utf16 = source[:2] in (b"\xff\xfe", b"\xfe\xff")
            kind = "UTF-16" if utf16 else f"not UTF-8 ({exc.reason})"
            out.issues.append(SpecIssue(file, line, col, "", f"{kind}: save the file as UTF-8"))
            return out
    else:
        text = source.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        out.issues.append(SpecIssue(file, line, 1, "", "file contains a NUL byte: not a text file"))
        return out
    deep = _too_deep_in_flow(text, FLOW_DEPTH)
    if deep is not None:
        line = text[:deep].count("\n") + 1
        col = deep - (text.rfind("\n", 0, deep) + 1) + 1
        out.issues.append(
            SpecIssue(
                file, line, col, "", f"more than {FLOW_DEPTH} brackets open: nested too deeply"
            )
        )
        return out
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        line, col = (m.line + 1, m.column + 1) if m is not None else (1, 1)
        problem = exc.problem or "invalid YAML"
        if "'\\t'" in problem:
            problem += "; YAML indents with spaces, never tabs"
        context = f" ({exc.context})" if exc.context else ""
        out.issues.append(SpecIssue(file, line, col, "", f"YAML syntax: {problem}{context}"))
        return out
    except yaml.YAMLError as exc:
        out.issues.append(SpecIssue(file, 1, 1, "", f"YAML: {exc}"))
        return out
    except RecursionError:
        out.issues.append(SpecIssue(file, 1, 1, "", "document is nested too deeply"))
        return out
    if root is None:
        out.issues.append(SpecIssue(file, 1, 1, "", "the document is empty"))
        return out
    walker = _Walker(out, max_nodes, max_depth)
    try:
        out.data = walker.build(root, (), 0)
    except _Budget:
        out.data = None
    return out


_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep_in_flow(text: str, limit: int) -> int | None:
    """Where more than ``limit`` flow brackets are open, or None. PyYAML's scanner slows down
    with the square of flow nesting (a 200 KB line of brackets takes it half a minute), so
    deep nesting is refused before it parses. Brackets in quoted strings count too: a real
    document never holds anywhere near ``limit`` unbalanced ones."""
    depth = 0
    for m in _BRACKET.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif depth:
            depth -= 1
    return None


class _Walker:
    def __init__(self, out: Located, max_nodes: int, max_depth: int) -> None:
        self.out = out
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.count = 0
        self.active: set[int] = set()
        self.constructor = SafeConstructor()

    def error(self, node: Node, path: DocPath, message: str) -> None:
        m = _mark_of(node)
        self.out.issues.append(
            SpecIssue(self.out.file, m.line, m.column, format_path(path), message)
        )

    def build(self, node: Node, path: DocPath, depth: int) -> Any:
        self.count += 1
        if self.count > self.max_nodes:
            self.error(
                node,
                path,
                f"document expands to more than {self.max_nodes} values "
                "(aliases expanding too far?)",
            )
            raise _Budget
        if depth > self.max_depth:
            self.error(node, path, f"nested more than {self.max_depth} levels deep")
            return None
        self.out.values.setdefault(path, _mark_of(node))
        if isinstance(node, ScalarNode):  # most nodes: no recursion to guard against
            return self._scalar(node, path, depth)
        if id(node) in self.active:
            self.error(node, path, "recursive alias: a value contains itself")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
            assert isinstance(node, SequenceNode)  # noqa: S101 - PyYAML has no other node
            return self._sequence(node, path, depth)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, path: DocPath, depth: int) -> dict[str, Any] | None:
        if node.tag != _CORE + "map":
            self.error(node, path, f"tag {node.tag!r} is not allowed: only plain YAML data")
            return None
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "a key must be a plain string")
                continue
            key = str(key_node.value)
            key_path = (*path, key)
            key_mark = _mark_of(key_node)
            if key_node.tag == _CORE + "merge" or key == "<<":
                self.error(key_node, key_path, "merge keys (<<) are not supported; write the keys")
                continue
            if key in first_seen:
                first = first_seen[key]
                self.error(
                    key_node,
                    key_path,
                    f"duplicate key {key!r} (first at line {first.line}, column {first.column})",
                )
                continue
            first_seen[key] = key_mark
            self.out.keys[key_path] = key_mark
            result[key] = self.build(value_node, key_path, depth + 1)
        return result

    def _sequence(self, node: SequenceNode, path: DocPath, depth: int) -> list[Any] | None:
        if node.tag != _CORE + "seq":
            self.error(node, path, f"tag {node.tag!r} is not allowed: only plain YAML data")
            return None
        return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]

    def _scalar(self, node: ScalarNode, path: DocPath, depth: int) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.error(node, path, f"tag {node.tag!r} is not allowed: only plain YAML data")
            return None
        try:
            # the core tag's own constructor, as construct_object would find it, without its
            # cache of every node built (a scalar's value cannot change, so one built again for
            # an alias is equal to the first; the aliases' expansion is bounded by max_nodes)
            value = _SCALAR_CONSTRUCTORS[node.tag](self.constructor, node)
        except (ConstructorError, ValueError, OverflowError) as exc:
            what = "date" if node.tag.endswith("timestamp") else node.tag.rsplit(":", 1)[-1]
            self.error(node, path, f"bad {what} {node.value!r}: {exc}")
            return None
        if isinstance(value, dt.datetime):
            self.error(node, path, f"expected a date (YYYY-MM-DD), got a date-time {node.value!r}")
            return None
        return value
