"""A real editor as the client: headless Neovim runs the config block from the README against `xyguard lsp`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
README = HERE.parent.parent / "README.md"
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.nvim
if NVIM is None and not os.environ.get("CI"):
    pytestmark = [pytest.mark.nvim, pytest.mark.skip(
        reason="nvim is not installed (apt-get install neovim); in CI this test must run")]


def documented_snippet() -> str:
    """The Lua block of the README's Neovim section: the test runs what the README tells users."""
    section = README.read_text(encoding="utf-8").split("### Neovim", 1)[1].split("\n### ", 1)[0]
    match = re.search(r"```lua\n(.*?)```", section, re.DOTALL)
    assert match, "README.md has no Lua block under '### Neovim'"
    return match.group(1)


def test_neovim_shows_diagnostics_and_applies_a_code_action(repo, tmp_path):
    assert NVIM is not None, "CI must install neovim (apt-get install -y neovim)"
    repo.commit("init", {"app.py": "def main():\n    return 1\n"})
    request = repo.root / "task.request.md"
    request.write_text("Improve the parser.\n", encoding="utf-8")
    snippet = tmp_path / "xyguard.lua"
    snippet.write_text(documented_snippet(), encoding="utf-8")
    out = tmp_path / "result.json"
    env = {**os.environ, "XYGUARD_OUT": str(out), "XYGUARD_DOC": str(request), "XYGUARD_SNIPPET": str(snippet),
           "XYGUARD_CMD": json.dumps([sys.executable, "-m", "xyguard.server", "lsp"]),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {HERE / 'check_request.lua'}"],
                          cwd=repo.root, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert out.exists(), f"Neovim wrote no result: {proc.stderr.decode(errors='replace')[-2000:]}"
    result = json.loads(out.read_text())
    assert "error" not in result, result.get("error")
    assert result["attached"] == 1 and result["got_diagnostics"], result
    flagged = [d for d in result["diagnostics"] if d["code"] == "XY110"]
    assert flagged and flagged[0]["source"] == "xyguard" and flagged[0]["lnum"] == 0
    assert any("clarifying question" in title for title in result["actions"])
    assert "xyguard: ignore XY110 on this line" in result["actions"]
    assert result["cleared"], "diagnostics stayed after the suppression was applied"
    assert result["after"][0] == "Improve the parser. <!-- xyguard: ignore[XY110] -->"
