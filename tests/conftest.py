"""Shared fixtures and the Hypothesis profiles (``ci`` is fixed and derandomized)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import attest_rules
from attest_rules import Regulation

# the spec cache of this run, in a folder of its own (the user's is never touched); every
# load after the first of a spec's bytes comes from it, so the suite runs through it throughout
os.environ.setdefault("ATTEST_RULES_CACHE", tempfile.mkdtemp(prefix="attest-rules-cache-"))

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec" / "regulation_210.yaml"
SOURCE_TEXT = ROOT / "spec" / "sources" / "order_210_kk.txt"
SHARED_SOURCE = ROOT.parent / "shared" / "regulation" / "order_210_kk.txt"


def pytest_report_header() -> str:
    profile = settings.get_current_profile_name()
    return f"hypothesis profile: {profile} (derandomized: {settings().derandomize})"


@pytest.fixture(scope="session")
def reg() -> Regulation:
    return attest_rules.load()


@pytest.fixture(scope="session")
def spec_text() -> str:
    return SPEC.read_text(encoding="utf-8")


@pytest.fixture
def load_variant(spec_text: str) -> Callable[[str, str], Regulation]:
    """Load the bundled spec with one passage replaced (it must occur exactly once)."""

    def make(old: str, new: str) -> Regulation:
        assert spec_text.count(old) == 1, f"passage not unique in spec: {old!r}"
        return attest_rules.load_bytes(spec_text.replace(old, new).encode(), "variant.yaml")

    return make
