"""Where the bundled data files are: inside the installed package, or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_NAME = "regulation_210.yaml"


def bundled_spec_path() -> Path:
    """The spec shipped with the package (in a wheel), or the repository's ``spec/`` folder when
    running from a source checkout."""
    packaged = resources.files("attest_rules") / "data" / BUNDLED_NAME
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "spec" / BUNDLED_NAME
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"the bundled spec {BUNDLED_NAME} is missing from this installation")


def bundled_data_path(name: str) -> Path:
    """A file shipped beside the bundled spec (``calendar_kz.yaml``, schemas)."""
    return bundled_spec_path().with_name(name)
