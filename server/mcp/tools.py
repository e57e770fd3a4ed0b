"""What each MCP tool does, without the SDK: input checks, one pipeline call, the JSON and a one-line summary.

Kept apart from the server module so the tools are plain functions over the pipeline (the SDK only
carries them), and each result is the same JSON the CLI prints for the same question.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

MAX_TEXT_CHARS = 1_000_000


class ToolInputError(ValueError):
    """Arguments a tool cannot act on; the message tells the model what to send instead."""


def _text(value: Any, what: str, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise ToolInputError(f"'{what}' is required")
        return None
    if not isinstance(value, str):
        raise ToolInputError(f"'{what}' must be a string")
    if len(value) > MAX_TEXT_CHARS:
        raise ToolInputError(f"'{what}' is {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
    value = value.replace("\0", "")
    if required and not value.strip():
        raise ToolInputError(f"'{what}' is empty")
    return value


def resolve_root(repo: str | None, default: Path) -> Path:
    if repo is None or not str(repo).strip():
        return default
    path = Path(repo).expanduser()
    if not path.is_absolute():
        path = default / path
    if not path.is_dir() or not os.access(path, os.R_OK | os.X_OK):
        raise ToolInputError(f"repo {repo!r} is not a readable folder")
    return path.resolve()


def workspace(root: Path, session: str | None = None):
    from xyguard.analyzers.pipeline import Workspace
    from xyguard.analyzers.session import SessionError, check_session_id

    if session is not None:
        try:
            check_session_id(session)
        except SessionError as exc:
            raise ToolInputError(str(exc)) from None
    return Workspace.open(root, session=session)


def _count(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "no findings"
    by: dict[str, int] = {}
    for f in findings:
        by[f["severity"]] = by.get(f["severity"], 0) + 1
    parts = ", ".join(f"{n} {sev}" for sev, n in by.items())
    codes = ", ".join(sorted({f["code"] for f in findings})[:6])
    return f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({parts}: {codes})"


# ---- tools ---------------------------------------------------------------------------------------


def analyze_request(root: Path, text: Any, session: Any = None) -> tuple[dict[str, Any], str]:
    from xyguard.analyzers.pipeline import analyse_request

    text = _text(text, "text", required=True)
    ws = workspace(root, _text(session, "session"))
    data = analyse_request(text, ws, record=False).to_dict()  # type: ignore[arg-type]
    question = data["clarify"]["question"] if data["clarify"]["needed"] else None
    summary = _count(data["findings"]) + (f". Ask the user first: {question}" if question else ". No question needed.")
    return data, summary


def proposed_change(root: Path, diff: Any, path: Any, old_text: Any, new_text: Any):
    """A diff, or a file path with the new text (whole file) or an old -> new replacement."""
    from xyguard.analyzers.edits import Change
    from xyguard.server.agents.tool_edits import NotCheckable
    from xyguard.server.agents.tool_edits import proposed_change as from_tool

    diff = _text(diff, "diff")
    if diff is not None:
        if path is not None:
            raise ToolInputError("send either 'diff' or 'path' with 'new_text', not both")
        try:
            return Change.from_diff(diff)
        except ValueError as exc:
            raise ToolInputError(f"'diff' is not a unified diff: {exc}") from None
    path = _text(path, "path")
    if path is None:
        raise ToolInputError("send 'diff' (a unified diff) or 'path' with 'new_text'")
    if not isinstance(new_text, str):
        raise ToolInputError("'new_text' (a string, possibly empty) is required with 'path'")
    if len(new_text) > MAX_TEXT_CHARS:
        raise ToolInputError(f"'new_text' is {len(new_text)} characters; the limit is {MAX_TEXT_CHARS}")
    old_text = _text(old_text, "old_text")
    if old_text is None:
        tool, tool_input = "Write", {"file_path": path, "content": new_text}
    else:
        tool, tool_input = "Edit", {"file_path": path, "old_string": old_text, "new_string": new_text}
    try:
        return from_tool(root, tool, tool_input, cwd=root)
    except NotCheckable as exc:
        raise ToolInputError(str(exc)) from None


def check_edit(root: Path, *, diff: Any = None, path: Any = None, old_text: Any = None, new_text: Any = None,
               request: Any = None, session: Any = None) -> tuple[dict[str, Any], str]:
    from xyguard.analyzers.pipeline import check_edit as run

    ws = workspace(root, _text(session, "session"))
    change = proposed_change(root, diff, path, old_text, new_text)
    report = run(change, ws, request=_text(request, "request"), record=False, judge_session=True)
    data = report.to_dict()
    verdict = "blocking: revise the edit or ask the user" if data["blocking"] else "not blocking"
    s = data["summary"]
    return data, f"{_count(data['findings'])} in {s['files']} file(s) (+{s['added']} -{s['removed']}); {verdict}."


def session_get(root: Path, session: Any) -> tuple[dict[str, Any], str]:
    from xyguard.analyzers.session import SessionError, SessionStore

    sid = _text(session, "session", required=True)
    ws = workspace(root, sid)
    try:
        state = SessionStore(ws.root).load(sid)  # type: ignore[arg-type]
    except SessionError as exc:
        raise ToolInputError(str(exc)) from None
    return state.to_dict(), state.context_prefix()


def session_update(root: Path, session: Any, *, text: Any = None, diff: Any = None, path: Any = None,
                   old_text: Any = None, new_text: Any = None, request: Any = None) -> tuple[dict[str, Any], str]:
    from xyguard.analyzers.pipeline import update_session

    sid = _text(session, "session", required=True)
    text = _text(text, "text")
    change = None
    if diff is not None or path is not None:
        change = proposed_change(root, diff, path, old_text, new_text)
    if text is None and change is None:
        raise ToolInputError("send 'text' (the user's turn), an edit ('diff', or 'path' with 'new_text'), or both")
    out = update_session(workspace(root, sid), text=text, change=change, request=_text(request, "request"))
    parts = []
    if "request" in out:
        parts.append("request: " + _count(out["request"]["findings"]))
    if "edit" in out:
        parts.append("edit: " + _count(out["edit"]["findings"]))
    turns = (out.get("goal_state") or {}).get("turns") or []
    return out, f"Recorded in session {sid} (turn {len(turns)}); " + "; ".join(parts) + "."


def evaluate(root: Path, session: Any, *, diff: Any = None) -> tuple[dict[str, Any], str]:
    from xyguard.analyzers.pipeline import evaluate as run
    from xyguard.analyzers.session import SessionStore

    sid = _text(session, "session", required=True)
    ws = workspace(root, sid)
    if not SessionStore(ws.root).exists(sid):  # type: ignore[arg-type]
        raise ToolInputError(f"no session {sid!r}: record the user's request with session_update first")
    diff = _text(diff, "diff")
    if diff is None:
        from xyguard.analyzers.context.gitrun import GitError
        from xyguard.analyzers.edits.source import worktree_change

        try:
            change = worktree_change(ws.root)  # type: ignore[arg-type]
        except GitError as exc:
            raise ToolInputError(f"no 'diff' given and the work tree cannot be read: {exc}") from None
    else:
        change = diff
    try:
        result = run(change, ws)
    except ValueError as exc:
        raise ToolInputError(str(exc)) from None
    return result, (f"Goal {result['goal']['status']}; change {'ok' if result['change']['ok'] else 'has problems'} "
                    f"({_count(result['change']['findings'])}).")


def rules_list() -> list[dict[str, Any]]:
    from xyguard.analyzers.rules import RULES

    return [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "rationale": r.rationale,
             "example": r.example} for r in RULES.values()]
