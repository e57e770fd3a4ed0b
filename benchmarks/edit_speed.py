"""Edit-check latency: a 300-line diff over 5 files of SQLAlchemy, warm workspace context, p50/p95.

Goal (DESIGN.md): p95 <= 100 ms. The diff is built from real modules: in each of 5 files, 30 lines
are modified in place and 30 new lines are inserted, which exercises every check (griffe on whole
modules, duplication and import indexes, history).

Run: .venv/bin/python benchmarks/edit_speed.py [--runs N] [--repo DIR]
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import sqlalchemy_repo  # noqa: E402

from xyguard.analyzers.context import get_context  # noqa: E402
from xyguard.analyzers.edits import check_edit  # noqa: E402

FILES = 5
CHANGED_PER_FILE = 20
INSERTED_PER_FILE = 20


def pick_files(root: Path) -> list[str]:
    """Five mid-sized Python modules (600-1500 lines): ordinary files, not the very largest."""
    found = []
    for path in sorted((root / "lib").rglob("*.py")):
        lines = path.read_text(encoding="utf-8", errors="replace").count("\n")
        if 600 <= lines <= 1500 and "test" not in path.parts:
            found.append(str(path.relative_to(root)))
    step = max(len(found) // FILES, 1)
    return found[::step][:FILES]


def make_diff(root: Path, paths: list[str]) -> str:
    parts = []
    for path in paths:
        old = (root / path).read_text(encoding="utf-8").splitlines(keepends=True)
        new = list(old)
        middle = len(new) // 2
        edited = 0
        for i in range(middle, len(new)):
            if edited == CHANGED_PER_FILE:
                break
            line = new[i]
            if " = " in line and not line.lstrip().startswith("#"):
                new[i] = line.replace(" = ", " = _adjust(", 1).rstrip("\n") + ")\n"
                edited += 1
        indent = "        "
        block = [f"{indent}checked_{k} = _validate(value_{k}, limit={k})  # added\n" for k in range(INSERTED_PER_FILE)]
        new[middle:middle] = block
        parts.append("".join(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}")))
    return "".join(f"diff --git a/{p} b/{p}\n" + d for p, d in zip(paths, parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--repo", type=Path)
    args = parser.parse_args()
    root = args.repo or sqlalchemy_repo()
    paths = pick_files(root)
    diff = make_diff(root, paths)
    changed = sum(1 for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---")))
    start = time.perf_counter()
    ctx = get_context(root)
    context_s = time.perf_counter() - start
    request = "Validate the values before they are used, and fix the adjustment bug in these modules."
    start = time.perf_counter()
    report = check_edit(diff, request=request, context=ctx)
    first_s = time.perf_counter() - start
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        check_edit(diff, request=request, context=ctx)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"repository: {root} ({len(ctx.files)} files); context {context_s:.1f}s")
    print(f"diff: {changed} changed lines over {len(paths)} files: {', '.join(paths)}")
    print(f"first check (builds the duplication/import indexes): {first_s * 1000:.0f} ms; "
          f"findings: {len(report.findings)}")
    print(f"warm, {args.runs} runs: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms (goal <= 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
