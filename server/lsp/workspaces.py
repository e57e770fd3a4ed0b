"""Multi-root workspaces: one WorkspaceContext and one Config per folder, built off the event loop.

Building a context can take seconds on a large repository, so it runs in
the analysis executor with work-done progress (begin, report with
percentage, end) and a cancel event the client can trip. Until a folder's
context is ready, analyses run without it and are redone when it lands.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types
from xyguard.analyzers.text.paths import uri_to_path

if TYPE_CHECKING:
    from .server import XyguardServer

log = logging.getLogger("xyguard.lsp")


def document_path(uri: str) -> Path | None:
    """A document's local path; None for URIs that name nothing on this machine (untitled:, remote)."""
    path = uri_to_path(uri)
    return Path(path) if path else None


def relative_to(root: Path, path: Path) -> str | None:
    """`path` relative to `root` with forward slashes, or None when it is outside."""
    try:
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    except ValueError:  # another drive
        return None
    if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        return None
    return rel.replace(os.sep, "/")


class Workspaces:
    def __init__(self, server: "XyguardServer"):
        self.server = server
        self._ready: dict[Path, Any] = {}
        self._builds: dict[Path, asyncio.Task] = {}
        self._cancels: dict[Path, threading.Event] = {}  # stops the folder's running build
        self._configs: dict[Path | None, Any] = {}
        self._reported: set[str] = set()
        self.on_ready: list[Callable[[Path], None]] = []  # e.g. re-analyse the folder's open documents

    # ---- folders ----------------------------------------------------------------------

    def roots(self) -> list[Path]:
        try:
            ws = self.server.workspace
        except RuntimeError:  # not initialised yet
            return []
        uris = [f.uri for f in ws.folders.values()] or ([ws.root_uri] if ws.root_uri else [])
        out = []
        for uri in uris:
            path = document_path(uri)
            if path is not None and path.is_dir():
                out.append(path.resolve())
        return out

    def root_for(self, uri: str) -> Path | None:
        """The innermost workspace folder holding `uri`, or the folder `uri` names (nested folders are allowed)."""
        path = document_path(uri)
        if path is None:
            return None
        real = os.path.realpath(path)
        holding = [r for r in self.roots() if str(r) == real or relative_to(r, path) is not None]
        return max(holding, key=lambda r: len(str(r))) if holding else None

    # ---- configuration ----------------------------------------------------------------

    def config(self, root: Path | None):
        """The folder's configuration files with the client's settings on top (invalid settings reported once)."""
        from xyguard.analyzers.config import ConfigError, load_config

        if root in self._configs:
            return self._configs[root]
        try:
            base = load_config(root)
        except ConfigError as exc:
            self._report(str(exc))
            base = load_config(None)
        overrides = self.server.options.overrides()
        try:
            cfg = base.with_overrides(overrides, "xyguard settings") if overrides else base
        except ConfigError as exc:
            self._report(str(exc))
            cfg = base
        self._configs[root] = cfg
        return cfg

    def _report(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self.server.show_problem(message)

    def settings_changed(self) -> None:
        self._configs.clear()
        self._reported.clear()

    # ---- contexts ---------------------------------------------------------------------

    def ready(self, root: Path | None):
        return self._ready.get(root) if root is not None else None

    def ensure_built(self, root: Path) -> asyncio.Task:
        """Start (once) building the folder's context; the returned task resolves to it."""
        task = self._builds.get(root)
        if task is None or (task.done() and root not in self._ready):
            task = asyncio.ensure_future(self._build(root))
            self._builds[root] = task
        return task

    async def context(self, root: Path | None):
        """The folder's context, waiting for a build if needed; None outside any folder or on failure.

        A cancelled caller does not cancel the shared build other callers wait for.
        """
        if root is None:
            return None
        if root in self._ready:
            return self._ready[root]
        return await asyncio.shield(self.ensure_built(root))

    def invalidate(self, root: Path) -> None:
        """Files changed on disk: forget the context and rebuild it (the disk cache keeps this cheap)."""
        from xyguard.analyzers.context import invalidate

        invalidate(root)
        self._configs.pop(root, None)
        task = self._builds.pop(root, None)
        stop = self._cancels.pop(root, None)
        if stop is not None:
            stop.set()  # its result would describe the old files; its waiters get None, not an exception
        known = self._ready.pop(root, None) is not None or task is not None
        if known:
            self.ensure_built(root)

    def stop(self) -> None:
        """Cancel every running build (the server is exiting): its workers stop and its thread returns."""
        for cancel in list(self._cancels.values()):
            cancel.set()

    async def _build(self, root: Path):
        # build_context, not the memoising get_context: a build that was invalidated half-way must not
        # leave its stale result where the rebuild would pick it up. The disk cache keeps rebuilds cheap.
        from xyguard.analyzers.context import Cancelled, build_context

        cancel = threading.Event()
        self._cancels[root] = cancel
        progress = await self._begin_progress(root, cancel)
        loop = asyncio.get_running_loop()
        last = [-1]

        def report(message: str, percent: int) -> None:  # called on the worker thread
            if percent != last[0]:
                last[0] = percent
                loop.call_soon_threadsafe(progress.report, message, percent)

        config = self.config(root)
        try:
            ctx = await loop.run_in_executor(self.server.executor,
                                             lambda: build_context(root, config=config, progress=report, cancel=cancel))
        except asyncio.CancelledError:
            cancel.set()
            progress.end("cancelled")
            raise
        except Cancelled:
            progress.end("cancelled")
            return None
        except Exception as exc:
            log.exception("building the workspace context for %s failed", root)
            self._report(f"xyguard could not index {root.name}: {exc.__class__.__name__}: {exc}")
            progress.end("failed")
            return None
        progress.end(f"{len(ctx.files)} files, {ctx.history.commits} commits")
        if cancel.is_set():  # invalidated while finishing: a newer build owns the folder now
            return ctx
        if self._cancels.get(root) is cancel:
            del self._cancels[root]
        self._ready[root] = ctx
        for callback in list(self.on_ready):
            try:
                callback(root)
            except Exception:
                log.exception("context-ready callback failed")
        return ctx

    async def _begin_progress(self, root: Path, cancel: threading.Event) -> "_Progress":
        caps = self.server.client_capabilities
        supported = bool(caps and caps.window and caps.window.work_done_progress)
        token = f"xyguard-index-{uuid.uuid4().hex[:12]}" if supported else None
        progress = _Progress(self.server, token)
        if token is not None:
            try:
                await self.server.work_done_progress.create_async(token)
            except Exception as exc:  # the client refused; index silently
                log.info("client refused work-done progress: %s", exc)
                progress.token = None
        progress.begin(f"xyguard: indexing {root.name}", cancel)
        return progress


class _Progress:
    """One work-done progress: begin once, report percentages, end once; a no-op without a token."""

    def __init__(self, server: "XyguardServer", token: str | None):
        self.server, self.token, self._ended = server, token, False

    def begin(self, title: str, cancel: threading.Event) -> None:
        if self.token is None:
            return
        self.server.work_done_progress.begin(self.token, types.WorkDoneProgressBegin(
            title=title, cancellable=True, percentage=0))
        future = self.server.work_done_progress.tokens.get(self.token)
        if future is not None:  # window/workDoneProgress/cancel from the client cancels this future
            future.add_done_callback(lambda f: cancel.set() if f.cancelled() else None)

    def report(self, message: str, percent: int) -> None:
        if self.token is None or self._ended:
            return
        self.server.work_done_progress.report(self.token, types.WorkDoneProgressReport(
            message=message, percentage=max(0, min(100, int(percent)))))

    def end(self, message: str) -> None:
        if self.token is None or self._ended:
            return
        self._ended = True
        self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
        self.server.work_done_progress.tokens.pop(self.token, None)
