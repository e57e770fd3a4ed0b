"""Parsing source files in worker processes that are safe to start from any thread and never outlive their parent.

Why not multiprocessing:
- `fork` copies the parent mid-flight. The language server's stdin thread sits in a read holding the
  buffered reader's lock; a forked worker inherits that lock held, and multiprocessing's bootstrap
  blocks forever closing stdin (issue 16: the server deadlocked over stdio, its workers outlived it).
- `spawn` and `forkserver` re-run the parent's main script when it is a file (a console script, a test
  harness), and put the current folder -- often the untrusted repository -- first on the import path.
- Pool workers hold both ends of their queues, so they never notice their parent die.

So each worker is a plain subprocess (fork+exec done in C: no Python runs in between), started as
`python -c` calling `serve()` here, with the current folder kept off sys.path, fed batches of paths on its stdin and
answering on its stdout. Only the parent holds the write end of a worker's stdin, so the worker reads
EOF and exits as soon as the parent closes it (finished, cancelled, exiting) or dies (kill -9 included).

Frames both ways: 4-byte big-endian length, then `marshal` data (our own types only: str, int, bool,
lists, tuples, dicts, None). Request: (root, max_bytes, [(path, language), ...]). Answer: [(path, status,
parsed)] with status "ok", "binary", "unreadable" or "failed" (the parser raised), and for "ok" the file's
symbol rows already as the cache's JSON with their counts and naming styles (`summarise`): the encoding
happens on the workers' cores, and the parent never builds Symbol objects it may not need.
"""

from __future__ import annotations

import atexit
import marshal
import os
import selectors
import signal
import struct
import subprocess
import sys
import threading
import weakref
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .cancel import Cancelled
from .gitrun import widen_pipe

if TYPE_CHECKING:
    from .files import InsideRoot

MAX_WORKERS = 4
BATCH_BYTES = 256_000  # a batch is a few tens of milliseconds of parsing: small enough to balance two cores
BATCH_FILES = 48
POLL_SECONDS = 0.1  # how often the dispatcher looks at the cancel event while workers are busy
RETRIES = 1  # a batch whose worker died is retried file by file once; a file that kills a worker again is "failed"
# Workers yield to their parent and to git when the cores are contended: the history read (git log and its reader)
# is the critical path of a cold index, and parsing fills whatever CPU it leaves. 5 gives a worker about a third of
# the weight of a normal process; on an idle machine the workers still get every core the others do not use.
WORKER_NICENESS = 5
_HEADER = struct.Struct(">I")
ANSWER_PIPE_BYTES = 1 << 20

Job = tuple[str, str, int]  # (path, language, size in bytes)
Outcome = tuple[str, list | None]  # (status, symbol rows)
Parsed = tuple[str, int, int, dict]  # (symbol rows as JSON, symbols, public symbols, naming styles)


class PoolUnavailable(RuntimeError):
    """No worker process could be started (the caller parses in-process instead)."""


def worker_count() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


# ---- the parsing itself (also used in-process for small workspaces) --------------------------------------

def parse_file(root: Path, rel: str, language: str, max_bytes: int, inside: InsideRoot | None = None) -> Outcome:
    """One file's symbols as rows, or why there are none. `inside`: read_bytes_safely's folder check, shared
    by the files of a batch."""
    from .files import decode_source, looks_binary, read_bytes_safely

    data = read_bytes_safely(root, rel, max_bytes, inside)
    if data is None:
        return "unreadable", None
    if looks_binary(data):
        return "binary", None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # tree-sitter wants UTF-8
        data = decode_source(data).encode("utf-8")
    from .symbols import symbol_rows

    try:
        return "ok", symbol_rows(rel, data, language)
    except (RecursionError, ValueError, MemoryError):
        return "failed", None


def summarise(rows: list) -> Parsed:
    """A file's symbol rows as stored: JSON text, counts, naming styles."""
    from .conventions import style_counts
    from .model import compact_json, symbol_counts

    count, public = symbol_counts(rows)
    return compact_json(rows), count, public, style_counts(rows)


