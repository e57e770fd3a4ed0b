"""The `xyguard` command: a thin dispatcher over one module per subcommand.

Each subcommand module defines `add_parser(subparsers)` and sets `func` to
`run(args) -> int`. Modules import the analyzers inside `run`, so that
`xyguard lsp` starts without loading what it does not need.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..version import VERSION
from .common import EXIT_USAGE, UsageError, report_error

# Order is the order shown in --help.
COMMANDS = ["request", "edit", "batch", "index", "rules", "demo", "lsp", "hook", "session", "evaluate", "traces", "agent", "mcp"]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that subcommand's (a hook run should not import every command)."""
    parser = argparse.ArgumentParser(
        prog="xyguard",
        description="Catch the intent gap before a coding agent acts: XY problems, underspecified requests, "
                    "and edits that drift from what the user assumed.",
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


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    parser = build_parser(only=args_in[0] if args_in else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        report_error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        report_error("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # git's safe.directory refusal can surface from any command that reads a repository; it is the
        # user's decision to make, so it is a usage error, not a crash. (Looked up, not imported: the
        # module is loaded whenever it can have raised.)
        gitrun = sys.modules.get("xyguard.analyzers.context.gitrun")
        if gitrun is not None and isinstance(exc, gitrun.UnsafeRepository):
            report_error(str(exc))
            return EXIT_USAGE
        raise
