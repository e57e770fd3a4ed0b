"""A large real corpus for benchmarks: SQLAlchemy's source release from PyPI, committed into a git repository.

    from corpus import sqlalchemy_repo
    root = sqlalchemy_repo()          # benchmarks/.cache/sqlalchemy-repo (built once)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def _sdist(package: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob(f"{package}-*.tar.gz"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", package, package,
                        "-d", str(CACHE)], check=True)
        found = sorted(CACHE.glob(f"{package}-*.tar.gz"))
    return found[-1]


def sqlalchemy_repo() -> Path:
    """SQLAlchemy's sdist unpacked and committed as one commit (the sdist carries no history)."""
    target = CACHE / "sqlalchemy-repo"
    if (target / ".git").is_dir():
        return target
    archive = _sdist("sqlalchemy")
    tmp = CACHE / "sqlalchemy-unpack"
    with tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
    (next(tmp.iterdir())).rename(target)
    tmp.rmdir()
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "import sqlalchemy sdist"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True)
    return target


if __name__ == "__main__":
    print(sqlalchemy_repo())


def compile_xyguard() -> None:
    """Bytecode for xyguard's modules, as `pip install` writes it. An editable install on a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) has none, and every fresh hook process would recompile xyguard's
    sources (~45 ms of a 200 ms hook): the benchmarks measure what an installed xyguard does."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(root / d) for d in ("analyzers", "server", "prompts"))],
                   check=True, stdout=subprocess.DEVNULL)
