"""Checks of a spec beyond its shape: ids, references, restorations, interpretations.

Each check yields ``(path, message, severity)``; the loader locates them in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from attest_rules.errors import DocPath, Severity, format_path
from attest_rules.spec.bindings import PARAMETERS
from attest_rules.spec.model import AddOp, Interpretation, Kind, LibraryWording, SpecDocument
from attest_rules.spec.placement import Placed, placed_provisions

Problem = tuple[DocPath, str, Severity]  # path, message, severity


def _digits(number: str | None) -> str | None:
    m = re.search(r"\d+", number or "")
    return m.group(0) if m else None


def _id_problems(p: Placed, list_index: int) -> Iterator[Problem]:
    """Ids are citations: the last part of a numbered provision's id must match its number."""
    spec, parent = p.spec, p.parent
    last = spec.id.rsplit(".", 1)[-1]
    n = _digits(spec.number)
    expected: str | None = None
    if spec.kind is Kind.chapter and n:
        expected = f"ch{n}"
    elif spec.kind is Kind.paragraph and n:
        expected = f"par{n}"
    elif spec.kind in (Kind.item, Kind.subitem, Kind.table_column) and n:
        expected = n
    if expected is not None and last != expected:
        yield (
            (*p.path, "id"),
            f"id {spec.id!r} does not match its number {spec.number!r}: "
            f"expected it to end in .{expected}",
            "error",
        )
    if spec.kind is Kind.list_entry and parent is not None:
        want = f"{parent.id}.list.{list_index}"
        if spec.id != want:
            yield (
                (*p.path, "id"),
                f"list entry {list_index} of {parent.id} must have id {want!r}, not {spec.id!r}",
                "error",
            )
    if spec.kind is Kind.subitem and parent is not None and not spec.id.startswith(parent.id + "."):
        yield (
            (*p.path, "id"),
            f"sub-item id {spec.id!r} must start with its item's id {parent.id!r}",
            "error",
        )
    if spec.kind in (Kind.item, Kind.subitem, Kind.chapter, Kind.paragraph) and not spec.number:
        yield ((*p.path, "number"), f"a {spec.kind.value} needs its number as printed", "error")


