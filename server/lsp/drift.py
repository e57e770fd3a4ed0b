"""Drift diagnostics: an open source file's unsaved text compared with a baseline, through the edit checks.

The baseline is HEAD, or with `driftBaseline: "session"` the commit HEAD
pointed at when the configured session started (its `baseline`), so the
drift of a whole session shows even after its work was committed. Without a
session, or a session without a recorded start, HEAD is used (logged once).
The baseline text is read with `Git.show_file(rev, path)` (no work-tree git
diff, no filters); a file absent there counts as wholly added. Findings are
kept only where they touch a changed line, so an old file with old habits
shows nothing until it is edited. The `drift` setting switches this off.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from xyguard.analyzers.findings import Range

from .diagnostics import Published
from .workspaces import relative_to, document_path

if TYPE_CHECKING:
    from .server import XyguardServer

log = logging.getLogger("xyguard.lsp")
_MISSING = object()


def changed_lines(old: str, new: str) -> list[tuple[int, int]]:
    """Zero-based inclusive line spans of `new` that differ from `old` (a deletion marks the line where it was)."""
    a, b = old.splitlines(), new.splitlines()
    return [(j1, max(j1, j2 - 1))
            for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if tag != "equal"]


def _last_line(r: Range) -> int:
    """A range ending at column 0 of a later line does not reach into that line."""
    return r.end.line - 1 if r.end.character == 0 and r.end.line > r.start.line else r.end.line


def check_document(rel: str, old: str | None, new: str, ws) -> list:
    """Edit-check findings for one file's change, placed on the changed lines of `new`. Never recorded in a
    session: an open buffer is work in progress, not a proposed edit."""
    from xyguard.analyzers.edits import Change
    from xyguard.analyzers.pipeline import check_edit

    if old == new:
        return []
    changed = changed_lines(old or "", new)
    if not changed:
        return []
    report = check_edit(Change.from_texts({rel: (old, new)}), ws, record=False)
    placed = []
    for f in report.findings:
        if f.path not in (None, rel):
            continue
        if f.range is None:
            placed.append(replace(f, path=rel, range=Range.lines(changed[0][0])))
        elif any(f.range.start.line <= last and _last_line(f.range) >= first for first, last in changed):
            placed.append(replace(f, path=rel))
    return placed


class DriftDocuments:
    def __init__(self, server: "XyguardServer"):
        self.server = server
        self._baselines: dict[tuple[Path, str, str], str | None] = {}  # (repo, rev, path) -> text
        self._session_starts: dict[tuple[Path, str], tuple[tuple, str | None]] = {}  # -> (file identity, commit)
        self._fallbacks_logged: set[tuple] = set()

    def applies(self, uri: str) -> bool:
        root = self.server.workspaces.root_for(uri)
        path = document_path(uri)
        return root is not None and path is not None and relative_to(root, path) is not None

    def schedule(self, uri: str, immediate: bool = False) -> None:
        delay = 0 if immediate else self.server.options.debounce_ms / 1000
        self.server.jobs.schedule(uri, delay, lambda: self._check(uri))

    def forget_baselines(self, root: Path | None = None) -> None:
        """After a save, a commit or a checkout the HEAD text may differ (a session's start commit may be gone)."""
        for key in [k for k in self._baselines if root is None or k[0] == root]:
            del self._baselines[key]
        self._session_starts.clear()

    def baseline_rev(self, repo: Path) -> str:
        """What the open files are compared with: "HEAD", or the configured session's start commit."""
        options = self.server.options
        if options.drift_baseline != "session":
            return "HEAD"
        if not options.session:
            return self._fall_back(repo, None, "no session is set")
        start = self._session_start(repo, options.session)
        if start is None:
            return self._fall_back(repo, options.session, "no recorded start commit in this repository")
        return start

    def _fall_back(self, repo: Path, session: str | None, why: str) -> str:
        key = (repo, session, why)
        if key not in self._fallbacks_logged:
            self._fallbacks_logged.add(key)
            what = f"session {session!r}" if session else "the session baseline"
            log.warning("drift baseline: %s: %s; comparing with HEAD", what, why)
        return "HEAD"

    def _session_start(self, repo: Path, session: str) -> str | None:
        """The session's recorded start commit if it is still in the repository; re-read when the file changes."""
        from xyguard.analyzers.context.gitrun import Git, GitError
        from xyguard.analyzers.session import SessionError, SessionStore

        store = SessionStore(repo)
        try:
            stat = store.path(session).stat()
        except (OSError, SessionError):
            return None
        # The store replaces the file on every write, so a new inode means new content even within one mtime tick.
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = self._session_starts.get((repo, session))
        if cached is not None and cached[0] == identity:
            return cached[1]
        try:
            start = store.load(session).baseline
            if start is not None and not Git(repo).run(["rev-parse", "--verify", "--quiet", f"{start}^{{commit}}"],
                                                       check=False).strip():
                log.info("session %r started at %s, which is no longer in the repository", session, start[:12])
                start = None
        except (SessionError, GitError, OSError) as exc:
            log.info("cannot read the start of session %r: %s", session, exc)
            start = None
        self._session_starts[(repo, session)] = (identity, start)
        return start

    def _baseline(self, root: Path, rel: str, rev: str = "HEAD") -> str | None:
        key = (root, rev, rel)
        cached = self._baselines.get(key, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        from xyguard.analyzers.context.gitrun import Git, GitError

        try:
            git = Git(root)
            data = git.show_file(rev, rel) if git.head() else None
        except (GitError, ValueError, OSError) as exc:
            log.info("no %s baseline for %s: %s", rev, rel, exc)
            data = None
        text = data.decode("utf-8", "replace") if data is not None else None
        self._baselines[key] = text
        return text

    async def _check(self, uri: str) -> None:
        server = self.server
        doc = server.open_document(uri)
        root = server.workspaces.root_for(uri)
        path = document_path(uri)
        if doc is None or root is None or path is None:
            return
        config = server.workspaces.config(root)
        if not config.drift:
            server.clear(uri)
            return
        version, text = doc.version, doc.source
        context = await server.workspaces.context(root)
        # Paths are relative to the repository (git's view), which may sit above the workspace folder.
        rel = relative_to(context.root, path) if context is not None and context.is_git else None
        if rel is None or config.excluded(rel):
            server.clear(uri)
            return
        repo = Path(context.root)
        loop = asyncio.get_running_loop()

        from xyguard.analyzers.pipeline import Workspace

        ws = Workspace(root=root, context=context, config=config)

        def work():
            return check_document(rel, self._baseline(repo, rel, self.baseline_rev(repo)), text, ws)

        findings = await loop.run_in_executor(server.executor, work)
        server.publish(uri, version, Published(version, findings, None, "drift"))

    def close(self, uri: str) -> None:
        self.server.jobs.cancel(uri)
        self.server.clear(uri)
