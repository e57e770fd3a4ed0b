"""The early `initialize` answer must say exactly what the full server would, and be sent once."""

from __future__ import annotations

import io
import subprocess

import pytest
from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pytest_lsp import client_capabilities

from lsp_helpers import SERVER
from lsp_raw import INITIALIZE, RawPeer
from xyguard.server.lsp.fastinit import CAPABILITIES, Replay


def _truthy(value):
    """Capabilities compare by meaning: an absent flag and `false` are the same to a client."""
    if isinstance(value, dict):
        return {k: _truthy(v) for k, v in value.items() if v not in (False, None)}
    return value


@pytest.mark.parametrize("client", ["visual-studio-code", "neovim", None])
def test_early_capabilities_match_the_registered_features(client):
    from xyguard.server.lsp.server import create_server

    server = create_server()
    fm = server.protocol.fm
    caps = client_capabilities(client) if client else types.ClientCapabilities()
    built = ServerCapabilitiesBuilder(caps, set({**fm.features, **fm.builtin_features}), fm.feature_options,
                                      list(fm.commands), server._text_document_sync_kind,
                                      server._notebook_document_sync, types.PositionEncodingKind.Utf16).build()
    assert _truthy(server.protocol._converter.unstructure(built)) == _truthy(CAPABILITIES)


def test_initialize_is_answered_once_and_the_session_works():
    proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        peer = RawPeer(proc.stdout.fileno(), proc.stdin.fileno())
        peer.request(1, "initialize", INITIALIZE)
        first = peer.receive()
        assert first["id"] == 1 and first["result"]["capabilities"] == CAPABILITIES
        peer.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        peer.request(2, "shutdown")
        seen = []
        while True:
            message = peer.receive()
            seen.append(message.get("id"))
            if message.get("id") == 2:
                break
        assert 1 not in seen, "initialize was answered twice"
        peer.send({"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()


def test_replay_yields_the_consumed_bytes_first():
    stream = Replay(b"Content-Length: 2\r\n\r\n{}", io.BytesIO(b"rest\nmore"))
    assert stream.readline(100) == b"Content-Length: 2\r\n"
    assert stream.readline(100) == b"\r\n"
    assert stream.read(1) == b"{"
    assert stream.readline(100) == b"}rest\n"
    assert stream.read(10) == b"more"
