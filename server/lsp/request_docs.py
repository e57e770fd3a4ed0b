"""Diagnostics for request documents (languageId `xyguard-request`, or a path matching the `requestGlobs` setting).

Each edit re-schedules the document's analysis after the debounce delay;
the analysis runs in the executor and its result is published only if the
document is still at the version that was analysed, so a client never sees
diagnostics for text it no longer has.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from .diagnostics import Published, first_line_range

if TYPE_CHECKING:
    from .server import XyguardServer

LANGUAGE_ID = "xyguard-request"
# Without a `requestGlobs` setting. Not `*.prompt.md`: that is VS Code's and Copilot's prompt-file type,
# whose files are instructions to a model, not requests to check; users who want them opt in.
DEFAULT_GLOBS = ("**/*.request.md",)
_globs: tuple[re.Pattern, ...] = ()


def _glob_regex(glob: str) -> re.Pattern:
    """A VS Code-style glob (`**`, `*`, `?`, `{a,b}`, `[...]`) matched against the end of a path."""
    glob = glob.strip().replace("\\", "/")
    anchored = glob.startswith("/")
    out, i, depth = [], 0, 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        c = glob[i]
        i += 1
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        elif c in "[]":
            out.append(c)
        else:
            out.append(re.escape(c))
    # Not anchored at `/`: the glob may match from any folder down (`*.request.md` as `**/*.request.md`).
    prefix = "" if anchored else "(?:^|/)"
    try:
        return re.compile(prefix + "".join(out) + r"\Z", re.IGNORECASE)
    except re.error:  # an unbalanced `[`: take the glob literally
        return re.compile(prefix + re.escape(glob) + r"\Z", re.IGNORECASE)


def use_globs(globs: list[str] | tuple[str, ...] | None) -> None:
    """Set which paths are request documents (the `requestGlobs` setting; None or empty: the defaults)."""
    global _globs
    _globs = tuple(_glob_regex(g) for g in (globs or DEFAULT_GLOBS) if g.strip())


use_globs(None)


def is_request_document(uri: str, language_id: str | None) -> bool:
    if language_id == LANGUAGE_ID:
        return True
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(uri).path) or uri
    return any(g.search(path) for g in _globs)


def analyze_text(text: str, ws, goal_state=None):
    """The request analysis of a document's text, read against the session (never recorded: the document is
    still being typed); returns (report, findings placed in the document)."""
    from dataclasses import replace

    from xyguard.analyzers.pipeline import analyse_request

    report = analyse_request(text, ws, record=False, goal_state=goal_state)
    whole = first_line_range(text)
    return report, [f if f.range is not None else replace(f, range=whole) for f in report.findings]


class RequestDocuments:
    def __init__(self, server: "XyguardServer"):
        self.server = server

    def schedule(self, uri: str, immediate: bool = False) -> None:
        delay = 0 if immediate else self.server.options.debounce_ms / 1000
        self.server.jobs.schedule(uri, delay, lambda: self._analyze(uri))

    async def _analyze(self, uri: str) -> None:
        server = self.server
        doc = server.open_document(uri)
        if doc is None:
            return
        version, text = doc.version, doc.source
        root = server.workspaces.root_for(uri)
        context = server.workspaces.ready(root)
        if root is not None and context is None:
            server.workspaces.ensure_built(root)  # analysed again once it is ready
        from xyguard.analyzers.pipeline import Workspace

        ws = Workspace(root=root, context=context, config=server.workspaces.config(root))
        goal_state = await server.goal_state(root)
        loop = asyncio.get_running_loop()
        report, findings = await loop.run_in_executor(server.executor, analyze_text, text, ws, goal_state)
        server.publish(uri, version, Published(version, findings, report, "request"))

    def close(self, uri: str) -> None:
        self.server.jobs.cancel(uri)
        self.server.clear(uri)

