"""Every provision of a spec document (base text and amendments), with where it stands."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from attest_rules.errors import DocPath
from attest_rules.spec.model import AddOp, AmendOp, ProvisionSpec, ReplaceOp, SpecDocument


@dataclass(frozen=True, slots=True)
class Placed:
    spec: ProvisionSpec
    path: DocPath
    parent: ProvisionSpec | None


def placed_provisions(doc: SpecDocument) -> Iterator[Placed]:
    """Every provision in the spec (base text and amendments) with its path in the document."""

    def walk(spec: ProvisionSpec, path: DocPath, parent: ProvisionSpec | None) -> Iterator[Placed]:
        yield Placed(spec, path, parent)
        for i, child in enumerate(spec.children):
            yield from walk(child, (*path, "children", i), spec)

    for i, spec in enumerate(doc.provisions):
        yield from walk(spec, ("provisions", i), None)
    for vi, version in enumerate(doc.versions):
        for ci, op in enumerate(version.changes):
            if isinstance(op, ReplaceOp | AmendOp | AddOp):
                yield from walk(op.provision, ("versions", vi, "changes", ci, "provision"), None)
