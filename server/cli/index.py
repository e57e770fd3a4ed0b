"""`xyguard index`: build or refresh the workspace context cache and print what it found."""

from __future__ import annotations

import argparse
import sys

from .common import UsageError, add_repo, load_settings, print_json, resolve_repo


def add_parser(sub) -> None:
    p = sub.add_parser("index", help="build or refresh the workspace context (languages, dependencies, API, history)")
    add_repo(p)
    p.add_argument("--rebuild", action="store_true", help="ignore the cache and re-read everything")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


class _Bar:
    """A one-line progress bar on a terminal (stderr); silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def __call__(self, message: str, percent: int) -> None:
        if self.live:
            filled = percent * 30 // 100
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {message[:40]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.live:
            sys.stderr.write("\r" + " " * 80 + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from xyguard.analyzers.context import build_context
    from xyguard.analyzers.context.gitrun import GitError

    repo = resolve_repo(args.repo, required=True)
    config = load_settings(args, repo)
    bar = _Bar() if args.format == "text" else None
    try:
        # lean: the co-change table is not printed, so it is not decoded either (read on first use).
        ctx = build_context(repo, config=config, rebuild=args.rebuild, progress=bar, lean=True)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if bar:
            bar.close()
    summary = ctx.summary()
    if args.format == "json":
        from xyguard.analyzers.contract import versioned

        print_json(versioned(summary))
        return 0
    langs = ", ".join(f"{lang} {v['files']}" for lang, v in sorted(ctx.languages.items(), key=lambda kv: -kv[1]["bytes"]))
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(ctx.skipped.items())) or "none"
    h = ctx.history
    print(f"{ctx.root}")
    print(f"  files      {summary['files']} ({langs or 'no source files'})")
    print(f"  symbols    {summary['symbols']} ({summary['public_symbols']} public)")
    print(f"  deps       {len(ctx.dependencies)} declared in {len(ctx.manifests)} manifest(s)")
    if h.available:
        extra = " shallow" if h.shallow else ""
        extra += " detached" if h.detached else ""
        print(f"  history    {h.commits} commits{extra}: {len(h.decisions)} decisions, {len(h.reverts)} reverts, "
              f"{len(h.dependency_removals)} dependency removals, {len(h.renames)} renames")
    else:
        print("  history    none (not a git repository, or no commits yet)")
    naming = "; ".join(f"{lang}: " + ", ".join(f"{k} {v}" for k, v in d.items()) for lang, d in ctx.conventions.naming.items())
    print(f"  naming     {naming or 'unknown'}")
    print(f"  tests      {', '.join(ctx.conventions.test_frameworks) or 'none found'}"
          f"{' in ' + ', '.join(ctx.conventions.test_dirs) if ctx.conventions.test_dirs else ''}")
    print(f"  skipped    {skipped}")
    st = ctx.stats
    print(f"  {st['seconds']:.2f}s ({st['parsed']} parsed, {st['reused']} from cache)")
    return 0
