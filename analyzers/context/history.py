"""Design history from git, read in streams (never one process per commit), and only once per commit.

Each commit is read once into a row (files changed, renames, revert or design decision, dependencies
its manifests dropped) that the cache keeps. The history of HEAD is an aggregate over the rows of
the commits HEAD reaches: per-file change counts, co-change pairs, renames, reverts, decisions,
dependency removals. Counts are sums, so moving HEAD (a new commit, a branch switch, a rebase)
subtracts the rows of the commits it no longer reaches and adds those it newly reaches; only commits
never seen under any earlier HEAD are read from git (`git log NEW --not KNOWN-TIPS`).

Streams per read:
1. `git log --name-status` over the unseen commits: the rows.
2. `git log --no-walk --stdin -p` over those of them that touched a manifest: dependencies removed
   (a dependency moved to another manifest in the same commit is a move, not a removal).
3. `git show` for the revert and removal commits among the newest commits: the lines and symbols they
   took out, so an edit that puts them back can be recognised.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from .cancel import Cancelled
from .files import is_manifest
from .gitrun import Git, GitError
from .manifests import dependency_names_in_line, ecosystem_of
from .model import Commit, Decision, DependencyRemoval, FileHistory, History, Rename, Revert

RS, US, END = "\x1e", "\x1f", "\x1d"
_LOG_FORMAT = f"--format={RS}%H{US}%P{US}%at{US}%s{US}%b{END}"
MAX_COCHANGE_FILES = 20  # bulk commits (reformatting, vendoring) say nothing about coupling
MAX_RECENT = 200  # the newest commits kept as `recent`; their reverts and removals get their patches read
MAX_PATCHED_COMMITS = 100
MAX_LINES_PER_COMMIT = 400
MAX_FILES_PER_COMMIT = 50  # file lists kept on a commit, revert or decision
MAX_TIPS = 16  # heads whose whole history is in the cache, used as `--not` bounds
CANCEL_EVERY = 500  # commits between looks at the cancel event

_REVERTS = re.compile(r"This reverts commit ([0-9a-f]{7,40})")
_PHRASE_END = re.compile(r"\s+(?:for|in|on|because|since|so|as|to fix|to avoid|which|that|when|from)\b.*$|[.;:,!(\[].*$", re.I)
# Every pattern below needs one of these words: one search rules out most subjects at once.
_DECISION_WORDS = re.compile(r"\b(?:replac|switch|instead|migrat|mov|port|drop|remov|delet|rid of|eliminat|rip out"
                             r"|don'?t|do not|never|avoid|stop)", re.I)
# The same words without IGNORECASE, for an ASCII subject lowered first (the same matches: case folding only
# differs from str.lower() on non-ASCII letters): a case-insensitive alternation cannot skip ahead to the
# letters its words start with, and every commit subject of the history goes through this search.
_DECISION_WORDS_LOWER = re.compile(_DECISION_WORDS.pattern)
# (kind, pattern, words): an ASCII subject, lowered, holds one of the words whenever the pattern matches it (None:
# no gate). Most subjects that pass the word search above match none of the patterns, and each pattern is a
# case-insensitive search with a lazy group, tried in turn: a substring test first skips those that cannot match.
_DECISIONS: list[tuple[str, re.Pattern, tuple[str, ...] | None]] = [
    ("replace", re.compile(r"\breplac(?:e|es|ed|ing)\s+(?P<a>.+?)\s+(?:with|by)\s+(?P<b>.+)", re.I), ("replac",)),
    ("replace", re.compile(r"\bswitch(?:ed|es|ing)?\s+from\s+(?P<a>.+?)\s+to\s+(?P<b>.+)", re.I), ("switch",)),
    ("instead", re.compile(r"\buse[sd]?\s+(?P<b>.+?)\s+instead\s+of\s+(?P<a>.+)", re.I), ("instead",)),
    ("migrate", re.compile(r"\b(?:migrat|mov|port)(?:e|es|ed|ing)?\s+(?:from\s+(?P<a>.+?)\s+)?to\s+(?P<b>.+)", re.I),
     ("migrat", "mov", "port")),
    ("remove", re.compile(r"^(?:\w+(?:\([\w-]+\))?:\s*)?(?:drop|remove|delete|get rid of|eliminate|rip out)(?:s|d|ped|ping|ed)?\s+"
                          r"(?:the\s+|our\s+|unused\s+)*(?:dependency\s+on\s+|use\s+of\s+|support\s+for\s+|usage\s+of\s+)?(?P<a>.+)", re.I),
     None),  # anchored at the start: already cheap
    ("avoid", re.compile(r"\b(?:don'?t|do not|never|avoid|stop)\s+(?:using\s+|use\s+)?(?P<a>.+)", re.I),
     ("don", "do not", "never", "avoid", "stop")),
]
_DECISION_KINDS = frozenset(kind for kind, _, _ in _DECISIONS)
_PATCHED_KINDS = ("remove", "replace", "revert")
_SYMBOL_DEF = re.compile(
    r"^\s*(?:export\s+)?(?:pub(?:\([\w\s]+\))?\s+)?(?:async\s+)?(?:def|class|function|fn|func|interface|struct|trait|enum|type)\s+"
    r"(?:\([^)]*\)\s*)?([A-Za-z_][\w]*)")


def _phrase(text: str | None) -> list[str]:
    if not text:
        return []
    text = text.strip().strip("`'\"")
    text = _PHRASE_END.sub("", text).strip().strip("`'\"")
    words = text.split()
    if not words or len(words) > 5:
        return []
    return [" ".join(words)]


def classify_decision(subject: str) -> tuple[str, list[str], list[str]] | None:
    """(kind, removed, chosen) when a commit subject records a design choice."""
    lowered = subject.lower() if subject.isascii() else None
    if not (_DECISION_WORDS.search(subject) if lowered is None else _DECISION_WORDS_LOWER.search(lowered)):
        return None
    for kind, pattern, words in _DECISIONS:
        if lowered is not None and words is not None and not any(word in lowered for word in words):
            continue
        m = pattern.search(subject)
        if m:
            removed = _phrase(m.groupdict().get("a"))
            chosen = _phrase(m.groupdict().get("b"))
            if removed or chosen:
                return kind, removed, chosen
    return None


def normalise_line(line: str) -> str:
    return " ".join(line.split())


def _meaningful(line: str) -> bool:
    s = normalise_line(line)
    return len(s) >= 8 and any(c.isalnum() for c in s) and not s.startswith(("#", "//", "*", "/*"))


# ---- one commit, as read once and cached ---------------------------------------------------------------

@dataclass
class CommitRow:
    sha: str
    time: int  # author time, epoch seconds
    subject: str
    files: list[str] = field(default_factory=list)  # every path the commit changed (new side of renames)
    renames: list[tuple[str, str]] = field(default_factory=list)
    revert: bool = False
    reverted_sha: str | None = None
    decision: tuple[str, list[str], list[str]] | None = None  # (kind, removed, chosen)
    removed_deps: list[tuple[str, str]] = field(default_factory=list)  # (name, manifest)
    manifests_read: bool = False  # removed_deps is known (the commit touched no manifest, or its patch was read)
    patch: tuple[list[str], list[str]] | None = None  # (removed lines, removed symbols) once read

    def encode(self) -> list:
        return [self.time, self.subject, self.files, self.renames, self.revert, self.reverted_sha,
                list(self.decision) if self.decision else None, self.removed_deps, self.manifests_read,
                list(self.patch) if self.patch is not None else None]

    @classmethod
    def decode(cls, sha: str, data: list) -> "CommitRow":
        """A cached row; ValueError when it is not one (a damaged or planted cache entry)."""
        try:
            time, subject, files, renames, revert, reverted, decision, deps, manifests_read, patch = data
            row = cls(sha, int(time), str(subject), [str(p) for p in files], [(str(a), str(b)) for a, b in renames],
                      bool(revert), str(reverted) if reverted else None,
                      (str(decision[0]), [str(x) for x in decision[1]], [str(x) for x in decision[2]]) if decision else None,
                      [(str(n), str(m)) for n, m in deps], bool(manifests_read),
                      ([str(x) for x in patch[0]], [str(x) for x in patch[1]]) if patch is not None else None)
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"not a commit row: {sha}") from exc
        if row.decision is not None and row.decision[0] not in _DECISION_KINDS:
            raise ValueError(f"not a commit row: {sha}")
        return row

    @property
    def patch_wanted(self) -> bool:
        return self.revert or (self.decision is not None and self.decision[0] in _PATCHED_KINDS)


def _row_from_log(sha: str, at: int, subject: str, body: str, status_lines: list[str]) -> CommitRow:
    files: list[str] = []
    renames: list[tuple[str, str]] = []
    for entry in status_lines:
        parts = entry.split("\t")
        if len(parts) == 3 and parts[0][:1] == "R":  # R<similarity> old new
            renames.append((parts[1], parts[2]))
            files.append(parts[2])
        elif len(parts) >= 2:
            files.append(parts[-1])
    reverted = _REVERTS.search(body) if "This reverts commit" in body else None
    revert = reverted is not None or subject.startswith("Revert ")
    # Built in one call: setting a dataclass's fields one by one after __init__ costs more than the fields do.
    return CommitRow(sha, at, subject, files, renames, revert=revert,
                     reverted_sha=reverted.group(1) if reverted else None,
                     decision=None if revert else classify_decision(subject),
                     manifests_read=not (any(map(_manifest, files)) or any(_manifest(old) for old, _ in renames)))


@lru_cache(maxsize=1 << 16)
def _manifest(path: str) -> bool:
    """is_manifest, once per path: a history names the same few thousand paths tens of thousands of times."""
    return is_manifest(path)


# ---- streams ------------------------------------------------------------------------------------------

LOG_CHUNK = 1 << 20  # bytes of `git log` output split at a time


def _stream_log(git: Git, args: list[str], stdin: bytes | None = None):
    """Yield (sha, time, subject, body, name_status_lines) per commit of a `git log` with _LOG_FORMAT.

    The output is split a block at a time on the record separator (C-level splits, not a Python loop per
    line: a large history has hundreds of thousands of lines)."""
    pending = b""
    for block in git.stream(["log", "--no-color", _LOG_FORMAT, *args], input=stdin, chunk=LOG_CHUNK):
        records = (pending + block).split(RS_BYTES)
        pending = records.pop()
        for record in records:
            if record:
                yield _commit_from_record(record)
    if pending:
        yield _commit_from_record(pending)


RS_BYTES = RS.encode()


def _commit_from_record(record: bytes):
    text = record.decode("utf-8", "surrogateescape")
    head, _, changes = text.partition(END)
    parts = head.split(US)
    sha, at, subject = parts[0], parts[2], parts[3]
    body = parts[4] if len(parts) > 4 else ""
    return [sha, int(at or 0), subject, body, [line for line in changes.split("\n") if line]]


def _read_rows(git: Git, revisions: list[str], cancel) -> list[CommitRow]:
    """Rows of the commits `git log REVISIONS` lists (revisions are shas and ^shas we produced)."""
    rows = []
    stdin = ("\n".join(revisions) + "\n").encode()
    for n, (sha, at, subject, body, status) in enumerate(
            _stream_log(git, ["--name-status", "-M", "--ignore-missing", "--stdin", "--"], stdin), 1):
        if cancel is not None and n % CANCEL_EVERY == 0 and cancel.is_set():
            raise Cancelled()
        rows.append(_row_from_log(sha, at, subject, body, status))
    return rows


def _read_dependency_removals(git: Git, rows: list[CommitRow]) -> None:
    """Fill `removed_deps` of the rows that touched a manifest: names taken out of a manifest and not put
    into any manifest of the same ecosystem by the same commit."""
    wanted = {r.sha: r for r in rows if not r.manifests_read}
    if not wanted:
        return
    paths = sorted({p for r in wanted.values() for p in [*r.files, *(old for old, _ in r.renames)] if is_manifest(p)})
    changes: dict[str, dict[str, tuple[set, set]]] = {}  # sha -> manifest -> (removed, added)
    current: dict[str, tuple[set, set]] | None = None
    path = None
    stdin = ("\n".join(wanted) + "\n").encode()
    args = ["log", "--no-color", f"--format={RS}%H", "--no-walk=unsorted", "--stdin", "-p", "--unified=0",
            "--no-renames", "--", *paths]
    for raw in git.stream(args, input=stdin):
        line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
        if line.startswith(RS):
            current = changes.setdefault(line[1:].strip(), {})
            path = None
        elif line.startswith("+++ "):
            target = line[4:]
            path = target[2:] if target.startswith("b/") else None
        elif line.startswith("--- "):
            continue
        elif line.startswith("diff --git "):
            m = re.match(r"diff --git a/(.*) b/(.*)$", line)
            path = m.group(1) if m else None
        elif current is not None and path and line[:1] in "+-":
            removed, added = current.setdefault(path, (set(), set()))
            for name in dependency_names_in_line(path, line[1:]):
                (added if line[0] == "+" else removed).add(name)
    for sha, row in wanted.items():
        by_manifest = changes.get(sha, {})
        added_anywhere: dict[str | None, set] = {}
        for manifest, (_, added) in by_manifest.items():
            added_anywhere.setdefault(ecosystem_of(manifest), set()).update(added)
        row.removed_deps = [(name, manifest) for manifest, (removed, _) in sorted(by_manifest.items())
                            for name in sorted(removed - added_anywhere.get(ecosystem_of(manifest), set()))]
        row.manifests_read = True


def _read_patches(git: Git, rows: list[CommitRow]) -> None:
    """Lines and symbols the given revert/removal commits took out (one `git show` for all)."""
    targets = {r.sha: r for r in rows}
    if not targets:
        return
    for row in targets.values():
        row.patch = ([], [])
    current = None
    for raw in git.stream(["show", "--no-color", f"--format={RS}%H", "-p", "--unified=0", *targets, "--"]):
        line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
        if line.startswith(RS):
            current = targets.get(line[1:].strip())
            continue
        if current is None or not line.startswith("-") or line.startswith("---"):
            continue
        body = line[1:]
        assert current.patch is not None  # set for every target above
        lines, symbols = current.patch
        m = _SYMBOL_DEF.match(body)
        if m and m.group(1) not in symbols:
            symbols.append(m.group(1))
        if _meaningful(body) and len(lines) < MAX_LINES_PER_COMMIT:
            lines.append(normalise_line(body))


# ---- the aggregate ------------------------------------------------------------------------------------

def _apply(h: History, rows: list[CommitRow], sign: int) -> None:
    """Add (sign=1) or subtract (sign=-1) commits' rows from the aggregate."""
    files, cochange = h.files, h.cochange
    pairs: Counter = Counter()
    for row in rows:
        for path in row.files:
            fh = files.get(path)
            if fh is None:
                fh = files[path] = FileHistory()
            fh.changes += sign
            if fh.changes <= 0:
                del files[path]
        if 2 <= len(row.files) <= MAX_COCHANGE_FILES:
            pairs.update(combinations(sorted(set(row.files)), 2))  # counted in C, added to the table once per pair
    if sign > 0:  # counts only grow: no entry to drop (every commit of a cold read comes through here)
        for (a, b), n in pairs.items():
            row_of = cochange.get(a)
            if row_of is None:
                row_of = cochange[a] = {}
            row_of[b] = row_of.get(b, 0) + n
            row_of = cochange.get(b)
            if row_of is None:
                row_of = cochange[b] = {}
            row_of[a] = row_of.get(a, 0) + n
    else:
        for (a, b), n in pairs.items():
            for x, y in ((a, b), (b, a)):
                row_of = cochange.get(x)
                if row_of is None:
                    continue
                count = row_of.get(y, 0) - n
                if count > 0:
                    row_of[y] = count
                else:
                    row_of.pop(y, None)
                    if not row_of:
                        del cochange[x]
    h.commits += sign * len(rows)
    if sign < 0:
        gone = {r.sha for r in rows}
        h.renames = [r for r in h.renames if r.sha not in gone]
        h.reverts = [r for r in h.reverts if r.sha not in gone]
        h.decisions = [d for d in h.decisions if d.sha not in gone]
        h.dependency_removals = [d for d in h.dependency_removals if d.sha not in gone]
        return
    for row in rows:
        h.renames.extend(Rename(old=a, new=b, sha=row.sha, time=row.time) for a, b in row.renames)
        short = row.files[:MAX_FILES_PER_COMMIT]
        if row.revert:
            h.reverts.append(Revert(sha=row.sha, time=row.time, subject=row.subject, reverted_sha=row.reverted_sha,
                                    files=short))
        elif row.decision is not None:
            kind, removed, chosen = row.decision
            h.decisions.append(Decision(sha=row.sha, time=row.time, subject=row.subject, kind=kind,
                                        removed=list(removed), chosen=list(chosen), files=short))
        h.dependency_removals.extend(
            DependencyRemoval(name=name, manifest=manifest, sha=row.sha, time=row.time, subject=row.subject)
            for name, manifest in row.removed_deps)


