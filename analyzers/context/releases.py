"""The latest release a work tree descends from, and its files: API added since has no outside callers yet.

A project marks releases with tags. A public name that the nearest release
tag behind HEAD does not hold was added during the current development
cycle: renaming or removing it breaks nobody outside the repository, so the
edit checks report it as information instead of a break. Without release
tags nothing is known and nothing changes.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .files import DEFAULT_MAX_BYTES
from .gitrun import Git, GitError, UnsafeArgument

# Tags that name a version ("v14.3.3", "2.0.0", "release-1.2"), not a marker ("stable", "latest").
_RELEASE_TAG_GLOB = "*[0-9]*"


def latest_release(root: str | os.PathLike) -> str | None:
    """The nearest release tag HEAD descends from, or None (no tags, no commits, not a repository)."""
    try:
        out = Git(root).run(["describe", "--tags", "--abbrev=0", "--match", _RELEASE_TAG_GLOB, "HEAD"], check=False)
    except (GitError, OSError):
        return None
    tag = out.decode("utf-8", "replace").strip()
    return tag or None


ABSENT = ""  # the release has no such file


@lru_cache(maxsize=256)
def _released_file(root: str, tag: str, path: str) -> str | None:
    try:
        data = Git(root).show_file(tag, path)
    except (GitError, UnsafeArgument, OSError):
        return None
    if data is None:
        return ABSENT
    if len(data) > DEFAULT_MAX_BYTES:
        return None
    return data.decode("utf-8", "replace")


def released_text(root: str | os.PathLike, tag: str, path: str) -> str | None:
    """`path` as the release `tag` shipped it; ABSENT when the release has no such file; None when unknown
    (unreadable, too big)."""
    return _released_file(str(root), tag, path)
