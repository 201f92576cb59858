"""Point-in-time consolidation: the base text with each amendment's delta applied.

The base version's provisions form a tree; each later version's changes (replace, amend, repeal,
add) are applied in order, giving one frozen snapshot per version. ``Regulation.as_of`` picks the
snapshot in force on a date; nothing is recomputed per call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from attest_rules.errors import AttestRulesError
from attest_rules.spec.model import (
    AddOp,
    AmendOp,
    Inference,
    MetaText,
    ProvisionSpec,
    RepealOp,
    ReplaceOp,
    RuleSpec,
)

Status = Literal["in_force", "repealed"]
ChangeKind = Literal["enacted", "replaced", "amended", "added", "repealed"]
ChangeOpSpec = ReplaceOp | AmendOp | RepealOp | AddOp

_OP_KIND: dict[str, ChangeKind] = {
    "replace": "replaced",
    "amend": "amended",
    "add": "added",
    "repeal": "repealed",
}


@dataclass(frozen=True, slots=True)
class Provision:
    """A provision as it stands in one consolidated version.

    ``text`` maps a language (``kk``, ``ru``) to the official wording, or is ``None`` where the
    wording is unknown; ``gloss`` holds unofficial glosses (``en``). ``version`` is the id of the
    version the wording comes from; ``change`` says how that version made it.
    """

    id: str
    number: str | None
    kind: str
    text: Mapping[str, str] | None
    gloss: Mapping[str, str]
    version: str
    status: Status
    change: ChangeKind
    parent: str | None
    children: tuple[str, ...]
    depth: int
    heading: Mapping[str, str] | None = None
    text_after: Mapping[str, str] | None = None
    gloss_after: Mapping[str, str] = field(default_factory=dict)
    inline: bool = False
    inferred: tuple[Inference, ...] = ()
    notes: tuple[MetaText, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    no_rule: str | None = None
    fills: str | None = None
    row_number: bool = False

    @property
    def text_known(self) -> bool:
        return self.text is not None

    @property
    def in_force(self) -> bool:
        return self.status == "in_force"


@dataclass(slots=True)
class _Node:
    spec: ProvisionSpec | None  # None once repealed (the wording is gone)
    number: str | None
    kind: str
    version: str
    change: ChangeKind
    status: Status
    parent: str | None
    children: list[str]
    notes: list[MetaText]


class Tree:
    """A mutable provision tree used while applying deltas; snapshots are frozen copies."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.roots: list[str] = []

    @classmethod
    def from_base(cls, provisions: list[ProvisionSpec], version: str) -> Tree:
        tree = cls()
        for spec in provisions:
            tree.roots.append(spec.id)
            tree._insert(spec, None, version, "enacted")
        return tree

    def copy(self) -> Tree:
        other = Tree()
        other.roots = list(self.roots)
        for pid, n in self.nodes.items():
            other.nodes[pid] = _Node(
                n.spec,
                n.number,
                n.kind,
                n.version,
                n.change,
                n.status,
                n.parent,
                list(n.children),
                list(n.notes),
            )
        return other

    def _insert(
        self, spec: ProvisionSpec, parent: str | None, version: str, change: ChangeKind
    ) -> None:
        self.nodes[spec.id] = _Node(
            spec,
            spec.number,
            spec.kind.value,
            version,
            change,
            "in_force",
            parent,
            [c.id for c in spec.children],
            [],
        )
        for child in spec.children:
            self._insert(child, spec.id, version, change)

    def _descendants(self, pid: str) -> Iterator[str]:
        for child in self.nodes[pid].children:
            yield child
            yield from self._descendants(child)

    def apply(self, op: ChangeOpSpec, version: str) -> tuple[str, str] | None:
        """Apply one change; when it cannot apply, return (the op's field at fault, message)."""
        if isinstance(op, AddOp):
            return self._add(op, version)
        target = self.nodes.get(op.target)
        if target is None:
            return "target", f"{op.op} of {op.target!r}: no such provision in the text it amends"
        if target.status == "repealed":
            return "target", f"{op.op} of {op.target!r}: that provision is already repealed"
        note = [op.note] if op.note is not None else []
        if isinstance(op, RepealOp):
            for pid in (op.target, *self._descendants(op.target)):
                node = self.nodes[pid]
                node.spec, node.status, node.version, node.change = (
                    None,
                    "repealed",
                    version,
                    "repealed",
                )
            target.notes.extend(note)
            return None
        if op.provision.id != op.target:
            return "provision", (
                f"{op.op} of {op.target!r} gives a provision with id "
                f"{op.provision.id!r}; they must be the same"
            )
        old = {op.target, *self._descendants(op.target)}
        clash = [p.id for p in _walk(op.provision) if p.id in self.nodes and p.id not in old]
        if clash:
            return "provision", (
                f"{op.op} of {op.target!r} reuses id(s) held elsewhere: {', '.join(clash)}"
            )
        for pid in old:
            del self.nodes[pid]
        self._insert(op.provision, target.parent, version, _OP_KIND[op.op])
        self.nodes[op.target].notes = [*target.notes, *note]
        return None

    def _add(self, op: AddOp, version: str) -> tuple[str, str] | None:
        clash = [p.id for p in _walk(op.provision) if p.id in self.nodes]
        if clash:
            return "provision", f"add: id(s) already in use: {', '.join(clash)}"
        if op.parent is not None and op.parent not in self.nodes:
            return "parent", f"add under {op.parent!r}: no such provision"
        siblings = self.nodes[op.parent].children if op.parent is not None else self.roots
        if op.after is None:
            position = 0
        elif op.after in siblings:
            position = siblings.index(op.after) + 1
        else:
            return "after", f"add after {op.after!r}: not a provision at that level"
        siblings.insert(position, op.provision.id)
        self._insert(op.provision, op.parent, version, "added")
        if op.note is not None:
            self.nodes[op.provision.id].notes.append(op.note)
        return None

    def freeze(self) -> tuple[Provision, ...]:
        out: list[Provision] = []

        def visit(pid: str, depth: int) -> None:
            n = self.nodes[pid]
            out.append(_frozen(pid, n, depth))
            for child in n.children:
                visit(child, depth + 1)

        for root in self.roots:
            visit(root, 0)
        return tuple(out)