def _newest_first(h: History) -> None:
    """One order whatever the path that built the aggregate: newest first, ties by sha (stable within a commit)."""
    def key(item):
        return (-item.time, item.sha)

    h.renames.sort(key=key)
    h.reverts.sort(key=key)
    h.decisions.sort(key=key)
    h.dependency_removals.sort(key=key)


HISTORY_KEY, COCHANGE_KEY = "history", "history.cochange"


def _state(h: History, tips: list[str]) -> dict:
    """The aggregate as cached JSON, without its co-change table (kept apart: see LazyCochange).
    dataclasses.asdict would deep-copy every dict: seconds on a large history."""
    def plain(items) -> list[dict]:
        return [dict(vars(item)) for item in items]

    return {"head": h.head, "commits": h.commits, "tips": tips,
            "files": {path: fh.changes for path, fh in h.files.items()},
            "renames": plain(h.renames), "reverts": plain(h.reverts), "decisions": plain(h.decisions),
            "dependency_removals": plain(h.dependency_removals), "recent": plain(h.recent)}


def _from_state(data: dict) -> History:
    """The cached aggregate (co-change table apart); TypeError/ValueError/AttributeError when it is not one."""
    h = History(available=True, head=data["head"], commits=int(data["commits"]))
    h.files = {str(p): FileHistory(int(n)) for p, n in data["files"].items()}
    h.renames = [Rename(**r) for r in data["renames"]]
    h.reverts = [Revert(**r) for r in data["reverts"]]
    h.decisions = [Decision(**r) for r in data["decisions"]]
    h.dependency_removals = [DependencyRemoval(**r) for r in data["dependency_removals"]]
    h.recent = [Commit(**r) for r in data["recent"]]
    return h


