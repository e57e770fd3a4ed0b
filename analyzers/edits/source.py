"""Where a change comes from when it is not handed over as a diff: the index, or the work tree.

`staged_change(root)`: the index against HEAD (what `git commit` would record).
It honours GIT_INDEX_FILE, as pre-commit sets it. Git only reads blobs here,
never work-tree files, so no clean filter can run.

`worktree_change(root, paths=None)`: the work tree against HEAD, computed by
reading files ourselves (inside the root, no symlinks, size-capped) and
comparing their blob ids with HEAD's tree; never `git diff` against the work
tree, which would run the repository's clean filters.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..context.files import DEFAULT_MAX_BYTES, decode_source, looks_binary, read_bytes_safely
from ..context.gitrun import Git, GitError, check_relpath
from .diffmodel import Change, FileChange, file_change_from_texts, parse_unified_diff

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_GITLINK, _SYMLINK = "160000", "120000"


def _split_z(data: bytes) -> list[str]:
    return [p for p in data.decode("utf-8", "surrogateescape").split("\0") if p]


def _read_blobs(git: Git, shas: list[str], max_bytes: int) -> dict[str, bytes | None]:
    """Blob contents by id through one `git cat-file --batch` (None when over the size cap)."""
    wanted = sorted({s for s in shas if s and set(s) != {"0"}})
    if not wanted:
        return {}
    out = git.run(["cat-file", "--batch"], input=("\n".join(wanted) + "\n").encode())
    blobs: dict[str, bytes | None] = {}
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            blobs[sha] = None
            continue
        size = int(header[2])
        data = out[pos:pos + size]
        pos += size + 1
        blobs[sha] = data if size <= max_bytes else None
    return blobs


def _file_change(path: str, old: bytes | None, new: bytes | None, old_path: str | None,
                 notes: list[tuple[str, str]], absent_old: bool = False, absent_new: bool = False,
                 hunks=None) -> FileChange | None:
    if (old is not None and looks_binary(old)) or (new is not None and looks_binary(new)):
        notes.append((path, "binary file: content not checked"))
        status = "added" if absent_old else "deleted" if absent_new else "modified"
        return FileChange(path=path, status=status, binary=True, old_path=old_path)
    old_text = None if old is None else decode_source(old)
    new_text = None if new is None else decode_source(new)
    return file_change_from_texts(path, old_text, new_text, old_path=old_path, hunks=hunks)


def _git_hunks(git: Git, base: str, entries: list[tuple]) -> dict[str, list]:
    """Hunks from git's own diff of the index (blobs only, no work tree) for the paths whose texts were read.

    Files skipped for size stay out of the diff; if the patch is still too large
    to parse, the hunks are computed per file from the texts instead.
    """
    paths = sorted({p for e in entries for p in (e[5], e[6]) if p})
    if not paths:
        return {}
    diff_text = git.text(["diff", "--cached", "-U3", "-M", "--no-color", base, "--", *paths])
    try:
        return {fc.path: fc.hunks for fc in parse_unified_diff(diff_text) if not fc.binary} if diff_text.strip() else {}
    except ValueError:
        return {}


def staged_change(root: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Change:
    git = Git(root)
    base = git.head() or EMPTY_TREE
    raw = git.run(["diff", "--cached", "--raw", "-z", "-M", "--no-color", "--abbrev=40", base, "--"])
    fields = _split_z(raw)
    entries: list[tuple[str, str, str, str, str, str | None, str]] = []
    i = 0
    while i < len(fields):
        meta = fields[i].lstrip(":").split()
        if len(meta) < 5:
            break
        old_mode, new_mode, old_sha, new_sha, status = meta[:5]
        if status[0] in "RC":
            entries.append((status[0], old_mode, new_mode, old_sha, new_sha, fields[i + 1], fields[i + 2]))
            i += 3
        else:
            entries.append((status[0], old_mode, new_mode, old_sha, new_sha, None, fields[i + 1]))
            i += 2
    blobs = _read_blobs(git, [e[3] for e in entries] + [e[4] for e in entries], max_bytes)
    # git's own diff of index against HEAD (blobs only, no work tree) gives the hunks; the blobs give full texts.
    patch = _git_hunks(git, base, [e for e in entries if blobs.get(e[3]) is not None or blobs.get(e[4]) is not None])
    change = Change()
    for status, old_mode, new_mode, old_sha, new_sha, old_path, path in entries:
        if _GITLINK in (old_mode, new_mode) or _SYMLINK in (old_mode, new_mode):
            change.notes.append((path, "submodule or symlink: not checked"))
            continue
        old = blobs.get(old_sha) if status != "A" else None
        new = blobs.get(new_sha) if status != "D" else None
        if (status != "A" and old is None) or (status != "D" and new is None):
            change.notes.append((path, f"larger than {max_bytes} bytes: not checked"))
            continue
        fc = _file_change(path, old, new, old_path if status == "R" else None, change.notes,
                          absent_old=status == "A", absent_new=status == "D", hunks=patch.get(path))
        if fc is None:
            if old_mode != new_mode:
                change.notes.append((path, f"mode change only ({old_mode} -> {new_mode}): no content to check"))
                change.files.append(FileChange(path=path, mode_only=True, old_mode=old_mode, new_mode=new_mode))
            continue
        fc.old_mode, fc.new_mode = old_mode, new_mode
        change.files.append(fc)
    return change


def _git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def worktree_change(root: str | os.PathLike, paths: list[str] | None = None, *,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> Change:
    git = Git(root)
    top = git.toplevel() or Path(root)
    head = git.head()
    tree: dict[str, tuple[str, str]] = {}  # path -> (mode, blob id)
    if head is not None:
        for entry in _split_z(git.run(["ls-tree", "-r", "-z", "--full-tree", head])):
            meta, _, path = entry.partition("\t")
            mode, kind, sha = meta.split()[:3]
            if kind == "blob":
                tree[path] = (mode, sha)
    candidates = set(tree)
    candidates.update(_split_z(git.run(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name"])))
    candidates -= git.skip_worktree_paths()  # a sparse checkout leaves them out on purpose: not deleted
    if paths is not None:
        wanted = set()
        for p in paths:
            try:
                wanted.add(check_relpath(p))
            except ValueError:
                continue
        candidates = {p for p in candidates if p in wanted} | {p for p in wanted if p not in tree}
    change = Change()
    reads: dict[str, bytes | None] = {}
    changed: list[str] = []
    for path in sorted(candidates):
        mode_sha = tree.get(path)
        if mode_sha and mode_sha[0] in (_GITLINK, _SYMLINK):
            continue
        full = top / path
        if not os.path.lexists(full):
            if mode_sha:
                changed.append(path)
                reads[path] = None
            continue
        data = read_bytes_safely(top, path, max_bytes)
        if data is None:
            if os.path.islink(full):
                continue  # symlinks are never followed
            change.notes.append((path, f"unreadable or larger than {max_bytes} bytes: not checked"))
            continue
        if mode_sha and _git_blob_id(data) == mode_sha[1]:
            continue
        reads[path] = data
        changed.append(path)
    blobs = _read_blobs(git, [tree[p][1] for p in changed if p in tree], max_bytes)
    for path in changed:
        old = blobs.get(tree[path][1]) if path in tree else None
        new = reads[path]
        if path in tree and old is None:
            change.notes.append((path, f"larger than {max_bytes} bytes: not checked"))
            continue
        if old is not None and new is not None and old.replace(b"\r\n", b"\n") == new.replace(b"\r\n", b"\n"):
            continue  # only line endings differ (autocrlf checkouts)
        fc = _file_change(path, old, new, None, change.notes, absent_old=path not in tree, absent_new=new is None)
        if fc is not None:
            change.files.append(fc)
    return change


_HOOK_READ_LIMIT = 64 * 1024


def commit_msg_hook_installed(root: str | os.PathLike) -> bool:
    """Whether git will run xyguard's commit-msg hook in this repository: an executable commit-msg hook (in
    core.hooksPath, else the common git dir) that calls xyguard, or pre-commit's shim with the repository's
    .pre-commit-config.yaml naming xyguard-commit-msg.

    Read as data: the repository's hook is never run here, only looked at.
    """
    git = Git(root)
    hooks: Path | None = None
    try:
        origins = git.text(["config", "--show-origin", "--get-all", "core.hooksPath"], check=False)
        for line in origins.splitlines():
            origin, _, value = line.partition("\t")
            if value and not origin.startswith("command line:"):
                hooks = Path(value).expanduser()  # the last configured value wins, as in git
        if hooks is not None and not hooks.is_absolute():
            hooks = (git.toplevel() or Path(root)) / hooks
        if hooks is None:
            common = git.text(["rev-parse", "--path-format=absolute", "--git-common-dir"], check=False).strip()
            if not common:
                return False
            hooks = Path(common) / "hooks"
        hook = hooks / "commit-msg"
        if not (hook.is_file() and os.access(hook, os.X_OK)):
            return False
        with hook.open("rb") as fh:
            script = fh.read(_HOOK_READ_LIMIT).decode("utf-8", "replace")
        if "xyguard" in script:
            return True
        if "pre-commit" not in script:
            return False  # another tool's hook: xyguard would never see the message
        top = git.toplevel() or Path(root)
        data = read_bytes_safely(top, ".pre-commit-config.yaml", _HOOK_READ_LIMIT) or b""
        return b"xyguard-commit-msg" in data
    except (GitError, OSError):
        return False


__all__ = ["staged_change", "worktree_change", "commit_msg_hook_installed", "GitError"]
