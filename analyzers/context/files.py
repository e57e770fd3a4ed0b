"""Which files a workspace has, and reading them safely.

A repository is untrusted: symlinks are never followed (neither the file nor
a parent folder may leave the root), only regular files are opened (never a
FIFO or a device), sizes are capped, and binaries are skipped.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .gitrun import Git, GitError, check_relpath

DEFAULT_MAX_BYTES = 1_000_000
SNIFF_BYTES = 8192

VENDORED_DIRS = frozenset({
    "node_modules", "vendor", "vendors", "third_party", "third-party", "thirdparty", "external", "extern",
    "bower_components", "jspm_packages", "site-packages", "dist-packages", ".venv", "venv", "env", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".git", ".hg", ".svn", "dist", "build",
    "target", "out", ".next", ".nuxt", "coverage", ".gradle", ".idea", ".vscode", "Pods", "Carthage",
})
GENERATED_SUFFIXES = (
    ".min.js", ".min.css", ".bundle.js", ".pb.go", "_pb2.py", "_pb2_grpc.py", ".pb.h", ".pb.cc",
    ".generated.ts", ".generated.js", ".g.dart", ".designer.cs", ".d.ts.map", ".js.map",
)
LOCK_FILES = frozenset({
    "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "Pipfile.lock", "Cargo.lock", "go.sum",
    "composer.lock", "Gemfile.lock", "uv.lock", "pdm.lock",
})
MANIFEST_NAMES = frozenset({
    "pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "package.json", "go.mod", "Cargo.toml", "pom.xml",
    "build.gradle", "build.gradle.kts",
})


def is_manifest(path: str) -> bool:
    base = path.rpartition("/")[2]  # called per path of every commit: no posixpath here
    return base in MANIFEST_NAMES or is_requirements_file(path)


def is_requirements_file(path: str) -> bool:
    """requirements*.txt / .in anywhere, and pip-tools inputs kept in a requirements/ folder (requirements/tests.in).
    The compiled .txt beside such an input pins the whole environment; the input declares."""
    folder, _, base = path.rpartition("/")
    return (base.startswith("requirements") and base.endswith((".txt", ".in"))) or (
        base.endswith(".in") and (folder == "requirements" or folder.endswith("/requirements")))


def vendored_or_generated(path: str) -> str | None:
    """The reason a path is not the project's own source, or None."""
    parts = path.split("/")
    if any(p in VENDORED_DIRS for p in parts[:-1]):
        return "vendored"
    base = parts[-1]
    if base in LOCK_FILES:
        return "generated"
    if base.endswith(GENERATED_SUFFIXES):
        return "generated"
    return None


def looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text is full of NULs
        return False
    return b"\0" in head[:SNIFF_BYTES]


