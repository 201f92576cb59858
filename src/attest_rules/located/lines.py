"""Lines of a stream read in bounded memory: the one reader of every JSON-lines input (a
batch of cases, a monitor's events, a journal)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

MAX_LINE = 1 << 20
"""Bytes of one line of any JSON-lines input: one case, one event (1 MiB)."""


def bounded_lines(stream: BinaryIO, limit: int = MAX_LINE) -> Iterator[tuple[int, bytes | None]]:
    """(line number, the line's bytes without its end) for each line of ``stream``; ``None``
    for a line longer than ``limit`` bytes, whose rest is skipped without being kept, so a huge
    line costs at most ``limit`` bytes of memory and the next line is read as usual."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            raw = b""  # not kept while the rest is skipped
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the line without keeping it
            yield number, None
            continue
        yield number, raw.rstrip(b"\r\n")


def blocks(
    stream: BinaryIO, size: int = 1 << 18, limit: int = MAX_LINE
) -> Iterator[tuple[int, bytes]]:
    """(number of its first line, bytes) for each block of about ``size`` bytes of
    ``stream``, cut after a line's end, so that ``bounded_lines`` over the blocks, one by one,
    numbered on from each block's first line, reads what it reads over the whole stream: a line
    longer than ``limit`` is kept to ``limit`` + 1 bytes and its rest skipped here, which
    ``bounded_lines`` then reads as a line past the limit. The reader of a batch that workers
    answer: a block's lines are found and numbered by the worker, not here."""
    first = 1
    while block := stream.read(size):
        if not block.endswith(b"\n"):
            end = stream.readline(limit + 1)  # the rest of the block's last line
            block += end
            if len(end) > limit and not end.endswith(b"\n"):  # past the limit: skip its rest
                while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                    pass
        yield first, block
        first += block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
