"""`xyguard edit`: check a proposed change for drift; `batch_item` answers one line of `xyguard batch edits`.

The change is a diff (`--diff FILE` or `-` for stdin), the staged index
(`--staged`), or, with neither, the work tree against HEAD.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (EXIT_OK, UsageError, add_output, add_repo, exit_code, load_settings, maybe_enrich, print_json,
                     read_file, resolve_repo, warn)

MAX_REQUEST_CHARS = 1_000_000


def add_parser(sub) -> None:
    p = sub.add_parser("edit", help="check a proposed change (diff, staged index or work tree) for drift from the request")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--diff", metavar="FILE|-", help="a unified diff file, or - to read it from stdin")
    source.add_argument("--staged", action="store_true", help="check the staged index against HEAD")
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


def batch_item(obj: dict[str, Any], context: Any, config: Any) -> dict[str, Any]:
    """One `{id, diff, request?}` row -> the EditReport dict. ValueError for a row that cannot be checked."""
    from xyguard.analyzers.edits import check_edit

    if "diff" not in obj:
        raise ValueError("missing field: diff")
    diff = obj["diff"]
    if not isinstance(diff, (str, dict)):
        raise ValueError("'diff' must be a unified diff (string) or a workspace edit (object)")
    request = _optional_text(obj.get("request"), "'request'")
    return check_edit(diff, request=request, context=context, config=config).to_dict()


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
    from xyguard.analyzers.edits.source import staged_change, worktree_change

    if args.diff is not None:
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
    try:
        return staged_change(repo) if args.staged else worktree_change(repo)
    except GitError as exc:
        raise UsageError(str(exc)) from None


def _in_git(path) -> bool:
    from xyguard.analyzers.context.gitrun import is_git_worktree

    return is_git_worktree(path)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.edits import check_edit

    try:
        request = _optional_text(args.request, "--request")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    repo = resolve_repo(args.repo, required=args.diff is None)
    config = load_settings(args, repo)
    change = _load_change(args, repo)
    if not change.files:
        if args.format == "text":
            print("No changes to check.")
        elif args.format == "json":
            print_json({"findings": [], "summary": {"files": 0, "added": 0, "removed": 0},
                        "skipped": [{"check": "all", "reason": "the change is empty"}]})
        elif args.format == "sarif":
            from xyguard.server.formats import sarif

            print_json(sarif([]))
        return EXIT_OK
    context = None
    if repo is not None and (args.repo is not None or args.diff is None or (repo / ".git").exists()):
        from xyguard.analyzers.context import get_context

        try:
            context = get_context(repo, config=config)
        except Exception as exc:  # noqa: BLE001 - an unreadable repository still leaves the diff-only checks
            warn(f"cannot read the repository ({exc}); checking the change alone")
    hints: list[str] = []
    if args.session:
        from xyguard.analyzers.session import SessionError, scope_hints

        try:
            hints = scope_hints(repo, args.session)
        except (SessionError, ValueError) as exc:
            raise UsageError(f"--session {args.session}: {exc}") from None
    report = check_edit(change, request=request, context=context, config=config, scope_hints=hints)
    if args.session:
        from xyguard.analyzers.session import record_edit

        extra = config.apply(record_edit(repo, args.session, change, report, context=context))
        report.findings = sorted([*report.findings, *extra], key=lambda f: f.sort_key())
    data = maybe_enrich("enrich_edit", report.to_dict(), config, change.to_diff(), request, context)
    if "llm" in data:  # the model may only add findings; the report keeps every deterministic one
        from xyguard.analyzers.findings import Finding

        report.findings = [Finding.from_dict(f) for f in data["findings"]]
    if args.format == "json":
        print_json(data)
    elif args.format == "sarif":
        from xyguard.server.formats import sarif

        print_json(sarif(report.findings, request_uri="change.diff"))
    else:
        from xyguard.server.formats import use_colour

        print(_render_text(report, use_colour(sys.stdout)))
    return exit_code(report.findings, config.fail_level) if report.findings else EXIT_OK
