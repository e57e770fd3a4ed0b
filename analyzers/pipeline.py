"""The one path every front-end takes: the CLI, the git hooks, the language server and the agent integrations.

    ws = Workspace.open(root, config=config, session="s1")
    report = analyse_request(text, ws)             # RequestReport
    report = check_edit(change, ws, request=text)  # EditReport
    report = check_commit(change, ws, message)     # EditReport: the change and its commit message
    result = evaluate(change, ws)                  # Evaluation: goal addressed? change good?

What happens to a finding after a check makes it happens here, once, in
this order: the configuration (select, ignore, exclude, severities), inline
suppressions, the session (record the turn or edit, add its findings),
the one clarifying question (decided on what survived), the optional
model, sorting, and the gate (`blocking`: a finding at or above the fail
level). Front-ends parse input and render output; they never filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config, drop_suppressed
from .contract import SCHEMA_VERSION, versioned
from .context.model import WorkspaceContext
from .edits import Change, EditReport, as_change
from .edits import check_edit as run_edit_checks
from .findings import Finding, Range, at_or_above
from .session import GoalState, SessionStore, preview_request, record_request, scope_hints, session_paths
from .session import record_edit as _record_session_edit

if TYPE_CHECKING:  # the request family is imported where a request is analysed: an edit check never loads it
    from .request.analyze import Detection
    from .request.request_report import RequestReport

# Checks whose verdict depends on what the user states (a removal, a dependency, a rewrite, a switch...). The
# pre-commit hook runs before git has the message; when a commit-msg hook follows, these wait for it.
MESSAGE_JUDGED_CODES = ("DR201", "DR202", "DR203", "DR204", "DR205", "DR206", "DR207", "DR208", "DR209", "DR210",
                        "DR217")
# The commit message read as a request: only what a message can get wrong as a message.
MESSAGE_REQUEST_CODES = ("XY111", "XY113", "XY115", "XY116", "XY120")
_MESSAGE_KEEPS_SEVERITY = frozenset({"XY120"})  # hidden characters are a hazard, not a wording nit


@dataclass
class Workspace:
    """Where a check runs: the repository's context and configuration, and the session it belongs to."""

    root: Path | None = None
    context: WorkspaceContext | None = None
    config: Config = field(default_factory=Config)
    session: str | None = None
    notes: list[str] = field(default_factory=list)  # what the user should know about this workspace (stderr, log)

    @classmethod
    def open(cls, root: Path | None, *, config: Config | None = None, session: str | None = None,
             index: bool = True, lean: bool = False) -> "Workspace":
        """A workspace for `root`; its context is built (or read from the cache) when `index` is true.
        A repository that cannot be read leaves the text-only checks: the reason is logged, not raised."""
        from .config import load_config

        config = config if config is not None else load_config(root)
        context, notes = None, []
        if root is not None and index:
            from .context import get_context
            from .context.gitrun import GitError, UnsafeRepository

            try:
                context = get_context(root, config=config, lean=lean)
            except UnsafeRepository:
                raise  # trusting a repository owned by someone else is the user's decision: they must see it
            except (OSError, GitError) as exc:
                notes.append(f"cannot read the repository ({exc}); checking the text alone")
        return cls(root=Path(root) if root is not None else None, context=context, config=config, session=session,
                   notes=notes)

    @property
    def has_session(self) -> bool:
        return bool(self.session) and self.root is not None

    def goal_state(self) -> GoalState | None:
        if not self.has_session:
            return None
        return SessionStore(self.root).load(self.session)  # type: ignore[arg-type]


# ---- filtering shared by every entry point -------------------------------------------------------


def gate(findings: list[Finding], config: Config) -> bool:
    """Would these findings fail the configured gate (the CLI's exit code 1, an agent's deny)?"""
    return any(at_or_above(f.severity, config.fail_level) for f in findings)


def _suppressed_in_request(findings: list[Finding], text: str) -> list[Finding]:
    """Inline markers in the request text; a finding without a range belongs to the request's first line."""
    first = Range.lines(0)
    placed = [(f, f if f.range is not None else replace(f, range=first)) for f in findings]
    kept = {id(p) for p in drop_suppressed([p for _, p in placed], text)}
    return [f for f, p in placed if id(p) in kept]


