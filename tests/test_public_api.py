"""The names README.md promises keep working, and legal time is a pure library."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

import attest_rules
from attest_rules import legal_time


def test_the_readme_names_work() -> None:
    reg = attest_rules.load()
    assert isinstance(reg, attest_rules.Regulation)
    assert [v.id for v in reg.versions] == ["base", "amend-403"]
    text = reg.as_of("2025-01-01").provision("rules.4").text
    assert text is not None and text["kk"] == "Аттестаттау мыналарды қамтиды:"
    assert [c.provision_id for c in reg.diff("2024-10-01", "2025-01-01")] == [
        "rules.4",
        "rules.7",
        "rules.8",
        "rules.par2",
    ]
    ev = reg.evaluate(
        {
            "session": {"date": "2025-03-03", "present": ["A", "B", "C", "D"]},
            "commission": {"members": ["A", "B", "C", "D", "E"]},
        }
    )
    assert ev.answer("session.quorum").status == "satisfied"
    case = attest_rules.load_case("examples/quorate-session-2025.yaml")
    assert case.id == "example-2025-first-attestation"
    assert attest_rules.parse_case({"id": "x"}).id == "x"
    with pytest.raises(attest_rules.SpecError) as exc:
        attest_rules.load_bytes(b"format: 1\n")
    assert exc.value.errors and exc.value.errors[0].line >= 1
    assert legal_time.deadline(dt.date(2022, 7, 6), "3 years").date == dt.date(2025, 7, 8)
    assert legal_time.earliest(dt.date(2023, 3, 15), "1 year").date == dt.date(2024, 3, 15)
    assert legal_time.validity_end(dt.date(2024, 2, 29), "1 year").date == dt.date(2025, 2, 28)
    assert legal_time.kz_calendar().is_working_day(dt.date(2024, 6, 17))


def test_every_error_is_under_one_root() -> None:
    for error in (
        attest_rules.SpecError,
        attest_rules.FactsError,
        attest_rules.LegalTimeError,
        attest_rules.ExpressionError,
        legal_time.TermError,
        legal_time.CalendarError,
    ):
        assert issubclass(error, attest_rules.AttestRulesError)


def test_computing_a_deadline_loads_no_spec() -> None:
    """In a fresh interpreter: after dates computed, no spec was loaded (none exists)."""
    probe = (
        "import datetime as dt, gc\n"
        "from attest_rules.legal_time import Readings, deadline, earliest\n"
        "from attest_rules.spec.regulation import LoadedSpec\n"
        "deadline(dt.date(2022, 7, 6), '3 years')\n"
        "late = Readings(not_earlier_than='day-after-term')\n"
        "print(earliest(dt.date(2023, 3, 15), '1 year', readings=late).date)\n"
        "print(sum(isinstance(o, LoadedSpec) for o in gc.get_objects()))\n"
    )
    assert _fresh(probe) == ["2024-03-16", "0"]


def _fresh(probe: str) -> list[str]:
    """What ``probe`` prints in a fresh interpreter, word by word."""
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()


def test_legal_time_alone_imports_no_engine() -> None:
    """``import attest_rules`` and legal time import neither the engine nor pydantic: the
    package's public names are imported when first asked for (PEP 562), and every one of
    them is there when asked."""
    probe = (
        "import datetime as dt, sys\n"
        "import attest_rules\n"
        "from attest_rules.legal_time import deadline, kz_calendar\n"
        "deadline(dt.date(2022, 7, 6), '3 years')\n"
        "kz_calendar().is_working_day(dt.date(2024, 6, 17))\n"
        "heavy = ('pydantic', 'attest_rules.engine.regulation', 'attest_rules.spec.model')\n"
        "print(*sorted(m for m in heavy if m in sys.modules) or ['none'])\n"
        "print(all(getattr(attest_rules, n) is not None for n in attest_rules.__all__))\n"
        "print('pydantic' in sys.modules, set(attest_rules.__all__) <= set(dir(attest_rules)))\n"
    )
    # no heavy module; every public name there; then pydantic imported by asking for them
    assert _fresh(probe) == ["none", "True", "True", "True"]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        attest_rules.nothing  # noqa: B018 - the attribute asked for is the test
