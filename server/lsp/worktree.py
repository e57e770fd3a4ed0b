"""`xyguard/checkEdit` with `"worktree": true`: which part of the work tree to compare with HEAD, and the change.

The change itself comes from `edits.source.worktree_change`, which reads the
files itself (inside the repository, no symlinks, size-capped) and compares
them with HEAD's blobs; git never runs a diff over the work tree, so the
repository's clean filters, textconv and external diff never run. This
module only decides the selection: a file, a folder, or the whole
repository, given as `uri` or as `paths` relative to the workspace folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .workspaces import relative_to


@dataclass
class Selection:
    repo: Path  # the repository's top folder: change paths are relative to it
    files: set[str] = field(default_factory=set)  # repository-relative files
    folders: set[str] = field(default_factory=set)  # repository-relative folders; "" is the whole repository

    def holds(self, path: str) -> bool:
        return path in self.files or any(not f or path.startswith(f + "/") for f in self.folders)


def _in_repo(repo: Path, path: Path) -> str:
    """`path` relative to the repository ("" for its top); ValueError when it lies outside."""
    if os.path.realpath(path) == os.path.realpath(repo):
        return ""
    rel = relative_to(repo, path)
    if rel is None:
        raise ValueError(f"{path.name or path} is outside the repository")
    return rel


def select(repo: Path, folder: Path, target: Path | None, paths: list[str] | None) -> Selection:
    """What to check: `paths` (relative to the workspace `folder`, or absolute), else `target`, else `folder`."""
    wanted = [Path(p) if os.path.isabs(p) else folder / p for p in paths] if paths else [target or folder]
    selection = Selection(repo)
    for path in wanted:
        rel = _in_repo(repo, path)
        (selection.folders if not rel or os.path.isdir(path) else selection.files).add(rel)
    return selection


def worktree_change(selection: Selection):
    """The selected part of the work tree against HEAD, as an edits Change."""
    from xyguard.analyzers.context.gitrun import GitError
    from xyguard.analyzers.edits.source import worktree_change as read_worktree

    try:
        if not selection.folders:  # only named files: read just those
            return read_worktree(selection.repo, sorted(selection.files))
        change = read_worktree(selection.repo, None)
    except GitError as exc:
        raise ValueError(f"cannot read the work tree: {exc}") from None
    if "" not in selection.folders:
        change.files = [fc for fc in change.files
                        if selection.holds(fc.path) or (fc.old_path is not None and selection.holds(fc.old_path))]
        change.notes = [(what, why) for what, why in change.notes if selection.holds(what)]
    return change


def repository_of(folder: Path, context) -> Path:
    """The git repository holding the workspace folder (possibly above it); ValueError outside git."""
    if context is not None and context.is_git:
        return Path(context.root)
    from xyguard.analyzers.context.gitrun import Git, GitError

    try:
        top = Git(folder).toplevel()
    except GitError as exc:
        raise ValueError(f"cannot read the work tree: {exc}") from None
    if top is None:
        raise ValueError(f"{folder.name} is not in a git repository; there is no HEAD to compare the work tree with")
    return top
