"""The workspace context: the only way the rest of xyguard learns about a repository.

    ctx = get_context("/path/to/repo")            # cached in-process and on disk
    ctx = build_context(root, rebuild=True, progress=cb, cancel=event)

The names below are loaded on first use (PEP 562): a parse worker imports `context.parse_pool`, which runs
this file first, and must not pay for the workspace builder (manifests, git, the cache) it never calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    **dict.fromkeys(("Commit", "Conventions", "Decision", "Dependency", "DependencyRemoval", "FileHistory", "FileInfo",
                     "History", "Rename", "Revert", "Symbol", "WorkspaceContext"), "model"),
    "Cancelled": "cancel",
    **dict.fromkeys(("build_context", "get_context", "invalidate"), "workspace"),
}
__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ loads them
    from .cancel import Cancelled  # noqa: F401
    from .model import (  # noqa: F401
        Commit, Conventions, Decision, Dependency, DependencyRemoval, FileHistory, FileInfo, History, Rename, Revert,
        Symbol, WorkspaceContext,
    )
    from .workspace import build_context, get_context, invalidate  # noqa: F401


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
