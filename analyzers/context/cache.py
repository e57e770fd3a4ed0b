"""The on-disk cache: stdlib sqlite3 in `<git dir>/xyguard/`, else the platform cache folder.

Files are keyed by (size, mtime_ns, language) so only changed files are re-parsed; commits are kept one
row each (history.py) so no commit is read from git twice; small values (the history aggregate, naming
styles) live in a key-value table.

`.git/xyguard` can arrive with the repository (an archive, a copied checkout), so nothing in it is trusted:
- the folder must be a real folder: a symlink, FIFO or device there is never used (the platform cache
  folder is used instead), and anything under the cache's own file names that is not a regular file (a
  FIFO would hang sqlite's open, a symlink would redirect its writes) is removed;
- a database sqlite cannot read ("file is not a database", "malformed") or that fails its quick check
  (`index --rebuild` runs one) is replaced by an empty one, reported once on the `xyguard.context` logger
  and in `Cache.repaired`; a database of another schema version is emptied;
- rows are validated when read (here for their shape, by their readers for their meaning): a bad row is
  dropped and what it described is derived again, never read as "nothing there".
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from .gitrun import Git
from .model import FileSymbols, compact_json, symbol_counts  # noqa: F401 (symbol_counts: its old home)

log = logging.getLogger("xyguard.context")

SCHEMA = 8
DB_NAME = "cache.sqlite3"
# sqlite's own companions of the database file: planted ones would be opened as readily as the database.
OWN_FILES = (DB_NAME, f"{DB_NAME}-journal", f"{DB_NAME}-wal", f"{DB_NAME}-shm")
BUSY_SECONDS = 15  # another xyguard process writing: wait for it rather than fail
FILE_STATUSES = ("ok", "binary")
# post*: postings.py's tables, derived: derived.py's, in the same file
_TABLES = ("files", "kv", "commits", "post", "post_files", "derived")
_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, language TEXT,
                                  status TEXT, symbols TEXT, n_symbols INTEGER, n_public INTEGER, styles TEXT,
                                  blob TEXT);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS commits (sha TEXT PRIMARY KEY, row TEXT);
"""

_reported: set[str] = set()


def report_once(message: str) -> None:
    """A cache problem is worth one line per process, not one per read."""
    if message not in _reported:
        _reported.add(message)
        log.warning("xyguard: %s", message)


def is_corruption(exc: sqlite3.Error) -> bool:
    """Damage to the database file, as opposed to a busy lock or a full disk."""
    name = getattr(exc, "sqlite_errorname", None)  # Python 3.11+
    if name:
        return name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


_RAW_NAME = "\0raw:"  # a file name that is not UTF-8, stored as the hex of its bytes


def db_path(path: str) -> str:
    """sqlite keeps text as UTF-8; a file name that is not (its bytes kept as surrogates) is stored as hex."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return _RAW_NAME + path.encode("utf-8", "surrogateescape").hex()


def path_from_db(text: str) -> str:
    if text.startswith(_RAW_NAME):
        try:
            return bytes.fromhex(text[len(_RAW_NAME):]).decode("utf-8", "surrogateescape")
        except ValueError:
            return text
    return text


def file_kind(path: Path) -> str:
    """folder, file, symlink, special file (FIFO, device, socket), missing or unreadable; never follows a link."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    return "symlink" if stat.S_ISLNK(mode) else "special file"


def cache_dir(root: Path, git: Git | None) -> Path:
    if git is not None:
        git_dir = git.git_dir()
        if git_dir is not None:
            candidate = git_dir / "xyguard"
            kind = file_kind(candidate)
            if kind == "folder" or (kind == "missing" and os.access(git_dir, os.W_OK)):
                return candidate
            if kind not in ("folder", "missing"):
                report_once(f"{candidate} is a {kind}, not a folder: not used for the cache")
    import platformdirs

    digest = hashlib.sha256(os.path.realpath(root).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("xyguard")) / digest


