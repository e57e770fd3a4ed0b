"""The language server over stdio on a large repository with no cache: it indexes, answers, and leaves nothing.

Red-team finding (critical): with more than ~4 MB of source not in the cache, indexing forked worker processes
while the thread reading stdin held a lock; every worker blocked forever, no diagnostics were published, the
custom requests were never answered, and the workers outlived the server. TCP was not affected, which is why the
TCP and small-repository tests never saw it. Here: stdio, a generated corpus well above that size, no cache.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from gitrepo import Repo
from hostile import CLI, clean_env
from lsp_raw import RawPeer

# Above the size at which the index parses in worker processes (analyzers/context/workspace.py), with margin.
CORPUS_BYTES = 9_000_000
ANSWER_DEADLINE_S = 60  # a cold index of the corpus takes ~5 s here; a deadlock never answers
EXIT_DEADLINE_S = 30

# The fix (issue 16 item 1): parse workers are plain subprocesses started by fork+exec in C, never forked Python
# workers, and each exits at EOF on its stdin. This test was xfail(strict) until it landed.


def _module(n: int) -> str:
    body = [f'"""Generated module {n}: many small public functions and a class."""\n', "import os\n\n"]
    for i in range(120):
        body.append(f"def compute_{n}_{i}(value, factor={i}):\n"
                    f"    \"\"\"Return value scaled by factor {i}, as module {n} does.\"\"\"\n"
                    f"    total = value * factor + {i}\n"
                    f"    return os.path.join(str(total), 'result_{i}')\n\n")
    body.append(f"class Handler{n}:\n    def run(self, item):\n        return compute_{n}_0(item)\n")
    return "".join(body)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("cold") / "repo")
    files, size, n = {}, 0, 0
    while size < CORPUS_BYTES:
        text = _module(n)
        files[f"pkg/sub{n % 20}/mod_{n}.py"] = text
        size += len(text)
        n += 1
    files["pyproject.toml"] = '[project]\nname = "generated"\nversion = "1"\n'
    repo.commit("generated corpus", files)
    assert not (repo.root / ".git" / "xyguard").exists(), "the corpus must start without a cache"
    return repo


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (index workers), from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _wait_for_workers(pid: int, patience_s: float = 120) -> set[int]:
    """The index workers once they exist; empty if none appeared (an index that needs none still passes)."""
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        found = _children(pid)
        if found:
            return found
        time.sleep(0.1)
    return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_cold_large_repository_over_stdio(corpus):
    root = corpus.root.as_uri()
    proc = subprocess.Popen([*CLI, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=clean_env())
    workers: set[int] = set()
    try:
        peer = RawPeer(proc.stdout.fileno(), proc.stdin.fileno())
        peer.request(1, "initialize", {"processId": os.getpid(), "rootUri": root, "capabilities": {},
                                       "workspaceFolders": [{"uri": root, "name": "repo"}],
                                       "initializationOptions": {"debounceMs": 0}})
        assert "result" in peer.response(1, timeout=60)
        peer.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        # A quiet client, as an editor is while the user reads: the server's stdin reader sits blocked in a read
        # (holding the stream's lock) when indexing starts its workers. Wait for them before sending anything.
        workers |= _wait_for_workers(proc.pid)
        doc = (corpus.root / "task.request.md").as_uri()
        peer.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": doc, "languageId": "markdown", "version": 1, "text": "Make it better."}}})
        peer.request(2, "xyguard/analyzeRequest", {"text": "Make compute_3_7 in pkg/sub3/mod_3.py return an int."})
        diff = ("--- a/pkg/sub0/mod_0.py\n+++ b/pkg/sub0/mod_0.py\n@@ -1,2 +1,3 @@\n"
                ' """Generated module 0: many small public functions and a class."""\n+import sys\n import os\n')
        peer.request(3, "xyguard/checkEdit", {"diff": diff})
        pending, published = {2, 3}, False
        while pending or not published:
            message = peer.receive(ANSWER_DEADLINE_S)
            workers |= _children(proc.pid)
            if message.get("id") in pending and "method" not in message:
                assert "result" in message, message
                pending.discard(message["id"])
            elif message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == doc:
                published = True
        peer.request(4, "shutdown")
        peer.response(4, timeout=60)
        peer.send({"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(EXIT_DEADLINE_S) == 0
    finally:
        workers |= _children(proc.pid)
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for stream in (proc.stdin, proc.stdout):
            stream.close()
        left = sorted(pid for pid in workers if _alive(pid))
        for pid in left:  # never leave them behind, whatever happened above
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
    assert left == [], f"index workers outlived the server: {left}"
