"""Session persistence: where it lives, ids that cannot escape, atomic writes, concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from xyguard.analyzers.session import GoalState, SessionError, SessionStore, record_request


def test_sessions_persist_in_the_git_dir_across_store_instances(repo):
    repo.commit("init", {"a.py": "x = 1\n"})
    record_request(repo.root, "feature-1", "Add a CLI flag for verbose output.")
    path = repo.root / ".git" / "xyguard" / "sessions" / "feature-1.json"
    assert path.is_file()
    again = SessionStore(repo.root).load("feature-1")
    assert [i.text for i in again.objectives] == ["Add a CLI flag for verbose output"]
    assert "xyguard" not in repo.git("status", "--porcelain")  # never shows up as a change to commit


def test_a_plain_folder_uses_the_platform_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "plain"
    folder.mkdir()
    store = SessionStore(folder)
    store.update("s", lambda st: st.apply_turn("Write a parser for the log files."))
    assert store.path("s").is_relative_to(tmp_path / "cache")
    assert not (folder / ".git").exists()
    other = tmp_path / "other"
    other.mkdir()
    assert SessionStore(other).path("s") != store.path("s")  # keyed by the root
    assert SessionStore(folder).load("s").turn_count == 1


@pytest.mark.parametrize("bad", ["../escape", "a/b", "/etc/passwd", "", ".hidden", "x" * 200, "a\0b", "..", "a..b"])
def test_session_ids_cannot_leave_the_sessions_folder(repo, bad):
    with pytest.raises(SessionError):
        SessionStore(repo.root).path(bad)


def test_missing_session_is_empty_and_reset_forgets(repo):
    store = SessionStore(repo.root)
    assert store.load("new").turn_count == 0 and not store.exists("new")
    store.update("new", lambda st: st.apply_turn("Fix the crash in save()."))
    assert store.exists("new") and store.ids() == ["new"]
    assert store.reset("new") is True
    assert store.reset("new") is False
    assert store.load("new").turns == []


def test_a_corrupt_session_file_is_a_clear_error(repo):
    store = SessionStore(repo.root)
    store.update("c", lambda st: None)
    store.path("c").write_text("{not json", encoding="utf-8")
    with pytest.raises(SessionError, match="session reset c"):
        store.load("c")


def _append_turns(root: str, worker: int, count: int) -> None:
    store = SessionStore(root)
    for i in range(count):
        store.update("shared", lambda st, i=i: st.turns.append({"n": len(st.turns) + 1, "text": f"{worker}:{i}"}))


def test_concurrent_writers_lose_no_update(repo):
    workers, per_worker = 4, 25
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    procs = [ctx.Process(target=_append_turns, args=(str(repo.root), w, per_worker)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    state = SessionStore(repo.root).load("shared")
    assert len(state.turns) == workers * per_worker
    assert sorted(t["text"] for t in state.turns) == sorted(f"{w}:{i}" for w in range(workers) for i in range(per_worker))
    # No temp files left behind by the atomic writes.
    assert [p.name for p in SessionStore(repo.root).directory.iterdir() if p.suffix == ".tmp"] == []


def test_the_file_round_trips_the_whole_state(repo):
    store = SessionStore(repo.root)
    store.update("rt", lambda st: st.apply_turn("Keep the API stable. I prefer dataclasses."))
    store.update("rt", lambda st: st.apply_turn("Rename fetch to get."))
    raw = json.loads(store.path("rt").read_text(encoding="utf-8"))
    assert GoalState.from_dict(raw).to_dict(include_internal=True) == raw
    assert "seen_lines" not in GoalState.from_dict(raw).to_dict()


def test_cli_rejects_a_bad_session_id_in_one_line(repo):
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "session", "show", "../../etc", "--repo", str(repo.root)],
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "invalid session id" in proc.stderr
    assert not Path(repo.root.parent / "etc.json").exists()


def test_a_session_remembers_the_commit_it_started_from(repo):
    start = repo.commit("A", {"a.py": "x = 1\n"})
    record_request(repo.root, "s1", "Add a CLI flag for verbose output.")
    repo.commit("B", {"a.py": "x = 2\n"})
    record_request(repo.root, "s1", "Also print the version.")
    # Later turns keep the start; a session begun now starts at B; a file from before this field has none.
    assert SessionStore(repo.root).load("s1").baseline == start
    record_request(repo.root, "s2", "Add a CLI flag.")
    assert SessionStore(repo.root).load("s2").baseline == repo.head() != start
    path = SessionStore(repo.root).path("s1")
    data = json.loads(path.read_text())
    del data["baseline"]
    path.write_text(json.dumps(data))
    assert SessionStore(repo.root).load("s1").baseline is None
    assert len(SessionStore(repo.root).load("s1").turns) == 2


def test_a_session_in_a_repository_without_commits_has_no_baseline(repo):
    record_request(repo.root, "s1", "Add a CLI flag for verbose output.")
    assert SessionStore(repo.root).load("s1").baseline is None
