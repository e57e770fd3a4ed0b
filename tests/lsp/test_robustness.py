"""The server survives what pygls alone does not: broken framing, bad JSON, huge lengths, invalid params, crashes."""

from __future__ import annotations

import os
import threading

import pytest

from lsp_helpers import SERVER
from lsp_raw import INITIALIZE, RawPeer, initialized_server


@pytest.fixture
def server_process():
    with initialized_server(SERVER) as started:
        yield started


def test_invalid_params_get_an_invalid_params_error(server_process):
    _, peer = server_process
    peer.request(2, "textDocument/hover", {"textDocument": 5, "position": {"line": "x"}})
    answer = peer.response(2)
    assert answer["error"]["code"] == -32602
    assert "textDocument/hover" in answer["error"]["message"]


def test_custom_request_with_wrong_field_type_is_rejected_with_the_field_name(server_process):
    _, peer = server_process
    peer.request(2, "xyguard/analyzeRequest", {"text": 42})
    answer = peer.response(2)
    assert answer["error"]["code"] == -32602
    assert "'text'" in answer["error"]["message"]
    peer.request(3, "xyguard/checkEdit", ["not", "an", "object"])
    assert peer.response(3)["error"]["code"] == -32602


def test_broken_framing_never_wedges_the_server(server_process):
    proc, peer = server_process
    peer.send_bytes(b"{\"jsonrpc\": \"2.0\", \"id\": 50}")  # a body with no header at all
    peer.send_bytes(b"X-Whatever: 1\r\n\r\n")  # a header block with no Content-Length
    body = b"{not json"
    peer.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)  # framed, but not JSON
    peer.send_bytes(b"Content-Length: 99999999999999999\r\n\r\n{\"jsonrpc\"")  # absurd length, truncated body
    peer.send_bytes(b"Content-Length: 12\r\n\r\n[1, 2, 3, 4]")  # JSON, but not a JSON-RPC object
    peer.request(7, "shutdown")
    assert peer.response(7) == {"jsonrpc": "2.0", "id": 7, "result": None}
    peer.send({"jsonrpc": "2.0", "method": "exit"})
    assert proc.wait(10) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_oversized_message_is_skipped_and_reported(server_process):
    _, peer = server_process
    # Over the cap but really sent: the bytes are discarded, the next message is served.
    from xyguard.server.lsp import robustness

    size = robustness.MAX_MESSAGE_BYTES + 1
    writer = threading.Thread(target=peer.send_bytes, args=(b"Content-Length: %d\r\n\r\n" % size + b" " * size,))
    writer.start()
    logged = peer.receive(60)
    writer.join()
    assert logged["method"] == "window/logMessage" and "limit" in logged["params"]["message"]
    peer.request(8, "shutdown")
    assert peer.response(8)["result"] is None


def test_a_crashing_handler_answers_with_a_clean_error_and_the_server_keeps_serving(tmp_path):
    """A handler that raises (here one registered by the test) must not leak its traceback or paths."""
    from xyguard.server.lsp.server import create_server

    server = create_server()
    secret = str(tmp_path / "home" / "someone" / "private.txt")

    @server.feature("test/explode")
    async def explode(ls, params):
        raise FileNotFoundError(2, "No such file or directory", secret)

    to_server_r, to_server_w = os.pipe()
    from_server_r, from_server_w = os.pipe()
    stdin, stdout = os.fdopen(to_server_r, "rb"), os.fdopen(from_server_w, "wb")
    thread = threading.Thread(target=server.start_io, args=(stdin, stdout), daemon=True)
    thread.start()
    peer = RawPeer(from_server_r, to_server_w)
    try:
        peer.request(1, "initialize", INITIALIZE)
        peer.response(1)
        peer.request(2, "test/explode", {})
        error = peer.response(2)["error"]
        assert error["code"] == -32603
        assert "FileNotFoundError" in error["message"]
        assert secret not in str(error) and "someone" not in str(error)
        assert "traceback" not in str(error).lower() and "data" not in error
        peer.request(3, "textDocument/hover", {"textDocument": {"uri": "file:///nowhere.request.md"},
                                               "position": {"line": 0, "character": 0}})
        assert peer.response(3) == {"jsonrpc": "2.0", "id": 3, "result": None}
    finally:
        os.close(to_server_w)  # EOF ends the server loop
        thread.join(10)
        os.close(from_server_r)


def test_scrub_hides_local_paths_but_keeps_method_names_and_urls(tmp_path):
    from xyguard.server.lsp.robustness import scrub

    home_file = os.path.join(os.path.expanduser("~"), "notes", "plan.txt")
    message = (f"xyguard/session/update failed on {tmp_path / 'repo' / 'a.py'}, '{home_file}' "
               f"and file://{tmp_path}/b.py see https://example.com/docs/errors and textDocument/hover, "
               f"C:\\Users\\bob\\x.py, ~/private/key, {os.__file__}")
    scrubbed = scrub(message)
    assert scrubbed.startswith("xyguard/session/update failed on <path>, '<path>' and file:<path> see")
    assert "https://example.com/docs/errors" in scrubbed and "textDocument/hover" in scrubbed
    assert scrubbed.endswith("<path>, <path>, <path>")
    # A leading slash alone does not make a path: these name nothing on this machine.
    assert scrub("unknown method /session/update") == "unknown method /session/update"
