"""Building a WorkspaceContext: list files, read manifests, parse symbols, read history, infer conventions.

`get_context(root)` is what analyzers call: it returns the in-process copy
when there is one, else builds from the on-disk cache (re-parsing only files
whose size or mtime changed, reading only commits newer than the cached
head). `build_context` does the work, reporting progress and honouring a
cancel event so the language server can show and stop it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from .cancel import Cancelled
from .files import decode_source, is_manifest, list_files, looks_binary, open_git, read_bytes_safely
from .languages import PARSED, language_for_path
from .manifests import parse_manifest
from .model import FileInfo, History, Symbol, WorkspaceContext

Progress = Callable[[str, int], None]  # (message, percent 0-100)

# Parsing in worker processes pays off only past this many bytes of source.
_PARALLEL_BYTES = 4_000_000


_memo: dict[str, WorkspaceContext] = {}
_memo_lock = threading.Lock()


def _key(root: Path) -> str:
    return os.path.realpath(root)


def get_context(root: str | os.PathLike, config=None, progress: Progress | None = None,
                cancel: threading.Event | None = None, lean: bool = False) -> WorkspaceContext:
    """The workspace context for `root`, built at most once per process until `invalidate(root)`.
    `lean`: the history's co-change table is decoded on first use (lean_history.py), for short-lived processes."""
    key = _key(Path(root))
    with _memo_lock:
        ctx = _memo.get(key)
    if ctx is not None:
        return ctx
    ctx = build_context(root, config=config, progress=progress, cancel=cancel, lean=lean)
    with _memo_lock:
        _memo[key] = ctx
    return ctx


def invalidate(root: str | os.PathLike | None = None) -> None:
    """Forget the in-process context (after a save or a new commit); the disk cache stays valid."""
    with _memo_lock:
        if root is None:
            _memo.clear()
        else:
            _memo.pop(_key(Path(root)), None)


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def _parse_one(job: tuple[str, str, str, int]) -> tuple[str, list[tuple] | None, bool]:
    """Worker: (path, symbols as tuples or None when binary/unreadable, is_binary)."""
    root, rel, language, max_bytes = job
    data = read_bytes_safely(Path(root), rel, max_bytes)
    if data is None:
        return rel, None, False
    if looks_binary(data):
        return rel, None, True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # tree-sitter wants UTF-8
        data = decode_source(data).encode("utf-8")
    from .symbols import extract_symbols

    return rel, [s.row() for s in extract_symbols(rel, data, language)], False


