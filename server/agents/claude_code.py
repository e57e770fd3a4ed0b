"""Claude Code hooks: one hook event (JSON on stdin) in, the host's answer (JSON on stdout, exit 0) out.

The event shapes and answers are the ones the Claude Code hooks reference defines (copies of its examples
are in tests/fixtures/agents/claude_code/):

- UserPromptSubmit {session_id, cwd, prompt}: the prompt is analysed with the repository and the session's
  goal state (the session id is the host's `session_id`; the turn is recorded). When a question is
  warranted the answer either blocks the prompt with the question as the reason (`agent.questions =
  "block"`) or adds it, with the concretized request and the constraints in force, as `additionalContext`
  for the model (`"context"`, the default), or says nothing (`"off"`).
- PreToolUse {tool_name: Edit|MultiEdit|Write, tool_input}: the proposed change is built against the file
  on disk and checked against the repository, the session's constraints and the session's whole change.
  `permissionDecision` is `deny` (a finding at or above `agent.deny-level`, with a reason the model can act
  on), `ask` (at or above `agent.ask-level`), or, for a clean edit, `allow` only when `agent.approve-clean`
  is set: otherwise no decision, so the host's own permission flow stays as the user configured it.
  An edit that is let through is recorded in the session (a denied one never happened).
- Stop {stop_hook_active}: with `agent.stop-check`, when the session's goal clearly was not addressed by
  the session's change, `decision: block` with that as the reason to continue (never when the host is
  already continuing because of a stop hook).

Exit codes: always 0 with JSON on stdout (the structured path). Claude Code reads exit 2 as "block" and
other codes as a notice, while xyguard's CLI uses 1 for findings and 2 for usage errors, so the CLI's codes
are never passed through. On bad input or an internal error the hook fails open: exit 0, one line on
stderr, and a `systemMessage` telling the user the action was not checked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .tool_edits import EDIT_TOOLS, NotCheckable

MAX_EVENT_BYTES = 16 * 1024 * 1024  # a Write carries the whole file
MAX_REASON_FINDINGS = 6  # the model acts on a short list; the rest are summarised
HOOK_EVENTS = ("UserPromptSubmit", "PreToolUse", "Stop")
NO_DECISION: dict[str, Any] = {}


class BadEvent(ValueError):
    """The hook input is not an event this adapter can read; the message says why."""


# ---- input ---------------------------------------------------------------------------------------


def parse_event(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_EVENT_BYTES:
        raise BadEvent(f"the hook event is larger than {MAX_EVENT_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise BadEvent("no hook event on stdin")
    try:
        event = json.loads(data.decode("utf-8", errors="replace"))
    except ValueError as exc:
        raise BadEvent(f"the hook event is not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise BadEvent("the hook event is not a JSON object")
    name = event.get("hook_event_name")
    if not isinstance(name, str):
        raise BadEvent("the hook event has no hook_event_name")
    return event


def repository_root(event: dict[str, Any]) -> Path:
    """The work tree the event is about: the nearest folder holding `.git` (a folder, or a worktree's file) at or
    above the event's cwd (else the host's project dir, else ours). Found on disk: a git process per hook run
    costs more than the walk."""
    cwd = event.get("cwd")
    candidates = [cwd] if isinstance(cwd, str) and cwd else []
    candidates.append(os.environ.get("CLAUDE_PROJECT_DIR") or os.getcwd())
    for candidate in candidates:
        path = Path(candidate).absolute()
        if not path.is_dir():
            continue
        for folder in (path, *path.parents):
            if (folder / ".git").exists():
                return folder
        return path
    raise BadEvent(f"the event's cwd {cwd!r} is not a folder")


def _session_id(event: dict[str, Any], notes: list[str]) -> str | None:
    from xyguard.analyzers.session import SessionError, check_session_id

    sid = event.get("session_id")
    if not isinstance(sid, str) or not sid:
        notes.append("the event has no session_id: checked without the session")
        return None
    try:
        return check_session_id(sid)
    except SessionError as exc:
        notes.append(f"{exc}: checked without the session")
        return None


def open_workspace(event: dict[str, Any], config=None, notes: list[str] | None = None, *, session: bool = True):
    """The pipeline's Workspace for this event (configuration from the repository, then `config` overrides)."""
    from xyguard.analyzers.config import load_config
    from xyguard.analyzers.pipeline import Workspace

    notes = notes if notes is not None else []
    root = repository_root(event)
    cfg = config(load_config(root)) if callable(config) else (config or load_config(root))
    # A fresh process per event: the history's co-change table is decoded only if a check reads it.
    ws = Workspace.open(root, config=cfg, session=_session_id(event, notes) if session else None, lean=True)
    notes.extend(ws.notes)
    return ws


