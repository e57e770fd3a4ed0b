"""Parse worker processes run xyguard's code, never the repository's: a repository that ships its own
`xyguard` package at its root is indexed from inside it (the way a hook runs) and nothing of it executes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from xyguard.analyzers.context.workspace import PARALLEL_BYTES

CONSOLE_SCRIPT = Path(sys.executable).with_name("xyguard")  # sys.path[0] is its own folder, not the cwd


def test_workers_do_not_import_a_package_planted_in_the_repository(repo, tmp_path):
    marker = tmp_path / "planted-code-ran"
    chunk = "".join(f"def handler_{i}(request, retries=3):\n    return request.send(retries * {i})\n\n" for i in range(400))
    files = {f"src/mod_{n}.py": chunk for n in range(PARALLEL_BYTES // len(chunk) + 20)}
    planted = f"open({str(marker)!r}, 'w').write('ran')\n"
    for name in ("xyguard/__init__.py", "xyguard/analyzers/__init__.py", "xyguard/analyzers/context/__init__.py",
                 "xyguard/analyzers/context/parse_pool.py"):
        files[name] = planted
    repo.commit("sources and a planted package", files)
    assert CONSOLE_SCRIPT.exists()
    proc = subprocess.run([str(CONSOLE_SCRIPT), "index", "--format", "json"], cwd=repo.root,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["stats"]["workers"] >= 1 or summary["stats"]["parsed"] < 2  # one core: parsed in-process
    assert summary["symbols"] >= 400
    assert not marker.exists()
