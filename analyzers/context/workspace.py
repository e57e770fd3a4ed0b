"""Building a WorkspaceContext: list files, read manifests, parse symbols, read history, infer conventions.

`get_context(root)` is what analyzers call: it returns the in-process copy
when there is one, else builds from the on-disk cache (re-parsing only files
whose size or mtime changed, reading only commits newer than the cached
head). `build_context` does the work, reporting progress and honouring a
cancel event so the language server can show and stop it.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
import time
from pathlib import Path
from typing import Callable, ParamSpec, TypeVar, TYPE_CHECKING

from .cancel import Cancelled
from .files import DEFAULT_MAX_BYTES, InsideRoot, is_manifest, list_files, looks_binary, open_git, read_bytes_safely
from .gitrun import GitError
from .languages import PARSED, language_for_path
from .manifests import parse_manifest
from .model import FileInfo, FileSymbols, History, Symbol, WorkspaceContext
from .parse_pool import (Job, ParsePool, Parsed, PoolUnavailable, parse_and_summarise, parse_file, prestart, summarise,
                         worker_count)

if TYPE_CHECKING:
    from xyguard.analyzers.config import Config

Progress = Callable[[str, int], None]  # (message, percent 0-100)

# Parsing in worker processes pays off past this many bytes of source (a worker starts in ~0.1 s).
PARALLEL_BYTES = 4_000_000
# A git index this large lists ~500 tracked files: a cold build of it likely parses more than PARALLEL_BYTES.
PRESTART_INDEX_BYTES = 48_000
PARSE_SHARE = 80  # percent of the progress bar that parsing fills


# (real root, what of the configuration shapes a context) -> the context built for them
_memo: dict[tuple[str, tuple], WorkspaceContext] = {}
_memo_lock = threading.Lock()


def _key(root: Path) -> str:
    return os.path.realpath(root)


def _shaping(config: Config | None) -> tuple:
    """The configuration a context depends on: which files it reads (exclusions, the size cap)."""
    if config is None:
        return (DEFAULT_MAX_BYTES, ())
    return (config.max_file_bytes, tuple(config.exclude))


def get_context(root: str | os.PathLike, config: Config | None = None, progress: Progress | None = None,
                cancel: threading.Event | None = None, lean: bool = False) -> WorkspaceContext:
    """The workspace context for `root`, built at most once per process until `invalidate(root)`.
    `lean`: the history's co-change table is decoded on first use (lean_history.py), for short-lived processes."""
    key = (_key(Path(root)), _shaping(config))
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
            real = _key(Path(root))
            for key in [k for k in _memo if k[0] == real]:
                del _memo[key]


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


class _Monotonic:
    """Progress from two threads (parsing, history) that never goes backwards."""

    def __init__(self, report: Progress):
        self._report, self._last, self._lock = report, 0, threading.Lock()

    def __call__(self, message: str, percent: int) -> None:
        with self._lock:
            self._last = max(self._last, percent)
            self._report(message, self._last)


Fresh = dict[str, tuple[str, "Parsed | None"]]  # path -> (status, its symbols as stored) for files parsed now
_NOTHING: Parsed = ("[]", 0, 0, {})


def _parse_inline(root: Path, jobs: list[Job], max_bytes: int, cancel, progress) -> Fresh:
    out: Fresh = {}
    inside = InsideRoot(root)
    for n, (rel, language, _size) in enumerate(jobs, 1):
        out[rel] = parse_and_summarise(root, rel, language, max_bytes, inside)
        if n % 50 == 0:
            progress(n, len(jobs))
            _check(cancel)
    return out


_Args = ParamSpec("_Args")
_Result = TypeVar("_Result")


def _collector_paused(build: Callable[_Args, _Result]) -> Callable[_Args, _Result]:
    """Run `build` with CPython's cyclic garbage collector paused (and resumed after, unless it was off already).

    A cold build allocates a few hundred thousand container objects that live as long as the context (commit
    rows, file rows, the parse results) and form no cycles. The collector is triggered by allocation counts
    and rescans every tracked object at each full collection: ~0.1 s of CPU on SQLAlchemy's cold index (a
    sixth of the main process's time) spent finding nothing. Garbage cycles made meanwhile, by this or another
    thread, are collected once it runs again."""
    @functools.wraps(build)
    def run(*args: _Args.args, **kwargs: _Args.kwargs) -> _Result:
        pause = gc.isenabled()
        if pause:
            gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if pause:
                gc.enable()

    return run


@_collector_paused
def build_context(root: str | os.PathLike, *, config: Config | None = None, rebuild: bool = False, progress: Progress | None = None,
                  cancel: threading.Event | None = None, use_cache: bool = True, lean: bool = False) -> WorkspaceContext:
    started = time.perf_counter()
    report = _Monotonic(progress or (lambda message, percent: None))
    root = Path(root).resolve()
    git = open_git(root)
    if git is not None:
        root = git.root.resolve()
    ctx = WorkspaceContext(root=root, is_git=git is not None)

    # A cold build of a large repository parses on worker processes: start them now, while the files are listed.
    spares = prestart(worker_count()) if _cold_and_large(root, git, use_cache, rebuild) else []
    try:
        return _build(ctx, root, git, config, rebuild, report, cancel, use_cache, lean, started, spares)
    finally:
        for worker in spares:  # those no pool took
            worker.stop()


