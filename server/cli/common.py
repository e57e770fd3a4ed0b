"""What every subcommand shares: exit codes, --repo/--format/selection flags, input reading, output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Literal, overload

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
MAX_INPUT_BYTES = 8 * 1024 * 1024


class UsageError(Exception):
    """Bad usage or unusable input: reported on stderr as one line, exit code 2."""


def report_error(message: str) -> None:
    print(f"xyguard: error: {message}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"xyguard: warning: {message}", file=sys.stderr)


def add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", metavar="DIR", help="the repository or folder the input is about (default: .)")


def add_output(parser: argparse.ArgumentParser, formats=("text", "json", "sarif")) -> None:
    parser.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    parser.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to enable (e.g. XY,DR202)")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--fail-level", choices=("error", "warning", "info", "hint"),
                        help="exit 1 when a finding is at or above this severity (default: warning)")


@overload
def resolve_repo(value: str | None, *, required: Literal[True]) -> Path: ...
@overload
def resolve_repo(value: str | None, *, required: bool = False) -> Path | None: ...


def resolve_repo(value: str | None, *, required: bool = False) -> Path | None:
    """The --repo folder, checked: it must exist, be a directory and be readable."""
    if value is None:
        if required:
            return Path.cwd()
        cwd = Path.cwd()
        return cwd if os.access(cwd, os.R_OK | os.X_OK) else None
    path = Path(value).expanduser()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UsageError(f"--repo {value}: no such directory") from None
    except PermissionError:
        raise UsageError(f"--repo {value}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"--repo {value}: {exc.strerror}") from None
    import stat as stat_module

    if not stat_module.S_ISDIR(st.st_mode):
        raise UsageError(f"--repo {value}: not a directory")
    if not os.access(path, os.R_OK | os.X_OK):
        raise UsageError(f"--repo {value}: permission denied")
    return path.resolve()


def load_settings(args: argparse.Namespace, repo: Path | None):
    """Configuration from the repository's files, then the command-line flags on top."""
    from xyguard.analyzers.config import ConfigError, load_config

    try:
        cfg = load_config(repo)
        overrides: dict[str, Any] = {}
        for key in ("select", "ignore"):
            if getattr(args, key, None):
                overrides[key] = args.__dict__[key]
        if getattr(args, "fail_level", None):
            overrides["fail_level"] = args.fail_level
        return cfg.with_overrides(overrides, "command line") if overrides else cfg
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def decode_input(data: bytes, what: str) -> str:
    """Bytes from a file or stdin -> text: invalid UTF-8 replaced, NULs dropped, size capped."""
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{what} is {len(data) // (1024 * 1024)} MB; the limit is {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    text = data.decode("utf-8-sig", errors="replace")
    if "\0" in text:
        warn(f"{what} contains NUL bytes; they were removed")
        text = text.replace("\0", "")
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        warn(f"{what} is not valid UTF-8; undecodable bytes were replaced")
    return text


def read_input(value: str | None, what: str, *, allow_stdin: bool = True) -> str | None:
    """`-` reads stdin, a path-like value is NOT guessed: callers decide. Returns None when absent."""
    if value is None:
        return None
    if value == "-":
        if not allow_stdin:
            raise UsageError(f"{what}: stdin is not accepted here")
        return decode_input(sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), what)
    return value


def read_file(path: str, what: str) -> str:
    if path == "-":
        return decode_input(sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), what)
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{what} {path}: no such file")
    if p.is_dir():
        raise UsageError(f"{what} {path}: is a directory")
    try:
        with p.open("rb") as fh:
            return decode_input(fh.read(MAX_INPUT_BYTES + 1), f"{what} {path}")
    except PermissionError:
        raise UsageError(f"{what} {path}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{what} {path}: {exc.strerror}") from None


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def open_workspace(repo: Path | None, config, *, session: str | None = None, index: bool = True):
    """The pipeline's Workspace for this command: what it says about the repository goes to stderr.
    A session id is checked here so a bad one is a usage error, not a crash later."""
    from xyguard.analyzers.pipeline import Workspace

    if session is not None:
        from xyguard.analyzers.session import SessionError, check_session_id

        try:
            check_session_id(session)
        except SessionError as exc:
            raise UsageError(f"--session: {exc}") from None
    ws = Workspace.open(repo, config=config, session=session, index=index)
    for note in ws.notes:
        warn(note)
    return ws


def warn_model_note(report) -> None:
    """Whether the optional model was used, and why not, on stderr (never on stdout: it may be JSON)."""
    note = (getattr(report, "llm", None) or {}).get("note")
    if note:
        warn(note)
