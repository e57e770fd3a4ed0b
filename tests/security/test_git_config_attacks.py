"""A repository's own .git/config must never make xyguard run a program.

The repository below sets every command-running git setting we know of
(core.fsmonitor, core.pager, pager.*, diff.external, a diff driver, a
textconv driver, clean/smudge/process filters, core.hooksPath and the
default hooks, gpg.program with log.showSignature, credential and ssh
helpers...) to a command that leaves a marker file. Plain git in that
repository does create markers (checked first, so the trap is known to be
armed); no xyguard command may.
"""

from __future__ import annotations

import subprocess

import pytest

from hostile import LspProcess, arm, clear_markers, jsonl, markers, xyguard

ORIGINAL = "def greet(name):\n    return 'hello ' + name\n"
CHANGED = "def greet(name, punctuation='!'):\n    return 'hello ' + name + punctuation\n"
DIFF = """\
diff --git a/app.py b/app.py
--- a/app.py
+++ b/app.py
@@ -1,2 +1,2 @@
-def greet(name):
-    return 'hello ' + name
+def greet(name, punctuation='!'):
+    return 'hello ' + name + punctuation
"""


@pytest.fixture(scope="module")
def trapped(tmp_path_factory):
    """(repo, marker folder): history, an unstaged edit, a staged new file, then every trap armed."""
    from gitrepo import Repo

    base = tmp_path_factory.mktemp("trapped")
    repo = Repo(base / "repo")
    repo.commit("start", {"app.py": ORIGINAL, "README.md": "# demo\n", "pyproject.toml": "[project]\nname='demo'\n"})
    repo.commit("add util", {"util.py": "def add(a, b):\n    return a + b\n"})
    repo.stage({"extra.py": "def extra():\n    return 1\n"})
    repo.write({"app.py": CHANGED, "README.md": "# demo\n\nmore\n"})  # unstaged: filters run on these
    marker_dir = base / "markers"
    arm(repo, marker_dir)
    (base / "message.txt").write_text("Add punctuation to greet\n")
    (base / "change.diff").write_text(DIFF)
    return repo, marker_dir


@pytest.fixture
def no_markers(trapped):
    repo, marker_dir = trapped
    clear_markers(marker_dir)
    yield repo, marker_dir
    assert markers(marker_dir) == [], "a repository-configured program ran"


def test_the_trap_is_armed_for_plain_git(trapped):
    """Without xyguard's protections the same repository runs programs on everyday commands."""
    repo, marker_dir = trapped
    clear_markers(marker_dir)
    for args in (["status"], ["diff"], ["diff", "--no-ext-diff", "HEAD"], ["log", "-1"]):
        subprocess.run(["git", *args], cwd=repo.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fired = set(markers(marker_dir))
    clear_markers(marker_dir)
    assert {"fsmonitor", "diff-driver", "textconv", "filter-clean", "filter-smudge", "hook-post-index-change"} <= fired, fired


COMMANDS = {
    "index": lambda base, root: ["index", "--repo", str(root), "--rebuild"],
    "request": lambda base, root: ["request", "Add an optional punctuation argument to greet in app.py",
                                   "--repo", str(root), "--format", "json"],
    "batch-requests": lambda base, root: ["batch", "requests", str(base / "requests.jsonl"), "--repo", str(root)],
    "edit-staged": lambda base, root: ["edit", "--staged", "--repo", str(root), "--format", "json"],
    "edit-diff": lambda base, root: ["edit", "--diff", str(base / "change.diff"), "--request",
                                     "Let greet take the punctuation", "--repo", str(root), "--format", "json"],
    "batch-edits": lambda base, root: ["batch", "edits", str(base / "edits.jsonl"), "--repo", str(root)],
    "hook-pre-commit": lambda base, root: ["hook", "pre-commit"],
    "hook-commit-msg": lambda base, root: ["hook", "commit-msg", str(base / "message.txt")],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_cli_command_runs_repository_configured_programs(no_markers, name):
    repo, marker_dir = no_markers
    base = repo.root.parent
    (base / "requests.jsonl").write_text(jsonl([{"id": "r1", "text": "Make greet in app.py faster"}]))
    (base / "edits.jsonl").write_text(jsonl([{"id": "e1", "diff": DIFF, "request": "Let greet take punctuation"}]))
    proc = xyguard(*COMMANDS[name](base, repo.root), cwd=repo.root)
    err = proc.stderr.decode("utf-8", "replace")
    # The command must really have worked on the repository, not bailed out early.
    assert proc.returncode in (0, 1), (proc.returncode, err)
    assert "Traceback" not in err


def test_language_server_drift_diagnostics_run_no_repository_configured_program(no_markers):
    repo, marker_dir = no_markers
    with LspProcess(cwd=repo.root) as server:
        server.initialize(repo.root)
        uri = (repo.root / "app.py").as_uri()
        server.open(uri, CHANGED + "\n\ndef shout(name):\n    return greet(name).upper()\n")
        published = server.diagnostics(uri, timeout=60)
        assert published is not None, "no drift diagnostics were published"
        server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})  # a save re-reads the repository
        for method, params in (("xyguard/analyzeRequest", {"text": "Add punctuation to greet in app.py"}),
                               ("xyguard/checkEdit", {"diff": DIFF})):
            assert "result" in server.request(method, {**params, "root": str(repo.root)}, timeout=60)
        assert server.shutdown() == 0
