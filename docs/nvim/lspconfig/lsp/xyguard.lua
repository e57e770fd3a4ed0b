---@brief
---
--- https://github.com/xyguard/xyguard
---
--- xyguard catches the intent gap before a coding agent acts: XY problems and underspecified
--- requests in request documents (`*.request.md`), and drift in edits (another language, a broken
--- public API, new dependencies, deleted tests) as diagnostics on changed source files.
---
--- Install the server (`pipx install <path to an xyguard checkout>`, or the wheel from `make dist`),
--- which puts `xyguard` on your PATH. Settings go in `settings.xyguard` (or `init_options`):
--- `failLevel`, `select`, `ignore`, `drift`, `driftBaseline`, `requestGlobs`, `session`, `llm`.
--- `requestGlobs` defaults to `{ "**/*.request.md" }` here so that Copilot prompt files
--- (`*.prompt.md`) are left alone; add `"**/*.prompt.md"` to check them as well.

---@type vim.lsp.Config
return {
  cmd = { 'xyguard', 'lsp' },
  filetypes = {
    'markdown',
    'python',
    'javascript',
    'javascriptreact',
    'typescript',
    'typescriptreact',
    'go',
    'rust',
    'java',
  },
  root_markers = { '.xyguard.toml', 'pyproject.toml', '.git' },
  init_options = {
    requestGlobs = { '**/*.request.md' },
  },
  settings = {
    xyguard = {
      requestGlobs = { '**/*.request.md' },
    },
  },
}