@dataclass
class Listing:
    """Candidate files (relative path -> lstat result) and counts of what was skipped and why."""

    files: dict[str, os.stat_result] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    blobs: dict[str, str] = field(default_factory=dict)  # path -> index blob id (git only)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class InsideRoot:
    """Memoised check that a folder inside the root is reached without any symlink."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)
        self._seen: dict[str, bool] = {"": True}

    def __call__(self, rel_dir: str) -> bool:
        known = self._seen.get(rel_dir)
        if known is None:
            plain = os.path.normpath(os.path.join(self.root, rel_dir))
            known = self._seen[rel_dir] = os.path.realpath(plain) == plain
        return known


def _git_paths(git: Git) -> tuple[list[tuple[str, str, str, bool]], list[str]]:
    """(mode, blob, path, checked out) of tracked files, and the untracked, not-ignored paths.

    Names are bytes to git; undecodable bytes are kept as surrogates (os functions turn them back into the
    same bytes, formatters escape them). A sparse checkout's skip-worktree entries ('S') are not on disk on
    purpose: they are not "missing"."""
    tracked = []
    for entry in git.run(["ls-files", "-z", "-s", "-t"], timeout=120).split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        tag, mode, blob, _stage = meta.split(b" ")
        tracked.append((mode.decode(), blob.decode(), path.decode("utf-8", "surrogateescape"), tag != b"S"))
    others = [p.decode("utf-8", "surrogateescape")
              for p in git.run(["ls-files", "-z", "--others", "--exclude-standard"], timeout=120).split(b"\0") if p]
    return tracked, others


def list_files(root: Path, git: Git | None, max_bytes: int = DEFAULT_MAX_BYTES,
               excluded: Callable[[str], bool] | None = None) -> Listing:
    """Every regular, non-vendored, size-capped file in the workspace (binaries are sniffed later)."""
    listing = Listing()
    inside = InsideRoot(root)
    candidates: Iterator[str]
    if git is not None:
        tracked, others = _git_paths(git)
        seen = set()
        for mode, blob, path, checked_out in tracked:
            if path in seen:  # unmerged entries appear once per stage
                continue
            seen.add(path)
            if not checked_out:
                listing.skip("sparse")
                continue
            if mode == "120000":
                listing.skip("symlink")
                continue
            if mode == "160000":
                listing.skip("submodule")
                continue
            listing.blobs[path] = blob
        candidates = iter([*listing.blobs, *others])
    else:
        candidates = _walk(root, listing)
    root_s = str(root)
    for rel in candidates:
        if excluded is not None and excluded(rel):
            listing.skip("excluded")
            continue
        reason = vendored_or_generated(rel)
        if reason and not is_manifest(rel):
            listing.skip(reason)
            continue
        if not inside(posixpath.dirname(rel)):
            listing.skip("symlink")
            continue
        try:
            st = os.lstat(os.path.join(root_s, rel))
        except OSError:
            listing.skip("missing")
            continue
        if stat.S_ISLNK(st.st_mode):
            listing.skip("symlink")
            continue
        if not stat.S_ISREG(st.st_mode):
            listing.skip("not-a-file")
            continue
        if st.st_size > max_bytes:
            listing.skip("too-large")
            continue
        listing.files[rel] = st
    return listing


def _walk(root: Path, listing: Listing) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        keep = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                listing.skip("symlink")
            elif d in VENDORED_DIRS or d.startswith("."):
                listing.skip("vendored" if d in VENDORED_DIRS else "hidden")
            else:
                keep.append(d)
        dirnames[:] = sorted(keep)
        for name in sorted(filenames):
            yield f"{rel_dir}/{name}" if rel_dir else name


def read_bytes_safely(root: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES,
                      inside: InsideRoot | None = None) -> bytes | None:
    """A regular file's bytes inside `root`, or None (symlink, outside, not regular, too large, unreadable).

    `inside`: the folder check of `root` shared by a run of reads (a parse worker's batch), so each folder's
    path is resolved once per run rather than the root and the folder once per file."""
    try:
        rel = check_relpath(rel)
    except ValueError:
        return None
    if inside is None:
        inside = InsideRoot(root)
    full = os.path.join(inside.root, rel)
    if not inside(posixpath.dirname(rel)):
        return None  # a parent folder is a symlink
    try:
        # O_NOFOLLOW refuses a symlink; O_NONBLOCK keeps a FIFO from hanging the open.
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return None if len(data) > max_bytes else data
    except OSError:
        return None
    finally:
        os.close(fd)


def decode_source(data: bytes) -> str:
    """Source bytes -> text: UTF-8 (BOM dropped) with replacement, UTF-16 by BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")


def read_text_safely(root: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    data = read_bytes_safely(root, rel, max_bytes)
    if data is None or looks_binary(data):
        return None
    return decode_source(data)


def open_git(root: Path) -> Git | None:
    """A Git bound to the top of the work tree that contains `root`, or None for a plain folder."""
    try:
        git = Git(root)
        top = git.toplevel()
    except GitError as exc:
        from .gitrun import UnsafeRepository

        if isinstance(exc, UnsafeRepository):
            raise
        return None
    if top is None:
        return None
    return git if os.path.realpath(top) == os.path.realpath(root) else Git(top)
