"""The workspace context: the only way the rest of xyguard learns about a repository.

    ctx = get_context("/path/to/repo")            # cached in-process and on disk
    ctx = build_context(root, rebuild=True, progress=cb, cancel=event)
"""

from .model import (  # noqa: F401
    Commit, Conventions, Decision, Dependency, DependencyRemoval, FileHistory, FileInfo, History, Rename, Revert,
    Symbol, WorkspaceContext,
)
from .cancel import Cancelled  # noqa: F401
from .workspace import build_context, get_context, invalidate  # noqa: F401
