"""Offline by default: importing the server and running every command opens no network connection.

Each command runs in a child process under audited.py, whose audit hook
records and refuses every socket connect, DNS lookup and datagram send
that is not a Unix socket. The probes at the top show that the hook really
catches (and blocks) a connection and a lookup, so an empty record means
"no attempt", not "not watched". With an LLM configured the connection to
the configured endpoint is expected and allowed (and only that one).
"""

from __future__ import annotations

import pytest

from gitrepo import Repo
from hostile import AUDITED, LspProcess, RecordingModel, audited, clean_env, jsonl, read_audit

DIFF = "--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n-def main():\n+def main(verbose=False):\n     return 0\n"
REQUEST = "Make main in app.py print progress when asked, without new dependencies"


def _net(records: list[dict]) -> list[dict]:
    return [r for r in records if r["event"] == "net"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    base = tmp_path_factory.mktemp("offline")
    repo = Repo(base / "repo")
    repo.commit("start", {"app.py": "def main():\n    return 0\n", "requirements.txt": "requests\n",
                          "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['requests']\n"})
    repo.stage({"app.py": "import httpx\n\ndef main():\n    return 1\n"})
    (base / "diff.patch").write_text(DIFF)
    (base / "msg.txt").write_text("Add httpx\n")
    (base / "requests.jsonl").write_text(jsonl([{"id": "a", "text": REQUEST}]))
    (base / "edits.jsonl").write_text(jsonl([{"id": "b", "diff": DIFF, "request": REQUEST}]))
    (base / "traces.jsonl").write_text(jsonl([{"id": "t", "turns": [
        {"role": "user", "content": REQUEST}, {"role": "assistant", "content": "Done, I rewrote it in Rust."}]}]))
    return repo, base


@pytest.mark.parametrize("code", [
    "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)",
    "import socket; socket.getaddrinfo('example.invalid', 443)",
    "import urllib.request; urllib.request.urlopen('http://example.invalid/', timeout=1)",
], ids=["connect", "dns", "urllib"])
def test_the_audit_hook_catches_and_blocks_network_use(tmp_path, code):
    proc, records = audited("-c", code, cwd=tmp_path, log=tmp_path / "audit.jsonl")
    assert proc.returncode != 0 and b"network blocked by the test" in proc.stderr, proc.stderr
    assert _net(records)


def test_importing_every_server_module_connects_nowhere(tmp_path):
    code = ("import pkgutil, importlib, xyguard.server, xyguard.analyzers\n"
            "for pkg in (xyguard.server, xyguard.analyzers):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        if not m.name.endswith('__main__'):  # that one runs the CLI\n"
            "            importlib.import_module(m.name)\n")
    proc, records = audited("-c", code, cwd=tmp_path, log=tmp_path / "audit.jsonl")
    assert proc.returncode == 0, proc.stderr.decode()
    assert _net(records) == []


COMMANDS = {
    "index": ["index", "--rebuild"],
    "request": ["request", REQUEST, "--format", "json"],
    "request-sarif": ["request", REQUEST, "--format", "sarif"],
    "edit-diff": ["edit", "--diff", "../diff.patch", "--request", REQUEST],
    "edit-staged": ["edit", "--staged"],
    "batch-requests": ["batch", "requests", "../requests.jsonl"],
    "batch-edits": ["batch", "edits", "../edits.jsonl"],
    "hook-pre-commit": ["hook", "pre-commit"],
    "hook-commit-msg": ["hook", "commit-msg", "../msg.txt"],
    "session-request": ["request", REQUEST, "--session", "s1"],
    "session-show": ["session", "show", "s1"],
    "evaluate": ["evaluate", "--session", "s1", "--staged"],
    "traces": ["traces", "../traces.jsonl"],
    "rules": ["rules"],
    "demo": ["demo"],
    "help": ["--help"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_command_connects_anywhere(project, tmp_path, name):
    repo, _ = project
    proc, records = audited(*COMMANDS[name], cwd=repo.root, log=tmp_path / "audit.jsonl", timeout=120)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1) and "Traceback" not in err, (proc.returncode, err)
    assert _net(records) == [], _net(records)


def test_language_server_over_stdio_connects_nowhere(project, tmp_path):
    repo, _ = project
    log = tmp_path / "audit.jsonl"
    with LspProcess(cwd=repo.root, env=clean_env(XYGUARD_AUDIT_LOG=str(log)), runner=AUDITED) as server:
        server.initialize(repo.root)
        request_uri = (repo.root / "task.request.md").as_uri()
        server.open(request_uri, REQUEST, language_id="markdown")
        server.open((repo.root / "app.py").as_uri(), "import httpx\n\ndef main(v=1):\n    return 1\n")
        assert server.diagnostics(request_uri, timeout=60) is not None
        assert "result" in server.request("xyguard/analyzeRequest", {"text": REQUEST, "root": str(repo.root)})
        assert "result" in server.request("xyguard/checkEdit", {"diff": DIFF, "root": str(repo.root)})
        assert server.shutdown() == 0
    assert _net(read_audit(log)) == []


def test_with_an_llm_configured_only_the_configured_endpoint_is_contacted(project, tmp_path):
    repo, _ = project
    model = RecordingModel()
    code = ("from xyguard.analyzers.config import load_config\n"
            "from xyguard.analyzers.llm import enrich_request\n"
            "from xyguard.analyzers.request import analyze_request\n"
            f"text = {REQUEST!r}\n"
            "config = load_config('.')\n"
            "print(enrich_request(analyze_request(text).to_dict(), text, None, config))\n")
    try:
        env = clean_env(**model.env(), XYGUARD_AUDIT_ALLOW_NET="1")
        proc, records = audited("-c", code, cwd=repo.root, env=env, log=tmp_path / "audit.jsonl")
    finally:
        model.close()
    assert proc.returncode == 0, proc.stderr.decode()
    assert model.bodies, "the configured model was not called"
    port = model.httpd.server_address[1]
    connects = [r for r in _net(records) if r["call"] == "socket.connect"]
    assert connects and all(r["address"][1] == port for r in connects), connects
