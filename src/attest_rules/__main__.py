"""``python -m attest_rules``: the ``attest-rules`` command line."""

from attest_rules.cli import run

run()
