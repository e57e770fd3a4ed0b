"""Replay accepted history through the git hooks: how often would xyguard have blocked the maintainers?

    .venv/bin/python benchmarks/replay_history.py /work/corpus/click /work/corpus/attrs --last 60 \
        [--out findings.jsonl] [--all-commits]

For each repository, the last N non-merge commits that touch source code are
replayed oldest first, as a user would have made them: a private clone (the
given repository is never touched) is checked out at the commit's parent,
the commit's tree is staged on it (`git restore --source`), and both hooks
run as git starts them, each a fresh process: `xyguard hook pre-commit`,
then `xyguard hook commit-msg FILE` with the commit's real message. A commit
is blocked when either hook exits 1. The clone has both hooks installed (a
commit-msg hook file in .git/hooks), as `pre-commit install --hook-type
pre-commit --hook-type commit-msg` leaves it; the replay itself runs them.

Printed: the share of commits blocked, warning-or-worse findings per code
(and how many commits each code blocks), and hook wall time p50/p95/max per
hook. The first hook run builds the workspace index; that cold run is
reported on its own line and left out of the percentiles. `--out` writes
every finding (with the commit and hook) as JSON lines, for reading them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

XYGUARD = [sys.executable, "-m", "xyguard.server"]
HOOKS = ("pre-commit", "commit-msg")
GATING = ("error", "warning")
# Commits that touch a file in one of these languages count as code commits.
CODE_PATHSPECS = [f":(glob)**/*.{ext}" for ext in ("py", "pyi", "js", "jsx", "ts", "tsx", "go", "rs", "java")]
_CLEAN_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV}
    return subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=root, env=env, check=True,
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout


def code_commits(root: Path, last: int, all_commits: bool) -> list[str]:
    spec = [] if all_commits else ["--", *CODE_PATHSPECS]
    shas = git(root, "log", "--no-merges", f"-n{last}", "--format=%H", "HEAD", *spec).split()
    return list(reversed(shas))  # oldest first: HEAD moves forward as it did for the maintainers


def stage_commit(clone: Path, sha: str) -> str:
    """Check out the parent and stage the commit's tree on it. Returns the commit's message."""
    parent = git(clone, "rev-parse", f"{sha}^").strip()
    git(clone, "checkout", "-q", "-f", "--detach", parent)
    git(clone, "clean", "-q", "-f", "-d")
    git(clone, "restore", "-q", f"--source={sha}", "--staged", "--worktree", "--", ".")
    return git(clone, "log", "-1", "--format=%B", sha)


def run_hook(clone: Path, stage: str, message_file: Path | None) -> tuple[float, int, dict]:
    args = ["hook", stage, *([str(message_file)] if message_file else []), "--format", "json"]
    # As installed: Python keeps its bytecode cache (a sandbox's PYTHONDONTWRITEBYTECODE would recompile every run).
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV and k != "PYTHONDONTWRITEBYTECODE"}
    for attempt in range(3):  # a busy shared machine can refuse a fork now and then: try again, then give up
        try:
            start = time.perf_counter()
            proc = subprocess.run(XYGUARD + args, cwd=clone, env=env, text=True, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            break
        except OSError as exc:
            if attempt == 2:
                raise
            print(f"  hook {stage} could not start ({exc}); retrying", file=sys.stderr)
            time.sleep(2)
    if proc.returncode not in (0, 1):
        print(f"  hook {stage} failed ({proc.returncode}): {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return elapsed, proc.returncode, {"findings": []}
    try:
        data = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        data = {"findings": []}
    return elapsed, proc.returncode, data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def replay(repo: Path, last: int, all_commits: bool, out, only: list[str] | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="xyguard-replay-"))
    clone = tmp / repo.name
    try:
        subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(repo), str(clone)], check=True)
        git(clone, "config", "user.name", "replay")
        git(clone, "config", "user.email", "replay@example.com")
        hook = clone / ".git" / "hooks" / "commit-msg"
        hook.parent.mkdir(exist_ok=True)
        hook.write_text('#!/bin/sh\nexec xyguard hook commit-msg "$1"\n', encoding="utf-8")
        hook.chmod(0o755)
        commits = code_commits(clone, last, all_commits)
        if only:
            commits = [c for c in commits if any(c.startswith(p) for p in only)]
        result = {"repo": repo.name, "commits": len(commits), "blocked": 0, "times": defaultdict(list),
                  "codes": Counter(), "blocking_codes": Counter(), "cold": None, "slowest": []}
        message_file = clone / ".git" / "COMMIT_EDITMSG"
        for i, sha in enumerate(commits):
            message = stage_commit(clone, sha)
            message_file.write_text(message, encoding="utf-8")
            subject = message.strip().split("\n", 1)[0]
            blocked = False
            seen: set[tuple] = set()
            commit_codes: set[str] = set()
            for stage in HOOKS:
                elapsed, code, data = run_hook(clone, stage, message_file if stage == "commit-msg" else None)
                if i == 0 and stage == HOOKS[0]:
                    result["cold"] = elapsed  # builds the workspace index
                else:
                    result["times"][stage].append(elapsed)
                    result["slowest"].append((elapsed, stage, sha[:10], subject[:60]))
                blocked |= code == 1
                for f in data.get("findings", []):
                    line = ((f.get("range") or {}).get("start") or {}).get("line")
                    key = (f["code"], f.get("path"), line, f["message"])
                    if out is not None:
                        out.write(json.dumps({"repo": repo.name, "sha": sha, "subject": subject, "hook": stage,
                                              "code": f["code"], "severity": f["severity"], "path": f.get("path"),
                                              "line": None if line is None else line + 1, "message": f["message"],
                                              "evidence": f.get("evidence")}) + "\n")
                    if f["severity"] in GATING and key not in seen:
                        seen.add(key)
                        result["codes"][f["code"]] += 1
                        if code == 1:
                            commit_codes.add(f["code"])
            result["blocked"] += blocked
            result["blocking_codes"].update(commit_codes)
            mark = "BLOCKED " + ",".join(sorted(commit_codes)) if blocked else "ok"
            print(f"  [{i + 1}/{len(commits)}] {sha[:10]} {subject[:60]!r}: {mark}", file=sys.stderr)
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def print_result(r: dict) -> None:
    n = r["commits"] or 1
    print(f"{r['repo']}: {r['blocked']}/{r['commits']} commits blocked ({100 * r['blocked'] / n:.0f}%)")
    if r["codes"]:
        rows = ", ".join(f"{c} {k} (blocks {r['blocking_codes'][c]})" for c, k in sorted(r["codes"].items()))
        print(f"  warning-or-worse findings per code: {rows}")
    for stage in HOOKS:
        t = r["times"][stage]
        if t:
            print(f"  {stage:>10}: p50 {statistics.median(t):.2f} s, p95 {percentile(t, 0.95):.2f} s, "
                  f"max {max(t):.2f} s over {len(t)} runs")
    if r["cold"] is not None:
        print(f"  cold first run (builds the index): {r['cold']:.2f} s")
    slow = sorted(r["slowest"], reverse=True)[:3]
    if slow:
        print("  slowest: " + "; ".join(f"{t:.2f} s {stage} {sha} {subj!r}" for t, stage, sha, subj in slow))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path, metavar="REPO")
    parser.add_argument("--last", type=int, default=60, help="how many recent non-merge commits (default 60)")
    parser.add_argument("--all-commits", action="store_true", help="include commits that touch no source code")
    parser.add_argument("--out", type=Path, help="write every finding as JSON lines here")
    parser.add_argument("--only", metavar="SHA,...", help="replay only these commits (prefixes) of the last N")
    args = parser.parse_args()
    out = args.out.open("w", encoding="utf-8") if args.out else None
    results = []
    try:
        for repo in args.repos:
            if not (repo / ".git").exists() and not (repo / "HEAD").exists():
                parser.error(f"{repo} is not a git repository")
            print(f"replaying {repo} ...", file=sys.stderr)
            results.append(replay(repo.resolve(), args.last, args.all_commits, out,
                                  args.only.split(",") if args.only else None))
    finally:
        if out is not None:
            out.close()
    for r in results:
        print_result(r)
    if len(results) > 1:
        total = sum(r["commits"] for r in results)
        blocked = sum(r["blocked"] for r in results)
        times = [t for r in results for stage in HOOKS for t in r["times"][stage]]
        codes = sum((r["codes"] for r in results), Counter())
        print(f"all: {blocked}/{total} commits blocked ({100 * blocked / max(total, 1):.0f}%); "
              f"findings {dict(sorted(codes.items()))}; hook p50 {statistics.median(times):.2f} s, "
              f"p95 {percentile(times, 0.95):.2f} s, max {max(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
