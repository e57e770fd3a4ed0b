"""`xyguard traces FILE.jsonl`: find the user's corrections in logged conversations and group them by failure type.

Input: one conversation per line, {"id": ..., "turns": [{"role": "user"|"assistant", "content": "..."}, ...]}.
"""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, EXIT_USAGE, print_json, read_file, warn


def add_parser(sub) -> None:
    p = sub.add_parser("traces", help="error analysis of conversation logs: user corrections grouped by failure type")
    p.add_argument("input", metavar="FILE.jsonl",
                   help='conversations, one per line: {"id": ..., "turns": [{"role": "user"|"assistant", "content": ...}]}; - for stdin')
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _render_text(data: dict) -> str:
    from xyguard.analyzers.session.corrections import LABELS

    lines = [f"{data['conversations']} conversations, {data['user_turns']} user turns, {data['corrections']} corrections "
             f"({data['correction_rate']:.1%} of user turns; {data['conversations_with_corrections']} conversations "
             f"had at least one)."]
    if data["corrections"]:
        lines.append("")
        lines.append("By failure type:")
        for failure, count in sorted(data["by_failure"].items(), key=lambda kv: -kv[1]):
            if count:
                lines.append(f"  {count:>5}  {LABELS[failure]}")
        for failure, examples in data["examples"].items():
            lines.append("")
            lines.append(f"{LABELS[failure]} — examples:")
            for e in examples:
                lines.append(f"  [{e['conversation']} turn {e['turn']}] {e['text']}")
                if e["cues"]:
                    lines.append(f"      cues: {'; '.join(e['cues'])}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.session.corrections import analyze_lines

    text = read_file(args.input, "traces")
    summary = analyze_lines(text.splitlines())
    for err in summary.errors:
        warn(f"{args.input}: {err}")
    data = summary.to_dict()
    if summary.conversations == 0:
        warn(f"{args.input}: no usable conversations")
        return EXIT_USAGE
    if args.format == "json":
        from xyguard.analyzers.contract import versioned

        print_json(versioned(data))
    else:
        sys.stdout.write(_render_text(data) + "\n")
    return EXIT_OK