# ---- answers -------------------------------------------------------------------------------------


def _finding_line(f) -> str:
    where = f" ({f.path})" if f.path else ""
    line = f"- {f.code} [{f.severity}]{where}: {f.message}"
    if f.fix:
        line += f" Fix: {f.fix}"
    elif f.question:
        line += f" Ask: {f.question}"
    return line


def _findings_block(findings) -> str:
    shown = [_finding_line(f) for f in findings[:MAX_REASON_FINDINGS]]
    if len(findings) > MAX_REASON_FINDINGS:
        shown.append(f"- ... and {len(findings) - MAX_REASON_FINDINGS} more")
    return "\n".join(shown)


def edit_decision(findings, agent) -> str:
    """'deny', 'ask' or 'clean' for these findings under the agent settings."""
    from xyguard.analyzers.findings import at_or_above

    if any(at_or_above(f.severity, agent.deny_level) for f in findings):
        return "deny"
    if agent.ask_level and any(at_or_above(f.severity, agent.ask_level) for f in findings):
        return "ask"
    return "clean"


def _pre_tool_answer(decision: str, reason: str, context: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"hookEventName": "PreToolUse", "permissionDecision": decision,
                           "permissionDecisionReason": reason}
    if context:
        out["additionalContext"] = context
    return {"hookSpecificOutput": out}


def fail_open(message: str) -> dict[str, Any]:
    """What the host gets when xyguard could not check: nothing is blocked, and the user is told."""
    return {"systemMessage": f"xyguard did not check this: {message}"}


# ---- events --------------------------------------------------------------------------------------


def on_prompt(event: dict[str, Any], config=None, notes: list[str] | None = None) -> dict[str, Any]:
    from xyguard.analyzers.pipeline import analyse_request

    prompt = event.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return NO_DECISION
    notes = notes if notes is not None else []
    ws = open_workspace(event, config, notes)
    mode = ws.config.agent.questions
    if mode == "block":
        # A blocked prompt is erased by the host: it is not a turn of the session unless it goes through.
        report = analyse_request(prompt, ws, record=False)
        if report.clarify_needed and report.question:
            return {"decision": "block", "reason": f"xyguard: before this can be acted on: {report.question}"}
        report = analyse_request(prompt, ws)  # let through: now it is a turn (opt-in mode, so the second pass is rare)
    else:
        report = analyse_request(prompt, ws)
    conflicts = [f for f in report.findings if f.code == "XY107"]
    if mode == "off" or not (report.clarify_needed and report.question) and not conflicts:
        return NO_DECISION
    lines = ["xyguard checked this request against the repository and the session:"]
    if report.clarify_needed and report.question:
        lines.append(f"- Before acting, ask the user: {report.question}")
    for f in conflicts:
        lines.append(f"- {f.message}")
    if report.concretized:
        lines.append(f"Concretized request: {report.concretized}")
    state = ws.goal_state()
    if state is not None:
        lines.append(state.context_prefix())
    return {"hookSpecificOutput": {"hookEventName": "UserPromptSubmit", "additionalContext": "\n".join(lines)}}


