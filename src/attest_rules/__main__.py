"""``python -m attest_rules``: the ``attest-rules`` command line."""

import sys

from attest_rules.cli import main

sys.exit(main())
