"""Cold and warm `xyguard index` against `ctags -R` on the same tree, as ratios.

Goals (DESIGN.md, issue 16): cold (no cache) <= 4x ctags wall time, warm (cache hit) <= 0.5x.

    .venv/bin/python benchmarks/index_bench.py [--repeat N]                      # SQLAlchemy's sdist, one commit
    .venv/bin/python benchmarks/index_bench.py --repo /work/corpus/sqlalchemy    # a git clone WITH its history

A `--repo` that is a git repository is cloned (`git clone --local`) into a temp folder first, so the
benchmark's cache never lands in a shared checkout. "Cold" deletes the workspace cache before each run
(`.git/xyguard`): parse every file and read every commit. Each run is a fresh process, timed as a whole
(interpreter start and imports included). Besides wall time, the CPU time of each run (its own and its
children's: parse workers, git) is printed: on a shared machine wall time swings with the load, and CPU
time divided by the cores shows what an idle machine would take.

Bytecode: an installed xyguard has its modules compiled once (pip compiles them at install). With an editable
install and PYTHONDONTWRITEBYTECODE=1 in the environment, every process -- the index and each parse worker --
would compile every module it imports from source, ~0.08 s of CPU per cold run that no installed copy pays.
So the runs keep their bytecode in a temp folder (PYTHONPYCACHEPREFIX; nothing is written beside the sources)
filled by one untimed run first. `--compile-each-run` measures the other way.
"""

from __future__ import annotations

import argparse
import os
import resource
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
COLD_GOAL, WARM_GOAL = 4.0, 0.5


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and everything it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def xyguard_env(work: Path, compile_each_run: bool) -> dict[str, str]:
    """The environment of the measured runs: bytecode kept in `work` (see the module docstring)."""
    env = dict(os.environ)
    if not compile_each_run:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def prepare(repo: Path | None, work: Path) -> Path:
    if repo is None:
        return sqlalchemy_repo()
    repo = repo.resolve()
    if (repo / ".git").exists():
        clone = work / repo.name
        subprocess.run(["git", "clone", "-q", "--local", str(repo), str(clone)], check=True)
        return clone
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="tree to index; a git repository is cloned first (default: "
                                                  "SQLAlchemy's source release)")
    parser.add_argument("--compile-each-run", action="store_true",
                        help="no bytecode cache: every process compiles the modules it imports")
    args = parser.parse_args()
    ctags = shutil.which("ctags")
    if ctags is None or "Universal Ctags" not in subprocess.run([ctags, "--version"], capture_output=True, text=True).stdout:
        print("universal-ctags is required (apt-get install universal-ctags)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="xyguard-index-bench-"))
    try:
        repo = prepare(args.repo, work)
        size = sum(p.stat().st_size for p in repo.rglob("*.py") if ".git" not in p.parts)
        commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True,
                                 text=True).stdout.strip() or "0"
        tags = work / "tags"
        env = xyguard_env(work, args.compile_each_run)
        if not args.compile_each_run:  # untimed: fills the bytecode cache (a cold index imports what workers do)
            shutil.rmtree(repo / ".git" / "xyguard", ignore_errors=True)
            timed([*XYGUARD, "--repo", str(repo)], env=env)
        floor, cold, warm = [], [], []
        for _ in range(args.repeat):  # interleaved, so a change in the machine's load hits all three alike
            floor.append(timed([ctags, "-R", "-f", str(tags), "."], cwd=repo))
            shutil.rmtree(repo / ".git" / "xyguard", ignore_errors=True)
            cold.append(timed([*XYGUARD, "--repo", str(repo)], env=env))
            warm.append(timed([*XYGUARD, "--repo", str(repo)], env=env))
        n = cores()
        f_wall, f_cpu = (statistics.median(x) for x in zip(*floor))
        print(f"corpus: {repo.name} ({size / 1e6:.1f} MB of Python, {commits} commits); {n} cores; "
              f"load average {os.getloadavg()[0]:.2f}; median of {args.repeat}; bytecode "
              f"{'compiled in every process' if args.compile_each_run else 'cached (as installed)'}")
        print(f"ctags -R           {f_wall:6.2f} s wall {f_cpu:6.2f} s CPU (floor)")
        verdicts = []
        for label, runs, goal in (("cold", cold, COLD_GOAL), ("warm", warm, WARM_GOAL)):
            wall, cpu = (statistics.median(x) for x in zip(*runs))
            # ctags runs on one core, so its CPU time is its wall time on an idle machine; ours spread over the
            # cores is the best an idle machine could do (a lower bound: it assumes perfect overlap).
            print(f"xyguard index {label} {wall:6.2f} s wall {cpu:6.2f} s CPU  = {wall / f_wall:5.2f}x ctags wall "
                  f"(goal <= {goal}x); idle bound: CPU/{n} cores = {cpu / n / f_cpu:5.2f}x ctags CPU")
            verdicts.append(wall / f_wall <= goal)
        return 0 if all(verdicts) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
