"""Hypothesis strategies for JSON-RPC traffic to the language server, valid and broken, and the oracle.

Used by test_lsp_fuzz.py (a short run in `make test`) and benchmarks/lsp_fuzz.py
(10,000 messages). A generated item is either a well-formed message (a
request, which must be answered, or a notification) or broken bytes that
are self-delimiting, so a correct server can always resynchronise at the
next Content-Length header: framed junk of the stated length, a header
block without Content-Length, a length over the server's cap followed by a
short body, or a line of junk glued to the next header.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import strategies as st

from hostile import LspProcess

_ids = itertools.count(1_000_000)

json_scalars = st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False) | st.text(max_size=40)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
texts = st.text(max_size=300) | st.sampled_from([
    "Make the parser faster", "Fix the bug in app.py", "😀\r\n👩‍👩‍👧‍👦 rewrite main() in Rust", "\u202e\u200b",
    "Add a --verbose flag to main in app.py and do not add dependencies"])
lines = st.integers(-3, 2000)
positions = st.fixed_dictionaries({"line": lines, "character": st.integers(-3, 3000)})
ranges = st.fixed_dictionaries({"start": positions, "end": positions})


def _uris(root: str):
    return st.sampled_from([f"{root}/task.request.md", f"{root}/app.py", f"{root}/notes.request.md",
                            f"{root}/../outside.py", "file:///etc/passwd", "untitled:Untitled-1", "not a uri"])


def _requests(root: str):
    uri = _uris(root)
    doc = st.fixed_dictionaries({"uri": uri})
    return st.one_of(
        st.tuples(st.just("textDocument/hover"), st.fixed_dictionaries({"textDocument": doc, "position": positions})),
        st.tuples(st.just("textDocument/codeAction"), st.fixed_dictionaries({
            "textDocument": doc, "range": ranges, "context": st.fixed_dictionaries({"diagnostics": st.just([])})})),
        st.tuples(st.just("xyguard/analyzeRequest"), st.fixed_dictionaries({"text": texts})),
        st.tuples(st.just("xyguard/checkEdit"), st.fixed_dictionaries({"diff": texts})),
        st.tuples(st.just("xyguard/checkEdit"), st.fixed_dictionaries({"edit": st.dictionaries(uri, st.text(max_size=80),
                                                                                               max_size=2)})),
        st.tuples(st.just("xyguard/session/get"), st.fixed_dictionaries({"session": st.text(max_size=20)})),
        # any method, any params: unknown methods must get MethodNotFound, known ones InvalidParams
        st.tuples(st.sampled_from(["textDocument/hover", "textDocument/codeAction", "xyguard/analyzeRequest",
                                   "xyguard/checkEdit", "xyguard/evaluate", "workspace/executeCommand",
                                   "textDocument/completion", "no/such/method", "$/weird"]), json_values),
    )


def _notifications(root: str):
    uri = _uris(root)
    return st.one_of(
        st.tuples(st.just("textDocument/didOpen"), st.fixed_dictionaries({"textDocument": st.fixed_dictionaries({
            "uri": uri, "languageId": st.sampled_from(["markdown", "python", "xyguard-request", ""]),
            "version": st.integers(-1, 10**6), "text": texts})})),
        st.tuples(st.just("textDocument/didChange"), st.fixed_dictionaries({
            "textDocument": st.fixed_dictionaries({"uri": uri, "version": st.integers(-1, 10**6)}),
            "contentChanges": st.lists(st.one_of(st.fixed_dictionaries({"text": texts}),
                                                 st.fixed_dictionaries({"range": ranges, "text": texts})),
                                       max_size=3)})),
        st.tuples(st.just("textDocument/didClose"), st.fixed_dictionaries({"textDocument": st.fixed_dictionaries(
            {"uri": uri})})),
        st.tuples(st.just("$/cancelRequest"), st.fixed_dictionaries({"id": st.integers(0, 2**31)})),
        st.tuples(st.just("workspace/didChangeConfiguration"), st.fixed_dictionaries({"settings": json_values})),
        st.tuples(st.sampled_from(["textDocument/didSave", "no/such/notification", "$/setTrace"]), json_values),
    )


_junk = st.binary(max_size=200)
_line_junk = st.text(st.characters(codec="ascii", exclude_characters="\r\n"), max_size=80)
broken = st.one_of(
    _junk.map(lambda b: b"Content-Length: %d\r\n\r\n" % len(b) + b),
    json_values.map(lambda v: (lambda b: b"Content-Length: %d\r\n\r\n" % len(b) + b)(json.dumps(v).encode())),
    _line_junk.map(lambda t: f"X-Junk: {t}\r\n\r\n".encode()),
    _line_junk.map(lambda t: b"Content-Length: 1000000000\r\n\r\n" + t.encode()),
    _line_junk.map(str.encode),
)


def items(root: str):
    """One generated item: ("request", method, params) | ("notify", method, params) | ("bytes", data)."""
    return st.one_of(
        _requests(root).map(lambda mp: ("request", *mp)),
        _notifications(root).map(lambda mp: ("notify", *mp)),
        broken.map(lambda data: ("bytes", data)),
    )


def run_sequence(server: LspProcess, sequence: list[tuple], timeout: float = 30.0) -> int:
    """Send the items in order, then check every request got exactly its answer. Returns the messages sent."""
    pending: dict[int, tuple] = {}
    for item in sequence:
        if item[0] == "bytes":
            server.send_bytes(item[1])
        elif item[0] == "request":
            msg_id = next(_ids)
            pending[msg_id] = item
            server.send({"jsonrpc": "2.0", "id": msg_id, "method": item[1], "params": item[2]})
        else:
            server.send({"jsonrpc": "2.0", "method": item[1], "params": item[2]})
    sentinel = next(_ids)
    pending[sentinel] = ("request", "textDocument/hover", "sentinel")
    server.send({"jsonrpc": "2.0", "id": sentinel, "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": "file:///nowhere.py"}, "position": {"line": 0, "character": 0}}})

    def answered(message: dict) -> bool:
        if "method" not in message and message.get("id") in pending:
            assert ("result" in message) != ("error" in message), message
            assert "Traceback" not in json.dumps(message), message
            del pending[message["id"]]
        return not pending

    if pending and server.pump(timeout, answered) is None:
        raise AssertionError(f"never answered: {list(pending.values())}; server alive: {server.proc.poll() is None}; "
                             f"server log ends with:\n{server.log_tail()}")
    return len(sequence) + 1
