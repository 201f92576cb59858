"""MkDocs hook: the consolidated regulation, one page per version, rendered from the spec at
build time (never committed, so it cannot drift from the spec).

Each provision carries the anchor the evaluator's citations link to (``Citation.href`` is
``regulation/<version>/#<anchor>``, the anchor being the provision id with dots as dashes). The
official Kazakh text stands as the spec holds it; the English gloss follows, marked unofficial;
a wording the project does not hold says so. The questions each provision settles are listed
under it.
"""

from __future__ import annotations

import html
from typing import Any

from mkdocs.structure.files import File, Files

import attest_rules
from attest_rules.spec.consolidation import Provision
from attest_rules.tools.render import version_line


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


_HEADINGS = {"rules": 2, "annex": 2, "chapter": 3, "paragraph": 4}


def _block(p: Provision) -> list[str]:
    anchor = p.id.replace(".", "-")
    number = f"{p.number} " if p.number else ""
    label = f"`{p.id}` · {p.kind} · wording of **{p.version}**"
    if p.change != "enacted":
        label += f" ({p.change})"
    out: list[str] = []
    level = _HEADINGS.get(p.kind)
    text = p.text["kk"] if p.text else None
    if level is not None:
        title = " ".join((text or p.gloss.get("en") or p.id).split())
        out.append(f"{'#' * level} {_esc(number + title)} {{#{anchor}}}")
        out.append("")
        out.append(label)
    else:
        bold = f"**{_esc(number.strip())}** " if number else ""
        out.append(f'<span id="{anchor}"></span>{bold}{label}')
        out.append("")
        if p.status == "repealed":
            out.append("> *(repealed)*")
        elif text is None:
            out.append("> *(wording unknown: not held by this project, and not invented)*")
        else:
            out += [f"> {_esc(line)}" if line.strip() else ">" for line in text.split("\n")]
    if p.heading:
        out += ["", f"*{_esc(' '.join(p.heading['kk'].split()))}*"]
    if p.text_after:
        out += ["", f"> {_esc(' '.join(p.text_after['kk'].split()))}"]
    gloss = p.gloss.get("en")
    if gloss and level is None:
        out += ["", f"*Unofficial English gloss:* {_esc(' '.join(gloss.split()))}"]
    for rule in p.rules:
        out += ["", f"- question **`{rule.id}`**: {_esc(str(rule.question))}"]
    if p.no_rule and level is None:
        out += ["", f"- no rule: {_esc(p.no_rule)}"]
    out.append("")
    return out


def render_version(reg: Any, version_id: str) -> str:
    v = reg.version(version_id)
    lines = [
        f"# {version_id}: the consolidated text",
        "",
        "```text",
        version_line(v),
        "```",
        "",
        "Rendered from `spec/regulation_210.yaml` when the site was built. Citations in results "
        f"link here: `regulation/{version_id}/#<provision id with dots as dashes>`.",
        "",
    ]
    for p in reg.provision_index(version_id).values():
        lines += _block(p)
    return "\n".join(lines)


def render_index(reg: Any) -> str:
    lines = ["# The consolidated regulation", "", f"{reg.document.title.kk}", ""]
    lines.append("| version | in force |")
    lines.append("| --- | --- |")
    for v in reg.versions:
        first = version_line(v).split("\n")[0].removeprefix(v.id).strip()
        lines.append(f"| [{v.id}]({v.id}.md) | {_esc(first)} |")
    lines += [
        "",
        "Each page is the text as consolidated up to that version, rendered from the spec. "
        "Inside an effective-date window both readings apply (see the analyst guide).",
    ]
    return "\n".join(lines)


def on_files(files: Files, config: Any) -> Files:
    reg = attest_rules.load()
    files.append(File.generated(config, "regulation/index.md", content=render_index(reg)))
    for v in reg.versions:
        files.append(
            File.generated(config, f"regulation/{v.id}.md", content=render_version(reg, v.id))
        )
    return files
