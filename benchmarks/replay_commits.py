"""Real change descriptions as requests: each commit message of a repository, analysed at its parent commit.

A maintainer accepted each of these changes as described, so a repository-grounded warning (XY103 reinvents,
XY104 unknown name, XY106 history conflict) on one of them is almost always a false alarm, and a question is
one only when a maintainer would want to answer it. The sample is stable: non-merge commits by people (bots
dropped), ordered by a hash of their sha; each commit lands in half A or B by the same hash as the other sets.

The repositories are clones under /work/corpus/ (click, attrs, httpx, rich by default); each gets one
scratch clone in a temporary folder whose work tree is moved to every parent in turn, and every message is
analysed by `xyguard batch requests --repo <that work tree>`, the interface users call.

    .venv/bin/python benchmarks/replay_commits.py [--repos click,attrs] [--per-repo 30] [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path("/work/corpus")
DEFAULT_REPOS = ("click", "attrs", "httpx", "rich")
GROUNDED = ("XY103", "XY104", "XY106")
BOT_AUTHORS = ("[bot]", "dependabot", "pre-commit-ci", "github-actions", "renovate")
MESSAGE_CAP = 4000  # characters of a message kept: nobody types a longer request
_SAFE_GIT = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "advice.detachedHead=false"]


def half_of(key: str) -> str:
    return "A" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *_SAFE_GIT, "-C", str(repo), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_TERMINAL_PROMPT": "0"}).stdout


def sample_commits(repo: Path, per_repo: int) -> list[dict]:
    raw = _git(repo, "log", "--no-merges", "--format=%H%x00%P%x00%an%x00%B%x1e")
    rows = []
    for record in raw.split("\x1e"):
        parts = record.strip("\n").split("\x00")
        if len(parts) != 4:
            continue
        sha, parents, author, message = parts
        if len(parents.split()) != 1 or any(b in author.lower() for b in BOT_AUTHORS) or not message.strip():
            continue
        rows.append({"sha": sha, "parent": parents.strip(), "message": message.strip()[:MESSAGE_CAP]})
    rows.sort(key=lambda r: hashlib.sha256(r["sha"].encode()).hexdigest())
    return rows[:per_repo]


def analyse_at_parent(work: Path, commit: dict) -> dict:
    _git(work, "checkout", "-q", "-f", "--detach", commit["parent"])
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        fh.write(json.dumps({"id": commit["sha"], "text": commit["message"]}) + "\n")
        batch = fh.name
    try:
        proc = subprocess.run([sys.executable, "-m", "xyguard.server", "batch", "requests", batch, "--repo", str(work)],
                              capture_output=True, text=True, check=False, cwd=tempfile.gettempdir())
    finally:
        Path(batch).unlink(missing_ok=True)
    lines = proc.stdout.splitlines()
    if proc.returncode not in (0, 1) or not lines:
        return {"error": proc.stderr[-400:]}
    return json.loads(lines[0])


def replay(repos: list[str], per_repo: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="xyguard-replay-") as scratch:
        for name in repos:
            source = CORPUS / name
            if not (source / ".git").is_dir():
                print(f"  (skipped {name}: no clone at {source})", file=sys.stderr)
                continue
            work = Path(scratch) / name
            subprocess.run(["git", *_SAFE_GIT, "clone", "-q", "--shared", "--no-checkout", str(source), str(work)],
                           check=True)
            for commit in sample_commits(source, per_repo):
                out = analyse_at_parent(work, commit)
                results.append({"repo": name, **commit, "half": half_of(commit["sha"]), "result": out})
    return results


def grounded(result: dict) -> list[dict]:
    return [f for f in result.get("findings", []) if f["code"] in GROUNDED and f["severity"] in ("warning", "error")]


def summarise(rows: list[dict]) -> None:
    for half in ("A", "B", None):
        chosen = [r for r in rows if half is None or r["half"] == half]
        if not chosen:
            continue
        n = len(chosen)
        errors = sum(1 for r in chosen if "error" in r["result"])
        warned = sum(1 for r in chosen if grounded(r["result"]))
        asked = sum(1 for r in chosen if r["result"].get("clarify", {}).get("needed"))
        title = f"half {half}" if half else "whole"
        print(f"== commit replay {title}: {n} messages" + (f", {errors} errors" if errors else ""))
        print(f"  repository-grounded warning (XY103/XY104/XY106) {warned / n:6.1%}  ({warned}/{n})")
        print(f"  clarifying question asked                       {asked / n:6.1%}  ({asked}/{n})")
        per_repo: dict[str, list[int]] = {}
        for r in chosen:
            entry = per_repo.setdefault(r["repo"], [0, 0, 0])
            entry[0] += bool(grounded(r["result"]))
            entry[1] += bool(r["result"].get("clarify", {}).get("needed"))
            entry[2] += 1
        print("  per repository: " + ", ".join(f"{k} {w}/{q}/{t}" for k, (w, q, t) in sorted(per_repo.items()))
              + "  (grounded warning / asked / messages)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", default=",".join(DEFAULT_REPOS))
    parser.add_argument("--per-repo", type=int, default=30)
    parser.add_argument("--out", type=Path, help="write every analysed message and its result here (JSONL)")
    args = parser.parse_args()
    rows = replay([r for r in args.repos.split(",") if r], args.per_repo)
    summarise(rows)
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
