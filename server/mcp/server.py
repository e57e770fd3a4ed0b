"""`xyguard mcp`: the pipeline as MCP tools over stdio, with the official `mcp` SDK (MCPServer).

Every tool returns the same JSON as the CLI (as `structuredContent`, described by docs/schema/) and a
one-line summary as text. Bad arguments come back as a tool error whose text says what to send instead.
The server runs in the repository it was started in (the host's project folder); `repo` points a call
at another one.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations

from . import tools

INSTRUCTIONS = (
    "xyguard catches the intent gap before you act: requests that are XY problems or too underspecified "
    "to act on, and edits that drift from what the user asked (another language, a public API break, files "
    "outside the request, a new dependency, deleted tests, what the repository's history removed). Call "
    "analyze_request on the user's request before planning; if it says a question is needed, ask it. Call "
    "check_edit on each edit before you apply it, and revise the edit when it is blocking. Use a session id "
    "(any stable id for this conversation) so constraints the user stated earlier are kept."
)


def _result(data: dict[str, Any], summary: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=summary)], structured_content=data)


def build(root: Path):
    """The MCPServer serving `root` (tools and the rules resource)."""
    server = MCPServer("xyguard", instructions=INSTRUCTIONS)
    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    def call(fn, *args, **kwargs) -> CallToolResult:
        try:
            return _result(*fn(*args, **kwargs))
        except tools.ToolInputError as exc:
            return CallToolResult(content=[TextContent(type="text", text=f"xyguard: {exc}")], is_error=True)

    @server.tool(annotations=read_only)
    def analyze_request(text: str, session: str | None = None, repo: str | None = None) -> CallToolResult:
        """Analyse a coding request before acting on it: is it an XY problem (an attempted solution instead
        of the goal), underspecified, vague, in conflict with the repository or with what the user said
        earlier in the session? Returns findings, the intent (immediate ask, final goals, background
        constraints) and at most one clarifying question (`clarify.needed`, `clarify.question`). Call it on
        the user's request before planning; when a question is needed, ask the user instead of guessing.
        Nothing is recorded (use session_update for that)."""
        return call(tools.analyze_request, tools.resolve_root(repo, root), text, session)

    @server.tool(annotations=read_only)
    def check_edit(diff: str | None = None, path: str | None = None, old_text: str | None = None,
                   new_text: str | None = None, request: str | None = None, session: str | None = None,
                   repo: str | None = None) -> CallToolResult:
        """Check a proposed edit BEFORE applying it, for drift from what the user asked: a language switch,
        a public API break, files outside the request, a wholesale rewrite, a new or undeclared dependency,
        removed or weakened tests, reintroducing what git history removed, duplicated code, convention
        drift, a secret. Send either `diff` (a unified diff against the work tree) or `path` (relative to
        the repository) with `new_text` (the whole new file) or with `old_text` -> `new_text` (replace that
        text in the file). Give `request` (the user's words) or `session` so scope is judged against the
        ask; with a session the edit is judged across everything the session changed (nothing is
        recorded). `blocking: true` means revise the edit or ask the user before applying it."""
        return call(tools.check_edit, tools.resolve_root(repo, root), diff=diff, path=path, old_text=old_text,
                    new_text=new_text, request=request, session=session)

    @server.tool(annotations=read_only)
    def session_get(session: str, repo: str | None = None) -> CallToolResult:
        """The session's goal state: objectives, requirements the user stated ("don't add dependencies"),
        preferences, repository policy, unresolved conflicts between turns, and the edits checked so far.
        The text result is a compact block to keep in mind before each step."""
        return call(tools.session_get, tools.resolve_root(repo, root), session)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                                             open_world_hint=False))
    def session_update(session: str, text: str | None = None, diff: str | None = None, path: str | None = None,
                       old_text: str | None = None, new_text: str | None = None, request: str | None = None,
                       repo: str | None = None) -> CallToolResult:
        """Record one turn of the session: `text` (the user's message: its asks and constraints are added to
        the goal state, and a contradiction with an earlier turn is reported as XY107), and/or an edit you
        applied (`diff`, or `path` with `new_text`/`old_text`), which is checked and added so slop creep
        across the session is seen. Call it with each user message and after each edit you make."""
        return call(tools.session_update, tools.resolve_root(repo, root), session, text=text, diff=diff, path=path,
                    old_text=old_text, new_text=new_text, request=request)

    @server.tool(annotations=read_only)
    def evaluate(session: str, diff: str | None = None, repo: str | None = None) -> CallToolResult:
        """Before you say you are done: was the session's goal addressed by the change (each objective and
        requirement: addressed / not addressed / unknown, with evidence), and, separately, is the change
        good (its findings)? The change is `diff`, or by default the work tree against HEAD (staged,
        unstaged and untracked files)."""
        return call(tools.evaluate, tools.resolve_root(repo, root), session, diff=diff)

    @server.resource("xyguard://rules", name="rules", mime_type="application/json",
                     description="Every finding code xyguard reports: name, default severity, summary, rationale, example.")
    def rules() -> str:
        return json.dumps(tools.rules_list(), ensure_ascii=False)

    return server


def serve(root: Path) -> None:
    logging.basicConfig(level=logging.WARNING)  # the SDK logs to stderr; stdout is the protocol
    build(root).run("stdio")
