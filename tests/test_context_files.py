"""Which files a workspace has: a sparse checkout's absent files are not deleted files; file names that are not
UTF-8 are read, cached and indexed like any other."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from xyguard.analyzers.context import build_context

XYGUARD = [sys.executable, "-m", "xyguard.server"]


def _json(repo, *args: str) -> dict:
    proc = subprocess.run([*XYGUARD, *args, "--repo", str(repo.root), "--format", "json"], capture_output=True,
                          timeout=120)
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def test_a_sparse_checkout_is_compared_only_where_it_is_checked_out(repo):
    repo.commit("two packages", {f"{pkg}/m{i}.py": f"def {pkg}_{i}():\n    return {i}\n"
                                 for pkg in ("kept", "left") for i in range(4)})
    repo.git("sparse-checkout", "set", "kept")
    assert not (repo.root / "left").exists()
    ctx = build_context(repo.root, use_cache=False)
    assert sorted(ctx.files) == [f"kept/m{i}.py" for i in range(4)] and ctx.skipped == {"sparse": 4}
    clean = _json(repo, "edit")
    assert clean["summary"]["files"] == 0 and clean["findings"] == []  # nothing outside the cone is "deleted"
    (repo.root / "kept" / "m0.py").write_text("def kept_0(flag=False):\n    return 0\n")
    one = _json(repo, "edit")
    assert one["summary"]["files"] == 1 and {f["path"] for f in one["findings"]} <= {"kept/m0.py"}


def test_a_deleted_file_in_a_full_checkout_is_still_a_deletion(repo):
    repo.commit("two packages", {"kept/m0.py": "def kept_0():\n    return 0\n", "left/m0.py": "def left_0():\n    return 0\n"})
    (repo.root / "left" / "m0.py").unlink()
    deleted = _json(repo, "edit")
    assert deleted["summary"]["files"] == 1 and {f["path"] for f in deleted["findings"]} == {"left/m0.py"}


def test_staged_file_names_that_are_not_utf8(repo):
    repo.commit("start", {"a.py": "def start():\n    return 1\n"})
    for raw, name in ((b"caf\xe9.py", "cafe"), (b"b\xff\xfe.py", "bytes")):
        with open(os.path.join(os.fsencode(repo.root), raw), "wb") as fh:
            fh.write(f"def {name}_function(x):\n    return x\n".encode())
    repo.git("add", "-A")
    first = _json(repo, "index")
    assert first["files"] == 3 and first["symbols"] == 3
    again = _json(repo, "index")
    assert again["stats"]["reused"] == 3 and again["stats"]["parsed"] == 0  # cached under their own bytes
    ctx = build_context(repo.root)
    assert {s.name for s in ctx.all_symbols()} == {"start", "cafe_function", "bytes_function"}
    assert any(os.fsencode(path) == b"caf\xe9.py" for path in ctx.files)
    hook = subprocess.run([*XYGUARD, "hook", "pre-commit"], cwd=repo.root, capture_output=True, timeout=120)
    assert hook.returncode in (0, 1) and b"Traceback" not in hook.stderr, hook.stderr
