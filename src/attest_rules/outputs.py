"""Output files, written so that nothing is lost: never over one of the command's inputs, and
atomically (to a temporary file beside the target, renamed over it only once complete), so a
run that fails part-way leaves a previous output as it was."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from attest_rules.errors import AttestRulesError
from attest_rules.resources import cache_folder, read_cache_file

T = TypeVar("T")


class OutputError(AttestRulesError):
    """An output that would overwrite an input, or that cannot be written."""


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are one file: the same inode where both exist (a link, another
    spelling of the path), else the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def refuse_inputs(target: str | Path, inputs: Iterable[str | Path]) -> None:
    """Raise ``OutputError`` where ``target`` is one of ``inputs`` (``-``, standard
    input or output, is no file)."""
    for source in inputs:
        if "-" not in (str(target), str(source)) and same_file(target, source):
            raise OutputError(
                f"refusing to write {target}: it is one of the inputs ({source}); "
                "name another output file"
            )


def _temporary_beside(path: Path, target: str | Path) -> Path:
    """A new empty file beside ``path``, created with the mode a new file gets (0666 less the
    umask, as ``open`` gives; ``mkstemp``'s 0600 would leave a new output unreadable to others)."""
    folder = path.parent or Path(".")
    for _ in range(100):
        tmp = folder / f".{path.name}.{os.urandom(6).hex()}.tmp"  # as secrets.token_hex(6)
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        return tmp
    raise OutputError(f"cannot write {target}: no free temporary name beside it")


@contextlib.contextmanager
def atomic_path(target: str | Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; on success it replaces ``target``, on
    failure it is removed and ``target`` is left as it was."""
    path = Path(target)
    refuse_inputs(path, inputs)
    tmp = _temporary_beside(path, target)
    try:
        yield tmp
        if path.exists():  # keep the target's permissions, as an overwrite would
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_text(
    target: str | Path, inputs: Iterable[str | Path] = (), *, newline: str | None = None
) -> Iterator[IO[str]]:
    """A text file (UTF-8) written atomically over ``target`` (see ``atomic_path``)."""
    with (
        atomic_path(target, inputs) as tmp,
        open(tmp, "w", encoding="utf-8", newline=newline) as out,
    ):
        yield out
        out.flush()
        os.fsync(out.fileno())


def prune_cache(pattern: str, keep: int) -> None:
    """The files of the cache folder matching ``pattern`` (a glob) removed but the ``keep``
    written last: what an upgrade, another spec or another installation left there, which no
    command reads again, does not pile up. Silently nothing where the cache is off or its
    folder cannot be read (another process pruning at the same time: its work)."""
    where = cache_folder()
    if where is None:
        return
    with contextlib.suppress(OSError):
        files = sorted(where.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
        for old in files[: max(len(files) - keep, 0)]:
            old.unlink(missing_ok=True)


def kept_in_cache(
    name: str,
    read: Callable[[bytes], T | None],
    make: Callable[[], T],
    text: Callable[[T], str],
    prune: tuple[str, int],
) -> T:
    """What the cache folder keeps as its file ``name``, where ``read`` trusts it (``None``:
    an entry of another version, cut short, edited); else what ``make`` gives, kept there as
    ``text`` of it, the files matching ``prune``'s pattern then pruned to its count
    (``prune_cache``). Without a cache folder, what ``make`` gives."""
    raw = read_cache_file(name)
    found = read(raw) if raw is not None else None
    if found is None:
        found = make()
        write_cache_file(name, text(found))
        prune_cache(*prune)
    return found


def write_cache_file(name: str, text: str) -> None:
    """Keep ``text`` as the file ``name`` of the cache folder (``resources.cache_folder``),
    written atomically as every output is; silently not where the cache is off or its folder
    cannot be written (a read-only home, a full disk): a cache never makes a command fail."""
    where = cache_folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        with atomic_text(where / name) as out:
            out.write(text)
    except (OSError, OutputError):
        return
