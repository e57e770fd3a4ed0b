"""A repository's `.git/xyguard` is untrusted: the cache never follows a symlink there, never opens a FIFO or a
device (which would hang), and never writes outside the repository through a planted link."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

XYGUARD = [sys.executable, "-m", "xyguard.server"]


def _index(repo, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    return subprocess.run([*XYGUARD, "index", "--repo", str(repo.root), "--format", "json"], capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture
def project(repo):
    repo.commit("sources", {"pkg/a.py": "def alpha(x):\n    return x\n"})
    return repo


def _ok(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["symbols"] == 1
    return summary


def _snapshot(folder) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def test_a_symlinked_cache_folder_is_not_followed(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project.root / ".git" / "xyguard").symlink_to(outside, target_is_directory=True)
    proc = _index(project, tmp_path)
    _ok(proc)
    assert list(outside.iterdir()) == []
    assert "not a folder" in proc.stderr
    assert list((tmp_path / "user-cache" / "xyguard").iterdir())  # the platform cache folder took its place


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_a_special_file_as_the_cache_folder_neither_hangs_nor_is_used(project, tmp_path, special):
    target = project.root / ".git" / "xyguard"
    if special == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    _ok(_index(project, tmp_path))
    assert list((tmp_path / "user-cache" / "xyguard").iterdir())


@pytest.mark.parametrize("name", ["cache.sqlite3", "cache.sqlite3-journal", "cache.sqlite3-wal"])
def test_planted_fifos_under_the_cache_names_are_removed_not_opened(project, tmp_path, name):
    folder = project.root / ".git" / "xyguard"
    folder.mkdir()
    os.mkfifo(folder / name)
    first = _index(project, tmp_path)
    _ok(first)
    assert (folder / "cache.sqlite3").is_file() and not (folder / "cache.sqlite3").is_symlink()
    assert "removed" in first.stderr
    second = _ok(_index(project, tmp_path))
    assert second["stats"]["reused"] == 1


@pytest.mark.parametrize("name", ["cache.sqlite3", "cache.sqlite3-journal"])
def test_planted_symlinks_under_the_cache_names_never_write_outside(project, tmp_path, name):
    import sqlite3

    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.sqlite3"
    with sqlite3.connect(victim) as db:
        db.execute("CREATE TABLE precious (x)")
        db.execute("INSERT INTO precious VALUES (42)")
    before = _snapshot(outside)
    folder = project.root / ".git" / "xyguard"
    folder.mkdir()
    (folder / name).symlink_to(victim)
    _ok(_index(project, tmp_path))
    assert _snapshot(outside) == before
    assert not (folder / name).is_symlink()
