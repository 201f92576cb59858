"""Cases as they arrive: case files (YAML or JSON), JSON lines in a batch, folders of them.

Every fact is optional: a fact that is not given is *unknown*, and a question that needs it is
answered "undetermined", listing what is missing. A section left out (an event that did not
happen) is absent. What the facts are, and which contradict each other, is the spec's
(``facts``); here is only how cases are read, each problem a
``FactsError`` naming its field and its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from attest_rules.errors import AttestRulesError, FactsError
from attest_rules.located import strict_json
from attest_rules.located.lines import MAX_LINE, bounded_lines
from attest_rules.located.reader import STDIN, input_name, read_file, read_yaml, stdin_stream
from attest_rules.spec.facts import CaseModel, FactsModel


def case_from_json(facts: FactsModel, raw: bytes, source: str) -> CaseModel:
    """One case from JSON bytes (a batch line): every way it can be bad is a ``FactsError``."""
    if len(raw) > MAX_LINE:
        raise FactsError(
            [("(line)", f"longer than {MAX_LINE} bytes, the limit for one case")], source
        )
    try:
        data = strict_json.loads(raw)
    except UnicodeDecodeError as exc:
        raise FactsError([("(line)", f"not UTF-8 at byte {exc.start + 1}")], source) from None
    except RecursionError:
        raise FactsError([("(line)", "JSON nested too deeply")], source) from None
    except strict_json.StrictJSONError as exc:
        raise FactsError([("(line)", str(exc))], source) from None
    except ValueError as exc:
        raise FactsError([("(line)", f"not JSON: {exc}")], source) from None
    return facts.parse(data, source)


def quick_line_facts(facts: FactsModel, raw: bytes | None) -> dict[str, Any] | None:
    """The facts of a batch line's case where it is plainly valid and consistent
    (``FactsModel.quick_facts``): what ``case_line`` then ``facts_of`` would give; ``None``
    for any other line (past the limit, not strict JSON, or one the model is to decide), which
    ``case_line`` reads as every case is, saying what is wrong."""
    if raw is None or len(raw) > MAX_LINE:
        return None
    try:
        data = strict_json.loads(raw.strip())
    except (ValueError, RecursionError):  # not JSON, or not strictly: read as it is
        return None
    return facts.quick_facts(data)


def case_lines(
    facts: FactsModel, stream: BinaryIO, name: str
) -> Iterator[tuple[int, CaseModel | FactsError]]:
    """(line number, case or why it was refused) for each non-blank line of a JSON-lines
    batch, read in bounded memory (``bounded_lines``); the
    batch goes on after a bad line."""
    for number, raw in batch_lines(stream):
        yield number, case_line(facts, number, raw, name)


def batch_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, its bytes) for each non-blank line of a JSON-lines batch, read in bounded
    memory (``None``: a line past the limit, its rest skipped)."""
    for number, raw in bounded_lines(stream, MAX_LINE):
        if raw is None or raw.strip():
            yield number, raw


def case_line(
    facts: FactsModel, number: int, raw: bytes | None, name: str
) -> CaseModel | FactsError:
    """The case of line ``number`` of a batch, or why it was refused (``None``: a line past
    the limit, its rest skipped by the reader); as the command line and the service read it."""
    source = f"{name} line {number}"
    if raw is None:
        return FactsError(
            [("(line)", f"longer than {MAX_LINE} bytes, the limit for one case")], source
        )
    try:
        return case_from_json(facts, raw.strip(), source)
    except FactsError as exc:
        return exc


@dataclass(frozen=True, slots=True)
class CaseSource:
    """One case still to be read: a line of a JSON-lines input (``raw``, ``None`` where it was
    longer than the limit), or a case file (``path``). Small and picklable, so a worker process
    can read it."""

    where: str
    path: str | None = None
    name: str = ""
    number: int = 0
    raw: bytes | None = None


def case_sources(paths: Iterable[str | Path]) -> Iterator[CaseSource]:
    """Each case in ``paths``, not yet read: JSON-lines files (one case per line), folders of
    YAML/JSON case files, or single case files."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from case_sources(sorted([*path.glob("*.yaml"), *path.glob("*.json")]))
        elif path.suffix == ".jsonl" or str(path) == STDIN:  # standard input: a case per line
            name = input_name(path)
            with stdin_stream() if str(path) == STDIN else path.open("rb") as source:
                for number, raw in batch_lines(source):
                    yield CaseSource(f"{name}:{number}", None, name, number, raw)
        else:
            yield CaseSource(str(path), str(path))


def read_source(facts: FactsModel, source: CaseSource) -> CaseModel | str:
    """The case ``source`` holds, or the reason it was rejected."""
    if source.path is None:
        case = case_line(facts, source.number, source.raw, source.name)
        return str(case) if isinstance(case, FactsError) else case
    try:
        return load_case_file(facts, source.path)
    except (ValueError, AttestRulesError) as exc:
        return str(exc)


def read_cases(
    facts: FactsModel, paths: Iterable[str | Path]
) -> Iterator[tuple[str, CaseModel | str]]:
    """(where, case or the reason it was rejected) for each case in ``paths``: JSON-lines
    files (one case per line), folders of YAML/JSON case files, or single case files."""
    for source in case_sources(paths):
        yield source.where, read_source(facts, source)


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``read_cases`` reads for ``paths`` (a folder's YAML and JSON files)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted([*path.glob("*.yaml"), *path.glob("*.json")])
        else:
            out.append(path)
    return out


def read_case_file(path: str | Path) -> Any:
    """The data of a YAML or JSON case file (JSON is YAML); located errors on bad syntax."""
    file = Path(path)
    return case_data(read_file(file), input_name(file))


def case_data(raw: bytes, source: str) -> Any:
    """The data of a case as YAML or JSON bytes (a file, standard input, a request body);
    located errors on bad syntax."""
    located = read_yaml(raw, source)
    if located.issues:
        raise FactsError([(f"{i.line}:{i.column}", i.message) for i in located.issues], source)
    return located.data


def load_case_file(facts: FactsModel, path: str | Path) -> CaseModel:
    """Read and validate a case file (standard input for ``-``)."""
    return facts.parse(read_case_file(path), input_name(path))