def _cochange_from(entry, head: str) -> dict[str, dict[str, int]] | None:
    """A cached co-change table if it is one and belongs to `head`."""
    if not isinstance(entry, dict) or entry.get("head") != head or not isinstance(entry.get("cochange"), dict):
        return None
    try:
        return {str(a): {str(b): int(n) for b, n in row.items()} for a, row in entry["cochange"].items()}
    except (AttributeError, TypeError, ValueError):
        return None


class LazyCochange(Mapping):
    """`History.cochange` read from the cache on first access: on a large repository the table is most of the
    cached history (85% of it on SQLAlchemy) and only the scope check of a multi-file change reads it, so a
    short-lived process (an agent hook per edit) should not decode it up front. Empty if the cached table no
    longer matches HEAD or is damaged."""

    def __init__(self, cache_path: Path, head: str):
        self._path, self._head = Path(cache_path), head
        self._data: dict[str, dict[str, int]] | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, int]]:
        with self._lock:
            if self._data is None:
                from .cache import Cache

                cache = Cache.at(self._path)
                entry = cache.get(COCHANGE_KEY) if cache is not None else None
                if cache is not None:
                    cache.close()
                found = _cochange_from(entry, self._head)
                if found is None:
                    from .cache import report_once

                    report_once("the cached co-change table is missing or damaged: scope is judged without it; "
                                "`xyguard index` reads it again")
                self._data = found or {}
            return self._data

    def __getitem__(self, key: str) -> dict[str, int]:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


