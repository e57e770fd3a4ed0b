-- xyguard for Neovim 0.11+: copy this file to ~/.config/nvim/lsp/xyguard.lua and add
--
--   vim.lsp.enable("xyguard")
--
-- to your init.lua. Request documents (*.request.md) get request diagnostics as you type;
-- source files get drift diagnostics against HEAD, refreshed when HEAD moves outside the editor.
-- Change a setting with vim.lsp.config("xyguard", { settings = { xyguard = { failLevel = "error" } } }).
-- Neovim 0.7-0.10: use the init.lua block in the README's Neovim section instead.

local root_markers = { ".xyguard.toml", "pyproject.toml", ".git" }
local filetypes = { "markdown", "python", "javascript", "javascriptreact", "typescript", "typescriptreact",
                    "go", "rust", "java" }
local settings = {
  -- add "**/*.prompt.md" to check Copilot-style prompt files too
  requestGlobs = { "**/*.request.md" },
  drift = { enabled = true },
}
local restarts = {}

-- vim.lsp.enable starts a server when a buffer is opened, not when one dies: bring it back for the
-- buffers that are open, unless we asked it to stop (exit 0) or Neovim is quitting. Five exits within
-- three minutes and it stays down.
local function restart_after_crash(code, signal)
  if code == 0 and signal == 0 then
    return
  end
  vim.schedule(function()
    if vim.v.exiting ~= vim.NIL then
      return
    end
    local now = vim.uv.now()
    restarts = vim.tbl_filter(function(t) return now - t < 180000 end, restarts)
    if #restarts >= 5 then
      vim.notify("xyguard: the server keeps exiting; not restarting it (see :checkhealth vim.lsp)", vim.log.levels.ERROR)
      return
    end
    table.insert(restarts, now)
    vim.defer_fn(function()
      for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(filetypes, vim.bo[bufnr].filetype) then
          local root = vim.fs.root(bufnr, root_markers)
          if root then
            vim.lsp.start(vim.tbl_extend("force", vim.lsp.config.xyguard, { root_dir = root }), { bufnr = bufnr })
          end
        end
      end
    end, 500)
  end)
end

---@type vim.lsp.Config
return {
  cmd = { "xyguard", "lsp" },
  filetypes = filetypes,
  root_markers = root_markers,
  init_options = settings,
  settings = { xyguard = settings },
  on_exit = restart_after_crash,
}
