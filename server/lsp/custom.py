"""Custom requests: how a coding agent consults xyguard before acting.

    xyguard/analyzeRequest  {text, uri?, root?, session?}            -> RequestReport
    xyguard/checkEdit       {edit?|diff?|worktree?, paths?, request?, uri?, root?, session?}
                                                                      -> EditReport (+ "blocking")
    xyguard/session/get     {session, uri?, root?}                    -> GoalState
    xyguard/session/update  {session, text?|edit?|diff?, request?, uri?, root?} -> {goal_state, findings}
    xyguard/evaluate        {session, edit?|diff?, uri?, root?}       -> goal satisfaction and change quality

All are async and do their work in the executor, so `$/cancelRequest`
answers them with RequestCancelled while the event loop stays responsive.
Bad params are answered with InvalidParams (-32602) naming the field.
`"worktree": true` checks the work tree against HEAD, computed here (see
worktree.py): the folder `uri` names (or the file), or `paths` in it.
When the folder's configuration names an LLM, analyzeRequest and checkEdit
let it add to the report (the `llm` note says whether it was used).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pygls.exceptions import JsonRpcInvalidParams

from .features import feature

if TYPE_CHECKING:
    from xyguard.analyzers.pipeline import Workspace

    from .server import XyguardServer

ANALYZE_REQUEST = "xyguard/analyzeRequest"
CHECK_EDIT = "xyguard/checkEdit"
SESSION_GET = "xyguard/session/get"
SESSION_UPDATE = "xyguard/session/update"
EVALUATE = "xyguard/evaluate"
MAX_TEXT = 8 * 1024 * 1024


class Params:
    """Typed access to a custom request's params object; any mismatch is an InvalidParams error."""

    def __init__(self, method: str, raw: Any):
        if not isinstance(raw, dict):
            raise JsonRpcInvalidParams(f"{method}: params must be an object")
        self.method, self.raw = method, raw

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise JsonRpcInvalidParams(f"{self.method}: '{key}' is required")
            return None
        if not isinstance(value, str):
            raise JsonRpcInvalidParams(f"{self.method}: '{key}' must be a string")
        if len(value) > MAX_TEXT:
            raise JsonRpcInvalidParams(f"{self.method}: '{key}' is larger than {MAX_TEXT // (1024 * 1024)} MB")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None  # text() raised InvalidParams otherwise
        return value

    def obj(self, key: str) -> dict | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, dict):
            raise JsonRpcInvalidParams(f"{self.method}: '{key}' must be an object")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise JsonRpcInvalidParams(f"{self.method}: '{key}' must be true or false")
        return value

    def strings(self, key: str) -> list[str] | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise JsonRpcInvalidParams(f"{self.method}: '{key}' must be a list of non-empty strings")
        return value


def _root(server: "XyguardServer", p: Params) -> Path | None:
    """The folder the request is about: `root`, else the folder holding `uri`, else the first folder."""
    root = p.text("root")
    if root is not None:
        path = Path(root).expanduser()
        if not path.is_dir() or not os.access(path, os.R_OK | os.X_OK):
            raise JsonRpcInvalidParams(f"{p.method}: 'root' is not a readable directory")
        return path.resolve()
    uri = p.text("uri")
    if uri is not None:
        found = server.workspaces.root_for(uri)
        if found is not None:
            return found
    roots = server.workspaces.roots()
    return roots[0] if roots else None


async def _in_executor(server: "XyguardServer", method: str, fn: Callable[[], Any]) -> Any:
    """Run analysis work off the loop; the analyzers' ValueError (an unusable diff, edit or session id)
    is the caller's mistake, so it becomes InvalidParams."""
    try:
        return await asyncio.get_running_loop().run_in_executor(server.executor, fn)
    except ValueError as exc:
        raise JsonRpcInvalidParams(f"{method}: {exc}") from None


def _required_session(p: Params) -> str:
    session = _session_id(p, required=True)
    assert session is not None  # _session_id raised InvalidParams otherwise
    return session


def _session_id(p: Params, required: bool) -> str | None:
    session = p.text("session", required=required)
    if session is not None and not session.strip():
        raise JsonRpcInvalidParams(f"{p.method}: 'session' must not be empty")
    return session


def _need_root(p: Params, root: Path | None) -> Path:
    if root is None:
        raise JsonRpcInvalidParams(f"{p.method}: no workspace folder; pass 'root' or 'uri'")
    return root


# ---- the work, run on executor threads ----------------------------------------------------

def workspace(ls: "XyguardServer", root: Path | None, context, session: str | None) -> "Workspace":
    from xyguard.analyzers.pipeline import Workspace

    return Workspace(root=root, context=context, config=ls.workspaces.config(root), session=session)


def open_texts(server: "XyguardServer", context) -> dict[str, str]:
    """Unsaved editor buffers by repository path, snapshotted on the event loop: a WorkspaceEdit from an agent
    applies to what the editor holds, not to the file on disk."""
    if context is None:
        return {}
    from .workspaces import relative_to, document_path

    out = {}
    for doc in list(server.workspace.text_documents.values()):
        path = document_path(doc.uri)
        rel = relative_to(context.root, path) if path is not None else None
        if rel is not None:
            out[rel] = doc.source
    return out


