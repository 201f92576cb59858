"""What changed between two consolidated texts, grouped under the provisions that changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from attest_rules.spec.consolidation import Consolidated, Provision

DiffKind = Literal["added", "replaced", "amended", "repealed"]


@dataclass(frozen=True)
class Change:
    """A provision whose wording or presence differs between two dates.

    ``before`` and ``after`` are the wordings (language → text; ``None`` where unknown or absent).
    ``parts`` are the changes under this provision (a repealed paragraph's items, a replaced
    item's sub-items). ``by_version`` is the version whose change the later text carries (for a
    repeal, the repealing version).
    """

    provision_id: str
    number: str | None
    provision_kind: str
    kind: DiffKind
    before: Mapping[str, str] | None
    after: Mapping[str, str] | None
    before_version: str | None
    after_version: str | None
    by_version: str
    uncertain: bool = False
    parts: tuple[Change, ...] = ()

    def walk(self) -> tuple[Change, ...]:
        """This change and all its parts, depth first."""
        out: list[Change] = [self]
        for part in self.parts:
            out.extend(part.walk())
        return tuple(out)


def _kind(a: Provision | None, b: Provision | None) -> DiffKind | None:
    if a is not None and b is not None:
        if a.version == b.version:
            return None
        return "amended" if b.change == "amended" else "replaced"
    if a is not None:
        return "repealed"
    return "added" if b is not None else None


def diff_consolidated(before: Consolidated, after: Consolidated) -> list[Change]:
    """Changes from ``before`` to ``after``, in document order, nested under changed parents."""
    old = {p.id: p for p in before.in_force()}
    new = {p.id: p for p in after.in_force()}
    order = [p.id for p in after.provisions]
    order += [p.id for p in before.provisions if p.id not in set(order)]
    parents = {p.id: p.parent for p in (*before.provisions, *after.provisions)}
    uncertain = before.uncertain or after.uncertain

    flat: dict[str, Change] = {}
    for pid in order:
        a, b = old.get(pid), new.get(pid)
        kind = _kind(a, b)
        if kind is None:
            continue
        ref = b or a
        assert ref is not None  # noqa: S101 - one side exists when a kind is found
        later = b or (after.provision(pid) if after.has(pid) else None)
        by = later.version if later is not None else (before.version if a is None else a.version)
        flat[pid] = Change(
            provision_id=pid,
            number=ref.number,
            provision_kind=ref.kind,
            kind=kind,
            before=a.text if a else None,
            after=b.text if b else None,
            before_version=a.version if a else None,
            after_version=b.version if b else None,
            by_version=by,
            uncertain=uncertain,
        )

    def changed_ancestor(pid: str) -> str | None:
        parent = parents.get(pid)
        while parent is not None:
            if parent in flat:
                return parent
            parent = parents.get(parent)
        return None

    children: dict[str | None, list[str]] = {}
    for pid in flat:
        children.setdefault(changed_ancestor(pid), []).append(pid)

    def build(pid: str) -> Change:
        c = flat[pid]
        parts = tuple(build(child) for child in children.get(pid, []))
        return dataclasses.replace(c, parts=parts)

    return [build(pid) for pid in children.get(None, [])]