def _suppressed_in_change(findings: list[Finding], change: Change) -> list[Finding]:
    """Inline markers on the lines the change leaves in each file (unknown lines read as blank)."""
    out = [f for f in findings if f.path is None or change.get(f.path) is None]
    for fc in change:
        mine = [f for f in findings if f.path == fc.path]
        if not mine:
            continue
        known = fc.known_new_lines()
        text = "\n".join(known.get(n, "") for n in range(1, max(known, default=0) + 1))
        out += drop_suppressed(mine, text, fc.path)
    return out


def _objectives(state: GoalState | None) -> list[str]:
    return [i.text for i in state.active("objectives")] if state is not None else []


# ---- requests ------------------------------------------------------------------------------------


def analyse_request(text: str, ws: Workspace, *, record: bool = True,
                    goal_state: GoalState | None = None) -> RequestReport:
    """The request report. With a session, the turn is recorded (unless `record` is false: a document being
    typed is read against the session, not added to it) and conflicts with earlier turns are findings."""
    from .request.analyze import build_report, detect
    from .text.spans import mask_html_comments

    config = ws.config
    detection = detect(mask_html_comments(text), ws.context)
    findings = _suppressed_in_request(config.apply(detection.findings), text)
    state = goal_state if goal_state is not None else ws.goal_state()
    report = build_report(detection, findings, _objectives(state))
    extra: list[Finding] = []
    if record and ws.has_session:
        extra = record_request(ws.root, ws.session, text, report, context=ws.context)  # type: ignore[arg-type]
    elif state is not None:
        extra = preview_request(state, text, report, context=ws.context)
    extra = _suppressed_in_request(config.apply(extra), text)
    if extra:
        report = build_report(detection, [*findings, *extra], _objectives(state))
    if config.llm.enabled:
        report = _model_on_request(report, detection, text, ws)
    report.blocking = gate(report.findings, config)
    return report


def _model_on_request(report: RequestReport, detection: Detection, text: str, ws: Workspace) -> RequestReport:
    from .llm import enrich_request

    data = enrich_request(report.to_dict(), text, ws.context, config=ws.config)
    # The model adds findings (marked "source": "llm"); the question, concretized request and intent stay ours,
    # and its proposals for them travel beside them in `llm.proposals`.
    report.findings = sorted((Finding.from_dict(f) for f in data["findings"]), key=Finding.sort_key)
    report.llm = data.get("llm")
    return report


# ---- edits ---------------------------------------------------------------------------------------


def check_edit(change: Any, ws: Workspace, *, request: str | None = None, record: bool = True,
               judge_session: bool | None = None) -> EditReport:
    """The edit report for a diff, a Change or a WorkspaceEdit. With a session, scope is judged against the
    session's objectives and across the session's whole change (the files its earlier edits touched, as they
    are now), and (when `record`) the edit is added to it: slop creep is judged across turns.

    `judge_session` (default: `record`) judges the edit against the session without adding it: an agent's
    proposed edit is checked before the host applies it and added with `record_edit` once it is let through."""
    config = ws.config
    change = as_change(change, ws.context)
    judge = record if judge_session is None else judge_session
    hints = scope_hints(ws.root, ws.session) if ws.has_session else None  # type: ignore[arg-type]
    report = run_edit_checks(change, request=request, context=ws.context, config=config, scope_hints=hints)
    if judge and ws.has_session:
        _scope_across_session(report, change, ws, request, hints)
    report.findings = _suppressed_in_change(config.apply(report.findings), change)
    if judge and ws.has_session:
        extra = config.apply(_record_session_edit(ws.root, ws.session, change, report,  # type: ignore[arg-type]
                                                  context=ws.context, save=record))
        report.findings = [*report.findings, *extra]
    if config.llm.enabled:
        _model_on_edit(report, change, request, ws)
    report.findings.sort(key=Finding.sort_key)
    report.blocking = gate(report.findings, config)
    return report


def record_edit(ws: Workspace, change: Any, report: EditReport) -> None:
    """Add an edit that was judged with `check_edit(..., record=False, judge_session=True)` to the session."""
    if ws.has_session:
        _record_session_edit(ws.root, ws.session, as_change(change, ws.context), report,  # type: ignore[arg-type]
                             context=ws.context)