# ---- reading --------------------------------------------------------------------------------------------

class _Rows:
    """Commit rows by sha: those read now, then the cache's (decoded on demand; bad ones dropped)."""

    def __init__(self, cache):
        self.cache = cache
        self.known: dict[str, CommitRow] = {}
        self.changed: dict[str, CommitRow] = {}  # rows to write back

    def add(self, rows: list[CommitRow]) -> None:
        for row in rows:
            self.known[row.sha] = row
            self.changed[row.sha] = row

    def get_many(self, shas: list[str]) -> dict[str, CommitRow] | None:
        """Rows for every sha, or None when any is missing (the caller reads everything again)."""
        missing = [s for s in shas if s not in self.known]
        if missing:
            if self.cache is None:
                return None
            for sha, data in self.cache.load_commits(missing).items():
                try:
                    self.known[sha] = CommitRow.decode(sha, data)
                except ValueError:
                    continue  # a damaged or planted row: read that history again rather than trust it
        found = {s: self.known[s] for s in shas if s in self.known}
        return found if len(found) == len(shas) else None


def _rev_list(git: Git, args: list[str]) -> list[str]:
    return git.text(["rev-list", *args, "--"], timeout=120).split()


def read_history(git: Git, cache=None, cancel: threading.Event | None = None, lean: bool = False) -> History:
    """The history of HEAD. `lean`: when HEAD's aggregate is cached, its co-change table is read on first use."""
    head = git.head()
    if head is None:  # empty repository, unborn HEAD
        return History(available=False)
    detached = git.run(["symbolic-ref", "-q", "HEAD"], check=False).strip() == b""
    shallow = git.is_shallow()
    state = cache.get(HISTORY_KEY) if cache is not None else None
    cached = _load_state(state)
    if cached is not None:
        if cached.head == head and lean:
            cached.cochange = LazyCochange(cache.path, head)  # type: ignore[assignment]
        else:
            cochange = _cochange_from(cache.get(COCHANGE_KEY), cached.head or "")
            if cochange is None:
                cached = None  # no table to move from: read again
            else:
                cached.cochange = cochange
    if cached is not None and cached.head == head:
        cached.detached, cached.shallow, cached.commits_read = detached, shallow, 0
        return cached
    rows = _Rows(cache)
    tips = [t for t in (state or {}).get("tips", []) if isinstance(t, str)] if cached is not None else []
    history = None
    if cached is not None:
        history = _move(git, cached, head, tips, rows, cancel)
    if history is None:
        history = _cold(git, head, rows, cancel)
        tips = []
    history.available, history.head, history.detached, history.shallow = True, head, detached, shallow
    _refresh_recent(git, history, head, rows)
    _newest_first(history)
    if cache is not None:
        cache.store_commits([(sha, row.encode()) for sha, row in rows.changed.items()])
        cache.put(HISTORY_KEY, _state(history, [head, *[t for t in tips if t != head]][:MAX_TIPS]))
        cache.put(COCHANGE_KEY, {"head": head, "cochange": history.cochange})
    return history


