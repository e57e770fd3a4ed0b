"""`xyguard agent claude-code`: answer one Claude Code hook event; `xyguard agent install|uninstall claude-code`.

The hook reads the event on stdin and always exits 0 with the host's JSON answer on stdout (Claude Code
reads exit 2 as "block", so xyguard's own exit codes are never passed through). Install and uninstall
are ordinary commands: 0 done, 2 usage or an unreadable settings file (left untouched).
"""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, UsageError, resolve_repo

HOSTS = ("claude-code",)


def add_parser(sub) -> None:
    p = sub.add_parser("agent", help="coding-agent hooks: answer Claude Code hook events, install or remove the hooks")
    actions = p.add_subparsers(dest="agent_action", metavar="ACTION")

    hook = actions.add_parser("claude-code", help="answer one Claude Code hook event read on stdin (what the hook runs)")
    hook.add_argument("--questions", choices=("context", "block", "off"),
                      help="a warranted clarifying question: add it as context for the model (default), block the "
                           "prompt with it, or neither")
    hook.add_argument("--deny-level", choices=("error", "warning", "info", "hint"),
                      help="refuse an edit with a finding at or above this severity (default: error)")
    hook.add_argument("--ask-level", choices=("error", "warning", "info", "hint", "never"),
                      help="ask the user about an edit with a finding at or above this severity (default: warning)")
    hook.add_argument("--approve-clean", action="store_true", default=None,
                      help="approve a clean edit (skips the host's permission prompt; default: no decision)")
    hook.add_argument("--stop-check", action="store_true", default=None,
                      help="on Stop, ask the agent to continue when the session's goal clearly was not addressed")
    hook.set_defaults(func=run_hook)

    for name, helptext in (("install", "add xyguard's hooks to Claude Code's settings (other settings are kept)"),
                           ("uninstall", "remove xyguard's hooks from Claude Code's settings (nothing else)")):
        q = actions.add_parser(name, help=helptext)
        q.add_argument("host", choices=HOSTS, help="the agent host (Cursor reads Claude Code's hooks too)")
        scope = q.add_mutually_exclusive_group()
        scope.add_argument("--project", dest="scope", action="store_const", const="project",
                           help=".claude/settings.json in the repository (default; commit it to share the hooks)")
        scope.add_argument("--local", dest="scope", action="store_const", const="local",
                           help=".claude/settings.local.json in the repository (yours only, not committed)")
        scope.add_argument("--user", dest="scope", action="store_const", const="user",
                           help="~/.claude/settings.json (every project)")
        q.add_argument("--repo", metavar="DIR", help="the repository for --project/--local (default: .)")
        if name == "install":
            q.add_argument("--command", metavar="CMD", help="the command the host runs (default: 'xyguard agent "
                                                            "claude-code'; use a full path when xyguard is not on PATH)")
            q.add_argument("--stop", action="store_true", help="also install the Stop hook that checks the goal was addressed")
            q.add_argument("--print", action="store_true", dest="print_only",
                           help="print the settings that would be written, change nothing")
        q.set_defaults(func=run_install if name == "install" else run_uninstall, scope=None)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _overrides(args: argparse.Namespace):
    agent = {}
    for key in ("questions", "deny_level", "ask_level", "approve_clean", "stop_check"):
        value = getattr(args, key, None)
        if value is not None:
            agent[key] = value
    if not agent:
        return None
    return lambda cfg: cfg.with_overrides({"agent": agent}, "command line")


def run_hook(args: argparse.Namespace) -> int:
    from xyguard.server.agents.claude_code import answer

    answer_obj, notes = answer(sys.stdin.buffer.read(), _overrides(args))
    for note in notes:
        print(f"xyguard: {note}", file=sys.stderr)
    sys.stdout.write(json_text(answer_obj) + "\n")
    sys.stdout.flush()
    return EXIT_OK


def json_text(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False)


def _path(args: argparse.Namespace):
    from xyguard.server.agents.install import settings_path

    scope = args.scope or "project"
    project = resolve_repo(args.repo, required=True) if scope != "user" else None
    return settings_path(scope, project)  # type: ignore[arg-type]


def run_install(args: argparse.Namespace) -> int:
    from xyguard.server.agents import install

    path = _path(args)
    command = args.command or install.DEFAULT_COMMAND
    try:
        if args.print_only:
            data = install.merged(install.read_settings(path), install.hook_entries(command, stop=args.stop))
            sys.stdout.write(json_text_indented(data))
            return EXIT_OK
        install.install(path, command, stop=args.stop)
    except install.SettingsError as exc:
        raise UsageError(str(exc)) from None
    print(f"xyguard: Claude Code hooks installed in {path}")
    return EXIT_OK


def json_text_indented(obj) -> str:
    import json

    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def run_uninstall(args: argparse.Namespace) -> int:
    from xyguard.server.agents import install

    path = _path(args)
    try:
        changed = install.uninstall(path)
    except install.SettingsError as exc:
        raise UsageError(str(exc)) from None
    print(f"xyguard: {'Claude Code hooks removed from' if changed else 'no xyguard hooks in'} {path}")
    return EXIT_OK
