"""The on-disk cache: stdlib sqlite3 in `<git dir>/xyguard/`, else the platform cache folder.

Files are keyed by (size, mtime_ns, language) so only changed files are
re-parsed; history is stored with the head it was read at, so only newer
commits are read. A cache folder that is a symlink (a repository could plant
one inside .git) is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from .gitrun import Git

SCHEMA = 4


def cache_dir(root: Path, git: Git | None) -> Path:
    if git is not None:
        git_dir = git.git_dir()
        if git_dir is not None:
            candidate = git_dir / "xyguard"
            if not candidate.is_symlink() and (candidate.is_dir() or os.access(git_dir, os.W_OK)):
                return candidate
    import platformdirs

    digest = hashlib.sha256(os.path.realpath(root).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("xyguard")) / digest


class Cache:
    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path, timeout=15, isolation_level=None)
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA:
            self.db.executescript("DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS kv; DROP TABLE IF EXISTS commits;")
            self.db.execute(f"PRAGMA user_version={SCHEMA}")
        self.db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
                        "language TEXT, status TEXT, symbols TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS commits (sha TEXT PRIMARY KEY, row TEXT)")

    @classmethod
    def open(cls, root: Path, git: Git | None) -> "Cache | None":
        """The cache for a workspace, or None when no writable, safe location exists (analysis still works)."""
        try:
            folder = cache_dir(root, git)
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if folder.is_symlink():
                return None
            path = folder / "cache.sqlite3"
            if path.is_symlink():
                return None
            return cls(path)
        except (OSError, sqlite3.Error):
            return None

    def clear(self) -> None:
        self.db.execute("DELETE FROM files")
        self.db.execute("DELETE FROM kv")
        self.db.execute("DELETE FROM commits")

    def load_files(self) -> dict[str, tuple[int, int, str, str, str | None]]:
        """path -> (size, mtime_ns, language, status, symbol rows as JSON text: decoded only when used)."""
        out = {}
        try:
            for path, size, mtime, language, status, symbols in self.db.execute("SELECT * FROM files"):
                out[path] = (size, mtime, language, status, symbols)
        except sqlite3.Error:
            return {}
        return out

    def store_files(self, rows: list[tuple], keep: set[str]) -> None:
        try:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                [(p, s, m, lang, st, json.dumps(syms, separators=(",", ":")) if syms is not None else None)
                 for p, s, m, lang, st, syms in rows])
            gone = [(p,) for (p,) in self.db.execute("SELECT path FROM files") if p not in keep]
            self.db.executemany("DELETE FROM files WHERE path = ?", gone)
            self.db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def load_commits(self, shas: list[str]) -> dict[str, Any]:
        """sha -> the decoded JSON of its commit row, for the shas the cache has (undecodable rows left out)."""
        out: dict[str, Any] = {}
        try:
            for i in range(0, len(shas), 500):
                chunk = shas[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for sha, row in self.db.execute(f"SELECT sha, row FROM commits WHERE sha IN ({marks})", chunk):
                    try:
                        out[sha] = json.loads(row)
                    except (TypeError, ValueError, RecursionError):
                        continue
        except sqlite3.Error:
            return {}
        return out

    def store_commits(self, rows: list[tuple[str, Any]]) -> None:
        if not rows:
            return
        try:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO commits VALUES (?, ?)",
                                [(sha, json.dumps(row, separators=(",", ":"))) for sha, row in rows])
            self.db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def get(self, key: str) -> Any:
        try:
            row = self.db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        try:
            self.db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, json.dumps(value, separators=(",", ":"))))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass
