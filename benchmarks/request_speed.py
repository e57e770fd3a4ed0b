"""Speed of request analysis with a warm workspace context on a large repository (goal: p95 <= 50 ms).

The repository is the SQLAlchemy source distribution committed into a git
repo under benchmarks/.cache (downloaded once with pip, reused afterwards).
The context is built (or loaded from its cache) first; then a mix of
requests, repeated, is analysed and p50/p95 are printed.

    .venv/bin/python benchmarks/request_speed.py [--repo DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "requests"

REQUESTS = [
    "How do I get the last three characters of a filename?",
    "Write a function to compile a select statement with a where clause.",
    "Fix the bug in create_engin() so that pool_size is respected.",
    "Rewrite the connection pool in Rust for speed.",
    "Tests fail randomly, I think we just need to add a sleep before the assert.",
    "Improve the ORM.",
    "Use requests to fetch the dialect documentation and cache it.",
    "Add a helper that converts a Column type to its SQL string, keep the public API unchanged.",
]


def sqlalchemy_repo() -> Path:
    repo = CACHE / "sqlalchemy-repo"
    if (repo / ".git").exists():
        return repo
    CACHE.mkdir(parents=True, exist_ok=True)
    archives = sorted(CACHE.glob("sqlalchemy-*.tar.gz"))
    if not archives:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "sqlalchemy",
                        "-d", str(CACHE)], check=True, capture_output=True)
        archives = sorted(CACHE.glob("sqlalchemy-*.tar.gz"))
    with tarfile.open(archives[-1]) as tar:
        tar.extractall(CACHE, filter="data")
    src = CACHE / archives[-1].name[: -len(".tar.gz")]
    src.rename(repo)
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@x",
           "PATH": "/usr/bin:/bin"}
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "import sqlalchemy sdist"]):
        subprocess.run(["git", *cmd], cwd=repo, env=env, check=True, capture_output=True)
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from xyguard.analyzers.context import get_context
    from xyguard.analyzers.request import analyze_request

    repo = args.repo or sqlalchemy_repo()
    t0 = time.perf_counter()
    context = get_context(repo)
    print(f"context: {sum(len(v) for v in context.symbols.values())} symbols in {len(context.files)} files, "
          f"ready in {time.perf_counter() - t0:.2f} s")
    texts = list(REQUESTS)
    for path in sorted(EVAL.glob("*.jsonl"))[:2]:  # a sample of real request texts, when present
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:40:4]]
    t0 = time.perf_counter()
    for text in texts:  # one pass builds the per-context indexes (names, and the identifier postings on first use)
        analyze_request(text, context=context)
    print(f"first pass (builds the name indexes once per workspace): {time.perf_counter() - t0:.2f} s")
    samples = []
    for _ in range(args.rounds):
        for text in texts:
            start = time.perf_counter()
            analyze_request(text, context=context)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"analyze_request warm: n={len(samples)} p50={p50:.2f} ms p95={p95:.2f} ms max={samples[-1]:.2f} ms "
          f"(goal p95 <= 50 ms: {'met' if p95 <= 50 else 'NOT met'})")


if __name__ == "__main__":
    main()