def check_document(doc: SpecDocument) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    placed = tuple(placed_provisions(doc))  # walked once: the checks below each go over it

    # Provision ids: unique within the base text and within each amendment's new wording.
    known: set[str] = set()
    seen: dict[tuple[str, DocPath], DocPath] = {}  # (id, its text: base or one change) → path
    list_counts: dict[int, int] = {}
    for p in placed:
        known.add(p.spec.id)
        scope = p.path[:1] if p.path[0] == "provisions" else p.path[:4]
        first = seen.setdefault((p.spec.id, scope), p.path)
        if first != p.path:
            add(
                (
                    (*p.path, "id"),
                    f"duplicate provision id {p.spec.id!r} (first at {format_path(first)})",
                    "error",
                )
            )
        index = 0
        if p.spec.kind is Kind.list_entry and p.parent is not None:
            key = id(p.parent)
            list_counts[key] = list_counts.get(key, 0) + 1
            index = list_counts[key]
        problems.extend(_id_problems(p, index))
        if p.spec.text == "unknown" and p.spec.children:
            add(
                (
                    (*p.path, "children"),
                    "a provision whose wording is unknown cannot list sub-provisions",
                    "error",
                )
            )
        if p.spec.fills is not None and p.spec.kind not in (Kind.form_field, Kind.table_column):
            add(((*p.path, "fills"), "only a form field or a table column is filled", "error"))
        if p.spec.row_number and (p.spec.kind is not Kind.table_column or p.spec.fills):
            add(
                (
                    (*p.path, "row_number"),
                    "only a table column without 'fills' can hold the row number",
                    "error",
                )
            )
        if p.spec.no_rule is not None and p.spec.rules:
            add(
                (
                    (*p.path, "no_rule"),
                    "a provision with rules cannot also say why it has none",
                    "error",
                )
            )
        if p.spec.inline and p.parent is not None:
            parent_text = p.parent.text
            if (
                parent_text == "unknown"
                or p.spec.text == "unknown"
                or (_fold(p.spec.text.kk) not in _fold(parent_text.kk))
            ):
                add(
                    (
                        (*p.path, "inline"),
                        "an inline list entry's text must stand inside its parent's text",
                        "error",
                    )
                )

    for p in placed:
        for j, inference in enumerate(p.spec.inferred):
            for k, ref in enumerate(inference.basis):
                if ref not in known:
                    add(((*p.path, "inferred", j, "basis", k), f"no provision {ref!r}", "error"))

    # Acts and versions.
    seen_acts: set[str] = set()
    for i, act in enumerate(doc.acts):
        if act.id in seen_acts:
            add((("acts", i, "id"), f"duplicate act id {act.id!r}", "error"))
        seen_acts.add(act.id)
        if act.in_force_basis and act.in_force_basis not in known:
            add((("acts", i, "in_force_basis"), f"no provision {act.in_force_basis!r}", "error"))
    seen_versions: set[str] = set()
    for i, version in enumerate(doc.versions):
        if version.id in seen_versions:
            add((("versions", i, "id"), f"duplicate version id {version.id!r}", "error"))
        seen_versions.add(version.id)
        eff = version.effective
        if eff is not None and eff.published_on is not None and eff.window is not None:
            add(
                (
                    ("versions", i, "effective", "window"),
                    "published_on is known, so the "
                    "effective date follows from it and this window is no longer used; delete it",
                    "warning",
                )
            )
    _check_version_order(doc, add)
    _check_translations(placed, add)

    # Restorations.
    seen_restorations: set[str] = set()
    for i, r in enumerate(doc.restorations):
        if r.id in seen_restorations:
            add((("restorations", i, "id"), f"duplicate restoration id {r.id!r}", "error"))
        seen_restorations.add(r.id)
        texts = restoration_fields(doc, r.provision, r.field, placed)
        if not texts:
            add(
                (
                    ("restorations", i, "provision"),
                    f"no {r.field} of provision {r.provision!r} to restore",
                    "error",
                )
            )
        elif r.moved_to is not None and not any(
            _fold(r.moved) in _fold(t) for t in restoration_fields(doc, r.moved_to, "text", placed)
        ):
            add(
                (
                    ("restorations", i, "moved_to"),
                    f"{r.moved!r} does not stand in {r.moved_to}",
                    "error",
                )
            )
        elif not any(_fold(t).count(_fold(r.restored)) == 1 for t in texts):
            add(
                (
                    ("restorations", i, "restored"),
                    f"the restored passage does not stand exactly "
                    f"once in the {r.field} of {r.provision}",
                    "error",
                )
            )

    # Interpretations.
    seen_interps: set[str] = set()
    bound: dict[str, str] = {}  # engine parameter → the interpretation that sets it
    for i, interp in enumerate(doc.interpretations):
        if interp.id in seen_interps:
            add(
                (
                    ("interpretations", i, "id"),
                    f"duplicate interpretation id {interp.id!r}",
                    "error",
                )
            )
        seen_interps.add(interp.id)
        choices = [interp.default.id, *(a.id for a in interp.alternatives)]
        if len(set(choices)) != len(choices):
            add((("interpretations", i, "alternatives"), "choice ids must be distinct", "error"))
        if interp.binds is not None:
            problems.extend(_binding_problems(interp, ("interpretations", i, "binds"), bound))
        for k, ref in enumerate(interp.concerns):
            if ref not in known:
                add((("interpretations", i, "concerns", k), f"no provision {ref!r}", "error"))
    return problems


