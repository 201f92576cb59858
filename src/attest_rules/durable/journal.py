"""The monitor's journal: what it has taken from its events input, so that a monitor killed at
any moment is restarted where it stopped, with every open case as it was.

A journal is JSON lines, appended and flushed to disk (``fsync``) line by line:

* ``{"journal": 1, "spec": HASH}``, first: the spec the events were taken under;
* ``{"line": N, "event": TEXT}``, an accepted event (input line ``N``, as it was read), written
  *before* its findings;
* ``{"line": N, "refused": DIGEST}``, a line that was refused (its error line written), by the
  digest of its bytes;
* ``{"done": N}``, once every finding of line ``N`` is written.

On restart the accepted events are fed again to rebuild the open cases, silently where their
findings were all written (``done``); an event journaled without its ``done`` has its findings
written again, so a finding is never lost (at worst written twice, for a kill between two
findings of one event). The events input is then read from its start: the lines the journal
holds are skipped, each checked against the journal, so that a journal is never resumed on
another log.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from attest_rules.errors import AttestRulesError
from attest_rules.located import strict_json
from attest_rules.located.lines import MAX_LINE, bounded_lines

FORMAT = 1


class JournalError(AttestRulesError):
    """A journal that cannot be resumed: another spec, another events input, a damaged line."""


def digest(raw: bytes | None) -> str:
    """The digest of an input line's bytes as the journal keeps it (``None``: a line too long
    to be read)."""
    return "too-long" if raw is None else hashlib.sha256(raw).hexdigest()[:32]


@dataclass
class Entry:
    line: int
    event: str | None  # the accepted event's text; None for a refused line
    refused: str | None  # the refused line's digest
    done: bool = False


@dataclass
class Journal:
    """An open journal: the entries it held when opened, and the file appended to."""

    path: Path
    spec: str
    entries: list[Entry] = field(default_factory=list)
    by_line: dict[int, Entry] = field(default_factory=dict)
    _out: IO[bytes] | None = None

    @classmethod
    def open(cls, path: str | Path, spec_hash: str) -> Journal:
        """Open (or start) the journal at ``path`` for the spec ``spec_hash``. A last line cut
        short by a kill is dropped; any other damage is a ``JournalError``."""
        file = Path(path)
        journal = cls(file, spec_hash)
        keep = 0
        if file.exists():
            with file.open("rb") as source:
                keep = journal._read(source)
            with file.open("r+b") as out:
                out.truncate(keep)  # a torn last line (a kill mid-write) is not kept
        journal._out = file.open("ab")
        if keep == 0:
            journal._write({"journal": FORMAT, "spec": spec_hash})
        return journal

    def _read(self, source: BinaryIO) -> int:
        """Read the entries; the number of bytes of complete lines."""
        total = os.fstat(source.fileno()).st_size
        size = 0
        for number, raw in bounded_lines(source, MAX_LINE * 2):  # an event's text, quoted
            if raw is None:
                raise JournalError(f"{self.path}:{number}: a journal line longer than the limit")
            end = size + len(raw) + 1
            if end > total:  # the last line, without its end: cut short by a kill, dropped
                if number == 1:  # never truncate a file that is no journal to nothing
                    raise JournalError(f"{self.path}:1: not a monitor journal (no header line)")
                return size
            try:
                item = strict_json.loads(raw)
            except (ValueError, RecursionError):
                item = None
            if not isinstance(item, dict):
                raise JournalError(f"{self.path}:{number}: not a journal line")
            size = end
            self._take(number, item)
        return size

    def _take(self, number: int, item: dict[str, Any]) -> None:
        where = f"{self.path}:{number}"
        if number == 1:
            if item.get("journal") != FORMAT:
                raise JournalError(f"{where}: not a monitor journal (format {FORMAT})")
            if item.get("spec") != self.spec:
                raise JournalError(
                    f"{where}: the journal was written under spec {item.get('spec')}, not "
                    f"{self.spec}: resume it with that spec, or start another journal"
                )
            return
        line = item.get("line", item.get("done"))
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise JournalError(f"{where}: a journal line without its input line number")
        if "done" in item:
            entry = self.by_line.get(line)
            if entry is None:
                raise JournalError(f"{where}: done for line {line}, which it does not hold")
            entry.done = True
            return
        if self.entries and line <= self.entries[-1].line:
            raise JournalError(f"{where}: line {line} after line {self.entries[-1].line}")
        event, refused = item.get("event"), item.get("refused")
        if not (isinstance(event, str) or isinstance(refused, str)):
            raise JournalError(f"{where}: neither an event nor a refused line")
        entry = Entry(line, event if isinstance(event, str) else None, refused)
        self.entries.append(entry)
        self.by_line[line] = entry

    @property
    def last_line(self) -> int:
        """The last input line the journal holds (0: none)."""
        return self.entries[-1].line if self.entries else 0

    def check(self, number: int, raw: bytes | None) -> None:
        """Input line ``number`` (already journaled) is the one the journal holds, or a
        ``JournalError``: the journal belongs to another events input."""
        entry = self.by_line.get(number)
        if entry is None:
            if raw is None or raw.strip():
                raise JournalError(
                    f"input line {number} is not blank, but the journal {self.path} skipped it "
                    "as blank: it was made from another events input"
                )
            return
        if entry.event is not None:
            same = raw is not None and raw.decode("utf-8", "replace") == entry.event
        else:
            same = entry.refused == digest(raw)
        if not same:
            raise JournalError(
                f"input line {number} differs from the line the journal {self.path} took: "
                "it was made from another events input"
            )

    def replayed(self) -> Iterator[Entry]:
        """The accepted events, in order, to feed again."""
        return (e for e in self.entries if e.event is not None)

    # ---- appending ----------------------------------------------------------------------

    def accepted(self, number: int, text: str) -> None:
        self._write({"line": number, "event": text})

    def refused(self, number: int, raw: bytes | None) -> None:
        self._write({"line": number, "refused": digest(raw)})

    def done(self, number: int) -> None:
        self._write({"done": number})

    def _write(self, item: dict[str, Any]) -> None:
        assert self._out is not None  # noqa: S101 - opened by Journal.open
        self._out.write(json.dumps(item, ensure_ascii=False).encode() + b"\n")
        self._out.flush()
        os.fsync(self._out.fileno())

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
