"""Lifecycle and settings: initialize, initialized, didChangeConfiguration, workspace folder changes.

Settings come from initializationOptions first, then (when the client
supports it) a `workspace/configuration` pull of the "xyguard" section,
re-pulled on every didChangeConfiguration. A change re-analyses every open
document.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from .features import feature

from .options import merge_options, parse_options

if TYPE_CHECKING:
    from .server import XyguardServer

log = logging.getLogger("xyguard.lsp")
SECTION = "xyguard"


def apply_settings(server: "XyguardServer", raw: Any, origin: str) -> None:
    update, problems = parse_options(raw)
    server.options = merge_options(server.options, update, raw)
    for problem in problems:
        server.show_problem(f"xyguard {origin}: {problem}")
    server.workspaces.settings_changed()


async def pull_settings(server: "XyguardServer") -> bool:
    caps = server.client_capabilities
    if not (caps and caps.workspace and caps.workspace.configuration):
        return False
    try:
        values = await server.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
    except Exception as exc:
        log.warning("workspace/configuration failed: %s", exc)
        return False
    if values and isinstance(values[0], dict):
        apply_settings(server, values[0], "settings")
    return True


@feature(types.INITIALIZE)
def initialize(ls: "XyguardServer", params: types.InitializeParams) -> None:
    ls.initialization_options = params.initialization_options
    if params.initialization_options is not None:
        apply_settings(ls, params.initialization_options, "initializationOptions")
    ls.watch_parent(params.process_id)


@feature(types.INITIALIZED)
async def initialized(ls: "XyguardServer", params: types.InitializedParams) -> None:
    await pull_settings(ls)
    _watch_files(ls)
    for root in ls.workspaces.roots():
        ls.workspaces.ensure_built(root)


@feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: "XyguardServer", params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings
    # VS Code sends null here and expects a pull; other clients push the section itself.
    if isinstance(settings, dict) and SECTION in settings:
        apply_settings(ls, settings, "settings")
    elif not await pull_settings(ls) and isinstance(settings, dict):
        apply_settings(ls, settings, "settings")
    ls.reanalyse()


@feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_folders(ls: "XyguardServer", params: types.DidChangeWorkspaceFoldersParams) -> None:
    for root in ls.workspaces.roots():
        ls.workspaces.ensure_built(root)
    ls.workspaces.settings_changed()
    ls.reanalyse()


@feature(types.SHUTDOWN)
def shutdown(ls: "XyguardServer", params: Any) -> None:
    ls.executor.shutdown(wait=False, cancel_futures=True)


def _watch_files(server: "XyguardServer") -> None:
    """Ask the client for file events (agents edit files behind the editor's back)."""
    caps = server.client_capabilities
    watched = caps.workspace.did_change_watched_files if caps and caps.workspace else None
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern="**/*")])
    server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
        id="xyguard-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]))
