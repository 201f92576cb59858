"""The documentation site works offline: built with MkDocs Material and its offline plugin, no
page loads a script or a stylesheet from elsewhere (the search shim is bundled), every citation's
href resolves inside the site, and the API page shows the public names without Sphinx roles."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import attest_rules

ROOT = Path(__file__).resolve().parents[1]
# what a browser loads: scripts, and stylesheets, icons and preloads (a canonical link is not)
ASSET = re.compile(
    r'<script\b[^>]*\bsrc="(?:https?:)?//[^"]+"'
    r'|<link\b(?=[^>]*\brel="(?:stylesheet|preload|modulepreload|icon)")[^>]*\bhref="(?:https?:)?//'
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("material")
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return out


def test_no_page_loads_anything_from_elsewhere(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        found = ASSET.findall(page.read_text(encoding="utf-8"))
        assert not found, (page.relative_to(site), found)
    assert (site / "assets" / "vendor" / "iframe-worker-shim.js").exists()
    assert (site / "search" / "search_index.js").exists()  # the offline search


def test_every_citation_href_resolves_inside_the_site(site: Path) -> None:
    reg = attest_rules.load()
    evaluation = reg.evaluate(
        attest_rules.load_case(ROOT / "examples" / "quorate-session-2025.yaml")
    )
    hrefs = {c.href for a in evaluation.answers for c in a.citations}
    assert hrefs
    for href in hrefs:
        folder, _, anchor = href.partition("#")
        stub = site / folder / "index.html"
        assert stub.exists(), href
        version = folder.strip("/").split("/")[-1]
        page = (site / "regulation" / f"{version}.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in page, href


def test_the_api_page_shows_public_names_without_sphinx_roles(site: Path) -> None:
    api = (site / "api.html").read_text(encoding="utf-8")
    for name in ("attest_rules.load", "attest_rules.Regulation", "attest_rules.load_case"):
        assert name in api
    assert "attest_rules.engine.regulation.load" not in api
    assert not re.search(r":(class|func|meth|mod):`", api)