def _cold_and_large(root: Path, git, use_cache: bool, rebuild: bool) -> bool:
    """No cache yet (or a rebuild) and a git index the size of ~500 tracked files: worth starting workers early."""
    from .cache import DB_NAME, cache_dir

    if git is None or worker_count() < 2:
        return False
    git_dir = git.git_dir()
    try:
        large = git_dir is not None and (git_dir / "index").stat().st_size >= PRESTART_INDEX_BYTES
    except OSError:
        return False
    if not large:
        return False
    try:
        return rebuild or not use_cache or not (cache_dir(root, git) / DB_NAME).exists()
    except OSError:
        return False


def _build(ctx: WorkspaceContext, root: Path, git, config: Config | None, rebuild: bool, report, cancel, use_cache: bool,
           lean: bool, started: float, spares: list) -> WorkspaceContext:
    from .cache import Cache
    from .conventions import infer_conventions
    from .derived import files_state
    from .history import read_history

    max_bytes = config.max_file_bytes if config is not None else DEFAULT_MAX_BYTES
    excluded = config.excluded if config is not None else None
    report("listing files", 0)
    listing = list_files(root, git, max_bytes, excluded)
    ctx.skipped = dict(listing.skipped)
    _check(cancel)

    # --rebuild also checks the database file itself: a damaged one is replaced, not just emptied.
    cache = Cache.open(root, git, check=rebuild) if use_cache else None
    try:
        if cache is not None and rebuild:
            cache.clear()
        blobs = _CleanBlobs(git, listing)
        todo = _reuse_cached(ctx, listing, cache.load_files() if cache is not None else {}, blobs)
        reused = len(ctx.files)
        parse_jobs = [job for job in todo if job[1] in PARSED]
        if any(rel in listing.blobs for rel, _, _ in todo):
            blobs.prefetch()  # the rows of tracked files parsed now record their blobs

        def parsed(done: int, total: int) -> None:
            report(f"parsing {done}/{total} files", int(PARSE_SHARE * done / max(1, total)))

        # Large work goes to worker processes on both cores while this thread reads the history.
        pool = None
        if sum(size for _, _, size in parse_jobs) > PARALLEL_BYTES and worker_count() > 1:
            try:
                pool = ParsePool(root, parse_jobs, max_bytes, worker_count(), cancel=cancel, progress=parsed,
                                 ready=spares)
            except PoolUnavailable:
                pool = None
        try:
            fresh: Fresh = {}
            for rel, language, _size in todo:
                if language not in PARSED:  # no grammar: only sniff for binaries
                    data = read_bytes_safely(root, rel, max_bytes)
                    fresh[rel] = ("unreadable", None) if data is None else (
                        ("binary", None) if looks_binary(data) else ("ok", _NOTHING))
            _check(cancel)
            if pool is None:
                fresh.update(_parse_inline(root, parse_jobs, max_bytes, cancel, parsed))
            report("reading history", PARSE_SHARE if pool is None else 0)
            ctx.history = read_history(git, cache, cancel=cancel, lean=lean) if git is not None else History()
            _check(cancel)
            if pool is not None:
                fresh.update(pool.result())
        finally:
            if pool is not None:
                pool.close()
        _record_parsed(ctx, listing, fresh, cache, blobs)
        _check(cancel)

        _summarise_languages(ctx)
        for rel in sorted(ctx.files):
            if is_manifest(rel):
                text = ctx.read_text(rel)
                if text is not None:
                    ctx.manifests.append(rel)
                    ctx.dependencies.extend(parse_manifest(rel, text))
        report("inferring conventions", 95)
        # Naming styles read every symbol; they only change when a file does, so the cache keeps them per file state.
        state = files_state(ctx)
        kept = cache.get("conventions.naming") if cache is not None else None
        naming = kept["naming"] if isinstance(kept, dict) and kept.get("state") == state else None
        ctx.conventions = infer_conventions(ctx, naming)
        if cache is not None and naming is None:
            cache.put("conventions.naming", {"state": state, "naming": ctx.conventions.naming})
        ctx.stats = {
            "seconds": round(time.perf_counter() - started, 3),
            "parsed": len(fresh),
            "reused": reused,
            "commits_read": ctx.history.commits_read,
            "workers": pool.started if pool is not None else 0,
        }
        if cache is not None:
            ctx.cache_path = cache.path
            if cache.repaired:
                ctx.stats["cache_repaired"] = cache.repaired
        ctx.symbols.rederive = _rederiver(ctx, max_bytes)
    finally:
        if cache is not None:
            cache.close()
    report("done", 100)
    return ctx


