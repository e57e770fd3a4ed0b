"""What xyguard knows about a workspace. Plain data: built by workspace.py, cached by cache.py.

Everything the rest of the code learns about a repository comes through a
`WorkspaceContext`; nothing else reads the repository directly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, MutableMapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple


@dataclass
class Symbol:
    path: str  # repository-relative, '/'-separated
    language: str
    kind: str  # function, method, class, interface, type, enum, constant, module, struct, trait
    name: str
    qualname: str  # e.g. "Parser.parse"
    signature: str  # the declaration text up to the body, whitespace-folded
    start_line: int  # zero-based, inclusive
    end_line: int
    doc: str = ""  # first line of the docstring / doc comment
    public: bool = True
    params: list[str] = field(default_factory=list)  # parameter texts in order (signature comparison)

    def row(self) -> tuple:
        """Field values in declaration order (cheap to pickle and cache; `Symbol(*row)` rebuilds it)."""
        return (self.path, self.language, self.kind, self.name, self.qualname, self.signature, self.start_line,
                self.end_line, self.doc, self.public, self.params)


def _compact_encoder() -> Callable[[Any], str]:
    """`json.dumps(value, separators=(",", ":"))`, with its C encoder built once.

    json.dumps (and JSONEncoder.encode) build a new C encoder on every call, which costs as much as encoding
    a small value; a cold index encodes one row per commit (18k on SQLAlchemy) and one per parsed file. The
    circular-reference check is off (what is encoded here is rows we built: no cycles); it would keep state
    between calls after an error. Without the C accelerator, the plain encoder."""
    from json import encoder as std

    make = getattr(std, "c_make_encoder", None)
    escape = getattr(std, "c_encode_basestring_ascii", None)
    plain = json.JSONEncoder(separators=(",", ":"), check_circular=False)
    if make is None or escape is None:
        return plain.encode
    encode_chunks = make(None, plain.default, escape, None, ":", ",", False, False, True)

    def encode(value: Any) -> str:
        if isinstance(value, str):  # what JSONEncoder.encode does for a bare string
            return escape(value)
        return "".join(encode_chunks(value, 0))

    return encode


compact_json = _compact_encoder()

_SYMBOL_TYPES = (str, str, str, str, str, str, int, int, str, bool, list)
PUBLIC_FIELD = 9  # index of Symbol.public in a symbol row


def symbol_counts(rows: list | None) -> tuple[int, int]:
    """(symbols, public symbols) of a file's rows: kept beside them, so a summary needs no decoding."""
    if not rows:
        return 0, 0
    return len(rows), sum(1 for row in rows if row[PUBLIC_FIELD])


def symbol_from_row(row: Any) -> Symbol:
    """A Symbol from a cached row; ValueError when the row is not one (damaged or planted)."""
    if not isinstance(row, (list, tuple)) or len(row) != len(_SYMBOL_TYPES):
        raise ValueError("not a symbol row")
    for value, kind in zip(row, _SYMBOL_TYPES):
        if type(value) is not kind:
            raise ValueError("not a symbol row")
    if not all(isinstance(p, str) for p in row[10]) or row[6] < 0 or row[7] < row[6]:
        raise ValueError("not a symbol row")
    return Symbol(*row)


class FileSymbols(NamedTuple):
    """What one file's symbol rows hold, recorded when it is parsed: enough for a summary and the naming
    conventions without decoding every symbol of the repository."""

    total: int = 0  # symbols (not `count`: a tuple has a method of that name)
    public: int = 0
    styles: dict[str, dict[str, int]] = {}  # "function" | "class" -> naming style -> how many names use it


