"""What every edit check receives: the change, the request, the workspace (maybe none), and a skip log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diffmodel import ADDED, DELETED, Change, FileChange, split_lines
from .edit_report import Skip


@dataclass
class EditInput:
    change: Change
    request: str | None = None
    scope_hints: list[str] = field(default_factory=list)
    context: Any = None  # WorkspaceContext or None (diff-only mode)
    config: Any = None
    skipped: list[Skip] = field(default_factory=list)

    @property
    def intent_text(self) -> str:
        """The request plus the session's objectives: everything the user has asked for."""
        return "\n".join(t for t in [self.request or "", *self.scope_hints] if t and t.strip())

    def skip(self, check: str, reason: str) -> None:
        if not any(s.check == check and s.reason == reason for s in self.skipped):
            self.skipped.append(Skip(check, reason))

    def need_context(self, check: str, what: str) -> bool:
        """True when a repository is at hand; otherwise records why `check` could not run."""
        if self.context is not None:
            return True
        self.skip(check, f"no repository: {what}")
        return False

    def content_files(self) -> list[FileChange]:
        """Files whose text the checks read line by line: not binary, not mode-only, not a lock file."""
        return [f for f in self.change if not f.binary and not f.mode_only and not f.lock_file]


def attach_full_texts(change: Change, context, skip) -> None:
    """Fill in old/new whole-file texts from the workspace when the diff applies cleanly to it.

    The whole file lets griffe compare modules and lets the rewrite check see a
    file's size. The workspace may hold either side: the diff's base (a
    proposed change), or its result (`git diff | xyguard edit --diff -`: the
    work tree already has the change), in which case the base is the disk
    copy with the diff taken back out, and findings land on the lines as they
    are on disk. A file the repository lacks, or that matches neither side,
    is checked from the diff alone, and the report says so.
    """
    if context is None:
        return
    for fc in change:
        if fc.binary or fc.mode_only or fc.lock_file or (fc.old_text is not None and fc.new_text is not None):
            continue
        if fc.status == ADDED:
            fc.old_text = None
            fc.new_text = _added_text(fc)
            continue
        base_path = fc.old_path or fc.path
        old = context.read_text(base_path) if fc.old_text is None else fc.old_text
        if old is None:
            skip(fc.path, "not found in the repository; checked from the diff alone")
            continue
        new = _apply(old, fc)
        if new is None and fc.status != DELETED:
            on_disk = old if base_path == fc.path else context.read_text(fc.path)
            base = _unapply(on_disk, fc) if on_disk is not None else None
            if base is not None:  # the work tree already holds the change
                fc.old_text, fc.new_text = base, on_disk
                continue
        if new is None:
            skip(fc.path, "the diff does not apply to the repository's copy; checked from the diff alone")
            continue
        fc.old_text = old
        fc.new_text = None if fc.status == DELETED else new


def _added_text(fc: FileChange) -> str:
    return "".join(ln.text + "\n" for ln in fc.added())


def _unapply(new: str, fc: FileChange) -> str | None:
    """The text before the change, from the text after it: the diff taken back out (None when it does not fit)."""
    return _patch(new, fc, forward=False)


def _apply(old: str, fc: FileChange) -> str | None:
    """The text after the change, from the text before it (None when the diff does not fit)."""
    return _patch(old, fc, forward=True)


def _patch(text: str, fc: FileChange, forward: bool) -> str | None:
    """Walk the hunks over `text`: lines the diff says are there must be (context and, going forward, removed
    lines; going back, added ones); the other side's lines are written in their place."""
    source = split_lines(text)
    present = "-" if forward else "+"
    out: list[str] = []
    pos = 0  # zero-based index into source
    for h in fc.hunks:
        first, length = (h.old_start, h.old_len) if forward else (h.new_start, h.new_len)
        start = max(first - 1, 0) if length else first
        if start < pos or start > len(source):
            return None
        out += source[pos:start]
        pos = start
        for ln in h.lines:
            if ln.kind in (" ", present):
                if pos >= len(source) or source[pos].rstrip() != ln.text.rstrip():
                    return None
                if ln.kind == " ":
                    out.append(source[pos])
                pos += 1
            else:
                out.append(ln.text)
    out += source[pos:]
    return "".join(x + "\n" for x in out)