def _scope_across_session(report: EditReport, change: Change, ws: Workspace, request: str | None,
                          hints: list[str] | None) -> None:
    """DR203 over the session's whole change: an agent sends one file per edit, so a file outside the request
    only shows beside the files the session already changed. Those are read as they are now (work tree vs
    HEAD); findings are kept for this edit's files only (earlier files were judged when they were edited)."""
    if not ws.config.enabled("DR203"):
        return
    earlier = [p for p in session_paths(ws.root, ws.session) if change.get(p) is None]  # type: ignore[arg-type]
    if not earlier:
        return
    from .context.gitrun import GitError
    from .edits.source import worktree_change

    try:
        before = worktree_change(ws.root, paths=earlier, max_bytes=ws.config.max_file_bytes)  # type: ignore[arg-type]
    except (GitError, OSError, ValueError):
        return  # not a git work tree: the edit is judged on its own
    if not before.files:
        return
    combined = Change(files=[*before.files, *change.files])
    scope_only = replace(ws.config, select=["DR203"], ignore=[])
    wide = run_edit_checks(combined, request=request, context=ws.context, config=scope_only, scope_hints=hints)
    mine = {fc.path for fc in change}
    report.findings = ([f for f in report.findings if f.code != "DR203"]
                       + [f for f in wide.findings if f.code == "DR203" and f.path in mine])


def _model_on_edit(report: EditReport, change: Change, request: str | None, ws: Workspace) -> None:
    from .llm import enrich_edit

    data = enrich_edit(report.to_dict(), change.to_diff(), request, ws.context, config=ws.config)
    report.findings = [Finding.from_dict(f) for f in data["findings"]]
    report.llm = data.get("llm")


def message_findings(message: str) -> list[Finding]:
    """The commit message read as a request, for what a message itself can get wrong (wording, hidden text).
    None of these needs the repository, so the (first-use, costly) grounding is skipped."""
    from .request.analyze import detect

    return [f if f.code in _MESSAGE_KEEPS_SEVERITY else replace(f, severity="info")
            for f in detect(message).findings if f.code in MESSAGE_REQUEST_CODES]


def check_commit(change: Any, ws: Workspace, message: str | None = None, *, message_follows: bool = False) -> EditReport:
    """What the git hooks run: the staged change, and with a message, the message held against the change.

    `message_follows`: this is the pre-commit hook of a repository whose commit-msg hook runs next. The message
    does not exist yet, so the checks it could answer are left to that hook rather than judged blind."""
    from .edits.edit_report import Skip
    from .edits.message import check_message

    held: list[str] = []
    if message is None and message_follows:
        held = [c for c in MESSAGE_JUDGED_CODES if ws.config.enabled(c)]
        ws = replace(ws, config=replace(ws.config, ignore=[*ws.config.ignore, *held]))
    report = check_edit(change, ws, request=message or None, record=False)
    if held:
        report.skipped.append(Skip(", ".join(held), "left to the commit-msg hook, which holds them against the message"))
    if message:
        change = as_change(change, ws.context)
        extra = ws.config.apply([*check_message(message, change), *message_findings(message)])
        report.findings = sorted([*report.findings, *extra], key=Finding.sort_key)
        report.blocking = gate(report.findings, ws.config)
    return report


# ---- sessions ------------------------------------------------------------------------------------


def update_session(ws: Workspace, *, text: str | None = None, change: Any = None,
                   request: str | None = None) -> dict[str, Any]:
    """One session turn: a request, an edit, or both (the edit answering that request)."""
    if not ws.has_session:
        raise ValueError("a session id and a repository are needed to update a session")
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if text is not None:
        out["request"] = analyse_request(text, ws).to_dict()
    if change is not None:
        out["edit"] = check_edit(change, ws, request=request or text).to_dict()
    state = ws.goal_state()
    out["goal_state"] = state.to_dict() if state is not None else None
    return out


def evaluate(change: Any, ws: Workspace) -> dict[str, Any]:
    """Was the session's goal addressed by the change? And, separately, is the change good?"""
    from .session import slop_creep
    from .session.satisfaction import satisfaction

    state = ws.goal_state()
    if state is None:
        raise ValueError("evaluation needs a session: its objectives are what the change is judged against")
    change = as_change(change, ws.context)
    report = check_edit(change, ws, record=False)
    data = report.to_dict()
    result = satisfaction(state, change, report.findings, data["skipped"], data["summary"],
                          fail_level=ws.config.fail_level)
    result["slop_creep"] = slop_creep.totals(state.edits)
    if ws.config.llm.enabled:
        from .llm import enrich_evaluation

        result = enrich_evaluation(result, change.to_diff(), ws.context, config=ws.config)
    return versioned(result)