def on_tool(event: dict[str, Any], config=None, notes: list[str] | None = None) -> dict[str, Any]:
    from xyguard.analyzers.pipeline import check_edit, record_edit

    from .tool_edits import proposed_change

    tool = event.get("tool_name")
    if tool not in EDIT_TOOLS:
        return NO_DECISION  # not a file edit (the installed matcher sends only these)
    notes = notes if notes is not None else []
    ws = open_workspace(event, config, notes)
    cwd = event.get("cwd")
    try:
        change = proposed_change(ws.root, tool, event.get("tool_input"), cwd=Path(cwd) if isinstance(cwd, str) else None,
                                 max_bytes=ws.config.max_file_bytes)
    except NotCheckable as exc:
        notes.append(f"{tool} not checked: {exc}")
        return NO_DECISION
    if not change.files:
        return NO_DECISION
    report = check_edit(change, ws, record=False, judge_session=True)
    agent = ws.config.agent
    decision = edit_decision(report.findings, agent)
    path = change.files[0].path
    if decision == "deny":
        return _pre_tool_answer("deny", (
            f"xyguard refused this {tool} of {path}: it goes against what the user asked or what the repository "
            f"keeps.\n{_findings_block(report.findings)}\n"
            "Change the edit so it keeps to the request, or ask the user whether to go ahead."))
    record_edit(ws, change, report)  # let through (possibly after the user agrees): it is part of the session now
    if decision == "ask":
        block = _findings_block(report.findings)
        return _pre_tool_answer("ask", f"xyguard: this {tool} of {path} may drift from the request:\n{block}",
                                context=f"xyguard flagged this edit of {path}:\n{block}")
    if agent.approve_clean:
        return _pre_tool_answer("allow", f"xyguard: no drift found in this {tool} of {path}")
    return NO_DECISION


def on_stop(event: dict[str, Any], config=None, notes: list[str] | None = None) -> dict[str, Any]:
    from xyguard.analyzers.pipeline import evaluate

    notes = notes if notes is not None else []
    if event.get("stop_hook_active") is True:
        return NO_DECISION  # already continuing because of a stop hook: never loop
    ws = open_workspace(event, config, notes)
    if not ws.config.agent.stop_check or not ws.has_session:
        return NO_DECISION
    state = ws.goal_state()
    if state is None or not state.edits or not state.active("objectives"):
        return NO_DECISION  # no edits this session: nothing to judge the goal by (the answer may have been prose)
    from xyguard.analyzers.edits.source import worktree_change
    from xyguard.analyzers.session import session_paths

    change = worktree_change(ws.root, paths=session_paths(ws.root, ws.session), max_bytes=ws.config.max_file_bytes)
    if not change.files:
        return NO_DECISION  # the session's work is committed (or undone): nothing left to judge it by
    result = evaluate(change, ws)
    if result["goal"]["status"] != "not addressed":
        return NO_DECISION
    missing = [f"- {o['text']} ({'; '.join(o['evidence'][:2])})" for o in result["objectives"]
               if o["status"] == "not addressed"]
    return {"decision": "block", "reason": "xyguard: the session's goal does not look addressed by the changes "
                                          "made so far:\n" + "\n".join(missing)
                                          + "\nFinish it, or tell the user why it cannot be done."}


HANDLERS = {"UserPromptSubmit": on_prompt, "PreToolUse": on_tool, "Stop": on_stop}


def answer(data: bytes, config=None) -> tuple[dict[str, Any], list[str]]:
    """The answer to one hook event and notes for stderr. Fails open: never raises for bad input or a bug."""
    notes: list[str] = []
    try:
        event = parse_event(data)
        handler = HANDLERS.get(event["hook_event_name"])
        if handler is None:
            return NO_DECISION, notes
        return handler(event, config, notes), notes
    except BadEvent as exc:
        notes.append(str(exc))
        return fail_open(str(exc)), notes
    except Exception as exc:  # noqa: BLE001 - an agent must never be wedged by our bug
        if os.environ.get("XYGUARD_DEBUG"):
            import traceback

            traceback.print_exc()
        message = _describe(exc)
        notes.append(message)
        return fail_open(message), notes


def _describe(exc: Exception) -> str:
    from xyguard.analyzers.config import ConfigError

    if isinstance(exc, ConfigError):
        return f"configuration: {exc}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"internal error ({type(exc).__name__}{': ' + text if text else ''})"
