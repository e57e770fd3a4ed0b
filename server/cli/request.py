"""`xyguard request [TEXT|-]`: analyse one coding request; `batch_item` answers one line of `xyguard batch requests`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (EXIT_FINDINGS, EXIT_OK, UsageError, add_output, add_repo, load_settings, open_workspace, print_json,
                     read_input, resolve_repo, warn_model_note)

MAX_REQUEST_CHARS = 1_000_000


def add_parser(sub) -> None:
    p = sub.add_parser("request", help="analyse a coding request: XY problems, underspecification, one clarifying question")
    p.add_argument("text", nargs="?", metavar="TEXT|-", help="the request text, or - to read it from stdin (default: stdin)")
    add_repo(p)
    p.add_argument("--session", metavar="ID", help="record this turn in the session's goal state and check it against earlier turns")
    add_output(p)
    p.set_defaults(func=run)


def _text(obj_text: Any, what: str) -> str:
    if not isinstance(obj_text, str):
        raise ValueError(f"{what} must be a string")
    text = obj_text.replace("\0", "")
    if not text.strip():
        raise ValueError(f"{what} is empty")
    if len(text) > MAX_REQUEST_CHARS:
        raise ValueError(f"{what} is {len(text)} characters; the limit is {MAX_REQUEST_CHARS}")
    return text


def batch_item(obj: dict[str, Any], ws) -> dict[str, Any]:
    from xyguard.analyzers.pipeline import analyse_request

    if "text" not in obj:
        raise ValueError("missing field: text")
    return analyse_request(_text(obj["text"], "'text'"), ws).to_dict()


def _render_text(data: dict, findings: list, colour: bool) -> str:
    from xyguard.server.formats import count_line, render_findings

    parts = []
    if findings:
        parts.append(render_findings(findings, colour=colour, default_path="<request>"))
    parts.append(count_line(findings) + f" Complexity: {data['complexity']}.")
    if data["clarify"]["needed"]:
        parts.append(f"Ask before acting: {data['clarify']['question']}")
    else:
        parts.append("No clarifying question needed.")
    return "\n".join(parts)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.pipeline import analyse_request

    raw = read_input(args.text if args.text is not None else "-", "request")
    if args.text is None and sys.stdin.isatty():
        raise UsageError("no request given: pass TEXT, or - and pipe it on stdin")
    try:
        text = _text(raw, "the request")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    repo = resolve_repo(args.repo)
    if args.session and repo is None:
        raise UsageError("--session needs a readable --repo folder to keep the session in")
    index = repo is not None and (args.repo is not None or (repo / ".git").exists())
    ws = open_workspace(repo, load_settings(args, repo), session=args.session, index=index)
    report = analyse_request(text, ws)
    warn_model_note(report)
    data = report.to_dict()
    if args.format == "json":
        print_json(data)
    elif args.format == "sarif":
        from xyguard.server.formats import sarif

        print_json(sarif(report.findings))
    else:
        from xyguard.server.formats import use_colour

        print(_render_text(data, report.findings, use_colour()))
    return EXIT_FINDINGS if report.blocking else EXIT_OK
