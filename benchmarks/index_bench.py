"""Cold and warm `xyguard index` on SQLAlchemy against `ctags -R` on the same tree, as ratios.

Goals (DESIGN.md): cold <= 4x ctags wall time, warm (cache hit) <= 1x ctags.
Run: .venv/bin/python benchmarks/index_bench.py [--repeat N] [--repo DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import sqlalchemy_repo  # noqa: E402

XYGUARD = [sys.executable, "-m", "xyguard.server", "index", "--format", "json"]


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="tree to index (default: SQLAlchemy's source release)")
    args = parser.parse_args()
    ctags = shutil.which("ctags")
    if ctags is None or "Universal Ctags" not in subprocess.run([ctags, "--version"], capture_output=True, text=True).stdout:
        print("universal-ctags is required (apt-get install universal-ctags)", file=sys.stderr)
        return 2
    repo = args.repo or sqlalchemy_repo()
    size = sum(p.stat().st_size for p in repo.rglob("*.py") if ".git" not in p.parts)
    out = Path(tempfile.mkdtemp()) / "tags"
    floor = [timed([ctags, "-R", "-f", str(out), "."], cwd=repo) for _ in range(args.repeat)]
    cold, warm = [], []
    for _ in range(args.repeat):
        cold.append(timed([*XYGUARD, "--rebuild", "--repo", str(repo)]))
        warm.append(timed([*XYGUARD, "--repo", str(repo)]))
    f, c, w = statistics.median(floor), statistics.median(cold), statistics.median(warm)
    print(f"corpus: {repo} ({size / 1e6:.1f} MB of Python)")
    print(f"ctags -R          {f:6.2f} s (floor)")
    print(f"xyguard index cold {c:6.2f} s  = {c / f:4.2f}x ctags  (goal <= 4x)")
    print(f"xyguard index warm {w:6.2f} s  = {w / f:4.2f}x ctags  (goal <= 1x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
