"""A headless Neovim (the README's config) through what a real session outlives: the server dying, and a
commit made outside the editor. Deadlines are generous; how fast drift refreshed is printed, not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_neovim import HERE, NVIM, documented_snippet, pytestmark  # noqa: F401  (the same skip rules)

CONFIG_PY = '''"""Reading key=value configuration files."""


def parse_config(path):
    """Parse KEY=VALUE lines into a dict."""
    result = {}
    with open(path) as handle:
        for line in handle:
            key, value = line.split("=", 1)
            result[key.strip()] = value.strip()
    return result
'''


def run_scenario(scenario: str, doc: Path, cwd: Path, tmp_path: Path) -> dict:
    assert NVIM is not None, "CI must install neovim (apt-get install -y neovim)"
    snippet = tmp_path / "xyguard.lua"
    snippet.write_text(documented_snippet(), encoding="utf-8")
    out = tmp_path / "result.json"
    env = {**os.environ, "XYGUARD_OUT": str(out), "XYGUARD_DOC": str(doc), "XYGUARD_SNIPPET": str(snippet),
           "XYGUARD_SCENARIO": scenario, "XYGUARD_CMD": json.dumps([sys.executable, "-m", "xyguard.server", "lsp"]),
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {HERE / 'recovery.lua'}"],
                          cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=240)
    assert out.exists(), f"Neovim wrote no result: {proc.stderr.decode(errors='replace')[-2000:]}"
    result = json.loads(out.read_text())
    assert "error" not in result, result.get("error")
    return result


def test_a_killed_server_comes_back_and_publishes_again(repo, tmp_path):
    repo.commit("init", {"app.py": "def main():\n    return 1\n"})
    request = repo.root / "task.request.md"
    request.write_text("Improve the parser.\n", encoding="utf-8")
    result = run_scenario("restart", request, tmp_path, tmp_path)  # cwd elsewhere: the config finds the root
    assert result["first"], result
    assert result["reattached"] and result["new_id"] != result["old_id"], result
    assert result["new_pid"] != result["old_pid"], result
    assert result["published_again"] and "XY110" in result["codes"], result
    assert result["after_edit"], result  # the new server analyses new text, not only the replayed didOpen


def test_a_commit_made_outside_the_editor_clears_drift(repo, tmp_path):
    repo.commit("Add config parser", {"pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n',
                                      "src/app/__init__.py": "", "src/app/config.py": CONFIG_PY})
    source = repo.root / "src/app/config.py"
    result = run_scenario("commit", source, repo.root, tmp_path)
    assert result["drift"], "no DR202 for the unsaved signature change"
    assert result["commit_status"] == 0
    assert result["cleared"], "drift stayed after the change was committed outside the editor"
    assert result["modified"], "the buffer was saved: the refresh must not depend on a save"
    print(f"Neovim 0.7.2 (server polling .git): drift cleared {result['seconds']:.2f} s after the commit")