def _clear_planted(folder: Path) -> bool:
    """Remove whatever sits under the cache's file names and is not a regular file; False if that fails."""
    for name in OWN_FILES:
        path = folder / name
        kind = file_kind(path)
        if kind in ("missing", "file"):
            continue
        report_once(f"{path} was a {kind}, not a cache file: removed")
        try:
            os.unlink(path)  # a symlink itself, never its target; a folder cannot be unlinked
        except OSError:
            return False
    return True


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA:
            db.executescript("".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES))
            db.execute(f"PRAGMA user_version={SCHEMA}")
        db.executescript(_SCHEMA_SQL)
    except BaseException:
        db.close()
        raise
    return db


def _quick_check(db: sqlite3.Connection) -> str | None:
    """None when sqlite's quick check passes, else its first complaint."""
    rows = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows)[:200]


def _replace(path: Path, reason: str) -> sqlite3.Connection:
    """An empty database where a damaged one was (its journal files go with it)."""
    report_once(f"the cache {path} was damaged ({reason}); it has been rebuilt")
    for name in OWN_FILES:
        try:
            os.unlink(path.with_name(name))
        except FileNotFoundError:
            pass
    return _connect(path)


def _stored(parsed: tuple | None) -> tuple:
    """(symbols JSON, count, public, styles JSON) columns of a parse_pool.Parsed, or NULLs (a binary file)."""
    if parsed is None:
        return None, 0, 0, None
    text, count, public, styles = parsed
    return text, count, public, compact_json(styles)


class CachedFile(NamedTuple):
    size: int
    mtime_ns: int
    language: str
    status: str  # "ok" or "binary"
    symbols: str | None  # JSON rows
    total: int = 0  # how many symbols (not `count`: a tuple has a method of that name)
    public: int = 0
    styles: str | None = None  # JSON: naming style counts (conventions.style_counts)
    blob: str = ""  # git blob id of the content parsed, when it was a tracked file as the index has it

    def valid(self) -> bool:
        return (type(self.size) is int and type(self.mtime_ns) is int and isinstance(self.language, str)
                and self.status in FILE_STATUSES and (self.symbols is None or isinstance(self.symbols, str))
                and type(self.total) is int and type(self.public) is int and 0 <= self.public <= self.total
                and isinstance(self.blob, str))

    def summary(self) -> FileSymbols | None:
        """The recorded counts and styles, or None when the styles do not decode into counts (then the
        symbols are counted from their rows)."""
        try:
            styles = json.loads(self.styles) if isinstance(self.styles, str) else None
        except (ValueError, RecursionError):
            return None
        if not isinstance(styles, dict) or not all(
                isinstance(group, str) and isinstance(counts, dict)
                and all(isinstance(k, str) and type(n) is int for k, n in counts.items())
                for group, counts in styles.items()):
            return None
        return FileSymbols(self.total, self.public, styles)


