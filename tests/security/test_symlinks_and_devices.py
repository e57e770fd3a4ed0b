"""Symlinks out of the repository, to devices, in loops, and FIFOs: never read, never a hang.

The repository links to a file outside it (directly and through a linked
folder, tracked and untracked), to /dev/urandom and /dev/zero, to itself,
and holds a FIFO. Every CLI command, the language server and the LLM path
run over it; the outside file's unique content must appear nowhere: not in
any output, not in the sqlite cache, not in what is sent to a model (a
recording endpoint on 127.0.0.1).
"""

from __future__ import annotations

import os

import pytest

from gitrepo import Repo
from hostile import LspProcess, RecordingModel, clean_env, jsonl, xyguard

TOKEN = "outside-secret-5b8d2e71"
SYMBOL = "exfiltrate_5b8d2e71"
SECRET_TEXT = f"TOKEN = '{TOKEN}'\n\n\ndef {SYMBOL}(x):\n    return TOKEN + x\n"
LEAKS = (TOKEN, SYMBOL)
DIFF = """\
--- a/leak.py
+++ b/leak.py
@@ -1,5 +1,5 @@
 TOKEN = 'redacted'
 
 
-def helper(x):
+def helper(x, y=0):
     return TOKEN + x
--- a/linkdir/secret.py
+++ b/linkdir/secret.py
@@ -4,2 +4,2 @@
-def helper(x):
+def helper(x, y=1):
     return TOKEN + x
"""
TIMEOUT = 60  # a blocking read of a FIFO or /dev/urandom would exceed this by far


def _layout(root, outside) -> None:
    os.symlink(outside / "secret.py", root / "leak.py")
    os.symlink(outside, root / "linkdir")
    os.symlink("/dev/urandom", root / "urandom.py")
    os.symlink("/dev/zero", root / "zero.js")
    os.symlink("loop.py", root / "loop.py")
    os.symlink("b.py", root / "a.py")
    os.symlink("a.py", root / "b.py")


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    base = tmp_path_factory.mktemp("links")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(SECRET_TEXT)
    (outside / "package.json").write_text('{"dependencies": {"%s": "1.0"}}' % SYMBOL)
    repo = Repo(base / "repo")
    repo.write({"app.py": "from leak import TOKEN\n\n\ndef main():\n    return TOKEN\n"})
    _layout(repo.root, outside)
    repo.commit("start")
    os.symlink(outside / "secret.py", repo.root / "untracked_leak.py")
    os.symlink(outside / "package.json", repo.root / "package.json")
    os.mkfifo(repo.root / "fifo.py")
    repo.stage({"app.py": "from leak import TOKEN\n\n\ndef main(verbose=False):\n    return TOKEN\n"})
    os.symlink(outside / "secret.py", repo.root / "staged_leak.py")
    repo.git("add", "staged_leak.py")
    plain = base / "plain"  # the same traps in a folder that is not a git repository
    plain.mkdir()
    (plain / "app.py").write_text("def main():\n    return 0\n")
    _layout(plain, outside)
    os.mkfifo(plain / "fifo.py")
    (base / "requests.jsonl").write_text(jsonl([{"id": 1, "text": "Explain exfiltrate in leak.py"}]))
    (base / "edits.jsonl").write_text(jsonl([{"id": 1, "diff": DIFF}]))
    return repo, plain, base


def _assert_no_leak(*blobs: bytes) -> None:
    for blob in blobs:
        for leak in LEAKS:
            assert leak.encode() not in blob, f"outside content {leak!r} leaked"


def _cache_bytes(root) -> bytes:
    folder = root / ".git" / "xyguard"
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file()) if folder.exists() else b""


REQUEST = "Rename helper in leak.py and linkdir/secret.py, and read urandom.py and fifo.py"
COMMANDS = {
    "index": ["index", "--rebuild", "--format", "json"],
    "request": ["request", REQUEST, "--format", "json"],
    "edit-diff": ["edit", "--diff", "-", "--request", REQUEST, "--format", "json"],
    "edit-staged": ["edit", "--staged", "--format", "json"],
    "hook": ["hook", "pre-commit", "--format", "json"],
    "batch-requests": ["batch", "requests", "../requests.jsonl"],
    "batch-edits": ["batch", "edits", "../edits.jsonl"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_cli_never_reads_through_links_or_devices(linked, name):
    repo, _, _ = linked
    proc = xyguard(*COMMANDS[name], cwd=repo.root, input=DIFF if name == "edit-diff" else None, timeout=TIMEOUT)
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    _assert_no_leak(proc.stdout, proc.stderr, _cache_bytes(repo.root))


def test_index_counts_the_links_as_skipped(linked):
    repo, _, _ = linked
    proc = xyguard("index", "--repo", str(repo.root), cwd=repo.root, timeout=TIMEOUT)
    assert proc.returncode == 0
    skipped = next(line for line in proc.stdout.decode().splitlines() if line.strip().startswith("skipped"))
    assert "symlink" in skipped


def test_plain_folder_walk_never_follows_links_or_opens_the_fifo(linked):
    _, plain, _ = linked
    proc = xyguard("index", "--repo", str(plain), "--format", "json", cwd=plain, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr.decode()
    _assert_no_leak(proc.stdout, proc.stderr)
    assert b'"files": 1' in proc.stdout


# The library path an LLM-enabled command takes: offline analysis, then enrichment with repository context.
_ENRICH = """
import sys
from xyguard.analyzers.config import load_config
from xyguard.analyzers.context import get_context
from xyguard.analyzers.edits import check_edit
from xyguard.analyzers.llm import enrich_edit, enrich_request
from xyguard.analyzers.request import analyze_request
root, request, diff = sys.argv[1], sys.argv[2], sys.stdin.read()
config = load_config(root)
context = get_context(root, config=config)
print(enrich_request(analyze_request(request, context=context).to_dict(), request, context, config))
print(enrich_edit(check_edit(diff, request=request, context=context, config=config).to_dict(), diff, request,
                  context, config))
"""


def test_llm_payloads_carry_nothing_from_outside(linked):
    import subprocess
    import sys

    repo, _, _ = linked
    model = RecordingModel()
    try:
        env = clean_env(**model.env(), XYGUARD_LLM_TIMEOUT="20")
        outputs = [
            subprocess.run([sys.executable, "-c", _ENRICH, str(repo.root), REQUEST], input=DIFF.encode(), env=env,
                           cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT),
            xyguard("request", REQUEST, cwd=repo.root, env=env, timeout=TIMEOUT),
            xyguard("edit", "--diff", "-", "--request", REQUEST, cwd=repo.root, env=env, input=DIFF, timeout=TIMEOUT),
        ]
    finally:
        model.close()
    assert outputs[0].returncode == 0, outputs[0].stderr.decode()
    assert len(model.bodies) >= 2, "the LLM path was not exercised"
    # the repository's facts (its language) are there; app.py used to arrive only inside a false XY104 ('no file
    # leak.py; nearest: app.py') that named a link the repository does have
    assert any(b"primary_language" in body and b"python" in body for body in model.bodies), \
        "the payloads carry no repository context at all"
    for proc in outputs:
        assert b"Traceback" not in proc.stderr, proc.stderr
    _assert_no_leak(*model.bodies, *(p.stdout + p.stderr for p in outputs))


def test_language_server_never_reads_through_links(linked):
    repo, _, _ = linked
    with LspProcess(cwd=repo.root) as server:
        server.initialize(repo.root)
        app = (repo.root / "app.py").as_uri()
        server.open(app, "from leak import TOKEN\nimport urandom\n\n\ndef main(v=1):\n    return TOKEN\n")
        assert server.diagnostics(app, timeout=TIMEOUT) is not None
        answers = [
            server.request("xyguard/analyzeRequest", {"text": REQUEST, "root": str(repo.root)}, timeout=TIMEOUT),
            server.request("xyguard/checkEdit", {"diff": DIFF, "root": str(repo.root)}, timeout=TIMEOUT),
            server.request("xyguard/checkEdit", {"root": str(repo.root), "edit": {"changes": {
                (repo.root / name).as_uri(): [{"range": {"start": {"line": 0, "character": 0},
                                                         "end": {"line": 9, "character": 0}}, "newText": "x = 1\n"}]
                for name in ("leak.py", "linkdir/secret.py", "urandom.py", "fifo.py", "loop.py")}}}, timeout=TIMEOUT),
        ]
        for uri in ("leak.py", "linkdir/secret.py", "fifo.py"):  # a client asking about the links themselves
            server.open((repo.root / uri).as_uri(), "x = 1\n", version=1)
            answers.append(server.request("textDocument/hover", {
                "textDocument": {"uri": (repo.root / uri).as_uri()}, "position": {"line": 0, "character": 0}}))
        assert all(("result" in a) != ("error" in a) for a in answers), answers
        assert server.shutdown() == 0
    _assert_no_leak(str(answers).encode(), str(server.notifications).encode(), server.close(),
                    _cache_bytes(repo.root))