def _files_state(ctx: WorkspaceContext) -> str:
    """A digest of which files are analysed, at which size and modification time."""
    digest = hashlib.sha256()
    for rel in sorted(ctx.files):
        info = ctx.files[rel]
        digest.update(f"{rel}\0{info.size}\0{info.mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def build_context(root: str | os.PathLike, *, config=None, rebuild: bool = False, progress: Progress | None = None,
                  cancel: threading.Event | None = None, use_cache: bool = True, lean: bool = False) -> WorkspaceContext:
    from .cache import Cache
    from .conventions import infer_conventions
    from .history import read_history

    started = time.perf_counter()
    report = progress or (lambda message, percent: None)
    root = Path(root).resolve()
    git = open_git(root)
    if git is not None:
        root = git.root.resolve()
    max_bytes = getattr(config, "max_file_bytes", 1_000_000)
    excluded = getattr(config, "excluded", None)
    ctx = WorkspaceContext(root=root, is_git=git is not None)

    report("listing files", 0)
    listing = list_files(root, git, max_bytes, excluded)
    ctx.skipped = dict(listing.skipped)
    _check(cancel)

    cache = Cache.open(root, git) if use_cache else None
    if cache is not None and rebuild:
        cache.clear()
    cached = cache.load_files() if cache is not None else {}

    todo: list[tuple[str, str, str, int]] = []
    sizes: dict[str, int] = {}
    for rel, st in listing.files.items():
        language = language_for_path(rel)
        if language is None and not is_manifest(rel):
            continue
        hit = cached.get(rel)
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns and hit[2] == (language or ""):
            if hit[3] == "binary":
                ctx.skipped["binary"] = ctx.skipped.get("binary", 0) + 1
                continue
            ctx.files[rel] = FileInfo(language, st.st_size, st.st_mtime_ns, listing.blobs.get(rel, ""))
            if hit[4] and hit[4] != "[]":
                ctx.symbols.put_encoded(rel, hit[4])
            continue
        sizes[rel] = st.st_size
        todo.append((str(root), rel, language or "", max_bytes))

    reused = len(ctx.files)
    fresh: dict[str, tuple[list[tuple] | None, bool]] = {}
    parse_jobs = [j for j in todo if j[2] in PARSED]
    other_jobs = [j for j in todo if j[2] not in PARSED]
    total = max(1, len(todo))
    done = 0
    for job in other_jobs:  # no grammar: only sniff for binaries
        data = read_bytes_safely(root, job[1], max_bytes)
        fresh[job[1]] = ([], False) if data is not None and not looks_binary(data) else (None, data is not None)
        done += 1
    _check(cancel)
    parse_bytes = sum(sizes[j[1]] for j in parse_jobs)
    workers = min(os.cpu_count() or 1, 4)
    if parse_bytes > _PARALLEL_BYTES and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for rel, syms, binary in pool.map(_parse_one, parse_jobs, chunksize=16):
                fresh[rel] = (syms, binary)
                done += 1
                if done % 50 == 0:
                    report(f"parsing {done}/{total} files", int(80 * done / total))
                    if cancel is not None and cancel.is_set():
                        pool.shutdown(cancel_futures=True)
                        raise Cancelled()
    else:
        for job in parse_jobs:
            rel, syms, binary = _parse_one(job)
            fresh[rel] = (syms, binary)
            done += 1
            if done % 50 == 0:
                report(f"parsing {done}/{total} files", int(80 * done / total))
                _check(cancel)

    rows = []
    for rel, (syms, binary) in fresh.items():
        st = listing.files[rel]
        language = language_for_path(rel)
        if syms is None:
            ctx.skipped["binary" if binary else "unreadable"] = ctx.skipped.get("binary" if binary else "unreadable", 0) + 1
            if binary:
                rows.append((rel, st.st_size, st.st_mtime_ns, language or "", "binary", None))
            continue
        ctx.files[rel] = FileInfo(language, st.st_size, st.st_mtime_ns, listing.blobs.get(rel, ""))
        if syms:
            ctx.symbols[rel] = [Symbol(*t) for t in syms]
        rows.append((rel, st.st_size, st.st_mtime_ns, language or "", "ok", syms))
    if cache is not None:
        cache.store_files(rows, keep=set(listing.files))
    _check(cancel)

    for rel, info in ctx.files.items():
        if info.language is not None:
            entry = ctx.languages.setdefault(info.language, {"files": 0, "bytes": 0})
            entry["files"] += 1
            entry["bytes"] += info.size
    for rel in sorted(ctx.files):
        if is_manifest(rel):
            text = ctx.read_text(rel)
            if text is not None:
                ctx.manifests.append(rel)
                ctx.dependencies.extend(parse_manifest(rel, text))

    report("reading history", 85)
    if lean:
        from .lean_history import read_history_lean as read_history
    ctx.history = read_history(git, cache, cancel=cancel) if git is not None else History()
    _check(cancel)
    report("inferring conventions", 95)
    # Naming styles read every symbol; they only change when a file does, so the cache keeps them per file state.
    state = _files_state(ctx)
    kept = cache.get("conventions.naming") if cache is not None else None
    naming = kept["naming"] if isinstance(kept, dict) and kept.get("state") == state else None
    ctx.conventions = infer_conventions(ctx, naming)
    if cache is not None and naming is None:
        cache.put("conventions.naming", {"state": state, "naming": ctx.conventions.naming})
    ctx.stats = {
        "seconds": round(time.perf_counter() - started, 3),
        "parsed": len(fresh),
        "reused": reused,
        "commits_read": ctx.history.commits,
    }
    if cache is not None:
        ctx.cache_path = cache.path
        cache.close()
    report("done", 100)
    return ctx
