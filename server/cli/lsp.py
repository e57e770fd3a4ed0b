"""`xyguard lsp [--tcp PORT] [--host 127.0.0.1]`: the language server (stdio by default).

Imports stay lazy: `initialize` must be answered within half a second, so
nothing heavy (tree-sitter, litellm) loads before a document needs it.
"""

from __future__ import annotations

import argparse
import logging
import sys


def add_parser(sub) -> None:
    p = sub.add_parser("lsp", help="run the language server (stdio by default)")
    p.add_argument("--tcp", type=int, metavar="PORT", help="listen on a TCP port instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on with --tcp (default: 127.0.0.1)")
    p.add_argument("--stdio", action="store_true", help="use stdio (the default; accepted for editors that pass it)")
    p.add_argument("--log-level", choices=("error", "warning", "info", "debug"), default="warning",
                   help="stderr log level (default: warning)")
    p.set_defaults(func=run)


def _without_pygls_tracebacks(record: logging.LogRecord) -> bool:
    """pygls logs a full traceback for every bad message it rejects; one line is enough below debug."""
    if record.name.startswith("pygls"):
        record.exc_info, record.exc_text = None, None
    return True


def run(args: argparse.Namespace) -> int:
    from .common import UsageError

    # stdout belongs to the protocol: every log line goes to stderr.
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, args.log_level.upper()),
                        format="xyguard-lsp %(levelname)s %(name)s: %(message)s")
    if args.log_level != "debug":
        logging.getLogger("pygls").setLevel(max(logging.WARNING, logging.getLogger().level))
        for handler in logging.getLogger().handlers:
            handler.addFilter(_without_pygls_tracebacks)
    if args.tcp is not None and not 0 < args.tcp < 65536:
        raise UsageError(f"--tcp {args.tcp}: not a port number")

    if args.tcp is not None:
        from xyguard.server.lsp.server import create_server

        server = create_server()
        server.protocol.exit_hook = _exit_now
        server.start_tcp(args.host, args.tcp)
        _exit_now(server.exit_code)

    import importlib
    import threading

    from xyguard.server.lsp.fastinit import answer_initialize

    # pygls/lsprotocol take ~0.5 s to import: load them while the first message (initialize) is answered.
    warm = threading.Thread(target=importlib.import_module, args=("xyguard.server.lsp.server",), daemon=True)
    warm.start()
    replay, answered_id = answer_initialize(sys.stdin.buffer, sys.stdout.buffer)
    warm.join()
    from xyguard.server.lsp.server import create_server

    server = create_server()
    server.protocol.exit_hook = _exit_now
    server.start_io(replay=replay, answered_id=answered_id)
    _exit_now(server.exit_code)
    return server.exit_code  # not reached


def _exit_now(code: int) -> None:
    """End the process as soon as the client said `exit` (or left): analysis still running on worker threads would
    otherwise hold it open until it finished (the interpreter joins executor threads at exit: 64 s in the
    red-team pass). Nothing is lost: the cache and session files are written atomically."""
    import os

    logging.shutdown()
    for stream in (sys.stderr,):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
