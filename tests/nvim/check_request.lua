-- Drives a headless Neovim as an xyguard client: load the documented config, open a request
-- document, wait for diagnostics, ask for code actions, apply the inline suppression, and write
-- what happened as JSON for tests/nvim/test_neovim.py.
local out = os.getenv("XYGUARD_OUT")
local result = { diagnostics = {}, actions = {}, after = {} }

local function finish()
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.g.xyguard_cmd = vim.fn.json_decode(os.getenv("XYGUARD_CMD"))
  dofile(os.getenv("XYGUARD_SNIPPET"))
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("XYGUARD_DOC")))
  local bufnr = vim.api.nvim_get_current_buf()
  result.got_diagnostics = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  result.attached = vim.tbl_count(vim.lsp.buf_get_clients(bufnr))
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, severity = d.severity,
                                       source = d.source, message = d.message })
  end

  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000) or {}
  local suppress
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, action.title)
      if action.title:find("on this line", 1, true) then suppress = action end
    end
  end
  if suppress then
    vim.lsp.util.apply_workspace_edit(suppress.edit, "utf-16")
    result.cleared = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50)
    result.after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  end
end)
if not ok then result.error = tostring(err) end
finish()
