"""The `xyguard` command: a thin dispatcher over one module per subcommand.

Each subcommand module defines `add_parser(subparsers)` and sets `func` to
`run(args) -> int`. Modules import the analyzers inside `run`, so that
`xyguard lsp` starts without loading what it does not need.

Whatever goes wrong ends in one line on stderr and an exit code that says
what kind of failure it was: 2 for usage, input and environment problems
(a bad session, configuration, a closed or full output), 3 when xyguard
itself failed (never 1: a crashing hook must not look like a block);
XYGUARD_DEBUG=1 shows the traceback.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from typing import NoReturn

from ..version import VERSION
from .common import EXIT_INTERNAL, EXIT_USAGE, UsageError, report_error

EPILOG = ("exit codes: 0 nothing at or above the fail level, 1 findings at or above it, "
          "2 usage or input error, 3 internal error (xyguard failed; XYGUARD_DEBUG=1 shows the traceback)")

# Order is the order shown in --help.
COMMANDS = ["request", "edit", "batch", "index", "rules", "demo", "lsp", "hook", "session", "evaluate", "traces", "agent", "mcp"]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that subcommand's (a hook run should not import every command)."""
    parser = argparse.ArgumentParser(
        prog="xyguard",
        description="Catch the intent gap before a coding agent acts: XY problems, underspecified requests, "
                    "and edits that drift from what the user assumed.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"xyguard {VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [only] if only in COMMANDS else COMMANDS:
        module_name = f"{__name__}.{name.replace('-', '_')}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # tests/test_cli.py requires every listed command to exist
        module.add_parser(sub)
    return parser


def run() -> NoReturn:
    """The `xyguard` command: `main()`, then leave without the interpreter's teardown.

    By the time main returns, everything is written and closed (the cache, sessions, the output) and every
    thread we start is a daemon; what is left is freeing a large index's objects one by one (~40 ms after a
    cold index of SQLAlchemy) and a last garbage collection, which nobody waits for."""
    code = main()
    if "logging" in sys.modules:  # its handlers flush at exit; os._exit skips that
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # main reported what it could not write
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    if sys.stdout is None:  # started with stdout closed (`>&-`): nothing could be reported
        report_error("standard output is closed")
        return EXIT_USAGE
    _safe_streams()
    args_in = sys.argv[1:] if argv is None else argv
    parser = build_parser(only=args_in[0] if args_in else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on usage errors, 0 on --help
        return _flushed(int(exc.code or 0))
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _flushed(int(args.func(args)))
    except UsageError as exc:
        report_error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        report_error("interrupted")
        return 130
    except BrokenPipeError:
        return _output_closed()
    except RecursionError as exc:
        return _internal("input nested too deeply to process", exc, getattr(args, "failure_prefix", None))
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EPIPE) and _is_stdout_error(exc):
            return _output_failed(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        report_error(f"{exc.strerror or exc}{where}")
        return EXIT_USAGE
    except Exception as exc:
        if _is_input_error(exc):
            report_error(str(exc))
            return EXIT_USAGE
        return _internal(f"{type(exc).__name__}: {_first_line(exc)}", exc, getattr(args, "failure_prefix", None))


def _flushed(code: int) -> int:
    """Flush stdout now, so a closed or full output is reported here rather than at interpreter exit."""
    try:
        if not sys.stdout.closed:  # the language server closes it on exit
            sys.stdout.flush()
    except BrokenPipeError:
        return _output_closed()
    except OSError as exc:
        return _output_failed(exc)
    return code


def _safe_streams() -> None:
    """Text that cannot be encoded (file names that are not UTF-8) is escaped rather than fatal."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def _drop_stdout() -> None:
    """Point fd 1 at /dev/null so the interpreter's last flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _output_closed() -> int:
    """The reader went away (`xyguard rules | head -1`): not a failure to shout about, but not a clean run."""
    _drop_stdout()
    return 0


def _output_failed(exc: OSError) -> int:
    _drop_stdout()
    report_error(f"cannot write the output: {exc.strerror or exc}")
    return EXIT_USAGE


def _is_stdout_error(exc: OSError) -> bool:
    return exc.filename is None


def _is_input_error(exc: Exception) -> bool:
    """Errors the analyzers raise about what the user gave them: a bad session file, bad configuration, or a
    repository the user must decide to trust. Looked up, not imported: each module is loaded when it can have
    raised."""
    for module, name in (("xyguard.analyzers.session.store", "SessionError"),
                         ("xyguard.analyzers.config", "ConfigError"),
                         ("xyguard.analyzers.context.gitrun", "UnsafeRepository")):
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and isinstance(exc, cls):
            return True
    return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else "no message"


def _internal(message: str, exc: BaseException | None = None, prefix: str | None = None) -> int:
    """One line for a failure of xyguard itself (a subcommand may name it its way: the hook's "xyguard failed")."""
    if os.environ.get("XYGUARD_DEBUG") and exc is not None:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    print(f"{prefix or 'xyguard: internal error'}: {message} (exit {EXIT_INTERNAL}; XYGUARD_DEBUG=1 shows the traceback)",
          file=sys.stderr)
    return EXIT_INTERNAL
