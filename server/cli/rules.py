"""`xyguard rules`: the code registry, as a table, JSON or the generated docs page."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub) -> None:
    p = sub.add_parser("rules", help="list every finding code with its severity and summary")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("code", nargs="?", help="show one code in full")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.rules import RULES, render_markdown

    from .common import UsageError

    rules = list(RULES.values())
    if args.code:
        code = args.code.upper()
        if code not in RULES:
            raise UsageError(f"unknown code {args.code!r}; run `xyguard rules` for the list")
        rules = [RULES[code]]
    if args.format == "json":
        json.dump([{**r.__dict__, "family": r.family} for r in rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown() + "\n")
    elif args.code:
        r = rules[0]
        print(f"{r.code} {r.name} ({r.severity})\n\n{r.summary}\n\nWhy it matters: {r.rationale}\n\n"
              f"Example: {r.example}\n\nImplemented in: analyzers/{r.module.replace('.', '/')}.py")
    else:
        for r in rules:
            print(f"{r.code}  {r.name:<28} {r.severity:<8} {r.summary}")
    return 0
