"""A repository's `.git/xyguard/sessions` is untrusted: it comes with the archive or clone.

Reproduced from the red-team pass: a FIFO at the session file hung `request --session s1` forever (and, in the
server, every worker); a symlinked `.git/xyguard` made session files be written outside the repository; a session
file symlinked outside was followed. Every command here has a timeout: a hang fails the test instead of the run.
"""

from __future__ import annotations

import json
import os

import pytest

from hostile import CLI, clean_env, xyguard
from lsp_raw import initialized_server

REQUEST = "Add a --verbose flag to the CLI in app.py."
SESSION = {"session": "s1", "turns": [{"text": "Keep the public API of app.py stable."}], "objectives": [],
           "requirements": []}


@pytest.fixture
def project(repo):
    repo.commit("start", {"app.py": "def main():\n    return 0\n"})
    return repo


def _sessions(project):
    folder = project.root / ".git" / "xyguard" / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _responses(peer, ids: set[int], timeout: float = 60) -> list[dict]:
    """The responses to `ids`, in whatever order the server sends them (RawPeer.response drops the others)."""
    got: dict[int, dict] = {}
    while set(got) != ids:
        message = peer.receive(timeout)
        if message.get("id") in ids and "method" not in message:
            got[message["id"]] = message
    return [got[i] for i in sorted(ids)]


def _refused(proc, *words):
    """Exit 2 with one error line (the cache may add its own one-line note about the same folder)."""
    err = proc.stderr.decode()
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("xyguard: error:")]
    assert proc.returncode == 2 and "Traceback" not in err and len(errors) == 1, (proc.returncode, err)
    assert all(line.startswith("xyguard:") for line in lines) and len(lines) <= 2, err
    assert all(w in errors[0] for w in words), err


@pytest.mark.parametrize("name", ["s1.json", "s1.lock"])
def test_a_fifo_in_the_sessions_folder_does_not_hang_the_cli(project, name):
    os.mkfifo(_sessions(project) / name)
    proc = xyguard("request", REQUEST, "--session", "s1", "--repo", str(project.root), cwd=project.root, timeout=60)
    _refused(proc, "not a regular file")


def test_a_symlinked_xyguard_folder_is_refused_and_nothing_is_written_through_it(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project.root / ".git" / "xyguard").symlink_to(outside, target_is_directory=True)
    proc = xyguard("request", REQUEST, "--session", "s1", "--repo", str(project.root), cwd=project.root, timeout=60)
    _refused(proc, "symbolic link")
    assert list(outside.rglob("*")) == []


def test_a_symlinked_sessions_folder_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project.root / ".git" / "xyguard").mkdir()
    (project.root / ".git" / "xyguard" / "sessions").symlink_to(outside, target_is_directory=True)
    proc = xyguard("request", REQUEST, "--session", "s1", "--repo", str(project.root), cwd=project.root, timeout=60)
    _refused(proc, "symbolic link")
    assert list(outside.rglob("*")) == []


def test_a_session_file_symlinked_outside_is_not_followed(project, tmp_path):
    secret = tmp_path / "elsewhere.json"
    secret.write_text(json.dumps(SESSION))
    before = secret.read_bytes()
    (_sessions(project) / "s1.json").symlink_to(secret)
    shown = xyguard("session", "show", "s1", "--repo", str(project.root), cwd=project.root, timeout=60)
    _refused(shown, "symbolic link")
    assert b"Keep the public API" not in shown.stdout
    recorded = xyguard("request", REQUEST, "--session", "s1", "--repo", str(project.root), cwd=project.root,
                       timeout=60)
    _refused(recorded, "symbolic link")
    assert secret.read_bytes() == before


def test_a_fifo_session_does_not_block_the_server(project):
    """The server reads the configured session for request documents; a FIFO there used to block every worker
    and make it ignore `exit`."""
    os.mkfifo(_sessions(project) / "s1.json")
    root = project.root.as_uri()
    params = {"processId": None, "rootUri": root, "capabilities": {},
              "workspaceFolders": [{"uri": root, "name": "p"}], "initializationOptions": {"session": "s1"}}
    with initialized_server([*CLI, "lsp"], params, clean_env()) as (proc, peer):
        uri = (project.root / "task.request.md").as_uri()
        peer.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": REQUEST}}})
        for msg_id in (2, 3, 4):  # more requests than the server has workers
            peer.request(msg_id, "xyguard/analyzeRequest", {"text": REQUEST, "session": "s1", "root": str(project.root)})
        answers = _responses(peer, {2, 3, 4})
        assert all("error" in a and "not a regular file" in a["error"]["message"] for a in answers), answers
        peer.request(5, "xyguard/analyzeRequest", {"text": REQUEST})
        assert "result" in peer.response(5, timeout=60)
        peer.request(6, "shutdown")
        peer.response(6, timeout=30)
        peer.send({"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(30) == 0
