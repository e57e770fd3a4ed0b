"""The xyguard language server (pygls 2): `xyguard lsp`, or `create_server()` from `.server`.

One feature per module: configuration (lifecycle, settings), documents (text
sync dispatch), request_docs and drift (diagnostics), code_actions, hover,
custom (xyguard/* requests), worktree (checkEdit's work-tree selection), workspaces (per-folder context and config),
robustness (framing, size cap, error responses).
"""
