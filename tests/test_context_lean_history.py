"""read_history_lean: the same history as read_history, with the co-change table decoded only when read."""

from __future__ import annotations

from gitrepo import Repo

from xyguard.analyzers.context.lean_history import LazyCochange
from xyguard.analyzers.context.workspace import build_context


def repo_with_history(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit("start", {"app/a.py": "A = 1\n", "app/b.py": "B = 1\n", "app/c.py": "C = 1\n"})
    for n in range(2, 5):
        repo.commit(f"a and b together {n}", {"app/a.py": f"A = {n}\n", "app/b.py": f"B = {n}\n"})
    return repo


def test_lean_history_answers_like_the_full_one_and_loads_cochange_on_first_use(tmp_path):
    repo = repo_with_history(tmp_path)
    full = build_context(repo.root).history
    first = build_context(repo.root, lean=True).history  # a miss: reads fully, writes the lean entries
    assert dict(first.cochange) == full.cochange
    lean = build_context(repo.root, lean=True).history  # a hit
    assert isinstance(lean.cochange, LazyCochange) and lean.cochange._data is None
    assert (lean.commits, lean.head, len(lean.files)) == (full.commits, full.head, len(full.files))
    assert lean.cochange.get("app/a.py", {}).get("app/b.py") == full.cochange["app/a.py"]["app/b.py"] >= 3
    assert dict(lean.cochange) == full.cochange


def test_a_new_commit_is_read_not_answered_from_the_stale_lean_copy(tmp_path):
    repo = repo_with_history(tmp_path)
    build_context(repo.root, lean=True)
    repo.commit("b and c together", {"app/b.py": "B = 9\n", "app/c.py": "C = 9\n"})
    lean = build_context(repo.root, lean=True).history
    assert lean.head == repo.head()
    full = build_context(repo.root).history
    assert dict(lean.cochange) == full.cochange
    assert full.cochange["app/b.py"]["app/c.py"] == 2  # the first commit and the new one
