"""`xyguard edit`: check a proposed change for drift; `batch_item` answers one line of `xyguard batch edits`.

The change is a diff (`--diff FILE` or `-` for stdin), the staged index
(`--staged`), or the work tree against HEAD (`--worktree`, the default):
staged, unstaged and untracked (not ignored) changes together, optionally
narrowed to the PATHs given (as Aider's `--lint-cmd` appends them).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (EXIT_FINDINGS, EXIT_OK, UsageError, add_output, add_repo, load_settings, open_workspace, print_json,
                     read_file, resolve_repo, warn_model_note)

MAX_REQUEST_CHARS = 1_000_000


def add_parser(sub) -> None:
    p = sub.add_parser("edit", help="check a proposed change (diff, staged index or work tree) for drift from the request")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--diff", metavar="FILE|-", help="a unified diff file, or - to read it from stdin")
    source.add_argument("--staged", action="store_true", help="check the staged index against HEAD")
    source.add_argument("--worktree", action="store_true",
                        help="check the work tree against HEAD: staged, unstaged and untracked (not ignored) changes "
                             "together (the default)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="with the work tree: only these files or folders")
    p.add_argument("--request", metavar="TEXT", help="the request the change answers (enables scope and rewrite checks)")
    add_repo(p)
    p.add_argument("--session", metavar="ID", help="judge scope against the session's objectives and record the edit in it")
    add_output(p)
    p.set_defaults(func=run)


def _optional_text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string")
    value = value.replace("\0", "")
    if len(value) > MAX_REQUEST_CHARS:
        raise ValueError(f"{what} is {len(value)} characters; the limit is {MAX_REQUEST_CHARS}")
    return value if value.strip() else None


def batch_item(obj: dict[str, Any], ws) -> dict[str, Any]:
    """One `{id, diff, request?}` row -> the EditReport dict. ValueError for a row that cannot be checked."""
    from xyguard.analyzers.pipeline import check_edit

    if "diff" not in obj:
        raise ValueError("missing field: diff")
    diff = obj["diff"]
    if not isinstance(diff, (str, dict)):
        raise ValueError("'diff' must be a unified diff (string) or a workspace edit (object)")
    request = _optional_text(obj.get("request"), "'request'")
    return check_edit(diff, ws, request=request, record=False).to_dict()


def _render_text(report, colour: bool) -> str:
    from xyguard.server.formats import count_line, render_findings

    parts = []
    if report.findings:
        parts.append(render_findings(report.findings, colour=colour, default_path="<change>", group_by_file=True))
    parts.append(f"{count_line(report.findings)} Checked {report.files} file{'s' if report.files != 1 else ''} "
                 f"(+{report.added} -{report.removed}).")
    if report.skipped:
        parts.append("Not checked:")
        parts += [f"  {s.check}: {s.reason}" for s in report.skipped]
    return "\n".join(parts)


def _load_change(args: argparse.Namespace, repo):
    from xyguard.analyzers.context.gitrun import GitError
    from xyguard.analyzers.edits import Change
    from xyguard.analyzers.edits.source import staged_change

    if args.diff is not None:
        if args.paths:
            raise UsageError("PATH arguments narrow the work tree; they do not apply to --diff")
        if args.diff == "-" and sys.stdin.isatty():
            raise UsageError("--diff -: pipe the diff on stdin")
        text = read_file(args.diff, "diff")
        if not text.strip():
            return Change()  # `git diff | xyguard edit --diff -` with nothing changed is not an error
        try:
            return Change.from_diff(text)
        except ValueError as exc:
            raise UsageError(f"--diff {args.diff}: {exc}") from None
    if repo is None or not (repo / ".git").exists() and not _in_git(repo):
        what = "--staged needs" if args.staged else "checking the work tree needs"
        raise UsageError(f"{what} a git repository (use --repo DIR, or pass --diff FILE)")
    if args.paths and args.staged:
        raise UsageError("PATH arguments narrow the work tree; they do not apply to --staged")
    try:
        return staged_change(repo) if args.staged else _worktree_change(repo, args.paths)
    except GitError as exc:
        raise UsageError(str(exc)) from None


def _worktree_change(repo, paths: list[str]):
    """The work tree against HEAD, narrowed to PATH arguments (relative to the current folder, or absolute)."""
    import os
    from pathlib import Path

    from xyguard.analyzers.context.gitrun import Git
    from xyguard.analyzers.edits import Change
    from xyguard.analyzers.edits.source import worktree_change

    if not paths:
        return worktree_change(repo)
    top = Path(os.path.realpath(Git(repo).toplevel() or repo))
    files: list[str] = []
    folders: list[str] = []
    for raw in paths:
        full = Path(os.path.realpath(Path(raw) if Path(raw).is_absolute() else Path.cwd() / raw))
        try:
            rel = full.relative_to(top).as_posix()
        except ValueError:
            raise UsageError(f"{raw}: outside the repository {top}") from None
        (folders if full.is_dir() else files).append(rel)
    if not folders:
        return worktree_change(repo, paths=files)  # only the named files are read
    whole = worktree_change(repo)
    keep = [fc for fc in whole if fc.path in files or any(f in (".", "") or fc.path.startswith(f + "/") for f in folders)]
    return Change(files=keep, notes=whole.notes)


def _in_git(path) -> bool:
    from xyguard.analyzers.context.gitrun import is_git_worktree

    return is_git_worktree(path)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.pipeline import check_edit
    from xyguard.analyzers.session import SessionError

    try:
        request = _optional_text(args.request, "--request")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    repo = resolve_repo(args.repo, required=args.diff is None)
    if args.session and repo is None:
        raise UsageError("--session needs a readable --repo folder to keep the session in")
    config = load_settings(args, repo)
    change = _load_change(args, repo)
    if not change.files:
        return _nothing_to_check(args.format)
    index = repo is not None and (args.repo is not None or args.diff is None or (repo / ".git").exists())
    ws = open_workspace(repo, config, session=args.session, index=index)
    try:
        report = check_edit(change, ws, request=request)
    except SessionError as exc:
        raise UsageError(f"--session {args.session}: {exc}") from None
    warn_model_note(report)
    if args.format == "json":
        print_json(report.to_dict())
    elif args.format == "sarif":
        from xyguard.server.formats import sarif

        print_json(sarif(report.findings, request_uri="change.diff"))
    else:
        from xyguard.server.formats import use_colour

        print(_render_text(report, use_colour(sys.stdout)))
    return EXIT_FINDINGS if report.blocking else EXIT_OK


def _nothing_to_check(fmt: str) -> int:
    if fmt == "text":
        print("No changes to check.")
    elif fmt == "json":
        from xyguard.analyzers.contract import versioned

        print_json(versioned({"findings": [], "summary": {"files": 0, "added": 0, "removed": 0},
                    "skipped": [{"check": "all", "reason": "the change is empty"}], "blocking": False}))
    elif fmt == "sarif":
        from xyguard.server.formats import sarif

        print_json(sarif([]))
    return EXIT_OK
