"""A batch across worker processes (``evaluate --jsonl ... --workers N``).

Each worker loads the spec once, when it starts, and answers lines exactly as the batch does in
one process (``Batch.line``: the same records, the same error lines). The lines go out in
chunks and their answers come back in input order; at most two chunks per worker are in flight,
so memory stays constant however long the batch. Workers are started with ``spawn``: nothing of
the parent's state (its threads, an open progress bar) is copied into them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from attest_rules.engine.facts import case_line
from attest_rules.engine.regulation import load
from attest_rules.engine.signing import Signer
from attest_rules.errors import AttestRulesError
from attest_rules.spec.facts import FactsModel
from attest_rules.tools.payloads import Batch, BatchOptions

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK = 256  # lines a worker answers at a time: large enough that sending them costs little
MAX_WORKERS = 64

Line = tuple[int, bytes | None]  # a line's number and its bytes (None: past the length limit)
Chunk = tuple[str, int, int]  # a chunk's output (lines ending in newlines), lines, bad lines


@dataclass(frozen=True)
class BatchJob:
    """What a worker needs to answer lines as the batch would; sent to each worker once.
    A signing key is sent as the path of its file, never as a key."""

    spec: str | None
    options: BatchOptions  # its signer left out
    sign: str | None
    name: str  # the input's name, in error lines


_worker: tuple[FactsModel, Batch, str] | None = None


def _start(job: BatchJob) -> None:
    global _worker
    reg = load(job.spec)
    signer = Signer.from_pem(job.sign) if job.sign else None
    _worker = (reg.facts, Batch(reg, replace(job.options, signer=signer)), job.name)


def _answer(chunk: list[Line]) -> Chunk:
    """A chunk's answers as one text: one object to send back, one write for the parent."""
    assert _worker is not None  # noqa: S101 - set by _start before any chunk arrives
    facts, batch, name = _worker
    lines, bad = [], 0
    for number, raw in chunk:
        line, ok = batch.line(number, case_line(facts, number, raw, name))
        lines.append(line)
        bad += not ok
    return "\n".join(lines) + "\n", len(lines), bad


def _chunks(lines: Iterable[Line], size: int) -> Iterator[list[Line]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


def answered(
    job: BatchJob, lines: Iterable[Line], workers: int, chunk: int = CHUNK
) -> Iterator[Chunk]:
    """The answers of each chunk of ``chunk`` lines, in input order, from ``workers``
    processes: the chunk's output text, its number of lines and of bad lines."""
    if not 1 <= workers <= MAX_WORKERS:
        raise AttestRulesError(f"--workers is 1 to {MAX_WORKERS}, not {workers}")
    import multiprocessing  # what a batch in one process never needs (several MB)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(job,)
        ) as pool:
            pending: deque[Future[Chunk]] = deque()
            for part in _chunks(lines, chunk):
                pending.append(pool.submit(_answer, part))
                while len(pending) > 2 * workers:  # bounded: the oldest is written first
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    except BrokenProcessPool:
        raise AttestRulesError(
            "a worker process ended unexpectedly (out of memory, or killed); the lines "
            "written so far are answered, in order"
        ) from None
