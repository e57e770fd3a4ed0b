"""Per-file inverted indexes that checks define and the context keeps fresh: key -> [(path, a, b)].

A check that needs to look something up across the whole repository (the
duplication check's code fingerprints, the import check's "who imports this
package") gives a name and an `extract(path, text, language)` function. The
postings live in the workspace cache (sqlite, an in-memory database when
there is none), keyed by each file's (size, mtime), so a later process only
re-extracts the files that changed and a lookup reads only the keys it asks
for — a pre-commit hook need not load the whole index.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Callable, Iterable

from .cache import BUSY_SECONDS, db_path, file_kind, is_corruption, path_from_db, report_once
from .model import WorkspaceContext

Extract = Callable[[str, str, str], Iterable[tuple[int, int, int]]]  # (path, text, language) -> (key, a, b)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS post_files (name TEXT, path TEXT, size INTEGER, mtime_ns INTEGER, blob TEXT,
                                       PRIMARY KEY (name, path));
CREATE TABLE IF NOT EXISTS post (name TEXT, key INTEGER, path TEXT, a INTEGER, b INTEGER);
CREATE INDEX IF NOT EXISTS post_by_key ON post (name, key);
CREATE INDEX IF NOT EXISTS post_by_path ON post (name, path);
"""
_ATTR = "_xyguard_postings"
_lock = threading.Lock()


def signed64(value: int) -> int:
    """sqlite integers are signed 64-bit; fold a 64-bit hash into that range."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


class Postings:
    def __init__(self, db: sqlite3.Connection, name: str, path=None):
        self._db = db
        self._name = name
        self._path = path
        self._db_lock = threading.Lock()

    def find(self, keys: Iterable[int]) -> dict[int, list[tuple[str, int, int]]]:
        """key -> postings; rows of the wrong shape (a damaged or planted cache) are left out."""
        wanted = list({signed64(k) for k in keys})
        out: dict[int, list[tuple[str, int, int]]] = {}
        with self._db_lock:
            try:
                for i in range(0, len(wanted), 500):
                    chunk = wanted[i:i + 500]
                    marks = ",".join("?" * len(chunk))
                    for key, path, a, b in self._db.execute(
                            f"SELECT key, path, a, b FROM post WHERE name = ? AND key IN ({marks})", [self._name, *chunk]):
                        if isinstance(path, str) and type(a) is int and type(b) is int:
                            out.setdefault(key, []).append((path_from_db(path), a, b))
            except sqlite3.DatabaseError as exc:
                if is_corruption(exc):
                    report_once(f"the postings of the cache are damaged ({exc}); rebuilt on the next run")
                    _repair_file(self._path)
                return {}
        return out

    def get(self, key: int) -> list[tuple[str, int, int]]:
        return self.find([key]).get(signed64(key), [])


def _memory() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.executescript(_SCHEMA)
    return db


def _connect(ctx: WorkspaceContext) -> tuple[sqlite3.Connection, object]:
    """The cache database (and its path), or an in-memory one when there is no usable cache."""
    path = getattr(ctx, "cache_path", None)
    if path is not None and file_kind(path) == "file":
        try:
            db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
            db.executescript(_SCHEMA)
            return db, path
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                report_once(f"the cache {path} is damaged ({exc}); rebuilt on the next run")
                _repair_file(path)
    return _memory(), None


def _repair_file(path) -> None:
    if path is None:
        return
    from .cache import Cache

    cache = Cache.at(path, check=True)  # replaces the file when its quick check fails
    if cache is not None:
        cache.close()


def _refresh(db: sqlite3.Connection, ctx: WorkspaceContext, name: str, extract: Extract, files: dict) -> None:
    """Re-extract the files whose content changed since their postings were stored (their (size, mtime), unless
    the git blob id says the content is the same); drop vanished ones."""
    known = {path_from_db(p): (s, m, b) for p, s, m, b in
             db.execute("SELECT path, size, mtime_ns, blob FROM post_files WHERE name = ?", (name,))}
    stale, restamp = [], []
    for path, info in files.items():
        size, mtime, blob = known.get(path, (None, None, None))
        if (size, mtime) == (info.size, info.mtime_ns):
            continue
        if info.blob and blob == info.blob:
            restamp.append((info.size, info.mtime_ns, name, db_path(path)))
        else:
            stale.append(path)
    gone = [p for p in known if p not in files]
    if not (stale or gone or restamp):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany("UPDATE post_files SET size = ?, mtime_ns = ? WHERE name = ? AND path = ?", restamp)
        for path in [*gone, *stale]:
            db.execute("DELETE FROM post WHERE name = ? AND path = ?", (name, db_path(path)))
            db.execute("DELETE FROM post_files WHERE name = ? AND path = ?", (name, db_path(path)))
        for path in stale:
            info = files[path]
            text = ctx.read_text(path)
            rows = list(extract(path, text, info.language or "")) if text else []
            stored = db_path(path)
            db.executemany("INSERT INTO post VALUES (?, ?, ?, ?, ?)",
                           [(name, signed64(k), stored, a, b) for k, a, b in rows])
            db.execute("INSERT INTO post_files VALUES (?, ?, ?, ?, ?)", (name, stored, info.size, info.mtime_ns, info.blob))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def postings(ctx: WorkspaceContext, name: str, extract: Extract, languages: Iterable[str] | None = None) -> Postings:
    """The named index over the context's files, brought up to date (once per context object).

    Bump the version inside `name` (e.g. "dup@2") when `extract` changes meaning.
    """
    with _lock:
        memo = getattr(ctx, _ATTR, None)
        if memo is None:
            memo = {}
            setattr(ctx, _ATTR, memo)
        if name in memo:
            return memo[name]
        db, path = _connect(ctx)
        wanted = set(languages) if languages is not None else None
        files = {p: i for p, i in ctx.files.items() if wanted is None or i.language in wanted}
        try:
            _refresh(db, ctx, name, extract, files)
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            report_once(f"the cache {path} is damaged ({exc}); rebuilt on the next run")
            db.close()
            _repair_file(path)
            db, path = _memory(), None
            _refresh(db, ctx, name, extract, files)
        memo[name] = Postings(db, name, path)
        return memo[name]
