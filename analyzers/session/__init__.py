"""Sessions: the user's goal as an explicit, persistent artifact, and edits judged against it.

    findings = record_request(root, "s1", text, report)   # XY107 when a turn contradicts an earlier one
    findings = record_edit(root, "s1", change, report)    # SC301-SC305: slop creep, broken requirements
    hints = scope_hints(root, "s1")                       # objectives, for the edit scope check
    SessionStore(root).load("s1").context_prefix()        # what an agent puts before each request

`change` is an edits `Change` (the pipeline builds it); evaluation, which runs the edit checks, is the
pipeline's (`xyguard.analyzers.pipeline.evaluate`).
"""

from __future__ import annotations

import os
from typing import Any

from ..findings import Finding
from .goal_state import GoalState, Item  # noqa: F401
from .store import SessionError, SessionStore, check_session_id  # noqa: F401

__all__ = ["GoalState", "SessionStore", "SessionError", "record_request", "preview_request", "record_edit",
           "scope_hints", "session_paths"]


def _context(root, context=None):
    """The workspace context, or None where none can be built (a plain folder still has sessions)."""
    if context is not None:
        return context
    try:
        from ..context import get_context

        return get_context(root)
    except Exception:  # noqa: BLE001 - a broken repository must not stop the session from recording
        return None


def _report_dict(report: Any) -> dict[str, Any]:
    if report is None:
        return {}
    if isinstance(report, dict):
        return report
    return report.to_dict() if hasattr(report, "to_dict") else {}


def _report_findings(report: Any) -> list[Finding]:
    if report is not None and not isinstance(report, dict) and hasattr(report, "findings"):
        return list(report.findings)
    return [Finding.from_dict(f) for f in _report_dict(report).get("findings", [])]


def record_request(root: str | os.PathLike, session_id: str, text: str, report: Any = None, *,
                   context=None) -> list[Finding]:
    """Add one user turn to the session; XY107 findings (ranges in `text`) for conflicts with earlier turns."""
    from .policy import read_policy

    check_session_id(session_id)
    ctx = _context(root, context)
    policy = read_policy(ctx)
    fallback = (_report_dict(report).get("intent") or {}).get("immediate") or None
    findings: list[Finding] = []

    def apply(state: GoalState) -> None:
        state.set_policy(policy)
        findings[:] = state.apply_turn(text, context=ctx, fallback_objective=fallback)

    SessionStore(root).update(session_id, apply)
    return findings


def preview_request(state: GoalState, text: str, report: Any = None, *, context=None) -> list[Finding]:
    """XY107 findings for `text` against the session without recording it: a request still being typed
    (a request document) is read against the earlier turns but is not a turn yet."""
    trial = GoalState.from_dict(state.to_dict(include_internal=True))
    fallback = (_report_dict(report).get("intent") or {}).get("immediate") or None
    return trial.apply_turn(text, context=context, fallback_objective=fallback)


def record_edit(root: str | os.PathLike, session_id: str, change: Any, report: Any = None, *,
                context=None, save: bool = True) -> list[Finding]:
    """Add one checked edit to the session; SC301-SC304 when drift accumulates, SC305 for broken requirements.

    With `save` false the edit is judged as if it were added, and the session is left as it was: an agent's
    proposed edit is judged before the host applies it, and recorded only when it is let through."""
    from . import slop_creep

    check_session_id(session_id)
    ctx = _context(root, context)
    report_findings = _report_findings(report)
    skipped = list(_report_dict(report).get("skipped", []))
    findings: list[Finding] = []

    def apply(state: GoalState) -> None:
        findings[:] = slop_creep.record(state, change, report_findings, skipped, ctx)

    if save:
        SessionStore(root).update(session_id, apply)
    else:
        apply(SessionStore(root).load(session_id))
    return findings


def session_paths(root: str | os.PathLike, session_id: str) -> list[str]:
    """Every file the session's recorded edits touched, oldest first: the session's whole change lives there."""
    state = SessionStore(root).load(check_session_id(session_id))
    seen: dict[str, None] = {}
    for rec in state.edits:
        for path in rec.get("files", []):
            if isinstance(path, str):
                seen.setdefault(path, None)
    return list(seen)


def scope_hints(root: str | os.PathLike, session_id: str) -> list[str]:
    """The session's objectives (and path rules): what an edit's scope is judged against.

    Only active ones: an ask still in conflict with an earlier turn has not been agreed, so it
    cannot make its own change look requested.
    """
    state = SessionStore(root).load(check_session_id(session_id))
    hints = [i.text for i in state.active("objectives")]
    hints += [i.text for i in state.active("requirements") if any(f.key == "only" for f in i.facets)]
    return hints
