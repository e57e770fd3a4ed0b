"""`xyguard mcp`: serve the analyses as MCP tools over stdio (needs the optional `mcp` extra)."""

from __future__ import annotations

import argparse
import importlib.util

from .common import EXIT_OK, UsageError, resolve_repo

INSTALL_HINT = 'the MCP server needs the official MCP SDK: pip install "xyguard[mcp]"'


def add_parser(sub) -> None:
    p = sub.add_parser("mcp", help="serve xyguard's checks as MCP tools over stdio (pip install \"xyguard[mcp]\")")
    p.add_argument("--repo", metavar="DIR", help="the repository the tools work in (default: the current folder)")
    p.set_defaults(func=run)


def _sdk_available() -> bool:
    """The SDK's MCPServer (mcp 2), looked up without importing the server stack."""
    try:
        return importlib.util.find_spec("mcp.server.mcpserver") is not None
    except ImportError:  # no `mcp`, or an `mcp` without `mcp.server` (another package, or mcp 1.x pieces)
        return False


def run(args: argparse.Namespace) -> int:
    if not _sdk_available():
        raise UsageError(INSTALL_HINT)
    from xyguard.server.mcp.server import serve

    serve(resolve_repo(args.repo, required=True))  # type: ignore[arg-type]
    return EXIT_OK
