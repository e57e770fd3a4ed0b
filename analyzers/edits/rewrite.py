"""DR204: most of a function or a file rewritten when the request is a bug fix or small change.

Only lines that really go count: a removed line that comes back elsewhere in
the change (moved, re-indented under a new block) is not rewritten. With the
whole old file known, shares are taken of the file and of each function
(tree-sitter symbols); from a diff alone, of each hunk's old side.
"""

from __future__ import annotations

import bisect

from .. import rules
from ..context.languages import PARSED
from ..findings import Finding, Range
from .diffmodel import ADDED, DELETED, FileChange
from .inputs import EditInput
from .stated_intent import request_intent
from ..context.languages import is_test_path

_FILE_SHARE, _FILE_MIN = 0.6, 20
_FUNC_SHARE, _FUNC_MIN = 0.7, 10
_HUNK_SHARE, _HUNK_MIN = 0.8, 30


def check(inp: EditInput) -> list[Finding]:
    intent = request_intent(inp.intent_text)
    if not intent:
        inp.skip("DR204", "no request: cannot tell whether a rewrite was asked for")
        return []
    if intent.large_change or not intent.small_fix:
        return []
    findings = []
    for fc in inp.content_files():
        if fc.status in (ADDED, DELETED) or is_test_path(fc.path):
            continue
        lost = _lost_lines(fc)
        if not lost:
            continue
        findings += (_file_rewrite(fc, lost) or _function_rewrites(fc, lost, inp.context, intent)
                     or _hunk_rewrites(fc, lost))
    return findings


def _norm(text: str) -> str:
    return " ".join(text.split())


def _lost_lines(fc: FileChange) -> set[int]:
    """Old line numbers of meaningful removed lines whose content does not come back."""
    kept = {_norm(ln.text) for ln in fc.added()}
    return {ln.old_no for ln in fc.removed()
            if ln.old_no and _norm(ln.text) and _norm(ln.text) not in kept and len(_norm(ln.text)) > 2}


def _meaningful(lines: dict[int, str]) -> set[int]:
    return {n for n, t in lines.items() if len(_norm(t)) > 2}


def _finding(fc: FileChange, what: str, lost: int, total: int, first: int) -> Finding:
    return rules.make(
        "DR204", f"{what} is largely rewritten ({lost} of {total} lines replaced) for what the request calls a small fix.",
        evidence=f"{fc.path}: {lost}/{total} lines", path=fc.path, range=Range.lines(max(first - 1, 0)),
        question="Could the fix be a targeted change that keeps the existing code?",
        fix="Reduce the change to the lines the fix needs.")


def _file_rewrite(fc: FileChange, lost: set[int]) -> list[Finding]:
    if fc.old_text is None:
        return []
    total = len(fc.derived("old", _meaningful))
    if total and len(lost) >= _FILE_MIN and len(lost) / total >= _FILE_SHARE:
        return [_finding(fc, fc.path, len(lost), total, min(lost))]
    return []


def _old_symbols(fc: FileChange, lang: str, context):
    """The old file's symbols: the context's index when it holds this very text, else a fresh parse."""
    path = fc.old_path or fc.path
    if fc.old_text is None:
        return []
    if context is not None and path in context.symbols:
        info = context.files.get(path)
        if info is not None and info.size == len(fc.old_text.encode("utf-8")):
            return context.symbols[path]
    from ..context.symbols import extract_symbols

    return extract_symbols(path, fc.old_text, lang)


def _function_rewrites(fc: FileChange, lost: set[int], context, intent) -> list[Finding]:
    lang = fc.old_language
    if fc.old_text is None or lang not in PARSED or len(lost) < _FUNC_MIN * _FUNC_SHARE:
        return []
    meaningful = sorted(fc.derived("old", _meaningful))
    lost_sorted = sorted(lost)
    out = []
    for sym in _old_symbols(fc, lang, context):
        if sym.kind not in ("function", "method"):
            continue
        first, last = sym.start_line + 1, sym.end_line + 1
        gone = _count_between(lost_sorted, first, last)  # by bisection: linear in symbols, whatever the file
        if gone < _FUNC_MIN * _FUNC_SHARE:
            continue
        span = _count_between(meaningful, first, last)
        if intent.states_removal(sym.qualname):
            continue  # "remove the work-arounds in make_cell": the rewrite the message announces
        if span >= _FUNC_MIN and gone / span >= _FUNC_SHARE:
            out.append(_finding(fc, f"{sym.qualname}()", gone, span, sym.start_line + 1))
    return out


def _count_between(ordered: list[int], first: int, last: int) -> int:
    return bisect.bisect_right(ordered, last) - bisect.bisect_left(ordered, first)


def _hunk_rewrites(fc: FileChange, lost: set[int]) -> list[Finding]:
    if fc.old_text is not None:
        return []  # the whole-file measures above already decided
    out = []
    for h in fc.hunks:
        old_side = {ln.old_no: ln.text for ln in h.lines if ln.old_no and ln.kind in (" ", "-")}
        span = _meaningful(old_side)
        gone = span & lost
        if len(gone) >= _HUNK_MIN and len(gone) / max(len(span), 1) >= _HUNK_SHARE:
            out.append(_finding(fc, f"{fc.path} lines {h.old_start}-{h.old_start + h.old_len - 1}",
                                len(gone), len(span), h.new_start))
    return out