class Cache:
    def __init__(self, path: Path, db: sqlite3.Connection, repaired: str | None = None):
        self.path = path
        self.db = db
        self.repaired = repaired  # why this process replaced a damaged database, if it did

    @classmethod
    def open(cls, root: Path, git: Git | None, *, check: bool = False) -> "Cache | None":
        """The cache for a workspace, or None when no writable, safe location exists (analysis still works).

        `check`: run sqlite's quick check first (`index --rebuild`; ~0.3 s on a large repository)."""
        try:
            folder = cache_dir(root, git)
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if file_kind(folder) != "folder" or not _clear_planted(folder):
                return None
        except OSError:
            return None
        return cls.at(folder / DB_NAME, check=check)

    @classmethod
    def at(cls, path: Path, *, check: bool = False) -> "Cache | None":
        """The cache database at a path `open` already vetted (postings, repairs of single rows)."""
        if file_kind(path) not in ("file", "missing"):
            return None
        try:
            try:
                db = _connect(path)
                problem = _quick_check(db) if check else None
                if problem is None:
                    return cls(path, db)
                db.close()
                return cls(path, _replace(path, problem), problem)
            except sqlite3.DatabaseError as exc:
                if not is_corruption(exc):
                    raise
                return cls(path, _replace(path, str(exc)), str(exc))
        except (OSError, sqlite3.Error) as exc:
            report_once(f"the cache {path} cannot be used ({exc}); working without it")
            return None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """sqlite trouble never fails an analysis: damage replaces the database, anything else is skipped."""
        try:
            yield
        except sqlite3.Error as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.DatabaseError) and is_corruption(exc):
                self.repair(str(exc))

    def repair(self, reason: str) -> None:
        self.close()
        try:
            self.db = _replace(self.path, reason)
            self.repaired = reason
        except (OSError, sqlite3.Error):
            self.db = sqlite3.connect(":memory:", isolation_level=None)
            self.db.executescript(_SCHEMA_SQL)

    def clear(self) -> None:
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            for table in _TABLES:
                if self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
                    self.db.execute(f"DELETE FROM {table}")
            self.db.execute("COMMIT")

    def load_files(self) -> dict[str, CachedFile]:
        """path -> its cached row (symbol rows stay JSON text, decoded only when used).

        Rows of the wrong shape are left out, so their files are parsed again."""
        out: dict[str, CachedFile] = {}
        bad = 0
        repaired = self.repaired
        with self._guard():
            for path, *row in self.db.execute("SELECT * FROM files"):
                cached = CachedFile(*row)
                if isinstance(path, str) and cached.valid():
                    out[path_from_db(path)] = cached
                else:
                    bad += 1
        if bad:
            report_once(f"{bad} damaged file row(s) in the cache {self.path}: those files are parsed again")
        return out if self.repaired == repaired else {}  # replaced while reading: parse (and store) everything

    def store_files(self, rows: list[tuple], keep: set[str]) -> None:
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(db_path(p), s, m, lang, st, *_stored(parsed), blob) for p, s, m, lang, st, parsed, blob in rows])
            gone = [(rowid,) for rowid, p in self.db.execute("SELECT rowid, path FROM files")
                    if not isinstance(p, str) or path_from_db(p) not in keep]  # damaged rows go too
            self.db.executemany("DELETE FROM files WHERE rowid = ?", gone)
            self.db.execute("COMMIT")

    def restamp_files(self, stamps: list[tuple[str, int, int]]) -> None:
        """New (size, mtime) for files whose content, by blob id, is the one their row was parsed from."""
        if not stamps:
            return
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                                [(size, mtime, db_path(path)) for path, size, mtime in stamps])
            self.db.execute("COMMIT")

    def replace_symbols(self, path: str, size: int, mtime_ns: int, parsed: tuple) -> None:
        """Rewrite one file's symbols (a damaged row, derived again), if the row still describes that file state."""
        with self._guard():
            self.db.execute("UPDATE files SET status = 'ok', symbols = ?, n_symbols = ?, n_public = ?, styles = ? "
                            "WHERE path = ? AND size = ? AND mtime_ns = ?",
                            (*_stored(parsed), db_path(path), size, mtime_ns))

    def load_commits(self, shas: list[str]) -> dict[str, Any]:
        """sha -> the decoded JSON of its commit row, for the shas the cache has (undecodable rows left out)."""
        out: dict[str, Any] = {}
        with self._guard():
            for i in range(0, len(shas), 500):
                chunk = shas[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for sha, row in self.db.execute(f"SELECT sha, row FROM commits WHERE sha IN ({marks})", chunk):
                    try:
                        out[sha] = json.loads(row)
                    except (TypeError, ValueError, RecursionError):
                        continue
        return out

    def store_commits(self, rows: list[tuple[str, Any]]) -> None:
        if not rows:
            return
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO commits VALUES (?, ?)",
                                [(sha, compact_json(row)) for sha, row in rows])
            self.db.execute("COMMIT")

    def get(self, key: str) -> Any:
        with self._guard():
            row = self.db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            if row is None or not isinstance(row[0], str):
                return None
            try:
                return json.loads(row[0])
            except (ValueError, RecursionError):
                report_once(f"a damaged '{key}' entry in the cache {self.path}: derived again")
        return None

    def put(self, key: str, value: Any) -> None:
        with self._guard():
            self.db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, compact_json(value)))

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass
