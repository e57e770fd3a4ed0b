"""Shared parts of the end-to-end language server tests: the server command, a recording client, waiting."""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Callable

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

SERVER = [sys.executable, "-m", "xyguard.server", "lsp"]


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics (with its version) in order."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)  # type: ignore[attr-defined]

    def register_capability(ls: LanguageClient, params: types.RegistrationParams) -> None:
        ls.registrations = getattr(ls, "registrations", []) + list(params.registrations)  # type: ignore

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES,
                                   types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
                                   types.CLIENT_REGISTER_CAPABILITY: register_capability})
    return client


async def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll until `predicate()` is truthy; fail the test with `what` after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def publishes(client: LanguageClient, uri: str) -> list[types.PublishDiagnosticsParams]:
    return [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]


def open_document(client: LanguageClient, uri: str, text: str, language_id: str = "markdown",
                  version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))


def replace_text(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def init_params(root, capabilities: types.ClientCapabilities, options: dict | None = None,
                folders: list | None = None) -> types.InitializeParams:
    folders = folders if folders is not None else [root]
    return types.InitializeParams(
        capabilities=capabilities,
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders],
        initialization_options=options if options is not None else {"debounceMs": 50},
    )


CONFIG_PY = '''"""Reading key=value configuration files."""


def parse_config(path):
    """Parse KEY=VALUE lines into a dict."""
    result = {}
    with open(path) as handle:
        for line in handle:
            key, value = line.split("=", 1)
            result[key.strip()] = value.strip()
    return result
'''
