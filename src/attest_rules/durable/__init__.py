"""durable_rules (a Rete engine) driven from the same spec: a second engine for the stateless
questions and the live attestation monitor.

Optional: install ``attest-rules[monitor]`` (durable-rules needs a C compiler). The core library
never imports this package. durable_rules' traps, each handled here and tested:

* arithmetic only on the right-hand side, and integer division truncates (``5 / 3 * 2 == 2``):
  conditions never divide, and a left side that is not a plain field becomes a field computed
  from the spec's compiled expression;
* ``$iall`` is false on an empty list: ``not in`` a list guards with the list's length;
* no negation operator: ``not`` is pushed down by De Morgan's laws and flipped comparisons;
* loose typing (``"8" >= 7`` holds): only type-checked values are posted, dates as day numbers;
* at most 1024 live sessions per ruleset: a case holds a session slot while open, a closed
  case's slot is reused, and at most ``MAX_OPEN`` cases are open at once;
* background dispatch threads can steal a synchronous post's result: they are never started,
  and every post takes the host's lock;
* ruleset names are per host: one host per loaded spec, names prefixed with the spec's hash.
"""

from attest_rules.durable.host import MAX_OPEN, SafeHost, durable_available

__all__ = ["MAX_OPEN", "SafeHost", "durable_available"]
