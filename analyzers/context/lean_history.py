"""The history without its co-change table until something reads it: a cheaper load for short-lived processes.

The co-change table is cached apart from the rest of the history (history.py), so `read_history_lean`
is `read_history(..., lean=True)`: on a cache hit `History.cochange` is a `LazyCochange` that reads its
own cache entry on first use.
"""

from __future__ import annotations

import threading

from .gitrun import Git
from .history import LazyCochange, read_history
from .model import History

__all__ = ["LazyCochange", "read_history_lean"]


def read_history_lean(git: Git, cache=None, cancel: threading.Event | None = None) -> History:
    return read_history(git, cache, cancel, lean=True)
