"""What several commands take, defined once: a date, and an interpretation switched.

The command line imports only what the command it runs needs: this module, and each command's
``register``, import no more than the parser needs to be built, and each command imports its
work when it runs (``attest-rules evaluate CASE`` does not import the batch, the forms, the
schemas or the case files' tools)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from attest_rules.errors import AttestRulesError

T = TypeVar("T")


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or ``today``."""
    if text == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD or 'today'): {text!r}") from None


def parse_interpretation(text: str) -> tuple[str, str]:
    """``ID=CHOICE``, as argparse reports a bad one."""
    from attest_rules.tools.payloads import parse_choice

    try:
        return parse_choice(text)
    except AttestRulesError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_interpretation(p: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """``--interpretation ID=CHOICE``, repeatable: the choices switched for this call."""
    p.add_argument(
        "--interpretation",
        type=parse_interpretation,
        action="append",
        default=[],
        metavar="ID=CHOICE",
        help=help_text or "switch an interpretation of the spec (repeatable)",
    )


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control, zero-width or bidirectional-override character escaped
    (``\\x1b``), so that what a user typed or a file held is shown, never run, by a terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def parse_workers(text: str) -> int:
    """``--workers N``: worker processes, 1 to ``MAX_WORKERS``."""
    from attest_rules.tools.limits import MAX_WORKERS

    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"a number from 1 to {MAX_WORKERS}, not {text!r}")
    return int(text)


def progress(
    items: Iterable[T], unit: str, weight: Callable[[T], int] | None = None
) -> Iterator[T]:
    """``items``, with a progress bar on standard error where it is a terminal (tqdm: how many,
    how fast); silent where it is not (a pipe, a file, CI). ``weight``: how many ``unit`` an
    item counts for (a chunk of a batch, its cases)."""
    if not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    if weight is None:
        yield from tqdm(items, unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, leave=False)
        return
    with tqdm(unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, leave=False) as bar:
        for item in items:
            yield item
            bar.update(weight(item))
