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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are set with a Linux fcntl")
def test_a_chunked_git_stream_gets_a_pipe_that_holds_a_chunk():
    """git log writes ahead while its reader is off the CPU, instead of stopping every 64 KB."""
    import fcntl
    import os

    from xyguard.analyzers.context.gitrun import widen_pipe

    with open("/proc/sys/fs/pipe-max-size") as cap:
        size = min(1 << 20, int(cap.read()))  # what an unprivileged process may ask for
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(read_end, "rb", buffering=0) as stream:
            assert fcntl.fcntl(stream.fileno(), fcntl.F_GETPIPE_SZ) < size
            widen_pipe(stream, size)
            assert fcntl.fcntl(stream.fileno(), fcntl.F_GETPIPE_SZ) >= size
    finally:
        os.close(write_end)
