"""Text synchronisation: one dispatcher per notification, routing request documents and source files.

pygls keeps the document text up to date before these run; here we only
decide what to (re)analyse. Saves and file events refresh the folder's
workspace context, since the repository on disk changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from .features import feature

from .request_docs import is_request_document
from .workspaces import document_path

if TYPE_CHECKING:
    from .server import XyguardServer

# Events under these folders say nothing about the sources (and .git churns constantly).
CONFIG_FILES = {".xyguard.toml", "pyproject.toml"}
_IGNORED_PARTS = {".git", "node_modules", ".venv", "__pycache__", ".mypy_cache", ".pytest_cache"}


def _route(server: "XyguardServer", uri: str, language_id: str | None, immediate: bool) -> None:
    if is_request_document(uri, language_id):
        server.requests.schedule(uri, immediate=immediate)
    elif server.drift.applies(uri):
        server.drift.schedule(uri, immediate=immediate)


@feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: "XyguardServer", params: types.DidOpenTextDocumentParams) -> None:
    _route(ls, params.text_document.uri, params.text_document.language_id, immediate=True)


@feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: "XyguardServer", params: types.DidChangeTextDocumentParams) -> None:
    doc = ls.open_document(params.text_document.uri)
    _route(ls, params.text_document.uri, doc.language_id if doc else None, immediate=False)


@feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: "XyguardServer", params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    doc = ls.open_document(uri)
    if doc is not None and is_request_document(uri, doc.language_id):
        return  # a request document is not part of the repository's code
    root = ls.workspaces.root_for(uri)
    if root is not None:
        ls.drift.forget_baselines()
        ls.workspaces.invalidate(root)  # re-analyses the folder's documents when rebuilt


@feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: "XyguardServer", params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.jobs.cancel(uri)
    ls.clear(uri)


@feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched(ls: "XyguardServer", params: types.DidChangeWatchedFilesParams) -> None:
    roots, config_roots = set(), set()
    head_moved = False
    for change in params.changes:
        path = document_path(change.uri)
        if path is None:
            continue
        if ".git" in path.parts and path.name in ("HEAD", "index", "ORIG_HEAD"):
            head_moved = True
        elif _IGNORED_PARTS.intersection(path.parts):
            continue
        root = ls.workspaces.root_for(change.uri)
        if root is not None:
            roots.add(root)
            if path.name in CONFIG_FILES:
                config_roots.add(root)
    if head_moved:
        ls.drift.forget_baselines()
    for root in roots:
        ls.workspaces.invalidate(root)
    for root in config_roots:
        ls.reanalyse(root)  # settings apply now; the rebuilt context follows

