"""Values a check derives from the whole workspace, kept in the cache while the files they came from are unchanged.

A fresh process (a hook run, one per event) would otherwise rebuild them from every symbol each time: the
request grounding index takes ~0.2 s on SQLAlchemy. Each value is JSON, stored under a name (bump the
version inside it, e.g. "grounding.index@1", when its meaning changes) with a digest of the files' sizes
and modification times; a different digest is a miss. Its own table in the context's sqlite cache, like
the postings; no cache (a plain folder without a writable cache) means no reuse, never an error.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from .model import WorkspaceContext

_SCHEMA = "CREATE TABLE IF NOT EXISTS derived (name TEXT PRIMARY KEY, state TEXT, value TEXT)"


def files_state(ctx: WorkspaceContext) -> str:
    """A digest of which files the context holds, at which size and modification time."""
    digest = hashlib.sha256()
    for rel in sorted(ctx.files):
        info = ctx.files[rel]
        digest.update(f"{rel}\0{info.size}\0{info.mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _connect(ctx: WorkspaceContext) -> sqlite3.Connection | None:
    path = getattr(ctx, "cache_path", None)
    if path is None:
        return None
    try:
        db = sqlite3.connect(path, timeout=5, isolation_level=None)
        db.execute(_SCHEMA)
        return db
    except sqlite3.Error:
        return None


def load_derived(ctx: WorkspaceContext, name: str, state: str | None = None) -> Any | None:
    """The value stored under `name` for the context's current files, or None."""
    db = _connect(ctx)
    if db is None:
        return None
    try:
        row = db.execute("SELECT state, value FROM derived WHERE name = ?", (name,)).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        db.close()
    if row is None or row[0] != (state or files_state(ctx)):
        return None
    try:
        return json.loads(row[1])
    except ValueError:
        return None


def store_derived(ctx: WorkspaceContext, name: str, value: Any, state: str | None = None) -> None:
    db = _connect(ctx)
    if db is None:
        return
    try:
        db.execute("INSERT OR REPLACE INTO derived VALUES (?, ?, ?)",
                   (name, state or files_state(ctx), json.dumps(value, separators=(",", ":"))))
    except sqlite3.Error:
        pass
    finally:
        db.close()
