-- Loads the Neovim 0.11 config files under docs/nvim in the Neovim we have (0.7.2 on Debian): checks
-- the tables they return, and runs the 0.11 file's restart-after-crash handler against stand-ins for
-- the 0.11 functions it calls (vim.lsp.start, vim.fs.root, vim.uv, vim.lsp.config).
local out = os.getenv("XYGUARD_OUT")
local result = {}

local ok, err = pcall(function()
  local function describe(path)
    local cfg = dofile(path)
    return {
      cmd = cfg.cmd, filetypes = cfg.filetypes, root_markers = cfg.root_markers,
      init_globs = cfg.init_options and cfg.init_options.requestGlobs,
      settings_globs = cfg.settings and cfg.settings.xyguard and cfg.settings.xyguard.requestGlobs,
      has_on_exit = type(cfg.on_exit) == "function",
    }, cfg
  end
  local user, cfg = describe(os.getenv("XYGUARD_USER_CONFIG"))
  result.user = user
  result.lspconfig = describe(os.getenv("XYGUARD_LSPCONFIG"))

  -- Stand-ins for Neovim 0.11's API, recording what the handler starts.
  local started = {}
  vim.uv = vim.uv or vim.loop
  vim.fs = vim.fs or {}
  vim.fs.root = function(bufnr, markers) return "/project" end
  vim.lsp.config = { xyguard = cfg }
  vim.lsp.start = function(config, opts) table.insert(started, { root = config.root_dir, bufnr = opts.bufnr, cmd = config.cmd }) end

  local py = vim.api.nvim_create_buf(true, false) -- listed and loaded, as an opened file is
  vim.api.nvim_buf_set_option(py, "filetype", "python")
  local other = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_buf_set_option(other, "filetype", "help")

  cfg.on_exit(0, 0, 1) -- asked to stop: nothing
  vim.wait(1500, function() return false end, 50)
  result.after_clean_exit = #started
  cfg.on_exit(137, 9, 1) -- killed
  result.restarted = vim.wait(10000, function() return #started > 0 end, 50)
  result.started = started
  result.python_buffer = py
  for _ = 1, 6 do cfg.on_exit(1, 0, 1) end -- it keeps crashing: gives up after five restarts
  vim.wait(2000, function() return false end, 50)
  result.starts_when_crashing = #started
end)
if not ok then result.error = tostring(err) end
local f = io.open(out, "w")
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd("qall!")
