"""`xyguard evaluate --session ID`: was the session's goal addressed by the change? — and, separately, is the change good?

Exit codes: 0 when every objective and requirement is addressed (or unknown) and the change has no finding at or
above the fail level; 1 when an objective or requirement is not addressed or the change has such findings; 2 on
bad usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xyguard.analyzers.edits import Change

from .common import (EXIT_FINDINGS, EXIT_OK, UsageError, add_repo, load_settings, open_workspace, print_json, read_file,
                     resolve_repo, warn)


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="judge a change against a session's objectives and requirements")
    p.add_argument("--session", required=True, metavar="ID")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--diff", metavar="FILE", help="a unified diff file, or - for stdin (default: the work tree vs HEAD)")
    src.add_argument("--staged", action="store_true", help="the staged change (index vs HEAD)")
    add_repo(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--fail-level", choices=("error", "warning", "info", "hint"))
    p.set_defaults(func=run, select=None, ignore=None)


def _render_text(result: dict) -> str:
    from xyguard.analyzers.findings import Finding
    from xyguard.server.formats import count_line, render_findings

    goal = result["goal"]
    lines = [f"Was the underlying goal addressed? {goal['status']}"]
    for section in ("objectives", "requirements"):
        if result[section]:
            lines.append(f"  {section.capitalize()}:")
        for item in result[section]:
            where = item.get("source") or f"turn {item['turn']}"
            lines.append(f"    [{item['status']}] {item['text']} ({where})")
            for e in item["evidence"][:3]:
                lines.append(f"        {e}")
    if not result["objectives"]:
        lines.append("  (the session has no objectives yet: record requests with `xyguard request --session ID`)")
    for c in result.get("open_conflicts", []):
        lines.append(f"  unresolved conflict: turn {c['turn']} \"{c['text']}\" vs \"{c['earlier']['text']}\"")
    change = result["change"]
    findings = [Finding.from_dict(f) for f in change["findings"]]
    lines.append("")
    lines.append(f"Is the change good? {'yes' if change['ok'] else 'no'} — {count_line(findings)}")
    if findings:
        lines.append(render_findings(findings, group_by_file=True))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.pipeline import evaluate
    from xyguard.analyzers.session import SessionError, SessionStore

    repo = resolve_repo(args.repo, required=True)
    config = load_settings(args, repo)
    try:
        if not SessionStore(repo).exists(args.session):
            raise UsageError(f"no session {args.session!r} in {repo}")
    except SessionError as exc:
        raise UsageError(str(exc)) from None
    change: str | Change
    if args.diff is not None:
        change = read_file(args.diff, "--diff")
    else:
        from xyguard.analyzers.edits import source

        change = source.staged_change(repo) if args.staged else source.worktree_change(repo)
    try:
        result = evaluate(change, open_workspace(repo, config, session=args.session))
    except ValueError as exc:
        raise UsageError(f"--diff: {exc}") from None
    if "llm" in result:
        warn(result["llm"]["note"])
    if args.format == "json":
        print_json(result)
    else:
        sys.stdout.write(_render_text(result) + "\n")
    unmet = any(i["status"] == "not addressed" for i in result["objectives"] + result["requirements"])
    return EXIT_FINDINGS if unmet or not result["change"]["ok"] else EXIT_OK
