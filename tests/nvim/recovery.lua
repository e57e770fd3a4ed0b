-- Drives a headless Neovim through what a session outlives, with the README's config loaded:
--   XYGUARD_SCENARIO=restart  the server is killed mid-session; a new one must attach and publish again;
--   XYGUARD_SCENARIO=commit   an unsaved change shows drift, the same change is committed outside the
--                             editor, and the drift must clear with no edit or save in Neovim.
-- Writes what happened as JSON to XYGUARD_OUT for tests/nvim/test_neovim_recovery.py.
local out = os.getenv("XYGUARD_OUT")
local result = {}

local function finish()
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qall!")
end

local function xyguard_clients(bufnr)
  local found = {}
  for id, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == "xyguard" then table.insert(found, id) end
  end
  return found
end

local function diagnostics_of(bufnr, client_id)
  return vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(client_id) })
end

local function codes(list)
  local out = {}
  for _, d in ipairs(list) do table.insert(out, d.code) end
  return out
end

local function restart()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("XYGUARD_DOC")))
  local bufnr = vim.api.nvim_get_current_buf()
  result.first = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  local old = xyguard_clients(bufnr)[1]
  result.old_id = old
  local pid = vim.lsp.get_client_by_id(old).rpc.pid
  result.old_pid = pid
  vim.loop.kill(pid, "sigkill")
  -- A different client attached to the same buffer, publishing again.
  result.reattached = vim.wait(30000, function()
    local now = xyguard_clients(bufnr)[1]
    return now ~= nil and now ~= old
  end, 50)
  local new = xyguard_clients(bufnr)[1]
  result.new_id = new
  result.new_pid = new and vim.lsp.get_client_by_id(new).rpc.pid
  result.published_again = new ~= nil and vim.wait(30000, function() return #diagnostics_of(bufnr, new) > 0 end, 50)
  result.codes = new and codes(diagnostics_of(bufnr, new)) or {}
  -- And it keeps working: an edit is analysed by the new server.
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { "Fix it so that it works again." })
  result.after_edit = new ~= nil and vim.wait(30000, function()
    for _, d in ipairs(diagnostics_of(bufnr, new)) do
      if d.code ~= "XY110" then return true end
    end
    return false
  end, 50)
  result.after_edit_codes = new and codes(diagnostics_of(bufnr, new)) or {}
end

local function commit()
  local path = os.getenv("XYGUARD_DOC")
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  -- An unsaved change to the public signature: drift (DR202) against HEAD.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for i, line in ipairs(lines) do
    lines[i] = line:gsub("def parse_config%(path%):", "def parse_config(path, strict):")
  end
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  local function has_drift()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == "DR202" then return true end
    end
    return false
  end
  result.drift = vim.wait(30000, has_drift, 20)
  -- Outside the editor: the same change written to disk and committed (as a terminal or an agent would).
  local f = io.open(path, "w")
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
  local root = vim.fn.fnamemodify(path, ":h")
  vim.fn.system({ "git", "-C", root, "commit", "-q", "-am", "strict parsing, from a terminal" })
  result.commit_status = vim.v.shell_error
  local committed = vim.loop.hrtime()
  result.cleared = vim.wait(60000, function() return not has_drift() end, 10)
  result.seconds = (vim.loop.hrtime() - committed) / 1e9
  result.modified = vim.api.nvim_buf_get_option(bufnr, "modified")
end

local ok, err = pcall(function()
  vim.g.xyguard_cmd = vim.fn.json_decode(os.getenv("XYGUARD_CMD"))
  dofile(os.getenv("XYGUARD_SNIPPET"))
  local scenario = os.getenv("XYGUARD_SCENARIO")
  if scenario == "restart" then restart() elseif scenario == "commit" then commit() else error("scenario?") end
end)
if not ok then result.error = tostring(err) end
finish()
