"""The optional LLM in the custom requests: the model adds to the reports, and stdout carries only protocol.

The server runs as a real subprocess configured the way an editor configures it (the model name in
initializationOptions; the endpoint from the environment) against the fake OpenAI-compatible model in
tests/fake_llm.py on 127.0.0.1. Every byte the server writes to stdout is checked to be framed JSON-RPC.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess

import pytest

from fake_llm import fake_model
from lsp_helpers import SERVER
from lsp_raw import RawPeer, initialized_server

if importlib.util.find_spec("litellm") is None:
    pytest.skip("litellm is not installed (the llm extra)", allow_module_level=True)

REPLY = {
    "needs_clarification": True,
    "question": "Should malformed lines raise an error or be skipped?",
    "concretized": "Make parse_config raise ValueError on lines without '='; keep its signature.",
    "final_goals": ["catch broken configuration files early"],
    "findings": [{"code": "XY110", "message": "What 'stricter' means is not said.", "evidence": "stricter"}],
}
EDIT_REPLY = {"findings": [{"code": "DR203", "message": "the debug print is unrelated to the request",
                            "path": "src/app/config.py", "line": 11}]}
DEBUG_DIFF = """\
diff --git a/src/app/config.py b/src/app/config.py
--- a/src/app/config.py
+++ b/src/app/config.py
@@ -8,4 +8,5 @@ def parse_config(path):
         for line in handle:
             key, value = line.split("=", 1)
             result[key.strip()] = value.strip()
+    print('parsed', result)
     return result
"""


@pytest.fixture
def model(monkeypatch):
    with fake_model(monkeypatch, json.dumps(REPLY)) as server:
        yield server


@pytest.fixture
def llm_server(model, project):
    env = {**os.environ, "XYGUARD_LLM_API_BASE": model.url, "XYGUARD_LLM_TIMEOUT": "60"}
    root = project.root.as_uri()
    params = {"processId": None, "rootUri": root, "capabilities": {},
              "workspaceFolders": [{"uri": root, "name": "project"}],
              "initializationOptions": {"llm": {"model": "openai/test"}}}
    with initialized_server(SERVER, params, env) as started:
        yield started


def test_custom_requests_carry_the_models_judgment_and_stdout_stays_protocol(llm_server, model, project):
    proc, peer = llm_server
    peer.request(2, "xyguard/analyzeRequest", {"text": "Make parse_config stricter.", "uri": project.root.as_uri()})
    report = peer.response(2, timeout=120)["result"]
    assert report["llm"]["used"] is True and report["llm"]["model"] == "openai/test"
    # The model's question and rewrite are proposals beside the offline ones, never in their place.
    assert report["llm"]["proposals"]["question"] == REPLY["question"]
    assert report["llm"]["proposals"]["concretized"] == REPLY["concretized"]
    assert report["concretized"] != REPLY["concretized"] and report["clarify"]["question"] != REPLY["question"]
    assert any(f["code"] == "XY110" and f["message"].startswith("[llm]") and f["source"] == "llm"
               for f in report["findings"])

    model.reply = json.dumps(EDIT_REPLY)
    peer.request(3, "xyguard/checkEdit", {"diff": DEBUG_DIFF, "request": "make parse_config stricter",
                                          "root": str(project.root)})
    edit = peer.response(3, timeout=120)["result"]
    assert edit["llm"]["used"] is True and edit["llm"]["added"] == 1
    codes = {f["code"]: f for f in edit["findings"]}
    assert "DR213" in codes, "the offline finding stays"
    assert codes["DR203"]["message"].startswith("[llm]") and codes["DR203"]["path"] == "src/app/config.py"
    assert edit["blocking"] is True

    # What reached the model: the request text, then the diff, each inside the per-request data delimiters.
    sent = [p["body"]["messages"][1]["content"] for p in model.payloads]
    assert len(sent) == 2
    assert re.search(r"<<<DATA-\w+ [^>]*request>>>\nMake parse_config stricter\.\n<<<END-", sent[0])
    assert re.search(r"<<<DATA-\w+ the proposed change unified diff>>>\n.*\+    print\('parsed', result\)", sent[1], re.S)

    peer.request(4, "shutdown")
    assert peer.response(4)["result"] is None
    peer.send({"jsonrpc": "2.0", "method": "exit"})
    peer.drain()  # every remaining byte up to EOF is framed protocol (litellm's banners would fail here)
    assert proc.wait(10) == 0


def test_without_a_model_the_reports_have_no_llm_note_and_nothing_is_sent(model, project):
    proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "XYGUARD_LLM_API_BASE": model.url})
    try:
        peer = RawPeer(proc.stdout.fileno(), proc.stdin.fileno())
        peer.request(1, "initialize", {"processId": None, "rootUri": project.root.as_uri(), "capabilities": {}})
        peer.response(1)
        peer.request(2, "xyguard/checkEdit", {"diff": DEBUG_DIFF, "root": str(project.root)})
        edit = peer.response(2, timeout=60)["result"]
        assert "llm" not in edit and "DR213" in {f["code"] for f in edit["findings"]}
        assert model.payloads == []
    finally:
        proc.kill()
        proc.wait(10)
        for stream in (proc.stdin, proc.stdout):
            stream.close()
