"""The change under review: files, their status, and the hunks of added and removed lines.

A `Change` can be built from a unified diff (via unidiff, tolerant of what
real tools emit), from `{path: (old, new)}` texts, or from an LSP
WorkspaceEdit-like dict. Checks only ever see this model, so every input
route gets every check.

Line numbers are one-based, as in a diff; checks convert to LSP ranges.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from ..context.gitrun import check_relpath
from ..context.languages import language_for_path
from ..text.paths import uri_to_path

ADDED, DELETED, MODIFIED, RENAMED = "added", "deleted", "modified", "renamed"
MAX_DIFF_CHARS = 8 * 1024 * 1024


@dataclass
class Line:
    kind: str  # "+", "-" or " "
    text: str  # without the trailing newline (and without a trailing \r)
    old_no: int | None
    new_no: int | None


@dataclass
class Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    header: str = ""  # the text after @@ ... @@ (often the enclosing function)
    lines: list[Line] = field(default_factory=list)

    def blocks(self) -> Iterator[tuple[list[Line], list[Line]]]:
        """Runs of (removed, added) lines between context lines: the unit of 'this was replaced by that'."""
        removed: list[Line] = []
        added: list[Line] = []
        for line in self.lines:
            if line.kind == " ":
                if removed or added:
                    yield removed, added
                removed, added = [], []
            elif line.kind == "-":
                removed.append(line)
            else:
                added.append(line)
        if removed or added:
            yield removed, added


@dataclass
class FileChange:
    path: str  # the new path ('/'-separated, repository-relative); the old path for deletions
    status: str = MODIFIED
    old_path: str | None = None
    binary: bool = False
    mode_only: bool = False  # only the file mode changed (e.g. chmod +x)
    old_mode: str | None = None
    new_mode: str | None = None
    old_text: str | None = None  # whole file before, when known
    new_text: str | None = None  # whole file after, when known
    hunks: list[Hunk] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def language(self) -> str | None:
        return language_for_path(self.path)

    @property
    def old_language(self) -> str | None:
        return language_for_path(self.old_path or self.path)

    def added(self) -> list[Line]:
        return [ln for h in self.hunks for ln in h.lines if ln.kind == "+"]

    def removed(self) -> list[Line]:
        return [ln for h in self.hunks for ln in h.lines if ln.kind == "-"]

    def blocks(self) -> Iterator[tuple[list[Line], list[Line]]]:
        for h in self.hunks:
            yield from h.blocks()

    def new_line_for(self, line: Line) -> int:
        """The new-side line number where a removed line used to be (for pointing at it in the new file)."""
        if line.new_no is not None:
            return line.new_no
        for h in self.hunks:
            for i, ln in enumerate(h.lines):
                if ln is line:
                    after = next((x.new_no for x in h.lines[i:] if x.new_no is not None), None)
                    if after is not None:
                        return after
                    before = next((x.new_no for x in reversed(h.lines[:i]) if x.new_no is not None), None)
                    return (before or h.new_start - 1) + 1
        return 1

    def known_new_lines(self) -> dict[int, str]:
        """New-side line number -> text for every line the change shows (or the whole file when known)."""
        return self._known("new", self.new_text)

    def known_old_lines(self) -> dict[int, str]:
        return self._known("old", self.old_text)

    def derived(self, side: str, fn: Callable, *args):
        """`fn(lines of that side, *args)`, computed once: per change for a side the diff only partly shows,
        across changes for a whole text (the old side is the same HEAD text on every keystroke and every
        check). The result is shared: callers must not mutate it."""
        text = self.old_text if side == "old" else self.new_text
        if text is not None:
            return _derived_from_text(fn, text, args)
        key = ("derived", side, fn, args)
        if key not in self._cache:
            self._cache[key] = fn(self._known(side, None), *args)
        return self._cache[key]

    def _known(self, side: str, text: str | None) -> dict[int, str]:
        # Several checks ask for the same whole-file map; build it once per text (callers must not mutate it).
        key = (side, id(text), len(self.hunks))
        cached = self._cache.get(side)
        if cached is not None and cached[0] == key:
            return cached[1]
        if text is not None:
            lines = dict(enumerate(text.splitlines(), start=1))
        else:
            attr = "new_no" if side == "new" else "old_no"
            lines = {getattr(ln, attr): ln.text for h in self.hunks for ln in h.lines if getattr(ln, attr) is not None}
        self._cache[side] = (key, lines)
        return lines


@lru_cache(maxsize=32)
def _derived_from_text(fn: Callable, text: str, args: tuple):
    return fn(dict(enumerate(text.splitlines(), start=1)), *args)


@dataclass
class Change:
    files: list[FileChange] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (what, why) parts of the input that were skipped

    def __iter__(self) -> Iterator[FileChange]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    @property
    def added_count(self) -> int:
        return sum(len(f.added()) for f in self.files)

    @property
    def removed_count(self) -> int:
        return sum(len(f.removed()) for f in self.files)

    def get(self, path: str) -> FileChange | None:
        return next((f for f in self.files if f.path == path), None)

    def to_diff(self) -> str:
        """The change as a unified diff (text files only): what a model or another tool is shown."""
        out: list[str] = []
        for fc in self.files:
            if fc.binary or fc.mode_only:
                continue
            out.append(f"--- {'/dev/null' if fc.status == ADDED else 'a/' + (fc.old_path or fc.path)}")
            out.append(f"+++ {'/dev/null' if fc.status == DELETED else 'b/' + fc.path}")
            for h in fc.hunks:
                out.append(f"@@ -{h.old_start},{h.old_len} +{h.new_start},{h.new_len} @@{' ' + h.header if h.header else ''}")
                out += [ln.kind + ln.text for ln in h.lines]
        return "\n".join(out) + "\n" if out else ""

    # ---- constructors ----------------------------------------------------------------

    @classmethod
    def from_diff(cls, text: str) -> "Change":
        return parse_unified_diff(text)

    @classmethod
    def from_texts(cls, texts: dict[str, tuple[str | None, str | None]]) -> "Change":
        """`{path: (old, new)}`; None on one side means the file is added or deleted."""
        files = []
        for path, (old, new) in texts.items():
            path = _clean_path(path)
            if old is None and new is None:
                continue
            fc = file_change_from_texts(path, old, new)
            if fc is not None:
                files.append(fc)
        return cls(files=files)

    @classmethod
    def from_workspace_edit(cls, edit: dict, read_old: Callable[[str], str | None], root=None) -> "Change":
        return parse_workspace_edit(edit, read_old, root)


# ---- from texts ------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    if not text:
        return []
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")][: -1 if text.endswith("\n") else None]


def file_change_from_texts(path: str, old: str | None, new: str | None, old_path: str | None = None,
                           hunks: list[Hunk] | None = None) -> FileChange | None:
    """A file's change from its two texts; `hunks` when git already computed them (cheaper than difflib)."""
    if old is not None and new is not None and old == new and not old_path:
        return None
    status = ADDED if old is None else DELETED if new is None else RENAMED if old_path and old_path != path else MODIFIED
    fc = FileChange(path=path, status=status, old_path=old_path if status == RENAMED else None,
                    old_text=old, new_text=new)
    fc.hunks = hunks if hunks is not None else _hunks_between(split_lines(old or ""), split_lines(new or ""))
    return fc


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, with the common head and tail matched first.

    SequenceMatcher without autojunk is quadratic on large files; most edits
    are local, so matching the unchanged head and tail directly (as git's own
    xdiff does) leaves it only the changed middle. The diff is valid and
    usually identical; where lines repeat, an edge may be attributed to a
    neighbouring equal line, as git would.
    """
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    middle = difflib.SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail], autojunk=False)
    ops += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()
            if i1 != i2 or j1 != j2]
    if tail:
        ops.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:  # adjacent equal runs (head + middle + tail) become one, as difflib would report
        if merged and op[0] == "equal" == merged[-1][0]:
            prev = merged.pop()
            op = ("equal", prev[1], op[2], prev[3], op[4])
        merged.append(op)
    return merged


def _grouped(ops: list[tuple[str, int, int, int, int]], context: int):
    matcher = difflib.SequenceMatcher(None, "", "")
    matcher.opcodes = ops or [("equal", 0, 1, 0, 1)]  # get_grouped_opcodes works from these
    return matcher.get_grouped_opcodes(context)


def _hunks_between(old: list[str], new: list[str], context: int = 3) -> list[Hunk]:
    hunks = []
    for group in _grouped(_opcodes(old, new), context):
        first, last = group[0], group[-1]
        hunk = Hunk(first[1] + 1, last[2] - first[1], first[3] + 1, last[4] - first[3])
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.lines += [Line(" ", old[i], i + 1, j1 + (i - i1) + 1) for i in range(i1, i2)]
                continue
            hunk.lines += [Line("-", old[i], i + 1, None) for i in range(i1, i2)]
            hunk.lines += [Line("+", new[j], None, j + 1) for j in range(j1, j2)]
        hunks.append(hunk)
    return hunks


# ---- from a unified diff ---------------------------------------------------------------

_DIFF_START = re.compile(r"^(diff --git |--- |Index: |Binary files )", re.MULTILINE)


def _clean_path(path: str) -> str:
    p = path.strip().replace("\\", "/")
    if p.startswith('"') and p.endswith('"'):
        p = p[1:-1]
    while p.startswith("./"):
        p = p[2:]
    return p


def _strip_prefix(path: str | None) -> str | None:
    if path is None or path == "/dev/null":
        return None
    p = _clean_path(path)
    if p[:2] in ("a/", "b/"):
        p = p[2:]
    return p


def parse_unified_diff(text: str) -> Change:
    """Parse a unified (git or plain) diff. Raises ValueError with a one-line reason for unusable input."""
    import unidiff

    if not isinstance(text, str):
        raise ValueError("the diff must be text")
    if len(text) > MAX_DIFF_CHARS:
        raise ValueError(f"the diff is larger than {MAX_DIFF_CHARS // (1024 * 1024)} MB")
    if not text.strip():
        raise ValueError("the diff is empty: there is no change to check")
    text = text.replace("\r\n", "\n")  # CRLF diffs (Windows tools, mail) parse like LF ones
    start = _DIFF_START.search(text)
    if start is None:
        raise ValueError("not a unified diff: no 'diff --git', '---/+++' or 'Binary files' header found")
    try:
        patch = unidiff.PatchSet(text[start.start():])
    except unidiff.UnidiffParseError as exc:
        raise ValueError(f"malformed diff: {exc}") from None
    except (IndexError, ValueError, TypeError) as exc:
        raise ValueError(f"malformed diff: {exc or type(exc).__name__}") from None
    change = Change()
    for pf in patch:
        fc = _file_from_patched(pf)
        if fc is None:
            continue
        if fc.binary:
            change.notes.append((fc.path, "binary file: content not checked"))
        elif fc.mode_only:
            change.notes.append((fc.path, f"mode change only ({fc.old_mode} -> {fc.new_mode}): no content to check"))
        change.files.append(fc)
    if not change.files:
        raise ValueError("the diff names no files")
    return change


_MODE = re.compile(r"^(old|new|new file|deleted file) mode (\d+)", re.MULTILINE)


def _file_from_patched(pf) -> FileChange | None:
    source = _strip_prefix(pf.source_file)
    target = _strip_prefix(pf.target_file)
    if pf.is_added_file:
        status = ADDED
    elif pf.is_removed_file:
        status = DELETED
    elif getattr(pf, "is_rename", False) or (source and target and source != target):
        status = RENAMED
    else:
        status = MODIFIED
    path = (target if status != DELETED else source) or source or target
    if not path:
        return None
    fc = FileChange(path=path, status=status, old_path=source if status == RENAMED else None,
                    binary=bool(getattr(pf, "is_binary_file", False)))
    patch_info = str(getattr(pf, "patch_info", "") or "")
    for kind, mode in _MODE.findall(patch_info):
        if kind in ("old", "deleted file"):
            fc.old_mode = mode
        else:
            fc.new_mode = mode
    for h in pf:
        hunk = Hunk(h.source_start, h.source_length, h.target_start, h.target_length, (h.section_header or "").strip())
        for ln in h:
            if ln.line_type not in ("+", "-", " "):
                continue  # '\ No newline at end of file'
            value = ln.value[:-1] if ln.value.endswith("\n") else ln.value
            hunk.lines.append(Line(ln.line_type, value.rstrip("\r"), ln.source_line_no, ln.target_line_no))
        fc.hunks.append(hunk)
    fc.mode_only = not fc.hunks and not fc.binary and status == MODIFIED and fc.old_mode != fc.new_mode \
        and fc.new_mode is not None
    return fc


# ---- from an LSP WorkspaceEdit ---------------------------------------------------------


def _offset(lines: list[str], line: int, character: int) -> int:
    """LSP position (UTF-16 columns) -> offset into the joined text."""
    line = max(0, line)
    if line >= len(lines):
        return sum(len(x) for x in lines)
    base = sum(len(x) for x in lines[:line])
    units = 0
    for i, ch in enumerate(lines[line]):
        if units >= character or ch in "\r\n":
            return base + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return base + len(lines[line].rstrip("\r\n"))


def apply_text_edits(text: str, edits: Iterable[dict]) -> str:
    """Apply LSP TextEdits (all against the original text) -> the new text."""
    lines = text.splitlines(keepends=True) or [""]
    spans = []
    for e in edits:
        if not isinstance(e, dict) or "range" not in e or "newText" not in e:
            raise ValueError("a TextEdit needs 'range' and 'newText'")
        try:
            s, t = e["range"]["start"], e["range"]["end"]
            start = _offset(lines, int(s["line"]), int(s["character"]))
            end = _offset(lines, int(t["line"]), int(t["character"]))
        except (KeyError, TypeError, ValueError):
            raise ValueError("a TextEdit range needs start/end with line and character numbers") from None
        if end < start:
            raise ValueError("a TextEdit range ends before it starts")
        spans.append((start, end, str(e["newText"])))
    spans.sort(key=lambda x: (x[0], x[1]))
    out, pos = [], 0
    for start, end, new in spans:
        if start < pos:
            raise ValueError("TextEdits overlap")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def parse_workspace_edit(edit: dict, read_old: Callable[[str], str | None], root=None) -> Change:
    """`{"changes": {uri: [TextEdit]}}`, `{"documentChanges": [...]}`, or `{path: new_text}`.

    `read_old(path)` gives the baseline text (work tree or HEAD) for files the edit modifies.
    """
    if not isinstance(edit, dict):
        raise ValueError("a workspace edit must be an object")
    base = (str(root).replace("\\", "/").rstrip("/") + "/") if root is not None else None

    def rel(uri: str) -> str:
        path = _clean_path(uri_to_path(uri) or uri)
        if base and path.startswith(base):
            return path[len(base):]
        if path.startswith("/"):
            raise ValueError(f"{path} is outside the workspace")
        return check_relpath(path)

    texts: dict[str, tuple[str | None, str | None]] = {}
    renames: dict[str, str] = {}

    def edit_file(uri: str, edits: list) -> None:
        path = rel(uri)
        old = texts[path][1] if path in texts else read_old(path)
        if not isinstance(edits, list):
            raise ValueError(f"{path}: edits must be a list of TextEdits")
        texts[path] = (texts.get(path, (old, None))[0], apply_text_edits(old or "", edits))

    if "changes" in edit or "documentChanges" in edit:
        for uri, edits in (edit.get("changes") or {}).items():
            edit_file(uri, edits)
        for dc in edit.get("documentChanges") or []:
            if not isinstance(dc, dict):
                raise ValueError("documentChanges entries must be objects")
            kind = dc.get("kind")
            if kind == "create":
                path = rel(dc.get("uri", ""))
                texts[path] = (None, "")
            elif kind == "delete":
                path = rel(dc.get("uri", ""))
                texts[path] = (read_old(path), None)
            elif kind == "rename":
                old_p = rel(dc.get("oldUri", ""))
                new_p = rel(dc.get("newUri", ""))
                content = texts.pop(old_p, (read_old(old_p), read_old(old_p)))
                texts[new_p] = content
                renames[new_p] = old_p
            elif "textDocument" in dc:
                doc = dc.get("textDocument") or {}
                edit_file(doc.get("uri", ""), dc.get("edits") or [])
            else:
                raise ValueError(f"unknown documentChanges entry: {sorted(dc)}")
    else:
        for path, new in edit.items():
            if new is not None and not isinstance(new, str):
                raise ValueError(f"{path}: expected the new text (a string) or null for a deletion")
            path = rel(path)
            texts[path] = (read_old(path), new)
    change = Change()
    for path, (old, new) in texts.items():
        fc = file_change_from_texts(path, old, new, old_path=renames.get(path))
        if fc is not None:
            change.files.append(fc)
    return change
