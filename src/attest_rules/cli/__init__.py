"""The ``attest-rules`` command line: each command group in a module of its own, the parser
and the one place errors become messages and exit codes in ``app``."""

from attest_rules.cli.app import main, run

__all__ = ["main", "run"]