def _load_state(state) -> History | None:
    if not isinstance(state, dict) or not isinstance(state.get("head"), str):
        return None
    try:
        return _from_state(state)
    except (TypeError, ValueError, AttributeError, KeyError):
        return None  # a damaged or older aggregate: build it again


def _read_new(git: Git, revisions: list[str], rows: _Rows, cancel) -> list[CommitRow]:
    """Read commits from git (log, manifest patches) and remember their rows."""
    fresh = _read_rows(git, revisions, cancel)
    # Patches need old blobs. A partial clone lacks them and lazy fetching is off (GIT_NO_LAZY_FETCH), so
    # git stops at the first missing one: keep the rows and treat their dependency changes as unknown.
    try:
        _read_dependency_removals(git, fresh)
    except GitError:
        pass
    rows.add(fresh)
    return fresh


def _cold(git: Git, head: str, rows: _Rows, cancel) -> History:
    fresh = _read_new(git, [head], rows, cancel)
    history = History()
    _apply(history, fresh, +1)
    history.commits_read = len(fresh)
    return history


def _move(git: Git, old: History, head: str, tips: list[str], rows: _Rows, cancel) -> History | None:
    """The aggregate at `head` from the one at `old.head`: subtract what HEAD left, add what it reached.

    None when that cannot be done exactly (the old head is gone, a row is missing or damaged)."""
    if old.head is None:
        return None
    try:
        left = _rev_list(git, [old.head, "--not", head])
        reached = _rev_list(git, [head, "--not", old.head])
    except GitError:
        return None
    bounds = tips or [old.head]
    fresh = _read_new(git, [head, *(f"^{t}" for t in bounds)], rows, cancel) if reached else []
    gone = rows.get_many(left)
    came = rows.get_many(reached)
    if gone is None or came is None:
        return None
    _apply(old, list(gone.values()), -1)
    _apply(old, list(came.values()), +1)
    old.commits_read = len(fresh)
    return old


