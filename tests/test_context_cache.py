"""The workspace cache when its database is damaged: detected, reported once, rebuilt; bad rows derived again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from xyguard.analyzers.context import build_context

XYGUARD = [sys.executable, "-m", "xyguard.server"]
SOURCES = {"pkg/a.py": "def alpha(x):\n    return x\n", "pkg/b.py": "class Beta:\n    def run(self):\n        pass\n",
           "pkg/c.py": "def gamma():\n    pass\n"}


def _index(repo, *extra: str) -> tuple[dict, str]:
    proc = subprocess.run([*XYGUARD, "index", "--repo", str(repo.root), "--format", "json", *extra],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def _damage(path, keep_header: bool) -> None:
    """Overwrite the database file: everything after its first page (or the header too) with junk."""
    data = bytearray(path.read_bytes())
    start = 4096 if keep_header else 0
    for i in range(start, len(data)):
        data[i] = (i * 131 + 7) & 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def indexed(repo):
    repo.commit("sources", SOURCES)
    summary, err = _index(repo)
    assert summary["symbols"] == 4 and err == ""
    return repo, repo.root / ".git" / "xyguard" / "cache.sqlite3"


@pytest.mark.parametrize("keep_header", [False, True], ids=["not-a-database", "malformed-pages"])
def test_a_damaged_cache_is_reported_once_and_rebuilt(indexed, keep_header):
    repo, db = indexed
    _damage(db, keep_header)
    first, err = _index(repo)
    assert first["symbols"] == 4 and first["commits"] == 1
    assert "cache" in err and "damaged" in err and "rebuilt" in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    second, err = _index(repo)
    assert err == ""  # repaired: nothing left to report
    assert second["stats"]["reused"] == 3 and second["stats"]["parsed"] == 0 and second["stats"]["commits_read"] == 0


def test_rebuild_replaces_a_damaged_cache(indexed):
    repo, db = indexed
    _damage(db, keep_header=True)
    rebuilt, err = _index(repo, "--rebuild")
    assert rebuilt["symbols"] == 4 and "rebuilt" in err
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _index(repo)[0]["stats"]["reused"] == 3


@pytest.mark.parametrize("row", [
    "'[[1, 2'",  # cut short
    "'{\"alpha\": 1}'",  # JSON, not rows
    "'[[\"pkg/a.py\", \"python\", \"function\", 7, \"alpha\", \"def alpha(x)\", 0, 1, \"\", true, []]]'",  # a wrong type
    "'[]'",  # (valid: a file without symbols) is only trusted for its own state, see below
], ids=["truncated", "not-rows", "wrong-type", "empty"])
def test_damaged_symbol_rows_are_parsed_again_never_read_as_no_symbols(indexed, row):
    repo, db = indexed
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE files SET symbols = {row} WHERE path = 'pkg/a.py'")
    ctx = build_context(repo.root)
    names = [s.name for s in ctx.symbols.get("pkg/a.py", [])]
    if row == "'[]'":
        # A well-formed row for the file's current state is the cache's word; an empty list is how a file
        # without definitions is stored, so this one is read as such (the file is unchanged on disk).
        assert names == []
        return
    assert names == ["alpha"]
    again = build_context(repo.root)  # the row was written back: no damage left
    assert [s.name for s in again.symbols["pkg/a.py"]] == ["alpha"]
    with sqlite3.connect(db) as conn:
        stored = json.loads(conn.execute("SELECT symbols FROM files WHERE path = 'pkg/a.py'").fetchone()[0])
    assert stored[0][3] == "alpha"


def test_malformed_file_rows_are_dropped_and_their_files_parsed(indexed):
    repo, db = indexed
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET status = 'who-knows', size = 'big' WHERE path = 'pkg/b.py'")
        conn.execute("INSERT INTO files (path) VALUES (NULL)")
    ctx = build_context(repo.root)
    assert [s.qualname for s in ctx.symbols["pkg/b.py"]] == ["Beta", "Beta.run"]
    assert ctx.stats["parsed"] == 1
    with sqlite3.connect(db) as conn:  # the bad rows are gone, the re-parsed file stored again
        rows = conn.execute("SELECT path, status FROM files ORDER BY path").fetchall()
    assert rows == [("pkg/a.py", "ok"), ("pkg/b.py", "ok"), ("pkg/c.py", "ok")]


def test_a_damaged_history_entry_is_read_again(indexed):
    repo, db = indexed
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE kv SET value = '{\"head\": 5, \"files\": []' WHERE key = 'history'")
    ctx = build_context(repo.root)
    assert ctx.history.available and ctx.history.commits == 1 and "pkg/a.py" in ctx.history.files


def test_an_older_schema_is_emptied_not_misread(indexed):
    repo, db = indexed
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 1")
    summary, err = _index(repo)
    assert summary["symbols"] == 4 and summary["stats"]["parsed"] == 3 and err == ""
    assert os.path.exists(db)


def test_damaged_postings_do_not_fail_a_check_and_are_rebuilt(indexed):
    from xyguard.analyzers.context.postings import postings

    repo, db = indexed

    def names(path, text, language):
        return [(hash(w) & 0xFFFF, i, 0) for i, w in enumerate(text.split())]

    ctx = build_context(repo.root)
    postings(ctx, "words@1", names)
    with sqlite3.connect(db) as conn:  # planted rows of the wrong shape
        conn.execute("INSERT INTO post VALUES ('words@1', ?, 'pkg/a.py', 'x', NULL)", (hash("def") & 0xFFFF,))
    found = postings(build_context(repo.root), "words@1", names).get(hash("def") & 0xFFFF)
    assert sorted(p for p, _, _ in found) == ["pkg/a.py", "pkg/b.py", "pkg/c.py"]
    _damage(db, keep_header=True)
    again = postings(build_context(repo.root), "words@1", names).get(hash("alpha(x):") & 0xFFFF)
    assert [p for p, _, _ in again] == ["pkg/a.py"]


def test_files_rewritten_with_the_same_content_are_not_parsed_again(repo):
    """A checkout, rebase or stash rewrites files (new modification times); the git blob id of their content
    says whether they are the ones already parsed."""
    from xyguard.analyzers.context.postings import postings

    repo.commit("one", SOURCES)
    repo.git("checkout", "-q", "-b", "other")
    repo.commit("change b", {"pkg/b.py": "class Beta:\n    def walk(self):\n        pass\n"})
    repo.git("checkout", "-q", "main")
    extracted: list[str] = []

    def words(path, text, language):
        extracted.append(path)
        return [(hash(w) & 0xFFFF, i, 0) for i, w in enumerate(text.split())]

    postings(build_context(repo.root), "words@1", words)
    extracted.clear()
    repo.git("checkout", "-q", "other")  # rewrites pkg/b.py ...
    repo.git("checkout", "-q", "main")  # ... and back: same content, new modification time
    for rel in ("pkg/a.py", "pkg/c.py"):  # and the others touched as an editor's save-all would
        os.utime(repo.root / rel, ns=(5, 5))
    ctx = build_context(repo.root)
    assert ctx.stats["parsed"] == 0 and ctx.stats["reused"] == 3
    assert sorted(ctx.restamped) == ["pkg/a.py", "pkg/b.py", "pkg/c.py"]
    assert [s.qualname for s in ctx.symbols["pkg/b.py"]] == ["Beta", "Beta.run"]
    postings(ctx, "words@1", words)
    assert extracted == []
    again = build_context(repo.root)  # the new times were recorded: a plain cache hit now
    assert again.restamped == [] and again.stats["parsed"] == 0


def test_a_rewritten_file_with_new_content_is_parsed_again(repo):
    repo.commit("one", SOURCES)
    build_context(repo.root)
    (repo.root / "pkg/a.py").write_text("def alpha(x, y):\n    return x\n")  # same size class, new content
    os.utime(repo.root / "pkg/a.py", ns=(7, 7))
    ctx = build_context(repo.root)
    assert ctx.stats["parsed"] == 1 and ctx.files["pkg/a.py"].blob == ""  # differs from the index
    assert ctx.symbols["pkg/a.py"][0].params == ["x", "y"]
    repo.git("add", "pkg/a.py")  # staged: the index blob is the new content
    os.utime(repo.root / "pkg/a.py", ns=(8, 8))
    staged = build_context(repo.root)
    assert staged.stats["parsed"] == 1 and staged.files["pkg/a.py"].blob != ""


def test_rows_are_stored_as_json_dumps_writes_them_even_after_a_value_that_cannot_be_encoded():
    """The cache's encoder is built once and reused: its text must be json.dumps' compact text, call after call
    (a cache written by one version is read by the next), and a failed call must not spoil the next one."""
    from xyguard.analyzers.context.model import compact_json

    values = [[1577836800, "Replace X with Y", ["a.py", "naïve/ü.py"], [("old.py", "new.py")], False, None,
               ["replace", ["X"], ["Y"]], [], True, None],
              {"head": "abc", "files": {"a.py": 3}}, "bare \"string\"\n", [], 2.5, [float("inf")]]
    for value in values * 2:
        assert compact_json(value) == json.dumps(value, separators=(",", ":"))
    with pytest.raises(TypeError):
        compact_json([{"a": object()}])
    assert compact_json([{"a": 1}]) == '[{"a":1}]'
