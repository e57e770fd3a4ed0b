"""The history without its co-change table until something reads it: a cheaper load for short-lived processes.

On a large repository the co-change table is most of the cached history (85% of 5.8 MB of JSON on
SQLAlchemy's 18k commits), and only the scope check of a change with two or more files reads it. An
agent hook, a fresh process per edit, pays the whole decode on every run otherwise. `read_history_lean`
answers from a slim copy of the cached history and leaves `cochange` to a mapping that decodes its
own cache entry on first use; a miss goes through `read_history` and writes both entries.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

from .gitrun import Git
from .history import _to_history, read_history
from .model import History

LEAN_KEY, COCHANGE_KEY = "history.lean", "history.cochange"


class LazyCochange(Mapping):
    """`History.cochange` decoded from the cache on first access (empty if the entry no longer matches HEAD)."""

    def __init__(self, cache_path: Path, head: str):
        self._path, self._head = Path(cache_path), head
        self._data: dict[str, dict[str, int]] | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, int]]:
        with self._lock:
            if self._data is None:
                self._data = {}
                try:
                    db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, timeout=5)
                    try:
                        row = db.execute("SELECT value FROM kv WHERE key = ?", (COCHANGE_KEY,)).fetchone()
                    finally:
                        db.close()
                    entry = json.loads(row[0]) if row else None
                    if isinstance(entry, dict) and entry.get("head") == self._head and isinstance(entry.get("cochange"), dict):
                        self._data = entry["cochange"]
                except (sqlite3.Error, ValueError):
                    pass  # no co-change relations: scope judged without them
            return self._data

    def __getitem__(self, key: str) -> dict[str, int]:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def setdefault(self, key, default=None):  # History.cochange is written while the log is read; never here
        raise TypeError("a lazily loaded co-change table is read-only")


def read_history_lean(git: Git, cache=None, cancel: threading.Event | None = None) -> History:
    """`read_history`, with the co-change table loaded on first use when the cache has the slim copy."""
    head = git.head()
    lean = cache.get(LEAN_KEY) if cache is not None and head is not None else None
    if isinstance(lean, dict) and lean.get("head") == head:
        h = _to_history({k: v for k, v in lean.items() if k != "cochange"})
        h.detached = git.run(["symbolic-ref", "-q", "HEAD"], check=False).strip() == b""
        h.shallow = git.is_shallow()
        h.cochange = LazyCochange(cache.path, head)  # type: ignore[assignment]
        return h
    history = read_history(git, cache, cancel)
    if cache is not None and history.available and history.head:
        data = asdict(history)
        cochange = data.pop("cochange", {})
        cache.put(LEAN_KEY, data)
        cache.put(COCHANGE_KEY, {"head": history.head, "cochange": cochange})
    return history