def _walk(spec: ProvisionSpec) -> Iterator[ProvisionSpec]:
    yield spec
    for child in spec.children:
        yield from _walk(child)


def _lang(text: object) -> dict[str, str]:
    if text is None or isinstance(text, str):
        return {}
    data = text.model_dump(exclude_none=True)  # type: ignore[attr-defined]
    return {str(k): str(v) for k, v in data.items()}


def _frozen(pid: str, n: _Node, depth: int) -> Provision:
    spec = n.spec
    if spec is None:  # repealed: keep what identifies it, drop the wording
        return Provision(
            pid,
            n.number,
            n.kind,
            None,
            {},
            n.version,
            n.status,
            n.change,
            n.parent,
            tuple(n.children),
            depth,
            notes=tuple(n.notes),
        )
    text = None if spec.text == "unknown" else _lang(spec.text)
    return Provision(
        id=pid,
        number=spec.number,
        kind=spec.kind.value,
        text=text,
        gloss=_lang(spec.gloss),
        version=n.version,
        status=n.status,
        change=n.change,
        parent=n.parent,
        children=tuple(n.children),
        depth=depth,
        heading=_lang(spec.heading) or None,
        text_after=_lang(spec.text_after) or None,
        gloss_after=_lang(spec.gloss_after),
        inline=spec.inline,
        inferred=tuple(spec.inferred),
        notes=tuple(n.notes),
        rules=tuple(spec.rules),
        no_rule=spec.no_rule,
        fills=spec.fills,
        row_number=spec.row_number,
    )


@dataclass(frozen=True)
class Consolidated:
    """The regulation as in force on ``on``.

    ``uncertain`` is true when ``on`` falls inside an amendment's effective-date window: then
    ``provisions`` is the reading without the uncertain amendment(s) and ``alternative`` the
    reading with them (interpretation ``effective-date.window``, default ``report-both``).
    ``assumed`` names the choice when an analyst resolved the window by assumption instead.
    """

    on: dt.date
    version: str
    versions: tuple[str, ...]
    provisions: tuple[Provision, ...]
    uncertain: bool = False
    uncertain_versions: tuple[str, ...] = ()
    alternative: Consolidated | None = None
    assumed: str | None = None
    interpretations: Mapping[str, str] = field(default_factory=dict)
    _index: Mapping[str, Provision] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {p.id: p for p in self.provisions})

    def provision(self, pid: str) -> Provision:
        """The provision ``pid`` (in force or repealed) as it stands on this date."""
        try:
            return self._index[pid]
        except KeyError:
            raise AttestRulesError(
                f"no provision {pid!r} in the text in force on {self.on.isoformat()}"
            ) from None

    def has(self, pid: str) -> bool:
        return pid in self._index

    def in_force(self) -> tuple[Provision, ...]:
        return tuple(p for p in self.provisions if p.in_force)

    def subtree(self, pid: str) -> tuple[Provision, ...]:
        """``pid`` and everything under it, in document order."""
        root = self.provision(pid)
        out = [root]
        for child in root.children:
            out.extend(self.subtree(child))
        return tuple(out)