class SymbolTable(MutableMapping):
    """Path -> symbols in file order. Rows reused from the cache stay JSON until a caller asks for that
    file: a hook that looks at three files should not decode the symbols of a thousand.

    A cached row that does not decode into symbols is never read as "no symbols": `rederive(path)` parses
    the file again (the workspace sets it; without it the damage is an error)."""

    def __init__(self) -> None:
        self._decoded: dict[str, list[Symbol]] = {}
        self._encoded: dict[str, str] = {}
        self._summary: dict[str, FileSymbols] = {}  # path -> what its rows hold, as recorded when parsed
        self._lock = threading.Lock()  # the language server's worker threads decode side by side
        self.rederive: Callable[[str], list[Symbol]] | None = None

    def put_encoded(self, path: str, rows_json: str, summary: "FileSymbols | None" = None) -> None:
        with self._lock:
            self._decoded.pop(path, None)
            self._encoded[path] = rows_json
            if summary is not None:
                self._summary[path] = summary
            else:
                self._summary.pop(path, None)

    def summary(self, path: str) -> "FileSymbols | None":
        """Counts and naming styles of a file's symbols without decoding them (None: not recorded)."""
        return self._summary.get(path)

    def count(self, public_only: bool = False) -> int:
        """How many symbols (public ones) the table holds, decoding only what has no recorded summary."""
        total = 0
        for path in self:
            known = self._summary.get(path)
            if known is not None:
                total += known.public if public_only else known.total
            else:
                symbols = self[path]
                total += sum(1 for s in symbols if s.public) if public_only else len(symbols)
        return total

    def __getitem__(self, path: str) -> list[Symbol]:
        found = self._decoded.get(path)
        if found is not None:
            return found
        raw = self._encoded.get(path)
        if raw is None:  # decoded by another thread meanwhile, or not there at all
            with self._lock:
                return self._decoded[path]
        try:
            rows = json.loads(raw)
            if not isinstance(rows, list):
                raise ValueError("not a list of symbol rows")
            found = [symbol_from_row(row) for row in rows]
        except (ValueError, TypeError, RecursionError):
            if self.rederive is None:
                raise ValueError(f"damaged symbol rows for {path}") from None
            found = self.rederive(path)
        with self._lock:
            if self._encoded.get(path) is raw:  # not replaced while we decoded
                self._decoded[path] = found
                del self._encoded[path]
            return self._decoded.get(path, found)

    def __setitem__(self, path: str, symbols: list[Symbol]) -> None:
        with self._lock:
            self._encoded.pop(path, None)
            self._summary.pop(path, None)
            self._decoded[path] = symbols

    def __delitem__(self, path: str) -> None:
        with self._lock:
            self._summary.pop(path, None)
            if self._decoded.pop(path, None) is None:
                del self._encoded[path]

    def __contains__(self, path: object) -> bool:
        with self._lock:
            return path in self._decoded or path in self._encoded

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter([*self._decoded, *self._encoded])

    def __len__(self) -> int:
        with self._lock:
            return len(self._decoded) + len(self._encoded)


@dataclass
class Dependency:
    name: str  # normalised package name (lower case, '-' for '_' in Python)
    manifest: str  # repository-relative path of the manifest that declares it
    ecosystem: str  # pypi, npm, go, cargo, maven
    spec: str = ""  # version constraint as written
    dev: bool = False


@dataclass
class Commit:
    sha: str
    time: int  # author time, epoch seconds
    subject: str
    files: list[str] = field(default_factory=list)


@dataclass
class Decision:
    """A commit whose message records a choice: 'replace X with Y', 'drop X', 'migrate to Y', 'don't X'."""

    sha: str
    time: int
    subject: str
    kind: str  # replace, instead, remove, migrate, revert, avoid
    removed: list[str] = field(default_factory=list)  # what the project turned away from
    chosen: list[str] = field(default_factory=list)  # what it chose
    files: list[str] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)  # normalised lines a removal commit took out
    removed_symbols: list[str] = field(default_factory=list)


@dataclass
class Revert:
    sha: str
    time: int
    subject: str
    reverted_sha: str | None  # from "This reverts commit <sha>."
    files: list[str] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)  # normalised lines the revert took out
    removed_symbols: list[str] = field(default_factory=list)


@dataclass
class DependencyRemoval:
    name: str
    manifest: str
    sha: str
    time: int
    subject: str


@dataclass
class Rename:
    old: str
    new: str
    sha: str
    time: int = 0  # author time of the renaming commit


@dataclass
class FileHistory:
    changes: int = 0  # commits reachable from HEAD that changed the file


