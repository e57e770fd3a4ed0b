"""The language server's lifecycle per the LSP spec, and nothing it keeps per message.

From the red-team pass: requests before `initialize` were answered (the spec says -32002 ServerNotInitialized),
requests after `shutdown` got no answer at all (an error is due), `exit` without `shutdown` exited 0 (the spec
says 1), the process lived on for a minute after `exit` while analysis ran, drift on an open buffer had no size
cap, and pygls 2.1.1 kept a Future for every didChange (~2 KB each). Deadlines here are generous upper bounds
for a process to be gone, never speed assertions; speed is measured in benchmarks/lsp_bench.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import subprocess
import sys

import pytest

from gitrepo import Repo
from hostile import CLI, clean_env
from lsp_raw import INITIALIZE, RawPeer, initialized_server

SERVER = [*CLI, "lsp"]
EXIT_DEADLINE_S = 10  # generous: the measured figure is in the report and benchmarks, not asserted


def _start() -> tuple[subprocess.Popen, RawPeer]:
    proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=clean_env())
    return proc, RawPeer(proc.stdout.fileno(), proc.stdin.fileno())


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)
    for stream in (proc.stdin, proc.stdout):
        stream.close()


def test_a_request_before_initialize_gets_server_not_initialized():
    proc, peer = _start()
    try:
        peer.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file:///tmp/a.request.md", "languageId": "markdown", "version": 1, "text": "Fix it."}}})
        peer.request(1, "xyguard/analyzeRequest", {"text": "Add a flag."})
        answer = peer.response(1)
        assert answer["error"]["code"] == -32002 and "result" not in answer
        peer.request(2, "textDocument/hover", {"textDocument": {"uri": "file:///tmp/a.py"},
                                               "position": {"line": 0, "character": 0}})
        assert peer.response(2)["error"]["code"] == -32002
        peer.request(3, "initialize", INITIALIZE)  # the handshake still works afterwards
        assert "capabilities" in peer.response(3)["result"]
    finally:
        _stop(proc)


def test_a_request_after_shutdown_gets_an_error_and_exit_then_ends_with_0():
    with initialized_server(SERVER, env=clean_env()) as (proc, peer):
        peer.request(2, "shutdown")
        assert peer.response(2)["result"] is None
        peer.request(3, "xyguard/analyzeRequest", {"text": "Add a flag."})
        answer = peer.response(3)
        assert answer["error"]["code"] == -32600 and "shutting down" in answer["error"]["message"]
        peer.send({"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(EXIT_DEADLINE_S) == 0


def test_exit_without_shutdown_ends_with_1():
    with initialized_server(SERVER, env=clean_env()) as (proc, peer):
        peer.send({"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(EXIT_DEADLINE_S) == 1


def test_exit_ends_the_process_while_an_analysis_runs():
    """A 100,000-line diff keeps a worker busy for several seconds; `exit` must not wait for it."""
    lines = "".join(f"+    value_{i} = compute(value_{i - 1}, {i}) * 2\n" for i in range(100_000))
    diff = f"--- a/big.py\n+++ b/big.py\n@@ -0,0 +1,100000 @@\n{lines}"
    with initialized_server(SERVER, env=clean_env()) as (proc, peer):
        peer.request(2, "xyguard/checkEdit", {"diff": diff})
        peer.request(3, "xyguard/analyzeRequest", {"text": "Add a flag."})  # the loop has read the big one
        peer.response(3, timeout=120)
        peer.send({"jsonrpc": "2.0", "method": "exit"})
        try:
            code = proc.wait(EXIT_DEADLINE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server was still running {EXIT_DEADLINE_S} s after exit")
        assert code == 1


def test_drift_on_a_buffer_above_the_cap_is_skipped_with_a_note(tmp_path):
    from xyguard.server.lsp.drift import MAX_DRIFT_CHARS

    repo = Repo(tmp_path / "repo")
    repo.commit("start", {"data.py": "VALUES = []\n"})
    root = repo.root.as_uri()
    params = {"processId": None, "rootUri": root, "capabilities": {},
              "workspaceFolders": [{"uri": root, "name": "repo"}], "initializationOptions": {"debounceMs": 0}}
    big = "VALUES = [\n" + "    1234567,\n" * (MAX_DRIFT_CHARS // 12 + 10) + "]\n"
    with initialized_server(SERVER, params, clean_env()) as (_proc, peer):
        uri = (repo.root / "data.py").as_uri()
        peer.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": big}}})
        note = None
        while note is None:
            message = peer.receive(60)
            if message.get("method") == "window/logMessage" and "drift not checked" in message["params"]["message"]:
                note = message["params"]["message"]
            assert not (message.get("method") == "textDocument/publishDiagnostics"
                        and message["params"]["diagnostics"]), "a buffer over the cap was analysed"
        assert "data.py" in note and f"{MAX_DRIFT_CHARS:,}" in note
        peer.request(2, "xyguard/analyzeRequest", {"text": "Add a flag."})
        assert "result" in peer.response(2, timeout=60)


# ---- what the server keeps per message -------------------------------------------------------------------


def _futures() -> int:
    return sum(isinstance(o, (asyncio.Future, concurrent.futures.Future)) for o in gc.get_objects())


async def _edit_session(changes: list[int]) -> list[tuple[int, int]]:
    """Feed didChange notifications to an in-process server; (in-flight table size, live Futures) after each
    batch. Counted objects, not seconds or bytes: the count must not grow with the number of edits."""
    from xyguard.server.lsp.server import create_server

    server = create_server()
    protocol = server.protocol

    class Sink:
        def write(self, data):
            pass

        def close(self):
            pass

    protocol.set_writer(Sink())

    def feed(message: dict) -> None:
        protocol.dispatch(protocol.decode(json.dumps(message).encode()))

    feed({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": INITIALIZE})
    feed({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///nowhere/notes.txt"
    feed({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": 1, "text": ""}}})
    version, counts = 1, []
    for batch in changes:
        for _ in range(batch):
            version += 1
            feed({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                              "end": {"line": 0, "character": 0}}, "text": "x"}]}})
        for _ in range(20):  # let every handler and done-callback run
            await asyncio.sleep(0)
        gc.collect()
        counts.append((len(protocol._request_futures), _futures()))
    server.executor.shutdown(wait=False)
    return counts


def test_change_notifications_leave_no_bookkeeping_behind():
    (table_1k, live_1k), (table_3k, live_3k) = asyncio.run(_edit_session([1000, 2000]))
    assert table_1k == table_3k == 0
    assert live_3k - live_1k < 50, (live_1k, live_3k)


def test_pygls_is_pinned_to_the_range_the_protocol_overrides_were_tested_with():
    """robustness.py overrides private pygls methods; a pygls outside the pinned range must not install."""
    from importlib.metadata import requires, version

    pin = next(r for r in requires("xyguard") if r.startswith("pygls"))
    assert "<2.2" in pin.replace(" ", ""), pin
    assert version("pygls").startswith("2.1."), version("pygls")
    assert sys.version_info >= (3, 10)