def _refresh_recent(git: Git, h: History, head: str, rows: _Rows) -> None:
    """`recent` is the newest MAX_RECENT commits; their reverts and removals carry the lines they took out
    (patches read once per commit and cached); older ones do not, whichever way the aggregate was built."""
    newest = _rev_list(git, ["-n", str(MAX_RECENT), head])
    found = rows.get_many(newest) or {}
    recent = [found[s] for s in newest if s in found]
    h.recent = [Commit(sha=r.sha, time=r.time, subject=r.subject, files=r.files[:MAX_FILES_PER_COMMIT]) for r in recent]
    wanted = [r for r in recent if r.patch_wanted][:MAX_PATCHED_COMMITS]
    unread = [r for r in wanted if r.patch is None]
    try:
        _read_patches(git, unread)
    except GitError:  # a partial clone without the blobs: no lines to compare
        for r in unread:
            r.patch = None
    for r in unread:
        if r.patch is not None:
            rows.changed[r.sha] = r
    patches = {r.sha: r.patch for r in wanted if r.patch is not None}
    items: list[Revert | Decision] = [*h.reverts, *h.decisions]
    for item in items:
        lines, symbols = patches.get(item.sha, ([], []))
        item.removed_lines, item.removed_symbols = list(lines), list(symbols)