def _rederiver(ctx: WorkspaceContext, max_bytes: int) -> Callable[[str], list[Symbol]]:
    """What a damaged cached symbol row turns into: the file parsed again, and the row rewritten."""
    def rederive(rel: str) -> list[Symbol]:
        from .cache import Cache, report_once

        info = ctx.files.get(rel)
        if info is None:
            return []
        report_once(f"the cached symbols of {rel} were damaged: parsed again")
        status, rows = parse_file(ctx.root, rel, info.language or "", max_bytes)
        cache = Cache.at(ctx.cache_path) if ctx.cache_path is not None else None
        if cache is not None:
            if rows is not None:
                cache.replace_symbols(rel, info.size, info.mtime_ns, summarise(rows))
            cache.close()
        return [Symbol(*row) for row in rows or []]

    return rederive


class _CleanBlobs:
    """The git blob id of a tracked file whose work-tree content is what the index holds, else "".

    A checkout, rebase or stash rewrites files with new modification times and often the same content: the
    blob id says the content is one already parsed. Which files differ from the index costs one `git diff`,
    asked only when some file's size or modification time no longer matches its cached row, or when files
    are parsed (their rows record the blob): then `prefetch` asks it on a thread while the parse runs,
    rather than after it, when nothing else is left to overlap with."""

    def __init__(self, git, listing):
        self._git, self._listing = git, listing
        self._unstaged: set[str] | None = None
        self._asking: threading.Thread | None = None

    def prefetch(self) -> None:
        if self._git is not None and self._listing.blobs and self._unstaged is None and self._asking is None:
            self._asking = threading.Thread(target=self._ask, name="xyguard-unstaged", daemon=True)
            self._asking.start()

    def _ask(self) -> None:
        try:
            unstaged = self._git.unstaged_paths()
        except GitError:
            unstaged = set(self._listing.blobs)  # cannot tell: trust no blob
        self._unstaged = unstaged

    def __call__(self, rel: str) -> str:
        blob = self._listing.blobs.get(rel, "")
        if not blob or self._git is None:
            return ""
        if self._unstaged is None:
            if self._asking is not None:
                self._asking.join()
            if self._unstaged is None:  # never asked, or the thread died
                self._ask()
        assert self._unstaged is not None
        return "" if rel in self._unstaged else blob


def _reuse_cached(ctx: WorkspaceContext, listing, cached: dict, blobs: _CleanBlobs) -> list[Job]:
    """Fill `ctx` with the files whose cached row still describes them, by (size, mtime) or, for a rewritten
    file, by the git blob id of its content; the rest to parse."""
    todo: list[Job] = []
    for rel, st in listing.files.items():
        language = language_for_path(rel)
        if language is None and not is_manifest(rel):
            continue
        hit = cached.get(rel)
        if hit is not None and hit.language == (language or ""):
            same_stat = hit.size == st.st_size and hit.mtime_ns == st.st_mtime_ns
            blob = hit.blob if same_stat else (blobs(rel) if hit.blob else "")
            if same_stat or (blob and blob == hit.blob):
                if hit.status == "binary":
                    ctx.skipped["binary"] = ctx.skipped.get("binary", 0) + 1
                    continue
                clean = blob if blob == listing.blobs.get(rel) else ""
                ctx.files[rel] = FileInfo(language, st.st_size, st.st_mtime_ns, clean)
                if hit.symbols and hit.symbols != "[]":
                    ctx.symbols.put_encoded(rel, hit.symbols, hit.summary())
                if not same_stat:
                    ctx.restamped.append(rel)
                continue
        todo.append((rel, language or "", st.st_size))
    return todo


def _record_parsed(ctx: WorkspaceContext, listing, fresh: Fresh, cache, blobs: _CleanBlobs) -> None:
    """Freshly parsed files into `ctx` (their symbols stay JSON until asked for) and the cache rows for them;
    files reused by their content get their new size and modification time."""
    rows: list[tuple[str, int, int, str, str, Parsed | None, str]] = []
    for rel in sorted(fresh):  # workers answer in any order; the context must not depend on it
        status, parsed = fresh[rel]
        st = listing.files[rel]
        language = language_for_path(rel)
        if parsed is None:
            ctx.skipped[status] = ctx.skipped.get(status, 0) + 1
            if status == "binary":
                rows.append((rel, st.st_size, st.st_mtime_ns, language or "", "binary", None, blobs(rel)))
            continue
        blob = blobs(rel)
        ctx.files[rel] = FileInfo(language, st.st_size, st.st_mtime_ns, blob)
        text, count, public, styles = parsed
        if count:
            ctx.symbols.put_encoded(rel, text, FileSymbols(count, public, styles))
        rows.append((rel, st.st_size, st.st_mtime_ns, language or "", "ok", parsed, blob))
    if cache is not None:
        cache.store_files(rows, keep=set(listing.files))
        cache.restamp_files([(rel, listing.files[rel].st_size, listing.files[rel].st_mtime_ns) for rel in ctx.restamped])


def _summarise_languages(ctx: WorkspaceContext) -> None:
    for info in ctx.files.values():
        if info.language is not None:
            entry = ctx.languages.setdefault(info.language, {"files": 0, "bytes": 0})
            entry["files"] += 1
            entry["bytes"] += info.size
