"""The spec ships inside the wheel, so ``attest_rules.load()`` works from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_carries_the_spec_and_loads_from_it(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("attest_rules-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "attest_rules/data/regulation_210.yaml" in names
        assert "attest_rules/data/regulation.schema.json" in names
        assert "attest_rules/data/calendar_kz.yaml" in names
        assert "attest_rules/data/calendar.schema.json" in names
        assert "attest_rules/data/case.schema.json" in names
        assert "attest_rules/data/result.schema.json" in names
        assert "attest_rules/py.typed" in names
        assert "attest_rules/data/CHANGELOG.md" in names
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), sorted(names)
        for schema in ("casefile", "error", "answers"):
            assert f"attest_rules/data/{schema}.schema.json" in names
        for lang in ("kk", "ru"):  # the compiled catalogues: messages in the installed wheel
            assert f"attest_rules/messages/locale/{lang}/LC_MESSAGES/attest_rules.mo" in names
        zf.extractall(tmp_path / "site")
    site = str(tmp_path / "site")
    probe = (
        f"import sys; sys.path.insert(0, {site!r}); "
        "import attest_rules; "
        "p = attest_rules.bundled_spec_path(); "
        "assert 'site' in p.parts, p; "
        "r = attest_rules.load(); print(r.as_of('2025-01-01').version); "
        "from attest_rules.legal_time import kz_calendar, deadline; "
        "import datetime as dt; print(deadline(dt.date(2024, 12, 13), '3 working days').date); "
        "from attest_rules.messages import tr; print(tr('ru', 'violated'))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["amend-403", "2024-12-19", "нарушено"]
