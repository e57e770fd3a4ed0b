"""git failures a user can meet (a damaged index, a missing object) are one short GitError line, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xyguard.analyzers.context import build_context
from xyguard.analyzers.context.gitrun import GitError

XYGUARD = [sys.executable, "-m", "xyguard.server"]


def _one_line_exit_2(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert all(w in proc.stderr for w in words), proc.stderr


def test_a_damaged_git_index(repo):
    repo.commit("one", {"a.py": "def f():\n    return 1\n"})
    repo.stage({"b.py": "x = 1\n"})
    (repo.root / ".git" / "index").write_bytes(b"DIRC garbage, not an index")
    with pytest.raises(GitError) as caught:
        build_context(repo.root, use_cache=False)
    assert "index" in str(caught.value) and "\n" not in str(caught.value)
    for args in (["index"], ["edit", "--staged"]):
        proc = subprocess.run([*XYGUARD, *args, "--repo", str(repo.root)], capture_output=True, text=True, timeout=120)
        _one_line_exit_2(proc, ".git/index", "damaged")


def test_a_missing_blob(repo):
    repo.commit("one", {"a.py": "def f():\n    return 1\n", "b.py": "def g():\n    return 2\n"})
    blob = repo.git("rev-parse", "HEAD:a.py").strip()
    repo.stage({"a.py": "def f(x):\n    return x\n"})
    (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    proc = subprocess.run([*XYGUARD, "edit", "--staged", "--repo", str(repo.root)], capture_output=True, text=True,
                          timeout=120)
    _one_line_exit_2(proc, "missing or has damaged objects", blob)