@dataclass
class History:
    available: bool = False  # false for a plain directory or an unborn HEAD
    head: str | None = None
    shallow: bool = False
    detached: bool = False
    commits: int = 0  # commits reachable from HEAD
    commits_read: int = 0  # of those, how many this build read from git (0 when the cache had HEAD)
    files: dict[str, FileHistory] = field(default_factory=dict)
    cochange: dict[str, dict[str, int]] = field(default_factory=dict)  # path -> {other path: times changed together}
    renames: list[Rename] = field(default_factory=list)
    reverts: list[Revert] = field(default_factory=list)
    dependency_removals: list[DependencyRemoval] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    recent: list[Commit] = field(default_factory=list)  # newest first, capped

    def related_files(self, path: str, minimum: int = 2) -> dict[str, int]:
        return {p: n for p, n in self.cochange.get(path, {}).items() if n >= minimum}


@dataclass
class Conventions:
    naming: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> {"function": "snake_case", ...}
    test_frameworks: list[str] = field(default_factory=list)  # pytest, unittest, jest, vitest, mocha, go test, ...
    test_dirs: list[str] = field(default_factory=list)


@dataclass
class FileInfo:
    language: str | None
    size: int
    mtime_ns: int = 0
    blob: str = ""  # git blob id when tracked and unmodified, else ""


@dataclass
class WorkspaceContext:
    root: Path
    is_git: bool = False
    files: dict[str, FileInfo] = field(default_factory=dict)  # analysed source files
    languages: dict[str, dict[str, int]] = field(default_factory=dict)  # language -> {"files": n, "bytes": n}
    dependencies: list[Dependency] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)
    symbols: SymbolTable = field(default_factory=SymbolTable)  # path -> symbols in file order (files that have some)
    history: History = field(default_factory=History)
    conventions: Conventions = field(default_factory=Conventions)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count (binary, too-large, vendored, symlink...)
    stats: dict[str, Any] = field(default_factory=dict)  # seconds, parsed, reused, commits read...
    cache_path: Path | None = None  # the sqlite cache, where checks keep their per-file indexes (postings.py)
    restamped: list[str] = field(default_factory=list)  # rewritten with the same content: reused by blob id

    # ---- queries the analyzers use ----------------------------------------------------

    def primary_language(self) -> str | None:
        if not self.languages:
            return None
        return max(self.languages.items(), key=lambda kv: (kv[1]["bytes"], kv[1]["files"]))[0]

    def language_share(self, language: str) -> float:
        total = sum(v["bytes"] for v in self.languages.values()) or 1
        return self.languages.get(language, {}).get("bytes", 0) / total

    def language_of(self, path: str) -> str | None:
        from .languages import language_for_path

        info = self.files.get(path)
        return info.language if info else language_for_path(path)

    def dependency_names(self, ecosystem: str | None = None) -> set[str]:
        return {d.name for d in self.dependencies if ecosystem is None or d.ecosystem == ecosystem}

    def all_symbols(self, public_only: bool = False):
        for syms in self.symbols.values():
            for s in syms:
                if s.public or not public_only:
                    yield s

    def find_symbols(self, name: str) -> list[Symbol]:
        lowered = name.lower()
        return [s for s in self.all_symbols() if s.name.lower() == lowered or s.qualname.lower() == lowered]

    def has_file(self, path: str) -> bool:
        return path in self.files

    def read_text(self, path: str) -> str | None:
        """A work-tree file's text, safely (inside the root, no symlinks, size-capped)."""
        from .files import read_text_safely

        return read_text_safely(self.root, path)

    def summary(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "git": self.is_git,
            "files": len(self.files),
            "symbols": self.symbols.count(),
            "public_symbols": self.symbols.count(public_only=True),
            "languages": self.languages,
            "primary_language": self.primary_language(),
            "dependencies": sorted({f"{d.ecosystem}:{d.name}" for d in self.dependencies}),
            "commits": self.history.commits,
            "head": self.history.head,
            "shallow": self.history.shallow,
            "decisions": len(self.history.decisions),
            "reverts": len(self.history.reverts),
            "dependency_removals": len(self.history.dependency_removals),
            "conventions": asdict(self.conventions),
            "skipped": self.skipped,
            "stats": self.stats,
        }
