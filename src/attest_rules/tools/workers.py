"""Batches across worker processes (``evaluate --jsonl ... --workers N``, ``impact ...
--workers N``).

Each worker loads the spec once, when it starts, and does for each item exactly what one
process does (``Batch.line``: the same records, the same error lines; ``Judge``: the same two
answers). Items go out in chunks and their results come back in input order; at most two
chunks per worker are in flight, so memory stays constant however long the batch. Workers are
started with ``spawn``: nothing of the parent's state (its threads, an open progress bar) is
copied into them.
"""

from __future__ import annotations

import gc
import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from attest_rules.engine.facts import CaseSource, batch_lines
from attest_rules.engine.regulation import load
from attest_rules.errors import AttestRulesError
from attest_rules.located.lines import blocks
from attest_rules.tools.limits import MAX_WORKERS

if TYPE_CHECKING:  # the work's own modules are imported where a worker starts: a command
    from concurrent.futures import Future  # that only names MAX_WORKERS does not pay for them

    from attest_rules.tools.impact import Judge, Judged, Setting
    from attest_rules.tools.payloads import Batch, BatchOptions

CHUNK = 256  # cases of an impact a worker answers at a time: sending them then costs little

BLOCK = 1 << 18  # bytes of a batch a worker answers at a time (about 180 cases of 1.4 KB)
Block = tuple[int, bytes]  # the number of its first line, and its bytes (whole lines)
Chunk = tuple[str, int, int]  # a chunk's output (lines ending in newlines), lines, bad lines


@dataclass(frozen=True)
class BatchJob:
    """What a worker needs to answer lines as the batch would; sent to each worker once.
    A signing key is sent as the path of its file, never as a key."""

    spec: str | None
    options: BatchOptions  # its signer left out
    sign: str | None
    name: str  # the input's name, in error lines


@dataclass(frozen=True)
class ImpactJob:
    """What a worker needs to judge cases as ``impact`` does in one process."""

    spec: str | None
    a: Setting
    b: Setting


_worker: tuple[Batch, str] | None = None  # a worker of a batch
_judge: Judge | None = None  # a worker of an impact


def _start(job: BatchJob) -> None:
    global _worker
    from attest_rules.engine.signing import Signer
    from attest_rules.tools.payloads import Batch

    reg = load(job.spec)
    signer = Signer.from_pem(job.sign) if job.sign else None
    _worker = (Batch(reg, replace(job.options, signer=signer)), job.name)
    gc.freeze()  # the spec lives as long as the worker: no collection walks it again


def _answer(part: list[Block]) -> Chunk:
    """A block's answers as one text: one object to send back, one write for the parent. The
    block's lines are found here (``batch_lines``), numbered on from its first."""
    assert _worker is not None  # noqa: S101 - set by _start before any chunk arrives
    batch, name = _worker
    lines, bad = [], 0
    for first, raw_block in part:
        for n, raw in batch_lines(io.BytesIO(raw_block)):
            number = first + n - 1
            line, ok = batch.raw_line(number, raw, name)
            lines.append(line)
            bad += not ok
    return "\n".join(lines) + "\n" if lines else "", len(lines), bad


def _start_impact(job: ImpactJob) -> None:
    global _judge
    from attest_rules.tools.impact import Judge

    reg = load(job.spec)
    _judge = Judge(reg, job.a, job.b)
    gc.freeze()


def _judged(chunk: list[CaseSource]) -> list[tuple[str, Judged]]:
    """Each case of a chunk read (in the worker: parsing is most of the work) and answered."""
    assert _judge is not None  # noqa: S101 - set by _start_impact before any chunk arrives
    return [(source.where, _judge.source(source)) for source in chunk]


T = TypeVar("T")
R = TypeVar("R")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def answered(job: BatchJob, stream: BinaryIO, workers: int, block: int = BLOCK) -> Iterator[Chunk]:
    """The answers of each block of ``stream`` (``blocks``), in input order, from ``workers``
    processes: the block's output text, its number of lines and of bad lines. This process
    only cuts blocks and writes answers: finding, reading and answering each line is the
    workers' (with one line each, this process's share of the work kept two workers to 1.66x
    one)."""
    return _ordered(_start, job, _answer, blocks(stream, block), workers, 1)


def judged(
    job: ImpactJob, sources: Iterable[CaseSource], workers: int, chunk: int = CHUNK
) -> Iterator[tuple[str, Judged]]:
    """Each case's answers under A and under B (or why it was rejected), in input order,
    read and answered in ``workers`` processes."""
    for part in _ordered(_start_impact, job, _judged, sources, workers, chunk):
        yield from part


def _ordered(
    start: Callable[[Any], None],
    job: object,
    task: Callable[[list[T]], R],
    items: Iterable[T],
    workers: int,
    chunk: int,
) -> Iterator[R]:
    """``task`` of each chunk of ``items``, in input order, from ``workers`` processes each
    started with ``start(job)``."""
    if not 1 <= workers <= MAX_WORKERS:
        raise AttestRulesError(f"--workers is 1 to {MAX_WORKERS}, not {workers}")
    import multiprocessing  # what a batch in one process never needs (several MB)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=start, initargs=(job,)
        ) as pool:
            pending: deque[Future[R]] = deque()
            for part in _chunks(items, chunk):
                pending.append(pool.submit(task, part))
                while len(pending) > 2 * workers:  # bounded: the oldest is written first
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    except BrokenProcessPool:
        raise AttestRulesError(
            "a worker process ended unexpectedly (out of memory, or killed); what was "
            "written so far is answered, in order"
        ) from None
