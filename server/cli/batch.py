"""`xyguard batch requests|edits IN.jsonl`: one JSON line out per line in, same order, with the input `id`.

A malformed line is answered with {"id": ..., "line": N, "error": "..."} and
the other lines are still processed; exit 2 only when no line was usable.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from .common import EXIT_OK, EXIT_USAGE, add_repo, load_settings, open_workspace, read_file, resolve_repo, warn

# kind -> (module, function): `handle(obj, workspace) -> dict` raising ValueError for a bad row.
HANDLERS = {
    "requests": ("xyguard.server.cli.request", "batch_item"),
    "edits": ("xyguard.server.cli.edit", "batch_item"),
}


def add_parser(sub) -> None:
    p = sub.add_parser("batch", help="analyse many requests or edits from a JSONL file (one JSON line out per line in)")
    p.add_argument("kind", choices=sorted(HANDLERS), help="what each line holds: requests {id, text} or edits {id, diff, request?}")
    p.add_argument("input", metavar="IN.jsonl", help="input file, or - for stdin")
    add_repo(p)
    p.add_argument("--select", metavar="CODES")
    p.add_argument("--ignore", metavar="CODES")
    p.set_defaults(func=run, fail_level=None)


def _handler(kind: str) -> Callable[..., dict[str, Any]]:
    import importlib

    module, name = HANDLERS[kind]
    return getattr(importlib.import_module(module), name)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.contract import SCHEMA_VERSION

    text = read_file(args.input, "input")
    repo = resolve_repo(args.repo)
    # The default folder is read as a repository only when it is one; --repo names one on purpose.
    index = repo is not None and (args.repo is not None or (repo / ".git").exists())
    ws = open_workspace(repo, load_settings(args, repo), index=index)
    handle = _handler(args.kind)
    usable = errors = 0
    out = sys.stdout
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row_id: Any = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("line is not a JSON object")
            row_id = obj.get("id")
            result = handle(obj, ws)
            usable += 1
        except (ValueError, TypeError, KeyError) as exc:
            errors += 1
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc).strip("'\"")
            result = {"error": f"line {lineno}: {msg}"}
            warn(f"{args.input}:{lineno}: {msg}")
        out.write(json.dumps({"schema_version": SCHEMA_VERSION, "id": row_id, "line": lineno,
                              **{k: v for k, v in result.items() if k != "schema_version"}}, ensure_ascii=False) + "\n")
    if usable == 0:
        if errors == 0:
            warn(f"{args.input}: no input lines")
        return EXIT_USAGE
    return EXIT_OK
