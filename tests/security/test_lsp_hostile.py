"""The language server against a hostile or broken client, over real stdio in raw JSON-RPC.

Broken framing, bad JSON and absurd lengths never wedge it: the next valid
request is answered. Invalid params get an error response; a handler that
fails gets an error response with no traceback and no local paths, and the
server keeps serving. A burst of 500 edits is analysed once for the last
version, not 500 times. When the editor that started it dies, it exits
without spinning. Every wait has a timeout, so a wedged server fails the
test instead of hanging it.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from hostile import LspProcess

REQUEST_TEXT = "Make the parser faster"


@pytest.fixture
def server(repo):
    repo.commit("start", {"app.py": "def main():\n    return 0\n"})
    with LspProcess(cwd=repo.root) as lsp:
        lsp.initialize(repo.root)
        lsp.root = repo.root
        yield lsp


def _still_serving(lsp: LspProcess) -> None:
    answer = lsp.request("textDocument/hover", {"textDocument": {"uri": (lsp.root / "app.py").as_uri()},
                                                "position": {"line": 0, "character": 0}}, timeout=10)
    assert "result" in answer, answer


def _clean(error: dict, *private: str) -> None:
    text = str(error)
    assert "Traceback" not in text and 'File "' not in text, error
    for value in private:
        assert value not in text, error


@pytest.mark.parametrize("garbage", [
    b"Content-Length: 9\r\n\r\n{not json",
    b"Content-Length: 4\r\n\r\n\xff\xfe\x00\x01",
    b"Content-Length: 2\r\n\r\n[]",
    b"Content-Length: 27\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": {}}",
    b"X-Whatever: 1\r\n\r\n",
    b"Content-Type: application/json\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": \"shutdown\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 6, \"method\": \"initialize\"}\r\n",
    b"Content-Length: -5\r\n\r\n",
    b"Content-Length: 1000000000\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 7",
    b"Content-Length: 99999999999999999999999\r\n\r\n{}",
], ids=["bad-json", "bad-utf8", "not-an-object", "bad-id", "no-length", "no-length-with-body", "no-header",
        "negative-length", "length-1e9-short-body", "length-overflow"])
def test_broken_framing_never_wedges(server, garbage):
    server.send_bytes(garbage)
    _still_serving(server)
    assert server.shutdown() == 0


def test_eof_mid_message_exits_cleanly(server):
    server.send_bytes(b"Content-Length: 500\r\n\r\n{\"jsonrpc\"")
    server.proc.stdin.close()
    assert server.proc.wait(10) == 0


@pytest.mark.parametrize("method,params", [
    ("textDocument/hover", {"textDocument": 5, "position": {"line": "x"}}),
    ("textDocument/hover", None),
    ("textDocument/codeAction", {"textDocument": {"uri": "file:///x.py"}}),
    ("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": -1, "character": 0}}),
    ("xyguard/analyzeRequest", {"text": 42}),
    ("xyguard/analyzeRequest", ["text"]),
    ("xyguard/checkEdit", {"edit": "not an object"}),
    ("xyguard/checkEdit", {"diff": "x", "edit": {}}),
    ("xyguard/session/get", {"session": "../../etc/passwd"}),
], ids=["wrong-types", "null", "missing-range", "negative-line", "custom-wrong-type", "custom-list",
        "edit-not-object", "edit-and-diff", "session-traversal"])
def test_invalid_params_get_an_error_response(server, method, params):
    answer = server.request(method, params, timeout=20)
    assert "error" in answer, answer
    assert answer["error"]["code"] in (-32602, -32600), answer
    _clean(answer, str(server.root))
    _still_serving(server)


def test_failing_handler_answers_without_traceback_or_paths_and_keeps_serving(server):
    # A real failure inside a handler: the session store's folder is a file, so saving the goal state raises
    # an OSError that carries the local path.
    store = server.root / ".git" / "xyguard" / "sessions"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("not a folder")
    answer = server.request("xyguard/session/update", {"session": "s1", "text": REQUEST_TEXT,
                                                       "root": str(server.root)}, timeout=30)
    assert "error" in answer, answer
    _clean(answer, str(server.root), str(store))
    _still_serving(server)
    assert server.shutdown() == 0


def test_a_burst_of_500_changes_is_analysed_once_for_the_last_version(server):
    uri = (server.root / "task.request.md").as_uri()
    server.open(uri, REQUEST_TEXT, language_id="markdown", version=1)
    assert server.diagnostics(uri, timeout=60) is not None  # warm: context built, first analysis done
    before = len(server.notifications)
    started = time.monotonic()
    for version in range(2, 502):
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                "text": "x" if version % 2 else " "}]})
    sent = time.monotonic()
    assert sent - started < 1.5, "the client could not even send 500 changes in time"
    last = server.diagnostics(uri, timeout=5, min_version=501)
    assert last is not None, "no diagnostics for the last version within 5 s"
    assert last["params"]["version"] == 501
    published = [m for m in server.notifications[before:]
                 if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]
    assert len(published) <= 5, f"{len(published)} publishes for one burst: the edits were analysed one by one"


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def test_server_exits_when_its_parent_dies_and_does_not_spin(repo):
    repo.commit("start", {"app.py": "def main():\n    return 0\n"})
    parent = subprocess.Popen(["sleep", "120"])
    try:
        with LspProcess(cwd=repo.root) as lsp:
            lsp.initialize(repo.root, process_id=parent.pid)
            _ = lsp.request("xyguard/analyzeRequest", {"text": REQUEST_TEXT, "root": str(repo.root)}, timeout=60)
            idle_from = _cpu_seconds(lsp.proc.pid)
            time.sleep(2.0)
            idle_cpu = _cpu_seconds(lsp.proc.pid) - idle_from
            assert idle_cpu < 0.5, f"the idle server used {idle_cpu:.2f}s of CPU in 2 s"
            parent.kill()
            parent.wait()
            killed = time.monotonic()
            code = lsp.proc.wait(10)
            assert time.monotonic() - killed < 6, "the server outlived its parent by more than a few seconds"
            assert code == 0
    finally:
        if parent.poll() is None:
            parent.kill()