def parse_and_summarise(root: Path, rel: str, language: str, max_bytes: int,
                        inside: InsideRoot | None = None) -> tuple[str, Parsed | None]:
    status, rows = parse_file(root, rel, language, max_bytes, inside)
    return status, summarise(rows) if rows is not None else None


# ---- frames ---------------------------------------------------------------------------------------------

def _read_exactly(stream, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(stream):
    """The next message, or None at EOF."""
    head = _read_exactly(stream, _HEADER.size)
    if head is None:
        return None
    body = _read_exactly(stream, _HEADER.unpack(head)[0])
    return None if body is None else marshal.loads(body)


def write_frame(stream, value) -> None:
    body = marshal.dumps(value)
    view = memoryview(_HEADER.pack(len(body)) + body)
    while view:  # an unbuffered pipe may take part of it
        view = view[stream.write(view):]
    stream.flush()


# ---- the worker -----------------------------------------------------------------------------------------

def serve() -> None:
    """Worker main loop: parse each batch read from stdin, answer on stdout, exit at EOF."""
    from .files import InsideRoot

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # no nice() on Windows
        pass
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the parent's pipe
    try:
        while True:
            request = read_frame(stdin)
            if request is None:
                return  # the parent is done, cancelled, or gone
            root, max_bytes, jobs = request
            base = Path(root)
            inside = InsideRoot(base)
            write_frame(stdout, [(rel, *parse_and_summarise(base, rel, language, max_bytes, inside))
                                 for rel, language in jobs])
    except BrokenPipeError:
        return  # the parent stopped reading: it is gone


# ---- the parent side ------------------------------------------------------------------------------------

# -P (3.11+) keeps the current folder -- maybe the repository -- off sys.path; before 3.11, `-c` puts it
# there as '' and the first line takes it off before anything is imported.
_WORKER_MAIN = ("import sys\nif sys.path and sys.path[0] == '':\n    del sys.path[0]\n"
                f"from {__name__} import serve\nserve()\n")
_WORKER_ARGV = [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-c", _WORKER_MAIN]
_live: "weakref.WeakSet[ParsePool]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for pool in list(_live):
        pool.close()


def _batches(jobs: Iterable[Job]) -> list[list[Job]]:
    """Largest files first (the last batches are the small ones, so both cores finish together)."""
    out: list[list[Job]] = []
    current: list[Job] = []
    size = 0
    for job in sorted(jobs, key=lambda j: -j[2]):
        if current and (size + job[2] > BATCH_BYTES or len(current) >= BATCH_FILES):
            out.append(current)
            current, size = [], 0
        current.append(job)
        size += job[2]
    if current:
        out.append(current)
    return out


class _Worker:
    def __init__(self) -> None:
        # close_fds keeps every other pipe of ours out of the worker, so each worker's stdin has exactly one
        # writer: us. Unbuffered, so that what select() reports readable is all there is (a buffered reader
        # could hold a whole frame).
        self.proc = subprocess.Popen(_WORKER_ARGV, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, close_fds=True, bufsize=0)
        # An answer (a batch's symbol rows, ~100 KB) fits in the pipe: the worker goes on to its next batch rather
        # than wait for the dispatcher thread, which needs the GIL the history reader holds, to drain it.
        widen_pipe(self.proc.stdout, ANSWER_PIPE_BYTES)
        self.inflight: deque[tuple[list[Job], int]] = deque()  # (batch, attempt), answered in order

    def send(self, root: str, max_bytes: int, batch: list[Job], attempt: int) -> None:
        write_frame(self.proc.stdin, (root, max_bytes, [(rel, language) for rel, language, _ in batch]))
        self.inflight.append((batch, attempt))

    def stop(self) -> None:
        """Close its stdin (it exits at EOF) and make sure: kill, then reap."""
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass


def prestart(count: int) -> list[_Worker]:
    """Workers started before their jobs are known, so that their interpreters start while the caller lists the
    files. Hand them to a ParsePool (`ready=`), or `stop()` each one."""
    out: list[_Worker] = []
    try:
        for _ in range(count):
            out.append(_Worker())
    except OSError:
        pass  # the pool starts its own, or the caller parses in-process
    return out


class ParsePool:
    """Parse `jobs` in worker processes on a background thread; `result()` waits for them.

    Meant to run while the caller does other work (reading history). `close()` (or leaving the `with`
    block) stops every worker whatever state the run is in.
    """

    def __init__(self, root: Path, jobs: list[Job], max_bytes: int, workers: int,
                 cancel: threading.Event | None = None, progress: Callable[[int, int], None] | None = None,
                 ready: list[_Worker] | None = None):
        self.root, self.max_bytes = str(root), max_bytes
        self.total = len(jobs)
        self._pending: deque[tuple[list[Job], int]] = deque((b, 0) for b in _batches(jobs))
        self._wanted = max(1, min(workers, len(self._pending)))
        self._cancel = cancel
        self._stop = threading.Event()
        self._progress = progress or (lambda done, total: None)
        self._workers: list[_Worker] = []
        self._restarts = self._wanted
        self._results: dict[str, tuple[str, Parsed | None]] = {}
        self._error: BaseException | None = None
        self.started = 0
        _live.add(self)
        try:
            while len(self._workers) < self._wanted:
                self._workers.append(ready.pop() if ready else _Worker())  # started early (`prestart`) first
        except OSError as exc:
            self.close()
            raise PoolUnavailable(str(exc)) from exc
        self.started = len(self._workers)
        self._thread = threading.Thread(target=self._run, name="xyguard-parse", daemon=True)
        self._thread.start()

    def __enter__(self) -> "ParsePool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def result(self) -> dict[str, tuple[str, Parsed | None]]:
        """path -> (status, parsed) for every job; raises Cancelled when the cancel event was set."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._results

    def close(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.stop()
        _live.discard(self)
        thread = getattr(self, "_thread", None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)

    # ---- the dispatcher thread ----------------------------------------------------------------

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        try:
            for worker in self._workers:
                self._feed(worker, selector, initial=True)
            while any(w.inflight for w in self._workers) or self._pending:
                if self._stop.is_set() or (self._cancel is not None and self._cancel.is_set()):
                    raise Cancelled()
                for key, _ in selector.select(POLL_SECONDS):
                    self._collect(key.data, selector)
        except BaseException as exc:  # handed to result(); the workers are stopped by close()
            self._error = exc if not self._stop.is_set() else Cancelled()
        finally:
            selector.close()
            for worker in self._workers:
                worker.stop()

    def _feed(self, worker: _Worker, selector, initial: bool = False) -> None:
        """Keep two batches queued at each worker, so it never waits for us between batches."""
        if initial:
            selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
        while self._pending and len(worker.inflight) < 2:
            batch, attempt = self._pending.popleft()
            worker.send(self.root, self.max_bytes, batch, attempt)

    def _collect(self, worker: _Worker, selector) -> None:
        try:
            answer = read_frame(worker.proc.stdout)
        except (OSError, ValueError, EOFError):
            answer = None
        if answer is None:  # the worker died (crash, out of memory, killed): retry what it held
            self._replace(worker, selector)
            return
        worker.inflight.popleft()
        for rel, status, parsed in answer:
            self._results[rel] = (status, parsed)
        self._progress(len(self._results), self.total)
        self._feed(worker, selector)

    def _replace(self, worker: _Worker, selector) -> None:
        selector.unregister(worker.proc.stdout)
        worker.stop()
        self._workers.remove(worker)
        for batch, attempt in worker.inflight:
            if attempt >= RETRIES:
                for rel, _, _ in batch:
                    self._results[rel] = ("failed", None)
            else:
                self._pending.extendleft((([job], attempt + 1) for job in batch))
        worker.inflight.clear()
        if self._restarts > 0 and (self._pending or not self._workers):
            self._restarts -= 1
            replacement = _Worker()
            self._workers.append(replacement)
            self._feed(replacement, selector, initial=True)
        elif not self._workers:
            for batch, _ in self._pending:
                for rel, _, _ in batch:
                    self._results[rel] = ("failed", None)
            self._pending.clear()

