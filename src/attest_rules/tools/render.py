"""Text and JSON renderings of provisions, versions and changes, for people and for programs."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attest_rules.engine.regulation import Regulation
from attest_rules.messages import tr, words
from attest_rules.spec.bindings import WINDOW
from attest_rules.spec.consolidation import Consolidated, Provision
from attest_rules.spec.regulation import Version

if TYPE_CHECKING:
    from attest_rules.spec.diff import Change

_CHANGE_WORDS = {  # a change's kind, as a reader is told it (its id in JSON)
    "replaced": words("replaced"),
    "amended": words("amended"),
    "repealed": words("repealed"),
    "added": words("added"),
}


def wording(text: Mapping[str, str] | None, gloss: Mapping[str, str], lang: str) -> str:
    """The wording in ``lang``: official for kk/ru, the unofficial gloss for en."""
    if text is None:
        return tr(lang, "(wording unknown: not held, and not invented)")
    if lang == "en":
        if "en" in gloss:
            return f"{gloss['en']}  [unofficial English gloss]"
        return f"(no English gloss) {text['kk']}"
    if lang in text:
        return text[lang]
    return tr(lang, "(no official {lang} text in the spec; kk:) {text}", lang=lang, text=text["kk"])


def _label(p: Provision) -> str:
    number = f" {p.number}" if p.number else ""
    return f"{p.id} ({p.kind}{number})"


def _wrap(text: str, indent: str) -> str:
    paragraphs = text.split("\n")
    return "\n".join(
        textwrap.fill(par, width=100, initial_indent=indent, subsequent_indent=indent)
        if par.strip()
        else ""
        for par in paragraphs
    )


def _clip(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def version_line(v: Version) -> str:
    act = v.act
    if v.effective_from is not None:
        when = f"in force from {v.effective_from.isoformat()}"
        if v.published_on is not None:
            when += f" (published {v.published_on.isoformat()}, +{v.after_publication})"
    else:
        w = v.window
        assert w is not None  # noqa: S101 - a version without a date has a window
        when = (
            f"effective date unknown: between {w.earliest.isoformat()} and "
            f"{w.latest.isoformat()} (publication date not known; latest is an assumption)"
        )
    return f"{v.id:<10} {when}\n{'':<10} {v.title}; act {act.id}, signed {act.signed_on}"


def render_versions(reg: Regulation) -> str:
    return "\n".join(version_line(v) for v in reg.versions)


def window_setting(reg: Regulation) -> str:
    """How a reader switches the reading of a window: the interpretation the spec binds to it."""
    binding = reg.bindings.by_parameter.get(WINDOW)
    return f"interpretation {binding.interpretation}" if binding else "versions.window"


def _status_header(reg: Regulation, text: Consolidated, lang: str) -> list[str]:
    v = reg.version(text.version)
    on = text.on.isoformat()
    if lang == "en":  # a version's title is the spec's, in English
        lines = [f"As in force on {on}: version {v.id} — {v.title}."]
    else:
        lines = [tr(lang, "As in force on {on}: version {version}.", on=on, version=v.id)]
    if text.uncertain:
        for vid in text.uncertain_versions:
            u = reg.version(vid)
            w = u.window
            assert w is not None  # noqa: S101
            lines.append(
                tr(
                    lang,
                    "UNCERTAIN: {on} is inside the effective-date window of {version}: it takes "
                    "effect between {earliest} and {latest}, its publication date being unknown. "
                    "Shown first: the text without it; then, where it differs, the text with it "
                    "({setting} = report-both).",
                    on=on,
                    version=u.id,
                    earliest=w.earliest.isoformat(),
                    latest=w.latest.isoformat(),
                    setting=window_setting(reg),
                )
            )
    if text.assumed:
        lines.append(
            tr(
                lang,
                "ASSUMED: {setting} = {choice}.",
                setting=window_setting(reg),
                choice=text.assumed,
            )
        )
    return lines


def render_provisions(items: Iterable[Provision], lang: str, base_depth: int = 0) -> str:
    out: list[str] = []
    for p in items:
        indent = "  " * (p.depth - base_depth)
        version = tr(lang, "version {version}", version=p.version)
        head = f"{indent}{_label(p)}  [{version}"
        head += ", " + tr(lang, "repealed") + "]" if p.status == "repealed" else "]"
        out.append(head)
        if p.heading:
            out.append(_wrap(p.heading.get("kk", ""), indent + "  "))
        if p.status == "repealed":
            out.append(indent + "  " + tr(lang, "(repealed; no wording in force)"))
        else:
            out.append(_wrap(wording(p.text, p.gloss, lang), indent + "  "))
        if p.text_after:
            out.append(_wrap(wording(p.text_after, p.gloss_after, lang), indent + "  "))
        for inference in p.inferred:
            basis = ", ".join(inference.basis) or "—"
            if lang == "en":  # an inference is written in English in the spec
                said = f"inferred (not official text): {inference.statement} [basis: {basis}]"
            else:
                said = tr(lang, "inferred, not official text [basis: {basis}]", basis=basis)
            out.append(_wrap(said, indent + "  "))
        for note in p.notes:
            said = note.kk if lang != "en" else (note.en or note.kk)
            out.append(_wrap(tr(lang, "note: {text}", text=said), indent + "  "))
    return "\n".join(out)


def _items(text: Consolidated, pid: str | None) -> tuple[Provision, ...]:
    """``pid`` and what is under it (nothing where this text lacks it), or the whole text."""
    if pid is None:
        return text.provisions
    return text.subtree(pid) if text.has(pid) else ()


def render_show(reg: Regulation, text: Consolidated, pid: str | None, lang: str) -> str:
    lines = _status_header(reg, text, lang)
    items = _items(text, pid)
    alt = text.alternative
    alt_items = _items(alt, pid) if alt is not None else ()
    base = (items or alt_items)[0].depth if pid and (items or alt_items) else 0
    lines.append("")
    lines.append(
        render_provisions(items, lang, base)
        if items
        else "  " + tr(lang, "({provision} is not in this text)", provision=pid)
    )
    if alt is not None and alt_items != items:
        lines.append("")
        versions = ", ".join(alt.uncertain_versions)
        lines.append(tr(lang, "With {versions} in force:", versions=versions))
        lines.append(
            render_provisions(alt_items, lang, base)
            if alt_items
            else "  " + tr(lang, "({provision} is not in it)", provision=pid)
        )
    return "\n".join(lines)


def render_diff(
    reg: Regulation, a: Consolidated, b: Consolidated, changes: list[Change], lang: str
) -> str:
    lines = [
        tr(
            lang,
            "Changes between {first} (version {a}) and {second} (version {b}):",
            first=a.on.isoformat(),
            a=a.version,
            second=b.on.isoformat(),
            b=b.version,
        )
    ]
    if a.uncertain or b.uncertain:
        lines.append(
            tr(
                lang,
                "UNCERTAIN: a date is inside an effective-date window; compared: the texts "
                "without the uncertain amendment (see `show --on`).",
            )
        )
    if not changes:
        lines.append("  " + tr(lang, "no changes"))

    def one(c: Change, depth: int) -> None:
        pad = "  " * depth
        number = f" {c.number}" if c.number else ""
        kind = tr(lang, _CHANGE_WORDS[c.kind]) if c.kind in _CHANGE_WORDS else c.kind
        by = tr(lang, "by {version}", version=c.by_version)
        lines.append(f"{pad}  {kind:<9} {c.provision_id} ({c.provision_kind}{number}) [{by}]")
        if c.kind in ("replaced", "amended"):
            before, after = tr(lang, "before:"), tr(lang, "after:")
            lines.append(f"{pad}      {before} " + _clip(wording(c.before, {}, lang)))
            lines.append(f"{pad}      {after}  " + _clip(wording(c.after, {}, lang)))
        elif c.kind == "added":
            lines.append(pad + "      " + _clip(wording(c.after, {}, lang)))
        for part in c.parts:
            one(part, depth + 1)

    for change in changes:
        one(change, 0)
    return "\n".join(lines)


# ---- JSON -----------------------------------------------------------------------------------


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def provision_json(p: Provision) -> dict[str, Any]:
    return {
        "id": p.id,
        "number": p.number,
        "kind": p.kind,
        "status": p.status,
        "version": p.version,
        "change": p.change,
        "parent": p.parent,
        "children": list(p.children),
        "heading": dict(p.heading) if p.heading else None,
        "text": dict(p.text) if p.text is not None else None,
        "text_after": dict(p.text_after) if p.text_after else None,
        "gloss": {"unofficial": True, **p.gloss} if p.gloss else None,
        "inferred": [i.model_dump() for i in p.inferred],
        "notes": [n.model_dump(exclude_none=True) for n in p.notes],
    }


def consolidated_json(text: Consolidated, pid: str | None) -> dict[str, Any]:
    items = _items(text, pid)
    out: dict[str, Any] = {
        "on": text.on.isoformat(),
        "version": text.version,
        "versions": list(text.versions),
        "uncertain": text.uncertain,
        "uncertain_versions": list(text.uncertain_versions),
        "assumed": text.assumed,
        "interpretations": dict(text.interpretations),
        "provisions": [provision_json(p) for p in items],
    }
    if text.alternative is not None:
        out["alternative"] = consolidated_json(text.alternative, pid)
    return out


def version_json(v: Version) -> dict[str, Any]:
    w = v.window
    return {
        "id": v.id,
        "title": v.title,
        "act": {"id": v.act.id, "number": v.act.number, "signed_on": _date(v.act.signed_on)},
        "effective_from": _date(v.effective_from),
        "published_on": _date(v.published_on),
        "window": None
        if w is None
        else {
            "earliest": _date(w.earliest),
            "latest": _date(w.latest),
            "earliest_reason": w.earliest_reason,
            "latest_reason": w.latest_reason,
        },
        "changes": [
            c.model_dump(include={"op", "target"}) for c in v.changes if hasattr(c, "target")
        ],
    }


def change_json(c: Change) -> dict[str, Any]:
    return {
        "provision_id": c.provision_id,
        "number": c.number,
        "provision_kind": c.provision_kind,
        "kind": c.kind,
        "before": dict(c.before) if c.before is not None else None,
        "after": dict(c.after) if c.after is not None else None,
        "before_version": c.before_version,
        "after_version": c.after_version,
        "by_version": c.by_version,
        "uncertain": c.uncertain,
        "parts": [change_json(p) for p in c.parts],
    }
