"""Where the bundled data files are: inside the installed package, or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

BUNDLED_NAME = "regulation_210.yaml"


def bundled_spec_path() -> Path:
    """The spec shipped with the package (in a wheel), or the repository's ``spec/`` folder when
    running from a source checkout."""
    # the package's own folder, as the library runs from one: importlib.resources gave the same
    # path (turned into a Path here already), and took 4.6 ms of every start to import
    here = Path(__file__).resolve().parent
    packaged = here / "data" / BUNDLED_NAME
    if packaged.is_file():
        return packaged
    checkout = here.parents[1] / "spec" / BUNDLED_NAME
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"the bundled spec {BUNDLED_NAME} is missing from this installation")


def bundled_data_path(name: str) -> Path:
    """A file shipped beside the bundled spec (``calendar_kz.yaml``, schemas)."""
    return bundled_spec_path().with_name(name)


CACHE_OFF = ("off", "0", "no", "false", "")


def cache_folder() -> Path | None:
    """Where the library keeps what it computed once (a spec read and parsed, the holidays
    calendar), safe to delete: ``$ATTEST_RULES_CACHE`` if set (``off`` turns caching off),
    else ``$XDG_CACHE_HOME/attest_rules``, else ``~/.cache/attest_rules``."""
    chosen = os.environ.get("ATTEST_RULES_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in CACHE_OFF else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "attest_rules"


def read_cache_file(name: str) -> bytes | None:
    """The cache file ``name``, or ``None`` (none, or caching off)."""
    where = cache_folder()
    if where is None:
        return None
    try:
        return (where / name).read_bytes()
    except OSError:
        return None
