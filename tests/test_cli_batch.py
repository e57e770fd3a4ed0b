"""`xyguard batch`: the repository it reads by default is the current folder, as its help says."""

from __future__ import annotations

import json
import subprocess
import sys


def test_batch_reads_the_current_repository_without_repo(repo, tmp_path):
    repo.commit("Add the parser", {"pyproject.toml": '[project]\nname = "app"\ndependencies = []\n',
                                   "src/app/config.py": "def parse_config(path):\n    return {}\n"})
    rows = tmp_path / "in.jsonl"
    rows.write_text(json.dumps({"id": 1, "text": "Make parse_config skip blank lines."}) + "\n")
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "batch", "requests", str(rows)],
                          cwd=repo.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    line = json.loads(proc.stdout)
    # Only a repository-aware analysis knows the project's language to carry it as a constraint.
    assert any("python" in b for b in line["intent"]["background"]), line["intent"]
