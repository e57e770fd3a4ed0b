"""Where changes come from: the staged index and the work tree, read without running repository code."""

import os

from xyguard.analyzers.edits.source import staged_change, worktree_change


def _summary(change):
    return {f.path: (f.status, [ln.text for ln in f.added()], [ln.text for ln in f.removed()]) for f in change}


def test_staged_change_is_index_against_head(repo):
    repo.commit("base", {"a.py": "x = 1\n", "gone.py": "y = 1\n", "old_name.py": "def f():\n    return 1\n" * 3})
    repo.stage({"a.py": "x = 2\n", "gone.py": None, "new.py": "z = 3\n"})
    repo.git("mv", "old_name.py", "new_name.py")
    repo.write({"a.py": "x = 999  # not staged\n"})
    change = _summary(staged_change(repo.root))
    assert change["a.py"] == ("modified", ["x = 2"], ["x = 1"])
    assert change["gone.py"][0] == "deleted"
    assert change["new.py"] == ("added", ["z = 3"], [])
    assert change["new_name.py"][0] == "renamed"


def test_staged_change_honours_git_index_file(repo, monkeypatch):
    repo.commit("base", {"a.py": "x = 1\n"})
    alt = repo.root / ".git" / "alt-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(alt)}
    import subprocess

    subprocess.run(["git", "read-tree", "HEAD"], cwd=repo.root, env=env, check=True)
    (repo.root / "b.py").write_text("b = 1\n")
    subprocess.run(["git", "add", "b.py"], cwd=repo.root, env=env, check=True)
    assert staged_change(repo.root).files == []  # the default index has nothing staged
    monkeypatch.setenv("GIT_INDEX_FILE", str(alt))
    assert [f.path for f in staged_change(repo.root)] == ["b.py"]


def test_staged_change_in_a_repository_without_commits(repo):
    repo.stage({"first.py": "print('hi')\n"})
    assert _summary(staged_change(repo.root))["first.py"][0] == "added"


def test_worktree_change_reads_files_and_head(repo):
    repo.commit("base", {"a.py": "x = 1\n", "b.py": "y = 1\n", "same.py": "s = 1\n"})
    repo.write({"a.py": "x = 2\n", "b.py": None, "untracked.py": "u = 1\n"})
    change = _summary(worktree_change(repo.root))
    assert change == {"a.py": ("modified", ["x = 2"], ["x = 1"]), "b.py": ("deleted", [], ["y = 1"]),
                      "untracked.py": ("added", ["u = 1"], [])}
    assert list(_summary(worktree_change(repo.root, paths=["a.py"]))) == ["a.py"]


def test_worktree_change_never_runs_a_clean_filter_or_follows_symlinks(repo, tmp_path):
    marker = tmp_path / "filter-ran"
    repo.commit("base", {"a.py": "x = 1\n", ".gitattributes": "*.py filter=evil\n"})
    repo.git("config", "filter.evil.clean", f"touch {marker}; cat")
    outside = tmp_path / "secret.txt"
    outside.write_text("TOP SECRET\n")
    os.symlink(outside, repo.root / "link.py")
    repo.write({"a.py": "x = 2\n"})
    change = worktree_change(repo.root)
    assert not marker.exists()
    assert [f.path for f in change] == ["a.py"]
    assert all("TOP SECRET" not in (f.new_text or "") for f in change)


def test_worktree_change_ignores_line_ending_only_differences(repo):
    repo.commit("base", {"a.py": "x = 1\ny = 2\n"})
    (repo.root / "a.py").write_bytes(b"x = 1\r\ny = 2\r\n")
    assert worktree_change(repo.root).files == []


def test_binary_files_are_skipped_with_a_reason(repo):
    repo.commit("base", {"a.py": "x = 1\n"})
    repo.write({"logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00binary"})
    change = worktree_change(repo.root)
    assert [f.binary for f in change] == [True]
    assert ("logo.png", "binary file: content not checked") in change.notes


def test_scattered_one_line_edits_in_a_very_large_file_stay_one_line_each():
    """Beyond difflib's size the diff anchors on unique lines; the gaps between anchors are diffed in turn, so ten
    edits in a long module are ten changed lines, not thousands (a small fix must not read as a rewrite)."""
    import random

    from xyguard.analyzers.edits import Change

    rng = random.Random(7)
    shapes = ["        return None", "", "    pass", "        self.value = value", "    @property"]
    old = [rng.choice(shapes) if rng.random() < 0.4 else f"    value_{n} = compute({n})" for n in range(8000)]
    new = list(old)
    edited = sorted(rng.sample(range(100, 7900), 10))
    for n in edited:
        new[n] = f"    value_{n} = compute({n}, strict=True)"
    fc = Change.from_texts({"pkg/big.py": ("\n".join(old) + "\n", "\n".join(new) + "\n")}).files[0]
    assert len(fc.added()) == 10 and len(fc.removed()) == 10
    assert [ln.new_no for ln in fc.added()] == [n + 1 for n in edited]