def edit_to_change(edit: dict, context, buffers: dict[str, str]):
    """A WorkspaceEdit -> a Change whose old text is the open buffer when there is one, else the file."""
    from xyguard.analyzers.edits import Change

    def read_old(path: str) -> str | None:
        if path in buffers:
            return buffers[path]
        return context.read_text(path) if context is not None else None

    return Change.from_workspace_edit(edit, read_old, root=getattr(context, "root", None))


def _change_of(p: Params, worktree: bool = False) -> Any:
    """The change named by `edit` or `diff` (or, with `worktree` allowed, WORKTREE); exactly one must be given."""
    edit, diff = p.obj("edit"), p.text("diff")
    given: list[Any] = [c for c in (edit, diff) if c is not None]
    if worktree and p.flag("worktree"):
        given.append(WORKTREE)
    if len(given) != 1:
        names = "'edit' (a WorkspaceEdit), 'diff' or 'worktree': true" if worktree else "'edit' (a WorkspaceEdit) or 'diff'"
        raise JsonRpcInvalidParams(f"{p.method}: pass exactly one of {names}")
    return given[0]


WORKTREE = object()  # checkEdit's "worktree": true — the change is read from disk in the executor


def _worktree_selection(p: Params, folder: Path | None, context):
    """The part of the work tree `uri`/`paths` name; computed in the executor (it may ask git for the top)."""
    from . import worktree
    from .workspaces import document_path

    if folder is None:
        raise JsonRpcInvalidParams(f"{p.method}: no workspace folder; pass 'uri' (a folder or file) or 'root'")
    uri = p.text("uri")
    target = document_path(uri) if uri is not None else None
    if uri is not None and target is None:
        raise JsonRpcInvalidParams(f"{p.method}: 'uri' must be a file: URI")
    paths = p.strings("paths")
    return lambda: worktree.select(worktree.repository_of(folder, context), folder, target, paths)


async def _workspace_for(ls: "XyguardServer", p: Params, *, session_required: bool = False,
                         root_required: bool = False) -> "Workspace":
    session = _session_id(p, required=session_required)
    root = _root(ls, p)
    if root_required or session is not None:
        root = _need_root(p, root)
    context = await ls.workspaces.context(root)
    return workspace(ls, root, context, session)


@feature(ANALYZE_REQUEST)
async def analyze_request(ls: "XyguardServer", params: Any) -> dict:
    from xyguard.analyzers.pipeline import analyse_request

    p = Params(ANALYZE_REQUEST, params)
    text = p.required_text("text")
    ws = await _workspace_for(ls, p)
    return await _in_executor(ls, ANALYZE_REQUEST, lambda: analyse_request(text, ws).to_dict())


@feature(CHECK_EDIT)
async def check_edit(ls: "XyguardServer", params: Any) -> dict:
    from xyguard.analyzers import pipeline

    p = Params(CHECK_EDIT, params)
    change = _change_of(p, worktree=True)
    request = p.text("request")
    if change is not WORKTREE and p.raw.get("paths") is not None:
        raise JsonRpcInvalidParams(f"{CHECK_EDIT}: 'paths' goes with 'worktree': true")
    ws = await _workspace_for(ls, p)
    buffers = open_texts(ls, ws.context) if isinstance(change, dict) else {}
    selection = _worktree_selection(p, ws.root, ws.context) if change is WORKTREE else None

    def work() -> dict:
        from . import worktree

        if selection is not None:
            edit = worktree.worktree_change(selection())
        elif isinstance(change, dict):
            edit = edit_to_change(change, ws.context, buffers)
        else:
            edit = change
        return pipeline.check_edit(edit, ws, request=request).to_dict()

    return await _in_executor(ls, CHECK_EDIT, work)


@feature(SESSION_GET)
async def session_get(ls: "XyguardServer", params: Any) -> dict:
    p = Params(SESSION_GET, params)
    session = _required_session(p)
    root = _need_root(p, _root(ls, p))

    def load() -> dict:
        from xyguard.analyzers.session import SessionStore

        return SessionStore(root).load(session).to_dict()

    return await _in_executor(ls, SESSION_GET, load)


@feature(SESSION_UPDATE)
async def session_update(ls: "XyguardServer", params: Any) -> dict:
    from xyguard.analyzers.pipeline import update_session

    p = Params(SESSION_UPDATE, params)
    text = p.text("text")
    has_change = p.raw.get("edit") is not None or p.raw.get("diff") is not None
    if text is None and not has_change:
        raise JsonRpcInvalidParams(f"{SESSION_UPDATE}: pass 'text' (a request turn) or 'edit'/'diff'")
    change = _change_of(p) if has_change else None
    request = p.text("request")
    ws = await _workspace_for(ls, p, session_required=True)
    buffers = open_texts(ls, ws.context) if isinstance(change, dict) else {}

    def update() -> dict:
        edit = edit_to_change(change, ws.context, buffers) if isinstance(change, dict) else change
        return update_session(ws, text=text, change=edit, request=request)

    return await _in_executor(ls, SESSION_UPDATE, update)


@feature(EVALUATE)
async def evaluate(ls: "XyguardServer", params: Any) -> dict:
    from xyguard.analyzers import pipeline

    p = Params(EVALUATE, params)
    change = _change_of(p)
    ws = await _workspace_for(ls, p, session_required=True)
    buffers = open_texts(ls, ws.context) if isinstance(change, dict) else {}

    def run() -> dict:
        edit = edit_to_change(change, ws.context, buffers) if isinstance(change, dict) else change
        return pipeline.evaluate(edit, ws)

    return await _in_executor(ls, EVALUATE, run)
