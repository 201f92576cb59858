"""The ``attest-rules`` command line. Every command has ``--format text|json``; errors never show
a traceback (set ATTEST_RULES_DEBUG=1 to see one)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from attest_rules.cli.analyst import register as register_analyst
from attest_rules.cli.evaluate import register as register_evaluation
from attest_rules.cli.forms import register as register_forms
from attest_rules.cli.legaltime import register as register_legal_time
from attest_rules.cli.monitor import register as register_monitor
from attest_rules.cli.options import add_interpretation, parse_date, terminal_safe
from attest_rules.cli.serve import register as register_serve
from attest_rules.errors import AttestRulesError, SpecError
from attest_rules.located.reader import stdin_unread
from attest_rules.messages import LANGS
from attest_rules.tools.schemas import SCHEMAS
from attest_rules.version import __version__

# the engine is imported by the commands that read a spec, when they run: the others (legal
# time, --version, help) start without it
if TYPE_CHECKING:
    from attest_rules.engine.regulation import Regulation


def _provision_id(reg: Regulation, text: str) -> str:
    """A bare number like ``7`` means what the spec's ``bare_number`` says (item 7)."""
    template = reg.document.bare_number
    return template.format(n=text) if text.isdigit() and template else text


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_check(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load

    reg = load(args.spec)
    if args.format == "json":
        _emit({"ok": True, "file": reg.file, "warnings": [w.as_dict() for w in reg.warnings]})
        return 0
    for warning in reg.warnings:
        print(warning)
    doc = reg.document
    count = len(reg.snapshot(reg.versions[0].id))
    print(
        f"{reg.file}: OK — {count} provisions in the base text, {len(reg.versions)} versions, "
        f"{len(doc.interpretations)} interpretations, {len(doc.restorations)} restorations"
    )
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.render import render_versions
    from attest_rules.tools.text_json import versions_json

    reg = load(args.spec)
    if args.format == "json":
        _emit(versions_json(reg))
    else:
        print(render_versions(reg))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.render import render_show
    from attest_rules.tools.text_json import regulation_json

    reg = load(args.spec)
    pid = _provision_id(reg, args.id) if args.id else None
    data = regulation_json(reg, args.on, dict(args.interpretation), pid)  # checks the id
    if args.format == "json":
        _emit(data)
    else:
        print(render_show(reg, reg.as_of(args.on, dict(args.interpretation)), pid, args.lang))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.render import render_diff
    from attest_rules.tools.text_json import diff_json

    reg = load(args.spec)
    choices = dict(args.interpretation)
    if args.format == "json":
        _emit(diff_json(reg, args.date_from, args.date_to, choices))
        return 0
    a, b = reg.as_of(args.date_from, choices), reg.as_of(args.date_to, choices)
    print(render_diff(reg, a, b, reg.diff(args.date_from, args.date_to, choices), args.lang))
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    """The shell's completion script for ``attest-rules`` (shtab), on standard output."""
    import shtab

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from attest_rules.engine.regulation import load
    from attest_rules.tools.schemas import schema_text

    reg = load(args.spec) if args.name == "case" and args.spec is not None else None
    sys.stdout.write(schema_text(args.name, reg))
    return 0


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, the name of a command, that command's own
    parser alone (``_Only``: a command's run never reads another's, and building all 18 took
    about 7 ms of every start). The whole parser serves help, completion and an unknown word."""
    parser = _Parser(
        prog="attest-rules",
        description="A regulation as a versioned, citable spec: its text on any date, its "
        "questions answered for cases, its forms and its monitor. Without --spec, the bundled "
        "spec (attest-rules versions lists its versions).",
    )
    parser.add_argument("--version", action="version", version=f"attest-rules {__version__}")
    sub: Any = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if only is not None:
        sub = _Only(sub, only)

    def command(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help_text: str,
        spec_option: bool = True,
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--format", choices=("text", "json"), default="text")
        if spec_option:
            p.add_argument(
                "--spec",
                default=None,
                metavar="PATH",
                help="a spec file (default: the bundled spec)",
            )
        return p

    p = command("check", cmd_check, "validate and lint a spec; exit 1 on errors", spec_option=False)
    p.add_argument("spec", nargs="?", default=None, metavar="SPEC")

    command("versions", cmd_versions, "list the versions and their effective dates")

    p = command(
        "show",
        cmd_show,
        "show a provision (and what is under it) as in force on a "
        "date; without ID, the whole regulation",
    )
    p.add_argument("id", nargs="?", metavar="ID", help="provision id; a bare number means rules.N")
    p.add_argument(
        "--on",
        type=parse_date,
        default=dt.date.today(),
        metavar="DATE",
        help="YYYY-MM-DD or 'today' (default)",
    )
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="kk",
        help="kk (official), ru (official, where held), en (unofficial gloss)",
    )
    add_interpretation(p)

    p = command("diff", cmd_diff, "what changed between the texts in force on two dates")
    p.add_argument("date_from", type=parse_date, metavar="FROM")
    p.add_argument("date_to", type=parse_date, metavar="TO")
    p.add_argument("--lang", choices=LANGS, default="kk")
    add_interpretation(p)

    p = command("schema", cmd_schema, "print a JSON Schema (case: the --spec's cases)")
    p.add_argument("name", choices=SCHEMAS)

    p = command(
        "completion",
        cmd_completion,
        "print the shell completion script (bash, zsh, tcsh); docs/cli.md says where it goes",
        spec_option=False,
    )
    p.add_argument("shell", choices=("bash", "zsh", "tcsh"))

    register_legal_time(sub)
    register_evaluation(sub)
    register_monitor(sub)
    register_serve(sub)
    register_analyst(sub)
    register_forms(sub)
    return parser


class _Only:
    """The subcommands' action as a command's registration sees it, building the parser of the
    command named ``only`` and none other: a command not asked for is registered as
    ``_Skipped``, which takes every call and keeps nothing."""

    def __init__(self, sub: Any, only: str) -> None:
        self.sub = sub
        self.only = only

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self.sub.add_parser(name, **kwargs) if name == self.only else _SKIPPED


class _Skipped:
    """A command's parser not built: whatever is added to it is dropped."""

    def __getattr__(self, name: str) -> Callable[..., _Skipped]:
        return self._drop

    def _drop(self, *args: Any, **kwargs: Any) -> _Skipped:
        return self


_SKIPPED = _Skipped()


def _parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser of the command ``argv`` names (its first word), else the whole parser."""
    word = argv[0] if argv and not argv[0].startswith("-") else None
    if word is None:
        return build_parser()
    parser = build_parser(only=word)
    if word in _subcommands(parser):
        return parser
    return build_parser(only="form")  # a word that is no command names a form (_as_form)


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _as_form(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``attest-rules FORM CASES...``: a word that is no command names a form of the spec."""
    commands = _subcommands(parser)
    if argv and not argv[0].startswith("-") and argv[0] not in commands:
        return ["form", *argv, "--alias"]
    return argv


def _error(text: str) -> None:
    print(terminal_safe(text), file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are JSON where the command line asks for it."""

    json_errors = False

    def error(self, message: str) -> NoReturn:
        if _Parser.json_errors:
            error = {"code": "usage", "message": message, "location": []}
            print(json.dumps({"error": error}, ensure_ascii=False))
            sys.exit(EXIT_USAGE)
        super().error(message)


EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
"""What ``attest-rules`` exits with (docs/cli.md#exit-codes): 0 done, and every answer or check
as asked; 1 a user's error (a file, a spec, facts, a date), a check, replay, verify or case file
that fails; 2 a command line that cannot be read; 70 an internal error (a bug: please report
it); 130 interrupted."""


def _wants_json(argv: list[str]) -> bool:
    return "--format=json" in argv or any(
        a == "--format" and b == "json" for a, b in itertools.pairwise(argv)
    )


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    _Parser.json_errors = _wants_json(words)
    parser = _parser_for(words)
    args = parser.parse_args(_as_form(parser, words))
    stdin_unread()
    as_json = getattr(args, "format", "text") == "json"

    def failed(exc: BaseException, text: list[str], code: int = EXIT_FAILED) -> int:
        if as_json:
            from attest_rules.tools.payloads import error_json

            data = error_json(exc)
            if code == EXIT_INTERNAL:
                data["error"]["code"] = "internal"
            print(json.dumps(data, ensure_ascii=False))
        else:
            for line in text:
                _error(line)
        return code

    try:
        result: int = args.func(args)
        return result
    except SpecError as exc:
        return failed(exc, [*(str(i) for i in exc.errors), f"{len(exc.errors)} error(s)"])
    except AttestRulesError as exc:  # a legal-time error is one
        return failed(exc, [f"attest-rules: {exc}"])
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        _error("attest-rules: interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:  # a file that cannot be read or written: the user's to fix
        where = f" {exc.filename}" if exc.filename else ""
        return failed(exc, [f"attest-rules: cannot use{where}: {exc.strerror or exc}"])
    except Exception as exc:
        if os.environ.get("ATTEST_RULES_DEBUG"):
            raise
        message = (
            f"attest-rules: internal error: {type(exc).__name__}: {exc} "
            "(set ATTEST_RULES_DEBUG=1 for the traceback)"
        )
        return failed(exc, [message], EXIT_INTERNAL)


def run() -> NoReturn:
    """The ``attest-rules`` command (its console script, and ``python -m attest_rules``):
    ``main``, then out of the process without tearing the interpreter down (``leave``).

    A command loads no pydantic plugin: the first model pydantic builds would otherwise read
    the entry points of every installed distribution to find them (about 10 ms of a command's
    300 with this repository's 106 distributions), for plugins that observe validation. Where
    ``PYDANTIC_DISABLE_PLUGINS`` is set (empty: load them all) it is pydantic's to read as it
    is; ``serve``, a process that lives on, loads them as pydantic does."""
    if "serve" not in sys.argv[1:]:
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    leave(main())


def leave(code: int) -> NoReturn:
    """Exit with ``code`` once every output is flushed and every exit handler has run, without
    the interpreter's teardown: freeing each of a loaded spec's objects one by one took about
    30 ms, a tenth of a command's whole time, for nothing a command still needs (its files are
    written and closed by then, each in its own ``with``). Where a thread of the command's is
    still at work, or the exit handlers cannot be run first, it exits as Python always does."""
    import atexit
    import threading

    run_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's, which os._exit skips
    main_thread = threading.main_thread()
    working = any(
        t.is_alive() and not t.daemon for t in threading.enumerate() if t is not main_thread
    )
    if working or run_handlers is None:
        sys.exit(code)
    run_handlers()  # logging's, multiprocessing's, weakref.finalize's...
    for stream in (sys.stdout, sys.stderr):
        # a reader gone away (a closed pipe), or a stream closed: nothing more to write
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
