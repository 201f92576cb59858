"""attest_rules: Kazakhstan's Rules for attestation of social workers as a versioned spec.

Legal sources: Order No. 210 of the Deputy Prime Minister – Minister of Labour and Social
Protection of the Population of the Republic of Kazakhstan of 8 June 2023 (registered 9 June 2023,
No. 32744), approving the Rules for attestation of social workers in the field of social
protection of the population, in force from 1 July 2023; amended by Order No. 403 of the Minister
of Labour and Social Protection of the Population of 21 October 2024 (deletes the testing stage).

Public API::

    import attest_rules
    reg = attest_rules.load()              # the bundled spec, or load(path)
    reg.versions                           # base, amend-403 ...
    text = reg.as_of("2025-01-01")         # Consolidated
    text.provision("rules.4").text["kk"]
    reg.diff("2024-10-01", "2025-01-01")   # list[Change]
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from attest_rules.errors import (
    AttestRulesError,
    ExpressionError,
    FactsError,
    LegalTimeError,
    SpecError,
    SpecIssue,
)
from attest_rules.version import __version__

if TYPE_CHECKING:
    from attest_rules.engine.regulation import (
        Regulation,
        load,
        load_bytes,
        load_case,
        parse_case,
    )
    from attest_rules.resources import bundled_spec_path
    from attest_rules.spec.consolidation import Consolidated, Provision
    from attest_rules.spec.diff import Change
    from attest_rules.spec.regulation import Version

__all__ = [
    "AttestRulesError",
    "Change",
    "Consolidated",
    "ExpressionError",
    "FactsError",
    "LegalTimeError",
    "Provision",
    "Regulation",
    "SpecError",
    "SpecIssue",
    "Version",
    "__version__",
    "bundled_spec_path",
    "load",
    "load_bytes",
    "load_case",
    "parse_case",
]

_LAZY = {
    "Regulation": "attest_rules.engine.regulation",
    "load": "attest_rules.engine.regulation",
    "load_bytes": "attest_rules.engine.regulation",
    "load_case": "attest_rules.engine.regulation",
    "parse_case": "attest_rules.engine.regulation",
    "bundled_spec_path": "attest_rules.resources",
    "Consolidated": "attest_rules.spec.consolidation",
    "Provision": "attest_rules.spec.consolidation",
    "Change": "attest_rules.spec.diff",
    "Version": "attest_rules.spec.regulation",
}
"""The public names whose modules are imported when a name is first asked for (PEP 562): the
engine, pydantic and the spec's models are most of a start, and a command that reads no spec
(``calendar``, ``term``, ``--version``) or a program that uses only legal time needs none of
them."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'attest_rules' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # asked for once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
