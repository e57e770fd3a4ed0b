"""`xyguard hook pre-commit` / `xyguard hook commit-msg FILE`: the git hooks (pre-commit framework or plain).

Both read the staged index (GIT_INDEX_FILE is honoured, which `git commit -a`
and pre-commit use), run the edit checks, and print findings grouped by file
like a linter. commit-msg also holds the message (the stated intent) against
the change. Exit 1 only for findings at or above the fail level; when
xyguard itself fails the hook says "xyguard failed: ..." and exits 3, so a
crash never reads as findings that block the commit. When the repository
runs the commit-msg hook too, pre-commit leaves the checks the message can
answer (a stated removal, dependency, rewrite...) to it: git writes the
message only after pre-commit has run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_FINDINGS, EXIT_OK, UsageError, add_output, load_settings, open_workspace, print_json, read_file

STAGES = ("pre-commit", "commit-msg")
MESSAGE_LABEL = "commit message"
FAILURE_PREFIX = "xyguard failed (the staged change was not checked)"


def add_parser(sub) -> None:
    p = sub.add_parser("hook", help="git hooks: check the staged change (pre-commit) or the message against it (commit-msg)")
    p.add_argument("stage", choices=STAGES, help="which hook is running")
    p.add_argument("message_file", nargs="?", metavar="FILE",
                   help="commit-msg: the file holding the message (git passes .git/COMMIT_EDITMSG)")
    add_output(p)
    p.set_defaults(func=run, failure_prefix=FAILURE_PREFIX)


def _repo_root() -> Path:
    from xyguard.analyzers.context.gitrun import Git, GitError

    try:
        top = Git(Path.cwd()).toplevel()
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if top is None:
        raise UsageError("not inside a git repository: the hook checks the staged change")
    return top


def _staged(root: Path):
    from xyguard.analyzers.edits.source import staged_change

    try:
        return staged_change(root)
    except ValueError as exc:  # nothing staged, or an index git cannot diff
        if "empty" in str(exc).lower():
            return None
        raise UsageError(f"cannot read the staged change: {exc}") from None


def run(args: argparse.Namespace) -> int:
    if args.stage == "commit-msg" and not args.message_file:
        raise UsageError("hook commit-msg needs the message file (git passes it as the first argument)")
    if args.stage == "pre-commit" and args.message_file:
        raise UsageError("hook pre-commit takes no file argument")

    root = _repo_root()
    config = load_settings(args, root)
    message = None
    if args.stage == "commit-msg":
        from xyguard.analyzers.edits.message import clean_message

        message = clean_message(read_file(args.message_file, "message file"))

    change = _staged(root)
    if change is None or not change.files:
        return _emit(args, [], [], config)

    from xyguard.analyzers.edits.source import commit_msg_hook_installed
    from xyguard.analyzers.pipeline import check_commit

    follows = args.stage == "pre-commit" and commit_msg_hook_installed(root)
    report = check_commit(change, open_workspace(root, config), message, message_follows=follows)
    return _emit(args, report.findings, report.skipped, config, report.blocking)


def _emit(args: argparse.Namespace, findings, skipped, config, blocking: bool = False) -> int:
    from xyguard.server.formats import count_line, render_findings, sarif, use_colour

    label = args.message_file if args.stage == "commit-msg" else None
    if args.format == "json":
        from xyguard.analyzers.contract import versioned

        print_json(versioned({"findings": [f.to_dict() for f in findings], "skipped": [s.to_dict() for s in skipped],
                              "blocking": blocking}))
    elif args.format == "sarif":
        print_json(sarif(findings, request_uri=label or MESSAGE_LABEL))
    elif findings:
        out = sys.stdout
        out.write(render_findings(findings, colour=use_colour(out), default_path=label or MESSAGE_LABEL,
                                  group_by_file=True) + "\n")
        out.write(count_line(findings) + f" Fail level: {config.fail_level}.\n")
    return EXIT_FINDINGS if blocking else EXIT_OK
