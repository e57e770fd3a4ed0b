"""`xyguard session show|prefix|resolve|reset ID`: a session's goal state, in full or as an agent prefix.

`resolve --keep earlier|later` answers the session's open conflicts: keep the earlier statements (the later asks
are dropped) or let the later ones replace them.
"""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, UsageError, add_repo, print_json, resolve_repo


def add_parser(sub) -> None:
    p = sub.add_parser("session", help="show or reset a session's goal state (objectives, requirements, ...)")
    p.add_argument("action", choices=("show", "prefix", "resolve", "reset"),
                   help="show: the goal state; prefix: the compact text to put before each request; "
                        "resolve: settle open conflicts (see --keep); reset: forget it")
    p.add_argument("id", metavar="ID", help="session id (letters, digits, '.', '_', '-')")
    add_repo(p)
    p.add_argument("--keep", choices=("earlier", "later"), help="for resolve: which side of each open conflict holds")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _text(state) -> str:
    lines = [state.context_prefix(max_chars=100_000)]
    if state.edits:
        from xyguard.analyzers.session.slop_creep import totals

        t = totals(state.edits)
        lines.append(f"Edits checked: {t['edits']} (+{t['added']} -{t['removed']}); public API changes {t['api_changes']}, "
                     f"files outside objectives {len(t['outside_files'])}, duplicated lines {t['duplicated']}, "
                     f"drift trend {t['trend']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.session import SessionError, SessionStore

    repo = resolve_repo(args.repo, required=True)
    store = SessionStore(repo)
    try:
        if args.action == "reset":
            existed = store.reset(args.id)
            if args.format == "json":
                from xyguard.analyzers.contract import versioned

                print_json(versioned({"session": args.id, "reset": existed}))
            else:
                print(f"session {args.id}: {'reset' if existed else 'nothing to reset'}")
            return EXIT_OK
        if not store.exists(args.id):
            raise UsageError(f"no session {args.id!r} in {repo} (sessions: {', '.join(store.ids()) or 'none'})")
        if args.action == "resolve":
            if not args.keep:
                raise UsageError("resolve needs --keep earlier or --keep later")
            state = store.update(args.id, lambda st: st.resolve(keep=args.keep))
        else:
            state = store.load(args.id)
    except SessionError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        print_json(state.to_dict())
    elif args.action == "prefix":
        sys.stdout.write(state.context_prefix() + "\n")
    else:
        sys.stdout.write(_text(state) + "\n")
    return EXIT_OK
