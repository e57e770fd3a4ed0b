"""An OpenAI-compatible chat endpoint on 127.0.0.1 for the LLM tests: records every payload, answers as told.

Used in-process (tests/test_llm_e2e.py) and by servers started as subprocesses (tests/lsp), which reach it
through XYGUARD_LLM_API_BASE. It never contacts any other address.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")


class FakeModel:
    """An OpenAI-compatible /v1/chat/completions endpoint that records payloads and answers what it is told."""

    def __init__(self, reply: str = "{}"):
        self.payloads: list[dict] = []
        self.raw: list[bytes] = []  # the request bodies exactly as received
        self.reply: str = reply
        self.delay = 0.0
        self.announce_length = True  # False: no Content-Length, the body ends when the connection closes
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.raw.append(body)
                outer.payloads.append({"path": self.path, "body": json.loads(body or b"{}")})
                if outer.delay:
                    time.sleep(outer.delay)
                data = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test",
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": outer.reply}}],
                                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    if outer.announce_length:
                        self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (deadline test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def env(self) -> dict[str, str]:
        """Environment settings that point a child xyguard process's LLM path at this endpoint."""
        return {"XYGUARD_LLM_MODEL": "openai/test", "OPENAI_API_KEY": "dummy", "NO_PROXY": "127.0.0.1,localhost",
                "XYGUARD_LLM_API_BASE": self.url}

    def sent_text(self) -> str:
        return json.dumps(self.payloads, ensure_ascii=False)


@contextlib.contextmanager
def fake_model(monkeypatch, reply: str = "{}") -> Iterator[FakeModel]:
    """A running FakeModel, with the environment (also a child process's) set to reach it directly."""
    monkeypatch.setenv("OPENAI_API_KEY", "dummy")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for var in PROXY_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    server = FakeModel(reply)
    try:
        yield server
    finally:
        server.close()
