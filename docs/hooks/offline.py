"""MkDocs hook: the site needs nothing from the Internet. Material's offline plugin bundles
every asset but one, the iframe-worker shim its search uses from ``file://``, which it loads from
unpkg.com; the shim is bundled in ``docs/assets/vendor`` (MIT) and each page points at it.

The offline plugin also writes pages as ``regulation/base.html`` (no directory URLs), while a
citation's ``href`` is ``regulation/<version>/#<anchor>`` under ``site_url``: a small page at
``regulation/<version>/index.html`` sends the reader on, anchor kept, so every href a record
ever carried still resolves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SHIM = "https://unpkg.com/iframe-worker/shim"
LOCAL = "assets/vendor/iframe-worker-shim.js"


def on_post_page(output: str, page: Any, config: Any) -> str:
    depth = page.file.dest_uri.count("/")
    return output.replace(SHIM, "../" * depth + LOCAL)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    return output.replace(SHIM, LOCAL)  # 404.html, at the site's root


STUB = """<!doctype html>
<html lang="kk"><head><meta charset="utf-8"><title>{version}</title>
<script>location.replace("../{version}.html" + location.hash);</script></head>
<body><a href="../{version}.html">{version}</a></body></html>
"""


def on_post_build(config: Any) -> None:
    import attest_rules

    site = Path(config["site_dir"])
    for version in attest_rules.load().versions:
        folder = site / "regulation" / version.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(STUB.format(version=version.id), encoding="utf-8")
