"""`xyguard request [TEXT|-]`: analyse one coding request; `batch_item` answers one line of `xyguard batch requests`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (EXIT_OK, UsageError, add_output, add_repo, exit_code, load_settings, maybe_enrich, print_json,
                     read_input, resolve_repo, warn)

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


def batch_item(obj: dict[str, Any], context: Any, config: Any) -> dict[str, Any]:
    from xyguard.analyzers.request import analyze_request

    if "text" not in obj:
        raise ValueError("missing field: text")
    return analyze_request(_text(obj["text"], "'text'"), context=context, config=config).to_dict()


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
    from xyguard.analyzers.request import analyze_request

    raw = read_input(args.text if args.text is not None else "-", "request")
    if args.text is None and sys.stdin.isatty():
        raise UsageError("no request given: pass TEXT, or - and pipe it on stdin")
    try:
        text = _text(raw, "the request")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    repo = resolve_repo(args.repo)
    config = load_settings(args, repo)
    context = None
    if repo is not None and (args.repo is not None or (repo / ".git").exists()):
        try:
            from xyguard.analyzers.context import get_context

            context = get_context(repo, config=config)
        except ImportError:  # the workspace indexer is unavailable in this build: analyse the text alone
            warn("workspace context unavailable; analysing the request text only")
    report = analyze_request(text, context=context, config=config)
    if args.session:
        try:
            from xyguard.analyzers.session import record_request
        except ImportError:
            raise UsageError("--session: session tracking is not available in this build") from None
        if repo is None:
            raise UsageError("--session needs a readable --repo folder to keep the session in")
        extra = config.apply(record_request(repo, args.session, text, report))
        if extra:
            report.findings = sorted([*report.findings, *extra], key=lambda f: f.sort_key())
            from xyguard.analyzers.request import question

            report.clarify_needed, report.question, report.clarify_codes = question.decide(report.findings, report.complexity)
    data = maybe_enrich("enrich_request", report.to_dict(), config, text, context)
    from xyguard.analyzers.findings import Finding

    findings = [Finding.from_dict(f) for f in data["findings"]]
    if args.format == "json":
        print_json(data)
    elif args.format == "sarif":
        from xyguard.server.formats import sarif

        print_json(sarif(findings))
    else:
        from xyguard.server.formats import use_colour

        print(_render_text(data, findings, use_colour()))
    return exit_code(findings, config.fail_level) if findings else EXIT_OK
