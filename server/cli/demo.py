"""`xyguard demo`: replay the shipped example project into a temporary git repository and check it.

It shows the main job end to end: the workspace context, an XY-shaped
request with its clarifying question, and an agent's drifting change caught
before it lands (the same check the pre-commit hook runs on the index).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import UsageError

_SOURCE_EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "demo"
_IDENTITY = {"GIT_AUTHOR_NAME": "Demo", "GIT_AUTHOR_EMAIL": "demo@example.com",
             "GIT_COMMITTER_NAME": "Demo", "GIT_COMMITTER_EMAIL": "demo@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def add_parser(sub) -> None:
    p = sub.add_parser("demo", help="build the example project in a temp git repository and check a request and a change")
    p.add_argument("--examples", metavar="DIR", default=str(_SOURCE_EXAMPLES),
                   help="the demo folder (default: examples/demo in the source checkout)")
    p.add_argument("--keep", action="store_true", help="keep the temporary repository and print its path")
    p.set_defaults(func=run)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **_IDENTITY}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _overlay(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*")):
        if path.is_file() and path.name not in ("MESSAGE", "REQUEST"):
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def build_demo_repo(examples: Path, root: Path) -> None:
    """Replay commits/NN-*/ into `root`: files overlaid, MESSAGE as the message, REVERT reverts the last commit."""
    _git(root, "init", "-q", "-b", "main")
    for step in sorted(p for p in (examples / "commits").iterdir() if p.is_dir()):
        message = (step / "MESSAGE").read_text().strip()
        if message == "REVERT":
            _git(root, "revert", "--no-edit", "HEAD")
            continue
        _overlay(step, root)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", message)


def _heading(text: str, colour: bool) -> None:
    print(f"\n\033[1m{text}\033[0m" if colour else f"\n== {text}")


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.config import load_config
    from xyguard.analyzers.context import build_context
    from xyguard.analyzers.edits.source import staged_change
    from xyguard.analyzers.pipeline import Workspace, analyse_request, check_edit
    from xyguard.server.formats import count_line, render_findings, use_colour

    examples = Path(args.examples)
    if not (examples / "commits").is_dir():
        raise UsageError(f"{examples}: not a demo folder (expected commits/, request.md, agent-change/); "
                         "run the demo from a source checkout or pass --examples")
    colour = use_colour()
    tmp = Path(tempfile.mkdtemp(prefix="xyguard-demo-"))
    root = tmp / "linkstore"
    root.mkdir()
    try:
        build_demo_repo(examples, root)
        ctx = build_context(root)
        ws = Workspace(root=root, context=ctx, config=load_config(root))
        _heading("1. The workspace context (xyguard index)", colour)
        h = ctx.history
        print(f"{len(ctx.files)} files, {sum(1 for _ in ctx.all_symbols(public_only=True))} public symbols, "
              f"dependencies: {', '.join(sorted(ctx.dependency_names())) or 'none'}")
        print(f"{h.commits} commits; decisions: " + "; ".join(f"{d.sha[:7]} {d.subject!r}" for d in h.decisions))
        for r in h.reverts:
            print(f"revert: {r.sha[:7]} {r.subject!r}")

        request = (examples / "request.md").read_text()
        _heading("2. A request (xyguard request)", colour)
        print(f"> {request.strip()}\n")
        report = analyse_request(request, ws)
        print(render_findings(report.findings, colour, default_path="request.md"))
        if report.clarify_needed:
            print(f"\nAsk first: {report.question}")

        change_request = (examples / "agent-change" / "REQUEST").read_text().strip()
        _overlay(examples / "agent-change", root)
        _git(root, "add", "-A")
        _heading("3. An agent's change, staged (xyguard edit --staged)", colour)
        print(f"The agent was asked: {change_request!r}\n")
        edit = check_edit(staged_change(root), ws, request=change_request)
        print(render_findings(edit.findings, colour, group_by_file=True))
        print(f"\n{count_line(edit.findings)}")
        if args.keep:
            print(f"\nThe demo repository is kept at {root}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()
    return 0
