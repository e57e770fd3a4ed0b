"""The Neovim 0.11+ config (docs/nvim/lsp/xyguard.lua) and the nvim-lspconfig entry
(docs/nvim/lspconfig/lsp/xyguard.lua), loaded in the Neovim CI installs (0.7.2).

0.7.2 has neither `vim.lsp.config` nor `vim.lsp.enable`, so this checks what can be checked there: the
tables are valid Lua with the documented fields, and the restart-after-crash handler starts the server
again for open buffers of the right file types (against stand-ins for the 0.11 calls it makes).
"""

from __future__ import annotations

import json
import os
import subprocess

from test_neovim import HERE, NVIM, pytestmark  # noqa: F401  (the same skip rules)

DOCS = HERE.parent.parent / "docs" / "nvim"
LANGUAGES = {"markdown", "python", "javascript", "javascriptreact", "typescript", "typescriptreact", "go", "rust", "java"}


def test_the_documented_configs_load_and_restart_after_a_crash(tmp_path):
    assert NVIM is not None, "CI must install neovim (apt-get install -y neovim)"
    out = tmp_path / "result.json"
    env = {**os.environ, "XYGUARD_OUT": str(out), "XYGUARD_USER_CONFIG": str(DOCS / "lsp" / "xyguard.lua"),
           "XYGUARD_LSPCONFIG": str(DOCS / "lspconfig" / "lsp" / "xyguard.lua"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {HERE / 'configs.lua'}"],
                          cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert out.exists(), f"Neovim wrote no result: {proc.stderr.decode(errors='replace')[-2000:]}"
    result = json.loads(out.read_text())
    assert "error" not in result, result["error"]
    for name in ("user", "lspconfig"):
        cfg = result[name]
        assert cfg["cmd"] == ["xyguard", "lsp"], name
        assert set(cfg["filetypes"]) == LANGUAGES, name
        assert cfg["root_markers"] == [".xyguard.toml", "pyproject.toml", ".git"], name
        assert cfg["init_globs"] == cfg["settings_globs"] == ["**/*.request.md"], name
    assert result["user"]["has_on_exit"]
    assert result["after_clean_exit"] == 0, "restarted a server that was asked to stop"
    assert result["restarted"], "no restart after the server was killed"
    assert [(s["bufnr"], s["root"]) for s in result["started"][:1]] == [(result["python_buffer"], "/project")]
    assert result["starts_when_crashing"] == 5, "a crashing server must not be restarted for ever"