def _check_translations(placed: Sequence[Placed], push: Callable[[Problem], None]) -> None:
    """A spec that words its titles and reasons in more than English words them all so: a text
    left in English alone is shown in English to a Kazakh or Russian reader (a warning)."""
    texts: list[tuple[DocPath, str | LibraryWording]] = []
    for p in placed:
        for i, rule in enumerate(p.spec.rules):
            path: DocPath = (*p.path, "rules", i)
            texts.append(((*path, "question"), rule.question))
            if rule.undetermined is not None:
                texts.append(((*path, "undetermined"), rule.undetermined))
            texts += [
                ((*path, "outcomes", k, "reason"), o.reason) for k, o in enumerate(rule.outcomes)
            ]
    if not any(isinstance(text, LibraryWording) for _, text in texts):
        return  # English only, throughout: nothing is half done
    for path, text in texts:
        missing = [
            lang
            for lang in ("kk", "ru")
            if not isinstance(text, LibraryWording) or getattr(text, lang) is None
        ]
        if missing:
            push(
                (
                    path,
                    f"no {' or '.join(missing)} wording: a reader in "
                    f"{' or '.join(missing)} is shown the English",
                    "warning",
                )
            )


def _binding_problems(
    interp: Interpretation, path: DocPath, bound: dict[str, str]
) -> Iterator[Problem]:
    """An interpretation that sets an engine parameter: a known one, set once, each choice
    mapped onto one of its values."""
    assert interp.binds is not None  # noqa: S101 - the caller checked
    target = interp.binds.to
    allowed = PARAMETERS.get(target)
    if allowed is None:
        yield (
            (*path, "to"),
            f"no engine parameter {target!r}; the parameters are {', '.join(PARAMETERS)}",
            "error",
        )
        return
    first = bound.setdefault(target, interp.id)
    if first != interp.id:
        yield ((*path, "to"), f"{target} is already set by interpretation {first!r}", "error")
    choices = [interp.default.id, *(a.id for a in interp.alternatives)]
    for extra in sorted(set(interp.binds.values) - set(choices)):
        yield ((*path, "values", extra), f"{extra!r} is not a choice of {interp.id}", "error")
    for choice in choices:
        value = interp.binds.values.get(choice, choice)
        if value not in allowed:
            where = (*path, "values", choice) if choice in interp.binds.values else (*path,)
            yield (
                where,
                f"choice {choice!r} must map onto one of {', '.join(allowed)} "
                f"(the values of {target}), not {value!r}",
                "error",
            )


def _check_version_order(doc: SpecDocument, push: Callable[[Problem], None]) -> None:
    previous = None
    for i, version in enumerate(doc.versions):
        start = version.effective_from
        eff = version.effective
        if start is None and eff is not None:
            start = eff.published_on or (eff.window.earliest if eff.window else None)
        if start is None:
            continue
        if previous is not None and start == previous:
            push((("versions", i), f"two versions take effect on {start}", "error"))
        elif previous is not None and start < previous:
            push(
                (
                    ("versions", i),
                    f"versions must be listed in date order: {start} comes before {previous}",
                    "error",
                )
            )
        previous = start


def restoration_fields(
    doc: SpecDocument, pid: str, field: str, placed: Sequence[Placed] | None = None
) -> list[str]:
    """Every Kazakh text held for ``field`` of provision ``pid`` (base and amendments);
    ``placed``: the document's ``placed_provisions``, where the caller has them already."""
    out: list[str] = []
    if field == "note":
        for version in doc.versions:
            for op in version.changes:
                target = op.provision.id if isinstance(op, AddOp) else op.target
                if target == pid and op.note is not None:
                    out.append(op.note.kk)
        return out
    for p in placed_provisions(doc) if placed is None else placed:
        if p.spec.id != pid:
            continue
        value = getattr(p.spec, field)
        if value is not None and value != "unknown":
            out.append(value.kk)
    return out


def _fold(text: str) -> str:
    return " ".join(text.split())
