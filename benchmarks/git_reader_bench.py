"""GitPython against xyguard's hardened runner (analyzers/context/gitrun.py), path by path: speed and safety.

    .venv/bin/python -m pip install GitPython     # no longer a dependency of xyguard: see docs/git.md
    .venv/bin/python benchmarks/git_reader_bench.py --repo /work/corpus/sqlalchemy [--commits 300]

The design names GitPython as the repository reader; this measures whether it can be, for each way
xyguard reads a repository (see docs/git.md for the decision these numbers support):

speed   import cost in a fresh process; history (commits with their changed files); the tracked files of
        HEAD; blobs; the staged diff; the index entries.
safety  whether every git process GitPython starts can carry the runner's environment (an inherited
        GIT_EXTERNAL_DIFF is the probe), whether its own Python-side reading follows a repository config's
        [include] outside the repository, and whether it reads a repository git refuses as unsafe
        (safe.directory).

The repository is cloned into a temp folder first; nothing is written to the one given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_cost() -> tuple[float, float]:
    """(ms for a bare interpreter, ms for one that imports git), fresh processes, median of 7."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return (time.perf_counter() - start) * 1000

    bare = statistics.median(run("pass") for _ in range(7))
    with_git = statistics.median(run("import git") for _ in range(7))
    return bare, with_git


def speed(repo: Path, commits: int) -> None:
    import git

    from xyguard.analyzers.context.gitrun import Git

    runner = Git(repo)
    gp = git.Repo(repo)
    gp.git.update_environment(**{k: v for k, v in runner._env.items() if k.startswith(("GIT_", "LC_", "LANG"))})
    head = gp.head.commit

    def gp_history():
        for commit in gp.iter_commits("HEAD", max_count=commits):
            if commit.parents:
                list(commit.parents[0].diff(commit))  # one `git diff-tree` process per commit

    def runner_history():
        for _ in runner.stream(["log", "--name-status", "-M", f"-n{commits}", "--format=%H", "HEAD", "--"]):
            pass

    def gp_tree():
        return [b.path for b in head.tree.traverse() if b.type == "blob"]

    def runner_tree():
        return runner.run(["ls-tree", "-r", "-z", "--full-tree", "HEAD"]).split(b"\0")

    blobs = [b for b in head.tree.traverse() if b.type == "blob"][:300]

    def gp_blobs():
        return [b.data_stream.read() for b in blobs]

    def runner_blobs():
        return runner.run(["cat-file", "--batch"], input=("\n".join(b.hexsha for b in blobs) + "\n").encode())

    def gp_index():
        return len(git.IndexFile(gp).entries)

    def runner_index():
        return runner.run(["ls-files", "-z", "-s"]).count(b"\0")

    def gp_staged():
        return list(gp.index.diff("HEAD"))

    def runner_staged():
        return runner.run(["diff", "--cached", "--raw", "-z", "-M", "HEAD", "--"])

    print(f"{'path':<34} {'GitPython':>10} {'runner':>10}")
    for label, a, b in ((f"history, {commits} commits + files", gp_history, runner_history),
                        ("HEAD's tracked files", gp_tree, runner_tree),
                        (f"{len(blobs)} blobs", gp_blobs, runner_blobs),
                        ("index entries", gp_index, runner_index),
                        ("staged diff", gp_staged, runner_staged)):
        ta, tb = wall(a), wall(b)
        print(f"{label:<34} {ta * 1000:8.1f}ms {tb * 1000:8.1f}ms  ({ta / tb:5.1f}x)")
    gp.close()


def safety(work: Path) -> None:
    import git

    from xyguard.analyzers.context.gitrun import Git

    repo = work / "hostile"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "a.txt").write_text("one\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@x"}
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "one"], cwd=repo, check=True, env=env)
    (repo / "a.txt").write_text("two\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)

    # 1. An inherited environment variable that runs a program: the runner drops it, GitPython cannot.
    marker = work / "external-diff-ran"
    os.environ["GIT_EXTERNAL_DIFF"] = f"sh -c 'touch {marker}'"
    try:
        runner = Git(repo)
        runner.run(["diff", "--cached", "HEAD", "--"])
        by_runner = marker.exists()
        gp = git.Repo(repo)
        gp.git.update_environment(**{k: v for k, v in runner._env.items() if k.startswith("GIT_")})
        gp.git.diff("--cached", "HEAD")  # what `repo.git.<command>` runs: no --no-ext-diff of its own
        by_gitpython = marker.exists()
        gp.close()
    finally:
        del os.environ["GIT_EXTERNAL_DIFF"]
    print(f"inherited GIT_EXTERNAL_DIFF ran: runner {by_runner}, GitPython with the runner's variables {by_gitpython}")

    # 2. The repository's config includes a file outside it: git reads it in its own process; GitPython's
    #    Python-side config reader opens it in ours, as soon as the Repo object is made.
    outside = work / "outside.cfg"
    outside.write_text("[user]\n\tname = read-from-outside\n")
    with open(repo / ".git" / "config", "a") as f:
        f.write(f"[include]\n\tpath = {outside}\n")
    opened: list[str] = []

    def audit(event: str, args: tuple) -> None:
        if event == "open" and isinstance(args[0], str) and args[0] == str(outside):
            opened.append(args[0])

    sys.addaudithook(audit)
    git.Repo(repo).close()
    print(f"git.Repo() opened the config's [include] outside the repository in this process: {bool(opened)}")

    # 3. safe.directory: a repository owned by someone else. git refuses it; GitPython's Python-side readers
    #    (config, index, refs) do not ask, and its git processes then fail in ways it does not name.
    if os.geteuid() == 0:
        owned = work / "owned"
        shutil.copytree(repo, owned)
        subprocess.run(["chown", "-R", "nobody", str(owned)], check=True)
        clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        refused = subprocess.run(["git", "-C", str(owned), "rev-parse", "HEAD"], capture_output=True,
                                 env=clean).returncode != 0
        steps = []
        gp = git.Repo(owned)
        for label, read in (("index entries", lambda: len(gp.index.entries)),
                            ("HEAD's commit", lambda: gp.head.commit.hexsha[:10])):
            try:
                steps.append(f"{label}: read ({read()})")
            except Exception as exc:  # noqa: BLE001 - the probe reports whatever happens
                steps.append(f"{label}: {type(exc).__name__}")
        gp.close()
        print(f"a repository owned by another user: git refuses it: {refused}; GitPython {'; '.join(steps)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True, help="a git clone with history")
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    try:
        import git  # noqa: F401
    except ImportError:
        print("GitPython is not installed (it is not a dependency): pip install GitPython", file=sys.stderr)
        return 2
    bare, with_git = import_cost()
    print(f"fresh interpreter: {bare:.0f} ms; with `import git`: {with_git:.0f} ms (+{with_git - bare:.0f} ms, "
          f"and `import git` runs `git version` once)")
    work = Path(tempfile.mkdtemp(prefix="xyguard-git-reader-"))
    try:
        clone = work / "clone"
        subprocess.run(["git", "clone", "-q", "--local", str(args.repo.resolve()), str(clone)], check=True)
        (clone / "README.rst").write_text((clone / "README.rst").read_text() + "\nstaged\n")
        subprocess.run(["git", "add", "README.rst"], cwd=clone, check=True)
        speed(clone, args.commits)
        safety(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
