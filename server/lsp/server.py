"""The xyguard language server: a pygls LanguageServer holding the shared state every feature module uses.

Feature modules (configuration, documents, code_actions, hover, custom)
define their handlers at module level (`features.feature`); `create_server()`
registers them. Heavy work runs
in `server.executor`; the event loop only schedules and publishes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from ..version import VERSION
from .diagnostics import Published, to_diagnostic
from .jobs import LatestOnly
from .options import Options
from .robustness import GuardedProtocol, read_messages, scrub, stdin_reader, stream_reader
from .workspaces import Workspaces

log = logging.getLogger("xyguard.lsp")



class XyguardServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("xyguard", VERSION, protocol_cls=GuardedProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.options = Options()
        self.initialization_options: Any = None
        self.executor = ThreadPoolExecutor(max_workers=3, thread_name_prefix="xyguard-work")
        self.jobs = LatestOnly()
        self.published: dict[str, Published] = {}
        self.workspaces = Workspaces(self)
        from .drift import DriftDocuments
        from .request_docs import RequestDocuments

        self.requests = RequestDocuments(self)
        self.drift = DriftDocuments(self)
        self.workspaces.on_ready.append(lambda root: self.reanalyse(root))

    # ---- documents ---------------------------------------------------------------------

    def open_document(self, uri: str) -> TextDocument | None:
        """An open document, never one read from disk (pygls would lazily open any URI asked for)."""
        try:
            docs = self.workspace.text_documents
        except RuntimeError:
            return None
        from urllib.parse import unquote

        return docs.get(unquote(uri)) or docs.get(uri)

    def publish(self, uri: str, version: int | None, published: Published) -> None:
        """Publish diagnostics for `version` only if the document is still at that version."""
        doc = self.open_document(uri)
        if doc is None or doc.version != version:
            log.debug("dropping stale diagnostics for %s v%s", uri, version)
            return
        self.published[uri] = published
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=[to_diagnostic(f) for f in published.findings]))

    def clear(self, uri: str) -> None:
        had = self.published.pop(uri, None)
        if had is not None and had.findings:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reanalyse(self, root: Path | None = None, immediate: bool = True) -> None:
        """Re-run the analyses of every open document (in `root`, if given): settings or context changed."""
        from .request_docs import is_request_document

        try:
            docs = list(self.workspace.text_documents.values())
        except RuntimeError:
            return
        for doc in docs:
            if root is not None and self.workspaces.root_for(doc.uri) != root:
                continue
            if is_request_document(doc.uri, doc.language_id):
                self.requests.schedule(doc.uri, immediate=immediate)
            elif self.drift.applies(doc.uri):
                self.drift.schedule(doc.uri, immediate=immediate)

    async def goal_state(self, root: Path | None):
        """The configured session's goal state, read-only, for request documents; None without a session."""
        session = self.options.session
        if not session or root is None:
            return None

        def load():
            from xyguard.analyzers.session import SessionStore

            return SessionStore(root).load(session)

        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, load)
        except Exception as exc:
            log.warning("cannot load session %r: %s", session, exc)
            return None

    # ---- messages to the user ----------------------------------------------------------

    def show_problem(self, message: str) -> None:
        log.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=scrub(message)))

    def report_server_error(self, error: Exception, source) -> None:
        # pygls would show every internal error in a popup, with local paths; log instead.
        # A failed request was already answered with an error response; nothing more to tell the client.
        if getattr(source, "__name__", "") == "FeatureRequestError":
            return
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)
        self.protocol.log_to_client(f"xyguard: internal error ({error.__class__.__name__})")

    # ---- transports --------------------------------------------------------------------

    def start_io(self, stdin=None, stdout=None, *, replay: bytes = b"", answered_id: Any = None) -> None:
        """Serve over stdio. `replay`: bytes fastinit already read; `answered_id`: the initialize it answered."""
        from pygls.io_ import StdoutWriter

        from .fastinit import Replay

        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        self.protocol.answered_early = answered_id
        stream = stdin or sys.stdin.buffer
        if replay:
            stream = Replay(replay, stream)
        # stdin gets a thread of its own, so busy analysis workers can never delay reading a $/cancelRequest.
        reader_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xyguard-stdin")
        readline, readexactly = stdin_reader(stream, reader_pool)
        try:
            asyncio.run(read_messages(readline, readexactly, self.protocol, self._stop_event))
        except BrokenPipeError:
            log.error("the client closed the connection")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            reader_pool.shutdown(wait=False)
            self.shutdown()

    def start_tcp(self, host: str, port: int) -> None:
        self._stop_event = stop = threading.Event()

        async def serve() -> None:
            done = asyncio.Event()

            async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                self.protocol.set_writer(writer)  # type: ignore[arg-type]
                readline, readexactly = stream_reader(reader)
                try:
                    await read_messages(readline, readexactly, self.protocol, stop)
                except SystemExit:  # the `exit` notification; over stdio it ends asyncio.run directly
                    pass
                finally:
                    done.set()

            server = await asyncio.start_server(connection, host, port)
            log.info("listening on %s", ", ".join(str(s.getsockname()) for s in server.sockets))
            async with server:
                await done.wait()  # one client per server process, as editors start one server each

        try:
            asyncio.run(serve())
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        self.workspaces.stop()  # a running index would otherwise hold the exit until it finishes
        self.executor.shutdown(wait=False, cancel_futures=True)
        super().shutdown()

    # ---- the client's parent process -----------------------------------------------------

    def watch_parent(self, pid: int | None) -> None:
        """Exit when the editor that started us is gone (its pipes may stay open in a grandchild)."""
        if not pid or pid == os.getpid():
            return

        def watch() -> None:
            while True:
                time.sleep(1.0)
                if not _alive(pid):
                    log.info("client process %s exited; shutting down", pid)
                    os._exit(0)

        threading.Thread(target=watch, name="xyguard-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


FEATURE_MODULES = ("configuration", "documents", "code_actions", "hover", "custom")


def create_server() -> XyguardServer:
    import importlib

    from . import git_watch
    from .features import register

    server = XyguardServer()
    for name in FEATURE_MODULES:
        register(server, importlib.import_module(f"{__package__}.{name}"))
    git_watch.register(server)  # after documents: it chains onto the didChangeWatchedFiles handler
    return server
